import { toBits, fromBits } from './bits.js';
import { pow2 } from './pow2.js';
import type { FloatClass, FormatSpec } from './types.js';

/**
 * The position of `x` in the ordered list of `fmt`'s values: +0 and −0 share position 0,
 * positive values count up from 1 (the smallest subnormal) to +Inf, negative values down.
 * Adjacent values differ by exactly 1; maxFinite and +Inf are 1 apart.
 *
 * Special cases: NaN has no position: a RangeError.
 */
export function ordinal(fmt: FormatSpec, x: number): bigint {
  if (x !== x) throw new RangeError('ordinal: NaN has no position');
  const b = toBits(fmt, x);
  const signBit = 1n << BigInt(fmt.bits - 1);
  const mag = b & (signBit - 1n);
  return b & signBit ? -mag : mag;
}

/** The value at position `k` of `fmt`'s ordered list (inverse of `ordinal`; k = 0 gives +0). */
export function fromOrdinal(fmt: FormatSpec, k: bigint): number {
  const signBit = 1n << BigInt(fmt.bits - 1);
  const infPos = BigInt(2 ** fmt.exponentBits - 1) << BigInt(fmt.fractionBits);
  const mag = k < 0n ? -k : k;
  if (mag > infPos) throw new RangeError(`fromOrdinal: ${k} is beyond ±Inf in ${fmt.name}`);
  return fromBits(fmt, k < 0n ? signBit | mag : mag);
}

/**
 * ULP distance: |ordinal(a) − ordinal(b)| as a number (exact up to 2^53, which f32, f16 and bf16
 * never exceed; binary64 distances beyond 2^53 are rounded, which is immaterial at that size).
 *
 * Special cases: ±0 are at distance 0; maxFinite ⇄ Inf is 1; if either is NaN the distance is 0
 * when both are NaN, and Infinity otherwise (a NaN is as wrong as a value can be; callers that
 * classify NaN results do so before measuring).
 */
export function ulpDistance(fmt: FormatSpec, a: number, b: number): number {
  const an = a !== a;
  const bn = b !== b;
  if (an || bn) return an && bn ? 0 : Infinity;
  const d = ordinal(fmt, a) - ordinal(fmt, b);
  return Number(d < 0n ? -d : d);
}

/** Bits of error, log2(1 + ulps), as Herbie reports it. */
export function bitsOfError(ulps: number): number {
  return Math.log2(1 + ulps);
}

/** The next value of `fmt` towards +Inf (NaN stays NaN, +Inf stays +Inf, −0 and +0 give minSubnormal). */
export function nextUp(fmt: FormatSpec, x: number): number {
  if (x !== x || x === Infinity) return x;
  return fromOrdinal(fmt, ordinal(fmt, x) + 1n);
}

/** The next value of `fmt` towards −Inf. */
export function nextDown(fmt: FormatSpec, x: number): number {
  if (x !== x || x === -Infinity) return x;
  return fromOrdinal(fmt, ordinal(fmt, x) - 1n);
}

/** The spacing of `fmt`'s grid at |x| (the value of one unit in the last place of x). */
export function ulpOf(fmt: FormatSpec, x: number): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a)) return NaN;
  if (a < fmt.minNormal) return fmt.minSubnormal;
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e -= 1;
  else if (pow2(e + 1) <= a) e += 1;
  return pow2(e - fmt.precision + 1);
}

/** The IEEE class of a value of `fmt`. */
export function classify(fmt: FormatSpec, x: number): FloatClass {
  if (x !== x) return 'nan';
  if (x === Infinity || x === -Infinity) return 'inf';
  if (x === 0) return 'zero';
  return Math.abs(x) < fmt.minNormal ? 'subnormal' : 'normal';
}
