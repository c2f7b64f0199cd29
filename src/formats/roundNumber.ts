import { exponentOf } from './exponentOf.js';
import { pow2 } from './pow2.js';
import type { FormatSpec } from './types.js';

/**
 * Rounds a binary64 value to nearest, ties to even, into `fmt`, with gradual underflow and
 * IEEE overflow. The input is taken as the exact value it denotes, so this is a single rounding
 * of that value (it is how the zoo emulates a narrower format's arithmetic: each operation is
 * evaluated in binary64, then rounded here).
 *
 * Special cases: NaN → NaN; ±Inf → ±Inf; ±0 → ±0 (sign kept); a nonzero value that rounds to
 * zero keeps its sign; |x| ≥ maxFinite + ulp(maxFinite)/2 → ±Inf (the tie at exactly that
 * point goes to the even neighbour 2^(emax+1), which overflows, as IEEE 754 says).
 *
 * Notes: binary64 → f32 uses `Math.fround`, which ECMAScript defines as roundTiesToEven.
 * For f16 and bf16 the value is scaled by a power of two so that the quantum becomes 1; every
 * step is exact in binary64 because p ≤ 24 and the scaling stays within binary64's range.
 */
export function roundNumber(fmt: FormatSpec, x: number): number {
  if (fmt.precision === 53) return x;
  if (fmt.precision === 24 && fmt.emin === -126) return Math.fround(x);
  if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
  const a = Math.abs(x);
  // exponent of a: 2^e ≤ a < 2^(e+1)
  const e = exponentOf(a);
  const qe = Math.max(e, fmt.emin) - (fmt.precision - 1);
  // q = a / 2^qe: exact (scaling by a power of two without leaving binary64's range, since
  // qe ≥ emin − p + 1 ≥ −133 and a ≥ 2^−1074 gives q ≥ 2^−941)
  const q = a * pow2(-qe);
  let m = Math.floor(q);
  const frac = q - m; // exact: q < 2^(p+1) ≤ 2^25 so q − floor(q) is representable
  if (frac > 0.5 || (frac === 0.5 && m % 2 === 1)) m += 1;
  const r = m * pow2(qe); // exact: m ≤ 2^p
  const out = r > fmt.maxFinite ? Infinity : r;
  return x < 0 ? -out : out;
}

/** True when `x` is NaN, ±Inf, or a finite value exactly representable in `fmt`. */
export function isRepresentable(fmt: FormatSpec, x: number): boolean {
  // every number is a binary64 value (the oracle tests each logit of a row: a call saved per logit)
  if (x !== x || fmt.precision === 53) return true;
  return Object.is(roundNumber(fmt, x), x);
}
