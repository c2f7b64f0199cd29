/**
 * Generates test/fixtures/midpoint-hard.json: inputs whose exact result lies within 2^-20 ULP of a
 * rounding midpoint of the format (or exactly on one, up to a tiny term that decides the tie),
 * with the expected results and the distances computed by the MPFR reference
 * (test/mpfr/reference.ts). test/oracle-vs-mpfr.test.ts checks the oracle on every one, bit-exact.
 *
 * Run (from the repository root; Node 20 has no TypeScript loader, so compile first; dist/ is
 * git-ignored):
 *
 *   npx tsc scripts/gen-midpoint-fixtures.ts --outDir dist/gen --rootDir . --module nodenext \
 *     --moduleResolution nodenext --target es2022 --strict --skipLibCheck --types node \
 *   && node dist/gen/scripts/gen-midpoint-fixtures.js [--seed N] [--search-candidates N]
 *
 * It overwrites test/fixtures/midpoint-hard.json. Deterministic for a given seed and search
 * budget (the search stops at a candidate count, not at a wall-clock time). Takes about 15 s of
 * CPU.
 *
 * Three sources of fixtures:
 * 1. constructed (every format and op): pick a midpoint μ of the format, solve for the sum
 *    s* = Σ_{j≥1} e^(x_j − a) that puts element 0 (the max, or the scalar) exactly on μ
 *    (softmax_0 = 1/(1+s), log_softmax_0 = −log1p(s), logsumexp = a + log1p(s),
 *    cross_entropy(x, 0) = log1p(s), cross_entropy_grad(x, 0)_0 = −s/(1+s)), then choose logits
 *    greedily: x_j = RD(a + log r) with r the residual s* − Σ e^(x_i − a) so far. Each logit
 *    removes about p − 3 bits of residual, so a handful of logits (two or three in f64, up to
 *    eight in bf16) land the result within far less than 2^-20 ULP of μ. Computed in MPFR at
 *    320 bits.
 * 2. tie (log_softmax and cross_entropy, every format): x = [q/2, −B] where q is the spacing
 *    of the format at B, so x_1 − x_0 = −(B + q/2) is exactly a midpoint, and the result is that
 *    midpoint minus (log_softmax) or plus (cross_entropy) log1p(e^(−B − q/2)), a term far below
 *    2^-20 ULP: only its sign decides the rounding (ties-to-even would be wrong for half of them).
 * 3. searched (f32, f16, bf16): random 2- and 3-logit vectors scored in binary64 (accurate to
 *    2^-27 ULP of these formats), confirmed by MPFR; and for f64 softmax results near subnormal
 *    midpoints (e^b ≈ (k + 1/2)·2^-1074, where the subnormal quantum makes b's own rounding
 *    error small enough).
 */
import { writeFileSync } from 'node:fs';
import type { GMPFunctions } from 'gmp-wasm';
import { FORMATS, nextDown, nextUp, roundNumber, ulpOf, type FormatSpec } from '../src/formats/index.js';
import { FORMAT_NAMES, type FormatName } from '../src/vocabulary/FormatName.js';
import { encodeVector, type JsonNumber } from '../src/formats/jsonNumber.js';
import type { Op } from '../src/vocabulary/Op.js';
import { getMpfrReference, type MpfrReference } from '../test/mpfr/reference.js';
import { RNDD, RNDN, getMpfr } from '../test/mpfr/rounding.js';

interface Candidate {
  op: Op;
  format: FormatName;
  x: number[];
  label: number | undefined;
  index: number;
  method: 'constructed' | 'tie' | 'searched' | 'subnormal';
  note: string;
}

interface FixtureOut {
  op: Op;
  format: FormatName;
  x: JsonNumber[];
  label: number | null;
  index: number;
  expected: JsonNumber[];
  midpoint: string;
  distanceUlps: string;
  log2Distance: number;
  method: Candidate['method'];
  note: string;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}

const SEED = argValue('--seed', 20240611);
/** Candidates scored in binary64 per small format (the search budget, deterministic). */
const SEARCH_CANDIDATES = argValue('--search-candidates', 1_500_000);

/** mulberry32: a small seeded PRNG, so the fixture file is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The largest value of the format ≤ v (v a finite binary64 value). */
function roundDown(fmt: FormatSpec, v: number): number {
  const r = roundNumber(fmt, v);
  return r > v ? nextDown(fmt, r) : r;
}

