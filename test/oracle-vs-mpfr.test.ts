/**
 * Bit-exact cross-check of the oracle (src/oracle) against an independent MPFR reference
 * (test/mpfr/reference.ts, gmp-wasm): every format × op pair on thousands of random and extreme
 * logit vectors, long rows (10^4 to 10^5 logits: the fast path alone, the escalation forced on
 * some of their elements or on all, and rows built so that an element lies within 2^−110 to
 * 2^−150 of a rounding midpoint, test/mpfr/hardRow.ts, which the fast path cannot decide), the
 * midpoint-hard fixtures of test/fixtures/midpoint-hard.json, and a self-consistency check of the
 * reference itself.
 *
 * Long rows at other lengths: LOGITFUZZ_MPFR_LONG=N sets the length of the random long rows
 * (default 10^5) and runs every op on them; e.g. 10^6, about ten minutes on one core:
 *   LOGITFUZZ_MPFR_LONG=1000000 npx vitest run test/oracle-vs-mpfr.test.ts -t 'long rows'
 *
 * Equality is Object.is except that any NaN equals any NaN: ±0 must agree in sign, and no test
 * tolerates one ULP. The oracle must also report no `undetermined` element.
 *
 * The input families are written here, not taken from src/generators, so that the check does not
 * move when the fuzzer's generators do. Seeds are fixed; a failure prints the (shrunk) input, and
 * `seed`/`path` in the fast-check report replay it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  EXP_THRESHOLDS,
  FORMATS,
  fromBits,
  nextDown,
  nextUp,
  roundNumber,
  toBits,
  type FormatSpec,
} from '../src/formats/index.js';
import { FORMAT_NAMES, type FormatName } from '../src/vocabulary/FormatName.js';
import { decodeNumber, decodeVector } from '../src/formats/jsonNumber.js';
import { oracle, oracleCounters, resetOracleCounters, type OracleResult } from '../src/oracle/index.js';
import { oracleEscalating } from '../src/oracle/oracle.js';
import { OPS, needsLabel, type Op } from '../src/vocabulary/Op.js';
import { hardRow } from './mpfr/hardRow.js';
import { getMpfrReference, type MpfrReference } from './mpfr/reference.js';
import { getMpfr } from './mpfr/rounding.js';

let ref: MpfrReference;
beforeAll(async () => {
  ref = await getMpfrReference();
});

/** Object.is, except that every NaN equals every NaN. */
function same(a: number, b: number): boolean {
  return (a !== a && b !== b) || Object.is(a, b);
}

function show(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function hex(fmt: FormatSpec, v: number): string {
  return v !== v ? 'NaN' : `0x${toBits(fmt, v).toString(16)}`;
}

/**
 * Compares the oracle with the reference on one input; throws an Error naming the input, the
 * element and both values (bits included) at the first difference. `got` are the oracle's
 * results to check (default: `oracle`'s), each against the one reference evaluation.
 */
function crossCheck(
  op: Op,
  fmt: FormatSpec,
  x: readonly number[],
  label: number | undefined,
  got: readonly OracleResult[] = [oracle(op, fmt.name, x, label)],
): void {
  const want = ref.evaluate(op, fmt.name, x, label).values;
  const shown =
    x.length > 64 ? `${x.slice(0, 8).map(show).join(', ')}, … (${x.length} logits)` : x.map(show).join(', ');
  const where = `${op}/${fmt.name} x=[${shown}]${label === undefined ? '' : ` label=${label}`}`;
  for (const g of got) {
    if (g.undetermined.length > 0)
      throw new Error(`oracle left [${g.undetermined.join(', ')}] undetermined: ${where}`);
    if (g.values.length !== want.length)
      throw new Error(`length ${g.values.length} ≠ ${want.length}: ${where}`);
    for (let i = 0; i < want.length; i++) {
      if (!same(g.values[i], want[i])) {
        throw new Error(
          `element ${i}: oracle ${show(g.values[i])} (${hex(fmt, g.values[i])}) ≠ MPFR ${show(want[i])} (${hex(fmt, want[i])}): ${where}`,
        );
      }
    }
  }
}

// ------------------------------------------------------------------------------ input families

/** Steps `v` by `k` positions of the format (towards +Inf for k > 0), stopping at ±maxFinite. */
function step(fmt: FormatSpec, v: number, k: number): number {
  let r = v;
  for (let i = 0; i < Math.abs(k); i++) {
    const s = k > 0 ? nextUp(fmt, r) : nextDown(fmt, r);
    if (!Number.isFinite(s)) break;
    r = s;
  }
  return r;
}

/** Finite values uniform over the format's bit patterns. */
function anyValue(fmt: FormatSpec): fc.Arbitrary<number> {
  if (fmt.name === 'f64') return fc.double({ noNaN: true, noDefaultInfinity: true });
  if (fmt.name === 'f32') return fc.float({ noNaN: true, noDefaultInfinity: true });
  return fc
    .integer({ min: 0, max: 2 ** fmt.bits - 1 })
    .map((b) => fromBits(fmt, b))
    .filter((v) => Number.isFinite(v));
}

/** Values of the format in [−r, r]: half log-uniform (fc.double's index order), half linear. */
function moderate(fmt: FormatSpec, r: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.double({ min: -r, max: r, noNaN: true }).map((v) => roundNumber(fmt, v)),
    fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((i) => roundNumber(fmt, (i / 2 ** 30) * r)),
  );
}

