import type { Decimal } from 'decimal.js';
import { exact, type Arith, type Interval } from './interval.js';
import { pow2i } from './pow2i.js';
import { fixedExp, type FixedBase } from './fixedExp.js';

/**
 * What every element of a row shares, for the oracle's escalation (oracle.ts): the max m at its
 * first index k*, and the sum s = Σ_{j≠k*} e^(x_j − m) enclosed at a requested precision.
 *
 * The row is summarised once (`summarizeRow`): its finite logits sorted and counted, so that a
 * row of 10^6 equal logits, or of 17 distinct values repeated, costs O(distinct values)
 * multiprecision work per precision level rather than O(n): each distinct value v below m is
 * exponentiated once and weighted by its count c_v, and the logits equal to m contribute their
 * count minus one (k*) exactly.
 *
 * The sum (`sharedSum`, its fixed-point part `fixedSum`) is enclosed in binary fixed point
 * (fixedExp.ts): each term 2^k·[lo, lo + width]·2^−W is shifted to one common scale 2^−G (the
 * largest term's, with W bits), its lower end truncated, multiplied by its count and added exactly
 * (BigInt); the upper end is that sum plus every term's width and truncation, counted apart in
 * binary64 (small integers). The two sums are then divided by 2^G in decimal.js at the level's
 * digits, rounded down and up. With 48 guard bits beyond the level's digits, 10^6 terms' roundings
 * (each at most a few hundred units of 2^−G, against a sum of at least 2^W of them) stay 2^19
 * times below the level's last digit. Terms far below the
 * largest one (under one unit of 2^−G) are not exponentiated but bounded by one unit each; terms
 * below the cut e^(−T) are counted in `cut` for the caller to bound.
 */

/** A row's finite logits, summarised. */
export interface RowSummary {
  /** The largest finite logit. */
  readonly max: number;
  /** Logits equal to the max (k* included). */
  readonly atMax: number;
  /** The distinct finite logits below the max, in decreasing order. */
  readonly values: Float64Array;
  /** How many logits equal each of `values`. */
  readonly counts: Float64Array;
}

/**
 * Sorts and counts the finite logits of `x` (at least one). ±0 count as one value: every
 * quantity the oracle derives from a logit depends only on its numeric value.
 */