// ------------------------------------------------------------------ 1. constructed (greedy)

/**
 * Logits [a, x_1, …] with Σ e^(x_j − a) ≈ s*, where s* is given as a function that writes it into
 * an MPFR variable. Returns undefined when the greedy steps leave the format's range.
 */
function greedy(
  b: GMPFunctions,
  fmt: FormatSpec,
  a: number,
  writeS: (s: number) => void,
  maxTerms: number,
): number[] | undefined {
  const P = 320;
  const mk = () => {
    const v = b.mpfr_t();
    b.mpfr_init2(v, P);
    return v;
  };
  const r = mk();
  const t = mk();
  const av = mk();
  const free = () => {
    for (const v of [r, t, av]) {
      b.mpfr_clear(v);
      b.mpfr_t_free(v);
    }
  };
  writeS(r);
  b.mpfr_set_d(av, a, RNDN);
  const xs = [a];
  // stop once the residual is 2^-(p+60) of s*: far below 2^-20 ULP of any result built from s
  const stopExp = b.mpfr_get_exp(r) - fmt.precision - 60;
  for (let k = 0; k < maxTerms; k++) {
    if (b.mpfr_sgn(r) <= 0 || b.mpfr_get_exp(r) < stopExp) break;
    b.mpfr_log(t, r, RNDD);
    b.mpfr_add(t, t, av, RNDD);
    // x ≤ a + log r, so e^(x − a) ≤ r and the residual stays ≥ 0
    const x = roundDown(fmt, b.mpfr_get_d(t, RNDD));
    if (!Number.isFinite(x) || !(x < a)) {
      free();
      return undefined;
    }
    xs.push(x);
    b.mpfr_set_d(t, x, RNDN);
    b.mpfr_sub(t, t, av, RNDN);
    b.mpfr_exp(t, t, RNDN);
    b.mpfr_sub(r, r, t, RNDN);
  }
  free();
  return xs;
}

/** A random format value in [lo, hi) (uniform in value, then rounded). */
function randomIn(fmt: FormatSpec, rand: () => number, lo: number, hi: number): number {
  for (;;) {
    const v = roundNumber(fmt, lo + (hi - lo) * rand());
    if (v >= lo && v < hi) return v;
  }
}

/** A random format value with magnitude log-uniform in [lo, hi). */
function randomLog(fmt: FormatSpec, rand: () => number, lo: number, hi: number): number {
  for (;;) {
    const v = roundNumber(fmt, Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rand()));
    if (v >= lo && v < hi) return v;
  }
}