/** The range where softmax is not trivially 0 or 1: a little past the exp-underflow threshold. */
function span(fmt: FormatSpec): number {
  return -EXP_THRESHOLDS[fmt.name].underflow * 1.1;
}

function positiveSubnormal(fmt: FormatSpec): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: 2 ** fmt.fractionBits - 1 }).map((m) => fromBits(fmt, m));
}

/** Element-level mixture used by the "mixed" family. */
function element(fmt: FormatSpec): fc.Arbitrary<number> {
  const M = fmt.maxFinite;
  return fc.oneof(
    { arbitrary: moderate(fmt, span(fmt)), weight: 4 },
    { arbitrary: anyValue(fmt), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        0,
        -0,
        M,
        -M,
        nextDown(fmt, M),
        -nextDown(fmt, M),
        fmt.minSubnormal,
        -fmt.minSubnormal,
        1,
        -1,
      ),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(fc.boolean(), positiveSubnormal(fmt)).map(([neg, v]) => (neg ? -v : v)),
      weight: 1,
    },
  );
}

const smallLength = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 },
  { arbitrary: fc.integer({ min: 5, max: 16 }), weight: 3 },
  { arbitrary: fc.integer({ min: 17, max: 64 }), weight: 1 },
);

/**
 * Logit vectors of the format: random and extreme families (see the list in the describe block
 * below). Lengths 1..64, mostly short; long vectors are checked separately.
 */
