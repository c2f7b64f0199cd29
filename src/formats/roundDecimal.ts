import type { Decimal } from 'decimal.js';
import { pow2 } from './pow2.js';
import type { FormatSpec } from './types.js';

/**
 * How a value exactly halfway between two neighbours of the format is resolved.
 * - `even`: IEEE roundTiesToEven, the rounding of the format semantics.
 * - `up` / `down`: towards +∞ / −∞. The oracle uses these at the ends of an enclosing interval
 *   (ties towards the interior), which is valid because the true value is strictly inside.
 */
export type TieBreak = 'even' | 'up' | 'down';

/** The digits of a decimal.js value as an exact rational C·10^F (C > 0). */
function coefficient(d: Decimal): { c: bigint; f: number } {
  // decimal.js stores the coefficient in base-1e7 words, the first without leading zeros, and
  // `e` as the decimal exponent of the most significant digit.
  const words = d.d;
  let s = String(words[0]);
  for (let i = 1; i < words.length; i++) s += String(words[i]).padStart(7, '0');
  return { c: BigInt(s), f: d.e - (s.length - 1) };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds an exact Decimal directly into `fmt`: to nearest, ties as `tie` says, with gradual
 * underflow and IEEE overflow. The result is returned as a binary64 number exactly equal to the
 * format value.
 *
 * This is a single rounding of the exact value (never via binary64 or another format, which
 * would double-round): the value C·10^F is compared with the format's grid using integer
 * arithmetic on bigints.
 *
 * Special cases: NaN → NaN; ±Infinity → ±Infinity; ±0 → ±0; nonzero values that round to zero
 * keep their sign; |y| ≥ maxFinite + ulp(maxFinite)/2 → ±Inf under `even` (the tie goes to the
 * even neighbour 2^(emax+1)); under `up`/`down` the tie at that point goes the stated way.
 *
 * Notes: values far outside the format's range are decided from the decimal exponent alone,
 * so a value such as 1e-9000000000000 does not build a huge bigint.
 */
export function roundDecimal(fmt: FormatSpec, y: Decimal, tie: TieBreak = 'even'): number {
  if (y.isNaN()) return NaN;
  const neg = y.isNegative();
  if (!y.isFinite()) return neg ? -Infinity : Infinity;
  if (y.isZero()) return neg ? -0 : 0;
  const signed = (v: number) => (neg ? -v : v);
  // |y| < 10^(y.e + 1). Below minSubnormal/2 = 2^(emin − p) everything rounds to zero; a margin
  // of two decades keeps this decision far from the boundary.
  const halfMinSubLog10 = (fmt.emin - fmt.precision) * Math.log10(2);
  if (y.e + 1 < halfMinSubLog10 - 2) return signed(0);
  // |y| ≥ 10^y.e; far above maxFinite (< 2^(emax+1)) everything overflows.
  if (y.e > (fmt.emax + 1) * Math.log10(2) + 2) return signed(Infinity);

  const { c, f } = coefficient(y);
  // |y| = N / D exactly
  let N = f >= 0 ? c * 10n ** BigInt(f) : c;
  let D = f >= 0 ? 1n : 10n ** BigInt(-f);
  // binary exponent e with 2^e ≤ |y| < 2^(e+1)
  let e = bitLength(N) - bitLength(D);
  const geq = (k: number) => (k >= 0 ? N >= D << BigInt(k) : N << BigInt(-k) >= D);
  if (!geq(e)) e -= 1;
  // quantum exponent: fixed at emin − p + 1 in the subnormal range
  const qe = Math.max(e, fmt.emin) - (fmt.precision - 1);
  if (qe < 0) N <<= BigInt(-qe);
  else D <<= BigInt(qe);
  let m = N / D;
  const twiceR = (N - m * D) * 2n;
  if (twiceR > D) m += 1n;
  else if (twiceR === D) {
    // a tie in magnitude: 'up' means towards +∞, i.e. away from zero for positive y
    const awayFromZero = tie === 'even' ? (m & 1n) === 1n : tie === 'up' ? !neg : neg;
    if (awayFromZero) m += 1n;
  }
  if (m === 0n) return signed(0);
  // m ≤ 2^p, so Number(m) is exact and m·2^qe is exact unless it exceeds maxFinite
  const mag = Number(m) * pow2(qe);
  return signed(mag > fmt.maxFinite ? Infinity : mag);
}