function constructed(b: GMPFunctions, fmt: FormatSpec, op: Op, rand: () => number): Candidate | undefined {
  const maxTerms = 12;
  const p = fmt.precision;
  // μ must be a binary64 value for the formulas below: p + 1 ≤ 54 bits — for f64 it is not, so
  // f64 midpoints are formed in MPFR from v and its neighbour
  const withMu = (v: number, dir: 1 | -1, use: (mu: number) => void) => {
    const w = dir > 0 ? nextUp(fmt, v) : nextDown(fmt, v);
    b.mpfr_set_d(muV, v, RNDN);
    b.mpfr_set_d(tmpV, w, RNDN);
    b.mpfr_add(muV, muV, tmpV, RNDN); // exact at 320 bits
    b.mpfr_mul_2si(muV, muV, -1, RNDN);
    use(muV);
  };
  const muV = b.mpfr_t();
  b.mpfr_init2(muV, 320);
  const tmpV = b.mpfr_t();
  b.mpfr_init2(tmpV, 320);
  try {
    let xs: number[] | undefined;
    let note = '';
    let label: number | undefined;
    switch (op) {
      case 'softmax': {
        // softmax_0 = 1/(1+s) = μ ∈ (1/2, 1): s* = 1/μ − 1
        const v = randomIn(fmt, rand, 0.5, 1 - 2 ** (1 - p));
        const dir = rand() < 0.5 ? 1 : -1;
        xs = greedy(
          b,
          fmt,
          0,
          (s) =>
            withMu(v, dir, (mu) => {
              b.mpfr_ui_div(s, 1, mu, RNDN);
              b.mpfr_sub_ui(s, s, 1, RNDN);
            }),
          maxTerms,
        );
        note = `softmax_0 = 1/(1+s) on the midpoint ${dir > 0 ? 'above' : 'below'} ${v}`;
        break;
      }
      case 'log_softmax': {
        // log_softmax_0 = −log1p(s) = μ ∈ (−ln 2, 0): s* = expm1(−μ)
        const v = -randomLog(fmt, rand, 2 ** -12, 0.69);
        const dir = rand() < 0.5 ? 1 : -1;
        xs = greedy(
          b,
          fmt,
          0,
          (s) =>
            withMu(v, dir, (mu) => {
              b.mpfr_neg(s, mu, RNDN);
              b.mpfr_expm1(s, s, RNDN);
            }),
          maxTerms,
        );
        note = `log_softmax_0 = −log1p(s) on the midpoint ${dir > 0 ? 'above' : 'below'} ${v}`;
        break;
      }
      case 'logsumexp': {
        // logsumexp = a + log1p(s) = μ: s* = expm1(μ − a), with a random max a
        const a = randomIn(fmt, rand, -8, 8);
        const v = roundNumber(fmt, a + 0.05 + 0.6 * rand());
        const dir = rand() < 0.5 ? 1 : -1;
        if (v === 0) return undefined;
        xs = greedy(
          b,
          fmt,
          a,
          (s) =>
            withMu(v, dir, (mu) => {
              b.mpfr_sub_d(s, mu, a, RNDN); // exact at 320 bits
              b.mpfr_expm1(s, s, RNDN);
            }),
          maxTerms,
        );
        note = `logsumexp = a + log1p(s) on a midpoint next to ${v}, a = ${a}`;
        break;
      }
      case 'cross_entropy': {
        // cross_entropy(x, 0) = log1p(s) = μ ∈ (0, ln 2) (x_0 = a is the max)
        const a = randomIn(fmt, rand, -4, 4);
        const v = randomLog(fmt, rand, 2 ** -12, 0.69);
        const dir = rand() < 0.5 ? 1 : -1;
        xs = greedy(b, fmt, a, (s) => withMu(v, dir, (mu) => b.mpfr_expm1(s, mu, RNDN)), maxTerms);
        label = 0;
        note = `cross_entropy(x, 0) = log1p(s) on the midpoint ${dir > 0 ? 'above' : 'below'} ${v}`;
        break;
      }
      case 'cross_entropy_grad': {
        // cross_entropy_grad(x, 0)_0 = −s/(1+s) = μ ∈ (−1/2, 0): s* = −μ/(1+μ)
        const v = -randomLog(fmt, rand, 2 ** -12, 0.45);
        const dir = rand() < 0.5 ? 1 : -1;
        xs = greedy(
          b,
          fmt,
          0,
          (s) =>
            withMu(v, dir, (mu) => {
              b.mpfr_add_ui(tmpV, mu, 1, RNDN);
              b.mpfr_div(s, mu, tmpV, RNDN);
              b.mpfr_neg(s, s, RNDN);
            }),
          maxTerms,
        );
        label = 0;
        note = `cross_entropy_grad(x, 0)_0 = −s/(1+s) on the midpoint ${dir > 0 ? 'above' : 'below'} ${v}`;
        break;
      }
    }
    if (!xs || xs.length < 2) return undefined;
    return {
      op,
      format: fmt.name,
      x: xs,
      label,
      index: 0,
      method: 'constructed',
      note: `${note}; logits chosen greedily`,
    };
  } finally {
    for (const v of [muV, tmpV]) {
      b.mpfr_clear(v);
      b.mpfr_t_free(v);
    }
  }
}

// ------------------------------------------------------------------ 2. exact midpoint + tiny