function vectors(fmt: FormatSpec, length: fc.Arbitrary<number> = smallLength): fc.Arbitrary<number[]> {
  const M = fmt.maxFinite;
  const th = EXP_THRESHOLDS[fmt.name];
  const arr = (el: fc.Arbitrary<number>) => length.chain((n) => fc.array(el, { minLength: n, maxLength: n }));
  const sp = span(fmt);

  // uniform over bit patterns: mostly huge magnitudes and spreads
  const bits = arr(anyValue(fmt));
  // the typical regime: logits within the non-trivial span, around a random centre
  const typical = fc
    .tuple(moderate(fmt, Math.min(M / 4, 1e4)), length)
    .chain(([c, n]) =>
      fc
        .array(moderate(fmt, sp), { minLength: n, maxLength: n })
        .map((xs) => xs.map((v) => roundNumber(fmt, c + v))),
    );
  // differences near the exp thresholds (± a few ULPs), from a base of 0 or a random centre
  const thresholdValue = fc
    .tuple(
      fc.constantFrom(th.overflow, th.underflow, -th.overflow, -th.underflow),
      fc.integer({ min: -4, max: 4 }),
    )
    .map(([t, k]) => step(fmt, t, k));
  const nearThreshold = fc.tuple(fc.constantFrom(0, 1, -1, 0.5), length).chain(([c, n]) =>
    fc
      .array(fc.oneof(thresholdValue, moderate(fmt, 4)), {
        minLength: Math.max(1, n - 1),
        maxLength: Math.max(1, n - 1),
      })
      .map((xs) => [c, ...xs.map((v) => roundNumber(fmt, c + v))]),
  );
  // huge spreads: ±maxFinite and small values together (x_i − max down to −2·maxFinite)
  const hugeSpread = arr(
    fc.oneof(
      fc.constantFrom(M, -M, nextDown(fmt, M), -nextDown(fmt, M), M / 2, -M / 2, 0),
      moderate(fmt, sp),
    ),
  );
  // huge magnitudes: all near ±maxFinite/2^j, a few ULPs apart (differences are huge multiples)
  const hugeMagnitude = fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 8 }), length)
    .chain(([neg, j, n]) =>
      fc
        .array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n })
        .map((ks) => ks.map((k) => step(fmt, (neg ? -M : M) / 2 ** j, k - (j === 0 ? 3 : 0)))),
    );
  // near-ties: a base value and neighbours a few ULPs away (exact small differences)
  const nearTies = fc
    .tuple(fc.oneof(moderate(fmt, 100), anyValue(fmt)), length)
    .chain(([b, n]) =>
      fc
        .array(fc.integer({ min: -6, max: 6 }), { minLength: n, maxLength: n })
        .map((ks) => ks.map((k) => step(fmt, b, k))),
    );
  // all logits equal (results 1/n, −ln n, …)
  const equal = fc.tuple(element(fmt), length).map(([v, n]) => new Array<number>(n).fill(v));
  // subnormal logits and signed zeros
  const subnormal = arr(
    fc.oneof(
      fc.tuple(fc.boolean(), positiveSubnormal(fmt)).map(([neg, v]) => (neg ? -v : v)),
      fc.constantFrom(0, -0),
    ),
  );
  // [0, −k·ln 2, …] so that e^(x_i − max) sits at or next to powers of two
  const ln2Steps = fc.tuple(fc.constantFrom(0, 1, -3), length).chain(([c, n]) =>
    fc
      .array(
        fc.tuple(fc.integer({ min: 0, max: Math.ceil(sp / Math.LN2) }), fc.integer({ min: -2, max: 2 })),
        {
          minLength: Math.max(1, n - 1),
          maxLength: Math.max(1, n - 1),
        },
      )
      .map((ks) => [c, ...ks.map(([k, u]) => step(fmt, roundNumber(fmt, c - k * Math.LN2), u))]),
  );
  const mixed = arr(element(fmt));
  // logsumexp near 0, the one place an op cancels (max < 0 < log1p(s)): a typical vector shifted
  // by its binary64 LSE, and n equal logits next to −ln n
  const lseNearZero = fc.oneof(
    typical.map((xs) => {
      const m = Math.max(...xs);
      const l = m + Math.log(xs.reduce((acc, v) => acc + Math.exp(v - m), 0));
      return xs.map((v) => roundNumber(fmt, v - l));
    }),
    fc
      .tuple(fc.integer({ min: 2, max: 64 }), fc.integer({ min: -3, max: 3 }))
      .map(([n, k]) => new Array<number>(n).fill(step(fmt, roundNumber(fmt, -Math.log(n)), k))),
    // [−v, b] with e^b ≈ 1 − e^−v: LSE = log(e^−v + e^b) ≈ 0 within b's rounding error times v,
    // down to the subnormal range (v from the least subnormal up to 1)
    fc
      .tuple(
        fc.double({ min: fmt.minSubnormal, max: 1, noNaN: true }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
      )
      .map(([v0, k, copies]) => {
        const v = roundNumber(fmt, v0) || fmt.minSubnormal;
        const b = step(fmt, roundNumber(fmt, Math.log(-Math.expm1(-v) / copies)), k);
        return [-v, ...new Array<number>(copies).fill(b)];
      }),
  );
  return fc.oneof(
    { arbitrary: bits, weight: 2 },
    { arbitrary: typical, weight: 4 },
    { arbitrary: nearThreshold, weight: 2 },
    { arbitrary: hugeSpread, weight: 1 },
    { arbitrary: hugeMagnitude, weight: 1 },
    { arbitrary: nearTies, weight: 2 },
    { arbitrary: equal, weight: 1 },
    { arbitrary: subnormal, weight: 1 },
    { arbitrary: ln2Steps, weight: 2 },
    { arbitrary: mixed, weight: 2 },
    { arbitrary: lseNearZero, weight: 2 },
  );
}

