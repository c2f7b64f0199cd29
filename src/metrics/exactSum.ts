import { decompose } from '../formats/exact.js';
import { pow2 } from '../formats/pow2.js';

/** An exact dyadic rational mant·2^exp. */
export interface Dyadic {
  readonly mant: bigint;
  readonly exp: number;
}

function toDyadic(v: number): Dyadic {
  if (!Number.isFinite(v)) throw new RangeError(`exactSum: ${v} has no exact value`);
  if (v === 0) return { mant: 0n, exp: 0 };
  const { sign, mantissa, exponent } = decompose(v);
  return { mant: sign < 0 ? -mantissa : mantissa, exp: exponent };
}

/**
 * The exact sum of finite binary64 values (so of values of any of the four formats), as a dyadic
 * rational: every value is M·2^E with E ≥ −1074, so all of them scale exactly onto the smallest
 * exponent present and add as bigints. No rounding at all (unlike a Neumaier sum, which is only
 * accurate to a few ULPs of the total when terms cancel).
 *
 * Special cases: the empty sum is 0; a non-finite value throws a RangeError (callers judge NaN
 * and ±Inf elements before summing).
 */
export function exactSum(values: ArrayLike<number>): Dyadic {
  const parts: Dyadic[] = [];
  let e = Infinity;
  for (let i = 0; i < values.length; i++) {
    const d = toDyadic(values[i]);
    if (d.mant === 0n) continue;
    parts.push(d);
    if (d.exp < e) e = d.exp;
  }
  if (parts.length === 0) return { mant: 0n, exp: 0 };
  let m = 0n;
  for (const d of parts) m += d.mant << BigInt(d.exp - e);
  return { mant: m, exp: e };
}

/** a − b exactly. */
function subtractDyadic(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.exp, b.exp);
  return { mant: (a.mant << BigInt(a.exp - e)) - (b.mant << BigInt(b.exp - e)), exp: e };
}

/** |d| > bound, decided exactly (bound a finite binary64 value ≥ 0). */
export function exceedsBound(d: Dyadic, bound: number): boolean {
  const b = toDyadic(bound);
  const e = Math.min(d.exp, b.exp);
  const mag = d.mant < 0n ? -d.mant : d.mant;
  return mag << BigInt(d.exp - e) > b.mant << BigInt(b.exp - e);
}

/** Σ values − 1, exactly: the `sum` check of softmax outputs. */
export function sumMinusOne(values: ArrayLike<number>): Dyadic {
  return subtractDyadic(exactSum(values), { mant: 1n, exp: 0 });
}

/**
 * A dyadic as the nearest-ish binary64 value, for messages and statistics (the mantissa is
 * truncated to 62 bits before scaling, so it can be off in the last bits; comparisons use
 * `exceedsBound`, which is exact).
 */
export function dyadicToNumber(d: Dyadic): number {
  if (d.mant === 0n) return 0;
  const neg = d.mant < 0n;
  let m = neg ? -d.mant : d.mant;
  let e = d.exp;
  const len = m.toString(2).length;
  if (len > 62) {
    m >>= BigInt(len - 62);
    e += len - 62;
  }
  // Number(m) ≤ 2^62 is exact; the exponent is applied in two halves so that neither factor
  // overflows or underflows on its own
  const h = Math.trunc(e / 2);
  const mag = Number(m) * pow2Clamped(h) * pow2Clamped(e - h);
  return neg ? -mag : mag;
}

function pow2Clamped(k: number): number {
  if (k > 1023) return Infinity;
  if (k < -1074) return 0;
  return pow2(k);
}
