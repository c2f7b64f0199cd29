import { roundNumber } from '../../formats/roundNumber.js';
import { EXP_THRESHOLDS } from '../../formats/thresholds.js';
import type { FormatSpec } from '../../formats/types.js';
import { needsLabel, type Op } from '../../vocabulary/Op.js';

/**
 * Random and extreme inputs for cross-checking the oracle's fast path against its slow path
 * (src/oracle/fastpath.test.ts, scripts/fuzz-oracle-fastpath.ts). Deterministic per seed; every
 * logit is a value of the format (or −Inf). Families:
 * - `benign`: a handful of logits in ±1, ±10, ±100;
 * - `wide`: spreads of 10^2 to 10^5 and the format's whole range;
 * - `underflowEdge`: non-max logits near max + the underflow threshold (results near the
 *   smallest subnormal, where the subnormal grid decides);
 * - `cutEdge`: logits around the fast path's cut threshold (E_cut·ln 2 below the max);
 * - `ties`: repeated maxima (and sometimes every logit equal: the exact case);
 * - `overflowEdge`: the max at ±maxFinite, so that x_j − max overflows binary64 in f64;
 * - `tiny`: subnormal, zero and −0 logits;
 * - `negInf`: −Inf entries mixed in;
 * - `cancel`: logsumexp's m + L near 0 (m < 0, L ≈ −m);
 * - `bits`: random bit patterns of the format (finite);
 * - `long`: n from 50 to 300 with a mix of the above.
 */

export const FAMILIES = [
  'benign',
  'wide',
  'underflowEdge',
  'cutEdge',
  'ties',
  'overflowEdge',
  'tiny',
  'negInf',
  'cancel',
  'bits',
  'long',
] as const;
export type Family = (typeof FAMILIES)[number];

export interface Case {
  readonly family: Family;
  readonly x: number[];
  readonly label: number | undefined;
}