/** A vector and, for the cross-entropy ops, a uniformly random label. */
function cases(
  fmt: FormatSpec,
  op: Op,
  length?: fc.Arbitrary<number>,
): fc.Arbitrary<{ x: number[]; label: number | undefined }> {
  return vectors(fmt, length).chain((x) =>
    needsLabel(op)
      ? fc.nat(x.length - 1).map((label) => ({ x, label }))
      : fc.constant({ x, label: undefined as number | undefined }),
  );
}

/** A fixed seed per pair, so that pairs do not share their random streams. */
function seedOf(op: Op, format: FormatName): number {
  let h = 0x2545f491;
  for (const c of `${op}/${format}`) h = Math.imul(h ^ c.charCodeAt(0), 0x9e3779b1) >>> 0;
  return h | 0;
}

// Runs per pair: sized so the whole file stays well under 2 minutes on one core (the oracle
// costs ~100–250 µs per element, the reference ~20–90 µs).
const RUNS = 1500;
const LONG_RUNS = 3;

describe('oracle vs MPFR, bit-exact, every format × op', () => {
  for (const format of FORMAT_NAMES) {
    const fmt = FORMATS[format];
    for (const op of OPS) {
      test(`${op}/${format}: ${RUNS} random and extreme vectors, lengths 1..64`, () => {
        fc.assert(
          fc.property(cases(fmt, op), ({ x, label }) => crossCheck(op, fmt, x, label)),
          { seed: seedOf(op, format), numRuns: RUNS },
        );
      });
    }
  }
});

describe('oracle vs MPFR on long vectors (65..1000)', () => {
  for (const format of FORMAT_NAMES) {
    const fmt = FORMATS[format];
    for (const op of OPS) {
      test(`${op}/${format}: ${LONG_RUNS} vectors`, () => {
        fc.assert(
          fc.property(cases(fmt, op, fc.integer({ min: 65, max: 1000 })), ({ x, label }) =>
            crossCheck(op, fmt, x, label),
          ),
          { seed: seedOf(op, format) ^ 0x5bd1e995, numRuns: LONG_RUNS },
        );
      });
    }
  }
});

/** The CLI example's row: n pseudo-random logits in [−10, 10), rounded into the format. */
function lcgRow(fmt: FormatSpec, n: number, seed: number): number[] {
  let s = seed;
  const x = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = roundNumber(fmt, (s / 2 ** 32) * 20 - 10);
  }
  return x;
}

/** Evenly spread output indices (and the label) to hand to the escalation. */
function spread(outLen: number, count: number, label: number | undefined): number[] {
  const out = Array.from({ length: Math.min(count, outLen) }, (_, i) => Math.floor((i * outLen) / count));
  if (label !== undefined) out.push(label);
  return out;
}

const LONG_N = Number(process.env.LOGITFUZZ_MPFR_LONG ?? 100_000);
const LONG_OPS: readonly Op[] = process.env.LOGITFUZZ_MPFR_LONG ? OPS : ['softmax'];