export function summarizeRow(x: ArrayLike<number>): RowSummary {
  let finite = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== -Infinity) finite++;
  const sorted = new Float64Array(finite);
  let f = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== -Infinity) sorted[f++] = x[i];
  sorted.sort(); // numeric, ascending (−0 before +0)
  const max = sorted[finite - 1];
  let atMax = 0;
  let i = finite - 1;
  while (i >= 0 && sorted[i] === max) {
    atMax++;
    i--;
  }
  const values: number[] = [];
  const counts: number[] = [];
  while (i >= 0) {
    const v = sorted[i];
    let c = 0;
    while (i >= 0 && sorted[i] === v) {
      c++;
      i--;
    }
    values.push(v);
    counts.push(c);
  }
  return { max, atMax, values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

/** Extra bits of the fixed point beyond the level's digits: room for n ≤ 2^40 terms' roundings. */
const GUARD_BITS = 48;

/** Fractional bits of the fixed point for a level of `digits` decimal digits. */
export function fixedBits(digits: number): number {
  return Math.ceil(digits * Math.log2(10)) + GUARD_BITS;
}

/** 2^e as an exact Decimal (e ≥ 0), cached (a row's terms share a few scales). */
const pow2Cache = new Map<number, Decimal>();
/** Entries kept at most: the scales depend on the rows, so a long campaign would grow the cache. */
const POW2_CACHE_MAX = 1024;
function pow2Decimal(a: Arith, e: number): Decimal {
  let p = pow2Cache.get(e);
  if (!p) {
    if (pow2Cache.size >= POW2_CACHE_MAX) pow2Cache.clear();
    p = new a.F((1n << BigInt(e)).toString());
    pow2Cache.set(e, p);
  }
  return p;
}

/** Encloses e^(v − m) at the level's digits: the fixed-point enclosure divided by 2^(W − k), rounded outwards. */
export function termInterval(a: Arith, base: FixedBase, v: number): Interval {
  const t = fixedExp(base, v);
  if (t.width === 0) return exact(new a.F(1)); // v = m: e^0 = 1 exactly
  return toDecimal(a, t.lo, t.lo + BigInt(t.width), base.W - t.k);
}

/** [lo, hi]·2^−e in decimal.js at the level's digits, rounded outwards (exact when they are). */
function toDecimal(a: Arith, lo: bigint, hi: bigint, e: number): Interval {
  if (e <= 0) {
    const f = 1n << BigInt(-e);
    return { lo: new a.F((lo * f).toString()), hi: new a.C((hi * f).toString()) };
  }
  const p = pow2Decimal(a, e);
  return { lo: a.F.div(lo.toString(), p), hi: a.C.div(hi.toString(), p) };
}

/** The enclosure of s, and what it cost. */
export interface SharedSum {
  /** s without the cut terms (the caller adds their bound). */
  readonly s: Interval;
  /**
   * Logits with x_j − m < −T, left out of `s`: each term is below e^(−T), which the caller
   * bounds (the binary64 difference at or below −T − 1 proves it).
   */
  readonly cut: number;
  /** Terms exponentiated in fixed point (distinct values). */
  readonly exponentials: number;
}

/**
 * Encloses s = Σ_{j≠k*} e^(x_j − m) over the logits of `row` with x_j − m ≥ −T (the others are
 * the caller's cut terms), at the digits of `a`. `base` is `fixedBase(row.max, W)`.
 */
export function sharedSum(a: Arith, row: RowSummary, base: FixedBase, T: number): SharedSum {
  const f = fixedSum(row, base, T);
  const s = f.G < 0 ? { lo: new a.F(0), hi: new a.C(0) } : toDecimal(a, f.lo, f.hi, f.G);
  return { s, cut: f.cut, exponentials: f.exponentials };
}

/** s in fixed point: lo·2^−G ≤ s ≤ hi·2^−G (G = −1 and lo = hi = 0 when every term is cut). */
export interface FixedSum {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly G: number;
  readonly cut: number;
  readonly exponentials: number;
}

/** The fixed-point part of `sharedSum` (see there), apart for its tests. */
export function fixedSum(row: RowSummary, base: FixedBase, T: number): FixedSum {
  const { W } = base;
  const { max, values, counts } = row;
  // values[i] − max rounded to binary64 is within an ulp of the exact difference (or −∞ when that
  // overflows), and decreasing in i: at or below −T − 1 the exact difference is below −T
  let live = 0;
  while (live < values.length && values[live] - max > -T - 1) live++;
  let cut = 0;
  for (let i = live; i < values.length; i++) cut += counts[i];
  // the largest term: 1 when the max is tied, else e^(values[0] − max); its scale 2^k fixes the
  // common scale 2^−G, so that it has W + 1 bits there (every other term is smaller)
  let kTop = 0;
  if (row.atMax < 2) {
    if (live === 0) return { lo: 0n, hi: 0n, G: -1, cut, exponentials: 0 };
    kTop = fixedExp(base, values[0]).k;
  }
  const G = W - kTop;
  let lo = BigInt(row.atMax - 1) << BigInt(G);
  // hi = lo + extra: the terms' widths and roundings after the shift, counted in binary64 (exact
  // below 2^53; flushed into `extraBig` before it gets near)
  let extra = 0;
  let extraBig = 0n;
  let exponentials = 0;
  for (let i = 0; i < live; i++) {
    const c = counts[i];
    // e^d = 2^(d/ln 2) ≤ 2^kEst, with a margin of two for the roundings of d and of d/ln 2
    const kEst = Math.floor((values[i] - max) / Math.LN2) + 2;
    if (kEst + G < 0) {
      // at most one unit of 2^−G each: bounded, not computed (0 < term ≤ 2^kEst ≤ 2^−G)
      extra += c;
    } else {
      const t = fixedExp(base, values[i]);
      exponentials++;
      const sh = t.k + G - W;
      let term: bigint;
      if (sh >= 0) {
        // exact: [lo, lo + width]·2^sh
        term = t.lo << BigInt(sh);
        extraBig += BigInt(c * t.width) << BigInt(sh);
      } else {
        // ⌊lo/2^s⌋ below, and (lo + width)/2^s ≤ ⌊lo/2^s⌋ + 1 + ⌈width/2^s⌉ above
        const s = -sh;
        term = t.lo >> BigInt(s);
        extra += c * (1 + (s >= 60 ? 1 : Math.ceil(t.width * pow2i(-s))));
      }
      lo += c === 1 ? term : term * BigInt(c);
    }
    if (extra >= 2 ** 50) {
      extraBig += BigInt(extra);
      extra = 0;
    }
  }
  const hi = lo + extraBig + BigInt(extra);
  return { lo, hi, G, cut, exponentials };
}