function ties(fmt: FormatSpec): Candidate[] {
  // B: large enough that e^-B ≪ 2^-20 ULP, small enough that MPFR resolves the distance
  // (≈ 1.44·B bits); some with an even and some with an odd last significand bit
  const bases: Record<FormatName, number[]> = {
    f64: [745.5, 1000, 3001.75],
    f32: [100.25, 1000, 4000.5],
    f16: [40, 1000, 3001],
    bf16: [100, 1000, 3008],
  };
  const out: Candidate[] = [];
  for (const B0 of bases[fmt.name]) {
    for (const B of [roundNumber(fmt, B0), nextUp(fmt, roundNumber(fmt, B0))]) {
      const q = ulpOf(fmt, B);
      const x = [q / 2, -B];
      const even = (B / q) % 2 === 0;
      const tte = even
        ? `ties-to-even would give ${B} (wrong)`
        : `ties-to-even would give ${B + q} (right by luck)`;
      out.push({
        op: 'log_softmax',
        format: fmt.name,
        x,
        label: undefined,
        index: 1,
        method: 'tie',
        note: `x_1 − x_0 = −(${B} + ${q}/2) is a midpoint; −log1p(e^(x_1 − x_0)) < 0 pushes it away from zero; ${tte.replace(/give /, 'give −')}`,
      });
      out.push({
        op: 'cross_entropy',
        format: fmt.name,
        x,
        label: 1,
        index: 0,
        method: 'tie',
        note: `x_0 − x_1 = ${B} + ${q}/2 is a midpoint; +log1p(e^(x_1 − x_0)) > 0 pushes it up; ${tte}`,
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ 3. searched

/** Binary64 evaluation of every op's elements on x (shifted, log1p: accurate to a few 2^-53). */
function doubleResults(
  x: number[],
  label: number,
): { op: Op; label: number | undefined; index: number; v: number }[] {
  const n = x.length;
  let k = 0;
  for (let i = 1; i < n; i++) if (x[i] > x[k]) k = i;
  const a = x[k];
  const t = x.map((v) => Math.exp(v - a));
  let s = 0;
  for (let i = 0; i < n; i++) if (i !== k) s += t[i];
  const L = Math.log1p(s);
  let r = 0;
  for (let i = 0; i < n; i++) if (i !== label) r += t[i];
  const out: { op: Op; label: number | undefined; index: number; v: number }[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ op: 'softmax', label: undefined, index: i, v: t[i] / (1 + s) });
    out.push({ op: 'log_softmax', label: undefined, index: i, v: x[i] - a - L });
    out.push({ op: 'cross_entropy_grad', label, index: i, v: i === label ? -r / (1 + s) : t[i] / (1 + s) });
  }
  out.push({ op: 'logsumexp', label: undefined, index: 0, v: a + L });
  out.push({ op: 'cross_entropy', label, index: 0, v: L - (x[label] - a) });
  return out;
}

/** |fractional position of v in its quantum − 1/2|, in ULPs (small: near a midpoint). */
function midpointScore(fmt: FormatSpec, v: number): number {
  if (!Number.isFinite(v) || v === 0) return 1;
  const q = ulpOf(fmt, roundNumber(fmt, v));
  const t = Math.abs(v) / q; // exact: scaling by a power of two
  return Math.abs(t - Math.floor(t) - 0.5);
}

function* searched(fmt: FormatSpec, rand: () => number, count: number): Generator<Candidate> {
  const under = -Math.log(fmt.minSubnormal) + 2;
  for (let c = 0; c < count; c++) {
    const n = rand() < 0.7 ? 2 : 3;
    const centre = rand() < 0.5 ? 0 : roundNumber(fmt, (rand() - 0.5) * 40);
    const x = [centre];
    for (let i = 1; i < n; i++) {
      const d = rand() < 0.5 ? rand() * 20 : rand() * under;
      x.push(roundNumber(fmt, centre - d));
    }
    if (rand() < 0.5) x.reverse();
    const label = Math.floor(rand() * n);
    for (const r of doubleResults(x, label)) {
      if (midpointScore(fmt, r.v) < 2 ** -19) {
        yield {
          op: r.op,
          format: fmt.name,
          x,
          label: r.label,
          index: r.index,
          method: 'searched',
          note: 'random search scored in binary64',
        };
      }
    }
  }
}

/** f64 softmax results next to the subnormal midpoints (k + 1/2)·2^-1074. */
function subnormalF64(): Candidate[] {
  const out: Candidate[] = [];
  for (const k of [0, 1, 2, 7, 100, 4097]) {
    // b ≈ ln((k + 1/2)·2^-1074); its own rounding error (≤ 2^-44) moves e^b by (k + 1/2)·2^-44 quanta
    const bb = Math.log(k + 0.5) - 1074 * Math.LN2;
    out.push({
      op: 'softmax',
      format: 'f64',
      x: [0, bb],
      label: undefined,
      index: 1,
      method: 'subnormal',
      note: `softmax_1 = e^b/(1+e^b) next to the subnormal midpoint (${k} + 1/2)·2^-1074`,
    });
    out.push({
      op: 'cross_entropy_grad',
      format: 'f64',
      x: [0, bb],
      label: 0,
      index: 1,
      method: 'subnormal',
      note: `cross_entropy_grad(x, 0)_1 = softmax_1 next to the subnormal midpoint (${k} + 1/2)·2^-1074`,
    });
  }
  return out;
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const b = await getMpfr();
  const ref: MpfrReference = await getMpfrReference();
  const rand = rng(SEED);
  const fixtures: FixtureOut[] = [];
  const seen = new Set<string>();

  const accept = (c: Candidate): boolean => {
    const key = `${c.op}/${c.format}/${c.x.join(',')}/${c.label}/${c.index}`;
    if (seen.has(key)) return false;
    let d;
    try {
      d = ref.midpointDistance(c.op, c.format, c.x, c.label, c.index);
    } catch {
      return false;
    }
    if (!(d.log2 < -20)) return false;
    seen.add(key);
    const expected = ref.evaluate(c.op, c.format, c.x, c.label).values;
    fixtures.push({
      op: c.op,
      format: c.format,
      x: encodeVector(c.x),
      label: c.label ?? null,
      index: c.index,
      expected: encodeVector(expected),
      midpoint: d.midpoint,
      distanceUlps: d.ulps,
      log2Distance: Math.round(d.log2 * 100) / 100,
      method: c.method,
      note: c.note,
    });
    return true;
  };

  for (const format of FORMAT_NAMES) {
    const fmt = FORMATS[format];
    const perOp = new Map<Op, number>();
    const bump = (op: Op) => perOp.set(op, (perOp.get(op) ?? 0) + 1);

    // 1. constructed: 3 per op
    for (const op of ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'] as Op[]) {
      let got = 0;
      for (let attempt = 0; attempt < 40 && got < 3; attempt++) {
        const c = constructed(b, fmt, op, rand);
        if (c && accept(c)) {
          got++;
          bump(op);
        }
      }
    }
    // 2. ties
    for (const c of ties(fmt)) if (accept(c)) bump(c.op);
    // 3. searched: up to 2 per op
    if (format === 'f64') {
      for (const c of subnormalF64()) if (accept(c)) bump(c.op);
    } else {
      const found = new Map<Op, number>();
      for (const c of searched(fmt, rand, SEARCH_CANDIDATES)) {
        if ((found.get(c.op) ?? 0) >= 2) continue;
        if (accept(c)) {
          found.set(c.op, (found.get(c.op) ?? 0) + 1);
          bump(c.op);
        }
        if (found.size === 5 && [...found.values()].every((v) => v >= 2)) break;
      }
    }
    process.stderr.write(`${format}: ${[...perOp].map(([op, n]) => `${op} ${n}`).join(', ')}\n`);
  }

  const out = {
    schema: 'logitfuzz/midpoint-fixtures@1',
    generator: 'scripts/gen-midpoint-fixtures.ts',
    seed: SEED,
    searchCandidates: SEARCH_CANDIDATES,
    description:
      'Inputs whose exact result lies within 2^-20 ULP of a rounding midpoint of the format (relative to the gap between the two format values the midpoint separates). expected: the correctly rounded result (every element), by MPFR; index: the hard element; midpoint: the nearest midpoint (exact decimal); distanceUlps: (exact − midpoint)/gap, 6 digits; log2Distance: log2 |distanceUlps|.',
    fixtures,
  };
  // one fixture per line: readable, and diffs stay small when the generator changes
  const { fixtures: list, ...head } = out;
  const headText = JSON.stringify(head, null, 1).replace(/\n}$/, '');
  const text = `${headText},\n "fixtures": [\n${list.map((f) => `  ${JSON.stringify(f)}`).join(',\n')}\n ]\n}\n`;
  JSON.parse(text); // well-formed
  writeFileSync(new URL('../../../test/fixtures/midpoint-hard.json', import.meta.url), text);
  process.stderr.write(`wrote ${fixtures.length} fixtures\n`);
}

await main();