describe('oracle vs MPFR on long rows', () => {
  test(`a ${LONG_N}-logit f64 row: fast path, and the escalation forced on 24 elements`, () => {
    const fmt = FORMATS.f64;
    const x = lcgRow(fmt, LONG_N, 12345);
    for (const op of LONG_OPS) {
      const label = needsLabel(op) ? 17 : undefined;
      resetOracleCounters();
      const fast = oracle(op, 'f64', x, label);
      // the fast path decides every element of such a row
      expect(oracleCounters.slowElements, op).toBe(0);
      const forced = oracleEscalating(op, 'f64', x, label, spread(fast.values.length, 24, label));
      expect(oracleCounters.sharedSums, op).toBeGreaterThan(0);
      crossCheck(op, fmt, x, label, [fast, forced]);
    }
  });

  test('a 10^4-logit f32 row with the fast path off: every element through the escalation', () => {
    const fmt = FORMATS.f32;
    const x = lcgRow(fmt, 10_000, 777);
    resetOracleCounters();
    const got = oracle('cross_entropy_grad', 'f32', x, 4321, { fastPath: false });
    expect(oracleCounters.directSlowElements).toBe(x.length);
    crossCheck('cross_entropy_grad', fmt, x, 4321, [got]);
  });

  // rows of 10^4 padding logits and a few more placed so that element 0 lies within 2^−110 (f32)
  // or 2^−150 (f64) of a midpoint: beyond the fast path (about 2^−98), and for f64 beyond the
  // first escalation level (40 digits) too. log_softmax at 0 is −L, logsumexp L, cross_entropy
  // with label 0 L; the gradient at 0 with label 1 is softmax_0.
  const hard: [FormatName, 'L' | 'softmax', number, [Op, number | undefined][]][] = [
    [
      'f64',
      'L',
      150,
      [
        ['log_softmax', undefined],
        ['logsumexp', undefined],
      ],
    ],
    ['f64', 'softmax', 150, [['softmax', undefined]]],
    ['f32', 'L', 110, [['cross_entropy', 0]]],
    ['f32', 'softmax', 110, [['cross_entropy_grad', 1]]],
  ];
  test.each(hard)(
    '%s: a row whose %s element sits within 2^-%i of a midpoint',
    async (format, target, bits, ops) => {
      const fmt = FORMATS[format];
      const row = hardRow(await getMpfr(), fmt.precision, 10_000, 4242, target, bits);
      expect(row.log2Distance).toBeLessThan(-bits);
      for (const [op, label] of ops) {
        resetOracleCounters();
        const got = oracle(op, format, row.x, label);
        // the fast path hands element 0 over, and the shared sum is enclosed again
        expect(oracleCounters.slowElements, op).toBeGreaterThan(0);
        expect(oracleCounters.sharedSums, op).toBeGreaterThan(0);
        crossCheck(op, fmt, row.x, label, [got]);
      }
    },
  );
});

interface Fixture {
  op: Op;
  format: FormatName;
  x: unknown;
  label: number | null;
  index: number;
  expected: unknown;
  distanceUlps: string;
  log2Distance: number;
  note: string;
}

const fixtureFile = JSON.parse(
  readFileSync(new URL('./fixtures/midpoint-hard.json', import.meta.url), 'utf8'),
) as {
  fixtures: Fixture[];
};

describe('midpoint-hard fixtures (test/fixtures/midpoint-hard.json)', () => {
  const fixtures = fixtureFile.fixtures;

  test('at least 10 fixtures per format, several ops each, all within 2^-20 ULP of a midpoint', () => {
    for (const format of FORMAT_NAMES) {
      const mine = fixtures.filter((f) => f.format === format);
      expect(mine.length, format).toBeGreaterThanOrEqual(10);
      expect(new Set(mine.map((f) => f.op)).size, format).toBeGreaterThanOrEqual(3);
    }
    for (const f of fixtures) expect(f.log2Distance, `${f.op}/${f.format} ${f.note}`).toBeLessThan(-20);
  });

  test.each(fixtures.map((f, i) => [i, f] as const))('fixture %i is bit-exact in the oracle', (_i, f) => {
    const x = Array.from(decodeVector(f.x));
    const label = f.label ?? undefined;
    const expected = decodeVector(f.expected);
    const got = oracle(f.op, f.format, x, label);
    const where = `${f.op}/${f.format} x=[${x.map(show).join(', ')}] label=${label} (${f.note})`;
    expect(got.undetermined, where).toEqual([]);
    expect(got.values.length, where).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      expect(
        same(got.values[i], expected[i]),
        `element ${i}: oracle ${show(got.values[i])} vs fixture ${show(expected[i])}: ${where}`,
      ).toBe(true);
    }
  });

  test('the reference still reproduces every fixture', () => {
    for (const f of fixtures) {
      const x = Array.from(decodeVector(f.x));
      const label = f.label ?? undefined;
      const want = decodeVector(f.expected);
      const got = ref.evaluate(f.op, f.format, x, label).values;
      for (let i = 0; i < want.length; i++)
        expect(same(got[i], want[i]), `${f.op}/${f.format} ${f.note} [${i}]`).toBe(true);
      expect(decodeNumber(want[f.index])).toBe(want[f.index]);
    }
  });
});