/** A 32-bit xorshift generator returning doubles in [0, 1). */
export function rng(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** The format value nearest v, kept finite (±maxFinite instead of ±Inf). */
function fit(fmt: FormatSpec, v: number): number {
  const r = roundNumber(fmt, v);
  if (r === Infinity) return fmt.maxFinite;
  if (r === -Infinity) return -fmt.maxFinite;
  return r;
}

function randomBitsValue(fmt: FormatSpec, rand: () => number): number {
  // sign · (1 + f)·2^e over the whole exponent range, subnormals included
  const e = Math.floor(fmt.emin - fmt.precision + 1 + rand() * (fmt.emax - fmt.emin + fmt.precision));
  const v = (rand() < 0.5 ? -1 : 1) * (1 + rand()) * 2 ** Math.min(e, fmt.emax);
  return fit(fmt, v);
}

/** One case of a family for `op` in `fmt`. */
export function makeCase(fmt: FormatSpec, op: Op, family: Family, rand: () => number): Case {
  const { underflow } = EXP_THRESHOLDS[fmt.name];
  const small = 1 + Math.floor(rand() * 8);
  const x: number[] = [];
  const n = family === 'long' ? 50 + Math.floor(rand() * 250) : small;
  const uniform = (center: number, spread: number) => fit(fmt, center + (rand() - 0.5) * spread);
  switch (family) {
    case 'benign': {
      const s = [2, 20, 200][Math.floor(rand() * 3)];
      for (let i = 0; i < n; i++) x.push(uniform(0, s));
      break;
    }
    case 'wide': {
      const s = [1e2, 1e3, 1e4, 1e5, fmt.maxFinite][Math.floor(rand() * 5)];
      for (let i = 0; i < n; i++) x.push(uniform(0, s));
      break;
    }
    case 'underflowEdge': {
      const m = (rand() - 0.5) * 100;
      x.push(fit(fmt, m));
      for (let i = 1; i < n; i++) x.push(fit(fmt, m + underflow + (rand() - 0.5) * 6));
      break;
    }
    case 'cutEdge': {
      // E_cut = p − emin + 2 + ⌈log2(n + 1)⌉ + 100 as in fastpath.ts
      let lg = 0;
      while (2 ** lg < n + 1) lg++;
      const t = (fmt.precision - fmt.emin + 2 + lg + 100) * Math.LN2;
      const m = (rand() - 0.5) * 10;
      x.push(fit(fmt, m));
      for (let i = 1; i < n; i++) x.push(fit(fmt, m - t + (rand() - 0.5) * 4));
      break;
    }
    case 'ties': {
      const m = uniform(0, 50);
      const all = rand() < 0.25;
      for (let i = 0; i < n; i++) x.push(all || rand() < 0.5 ? m : Math.min(m, fit(fmt, m - rand() * 30)));
      break;
    }
    case 'overflowEdge': {
      const sign = rand() < 0.7 ? 1 : -1;
      x.push(sign * fmt.maxFinite);
      for (let i = 1; i < n; i++)
        x.push(rand() < 0.5 ? -fmt.maxFinite : uniform(0, [10, 1e10, fmt.maxFinite][Math.floor(rand() * 3)]));
      break;
    }
    case 'tiny': {
      for (let i = 0; i < n; i++) {
        const r = rand();
        x.push(r < 0.2 ? 0 : r < 0.3 ? -0 : fit(fmt, (rand() - 0.5) * fmt.minNormal * 4));
      }
      break;
    }
    case 'negInf': {
      for (let i = 0; i < n; i++) x.push(rand() < 0.3 ? -Infinity : uniform(0, 40));
      break;
    }
    case 'cancel': {
      // x = [a, b]: logsumexp = a + log1p(e^(b − a)), near 0 when a ≈ −log1p(e^(b − a)) < 0
      const delta = -rand() * 5;
      const a = fit(fmt, -Math.log1p(Math.exp(delta)) * (1 + (rand() - 0.5) * 2 ** -Math.floor(rand() * 30)));
      x.push(a, fit(fmt, a + delta));
      for (let i = 2; i < n; i++) x.push(fit(fmt, a - 200 - rand() * 100));
      break;
    }
    case 'bits': {
      for (let i = 0; i < n; i++) x.push(randomBitsValue(fmt, rand));
      break;
    }
    case 'long': {
      const m = uniform(0, 100);
      const spread = [10, 100, -underflow, -underflow * 1.5][Math.floor(rand() * 4)];
      for (let i = 0; i < n; i++) x.push(rand() < 0.05 ? m : fit(fmt, m - rand() * spread));
      break;
    }
  }
  const label = needsLabel(op) ? Math.floor(rand() * x.length) : undefined;
  return { family, x, label };
}

/** Shapes of the long rows of `makeLongCase`. */
export const LONG_SHAPES = ['random', 'patterned', 'wide', 'nearTies', 'equalPlusOne'] as const;
export type LongShape = (typeof LONG_SHAPES)[number];

/** A long row (`makeLongCase`): its shape, the logits and the label. */
export interface LongCase {
  readonly shape: LongShape;
  readonly x: Float64Array;
  readonly label: number | undefined;
}

/**
 * A long row of `n` logits (values of `fmt`) for the escalation's cross-checks
 * (scripts/fuzz-oracle-fastpath.ts): `random` uniform in ±10 around a random centre (the CLI's
 * example), `patterned` a few distinct values repeated (O(distinct) slow-path work), `wide`
 * uniform over a spread past the underflow threshold (terms cut and bounded), `nearTies` a base
 * and neighbours a few units apart (tiny exact differences), `equalPlusOne` equal logits but one.
 */
export function makeLongCase(
  fmt: FormatSpec,
  op: Op,
  shape: LongShape,
  n: number,
  rand: () => number,
): LongCase {
  const { underflow } = EXP_THRESHOLDS[fmt.name];
  const x = new Float64Array(n);
  const centre = fit(fmt, (rand() - 0.5) * 200);
  switch (shape) {
    case 'random':
      for (let i = 0; i < n; i++) x[i] = fit(fmt, centre + (rand() - 0.5) * 20);
      break;
    case 'patterned': {
      const pool = Array.from({ length: 2 + Math.floor(rand() * 30) }, () => fit(fmt, centre - rand() * 30));
      for (let i = 0; i < n; i++) x[i] = pool[Math.floor(rand() * pool.length)];
      break;
    }
    case 'wide':
      for (let i = 0; i < n; i++) x[i] = fit(fmt, centre + rand() * 1.5 * underflow);
      break;
    case 'nearTies': {
      // steps of a few units in the last place of the centre (its binary exponent e)
      const e = centre === 0 ? 0 : Math.floor(Math.log2(Math.abs(centre)));
      const unit = 2 ** (e - fmt.precision + 1);
      for (let i = 0; i < n; i++) x[i] = fit(fmt, centre + Math.floor(rand() * 13 - 6) * unit);
      break;
    }
    case 'equalPlusOne':
      x.fill(centre);
      x[Math.floor(rand() * n)] = fit(fmt, centre - rand() * 20);
      break;
  }
  const label = needsLabel(op) ? Math.floor(rand() * n) : undefined;
  return { shape, x, label };
}