describe('the MPFR reference on cases with known answers', () => {
  test('e^x at the exp thresholds of src/formats: finite / +Inf and nonzero / +0 on either side', () => {
    // checks its rounding into each format at both ends of the range (overflow to +Inf, gradual
    // underflow to +0): the thresholds are derived independently (decimal.js) in src/formats
    for (const format of FORMAT_NAMES) {
      const fmt = FORMATS[format];
      const th = EXP_THRESHOLDS[format];
      expect(ref.expInFormat(format, th.overflow), format).toBeLessThanOrEqual(fmt.maxFinite);
      expect(ref.expInFormat(format, nextUp(fmt, th.overflow)), format).toBe(Infinity);
      expect(ref.expInFormat(format, th.underflow), format).toBeGreaterThanOrEqual(fmt.minSubnormal);
      expect(Object.is(ref.expInFormat(format, nextDown(fmt, th.underflow)), 0), format).toBe(true);
    }
  });

  test('ties decided by a tiny term, and the sign of zero', () => {
    const ev = (op: Op, format: FormatName, x: number[], label?: number) =>
      Array.from(ref.evaluate(op, format, x, label).values);
    // −(2^53 + 1) − log1p(e^(−2^53−1)): just past the midpoint between −2^53 and −2^53 − 2
    expect(ev('log_softmax', 'f64', [1, -(2 ** 53)])).toEqual([-0, -(2 ** 53) - 2]);
    // f16: −1000.25 − log1p(e^−1000.25) → −1000.5 (ties-to-even would give −1000)
    expect(ev('log_softmax', 'f16', [0.25, -1000])).toEqual([-0, -1000.5]);
    expect(ev('cross_entropy', 'f16', [0.25, -1000], 1)).toEqual([1000.5]);
    // exact zeros are +0; nonzero results that round to zero keep their sign
    expect(Object.is(ev('log_softmax', 'f64', [-0])[0], 0)).toBe(true);
    expect(Object.is(ev('logsumexp', 'f64', [-0])[0], 0)).toBe(true);
    expect(Object.is(ev('cross_entropy_grad', 'f64', [0, -800], 0)[0], -0)).toBe(true);
  });
});

describe('the MPFR reference is self-consistent', () => {
  // Its enclosures are proven, so starting at 4× the precision must not change any value: this
  // catches a wrong rounding direction or strictness flag that happens to decide at low precision.
  test('default start precision and 4× start precision agree', () => {
    for (const format of FORMAT_NAMES) {
      const fmt = FORMATS[format];
      for (const op of OPS) {
        fc.assert(
          fc.property(cases(fmt, op, fc.integer({ min: 1, max: 8 })), ({ x, label }) => {
            const a = ref.evaluate(op, format, x, label).values;
            const b = ref.evaluate(op, format, x, label, { startPrecision: 4 * (fmt.precision + 48) }).values;
            for (let i = 0; i < a.length; i++)
              if (!same(a[i], b[i]))
                throw new Error(
                  `${op}/${format} [${x.map(show)}] ${label} [${i}]: ${show(a[i])} vs ${show(b[i])}`,
                );
          }),
          { seed: seedOf(op, format) ^ 0x1234567, numRuns: 40 },
        );
      }
    }
  });
});
