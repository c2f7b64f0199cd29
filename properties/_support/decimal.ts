import { Decimal } from 'decimal.js';
import { exactDecimal } from '../../src/formats/exact.js';

const RANGE = { minE: -9e15, maxE: 9e15 } as const;

/**
 * Exact arithmetic on binary64 values: a sum or difference of two binary64 values (or of one and
 * a power of two) has at most about 1400 significant decimal digits (positions 10^308 down to
 * 10^−1075), so at 1600 digits + and − are exact.
 */
const Exact = Decimal.clone({ precision: 1600, rounding: Decimal.ROUND_HALF_EVEN, ...RANGE });

/**
 * 60 significant digits rounded down / up: decimal.js documents exp and ln as correctly rounded
 * ("as if the result was first calculated to an infinite number of correct digits before
 * rounding"), so Floor60.exp(a) ≤ e^a ≤ Ceil60.exp(a), and likewise for ln and for + and −.
 */
export const Floor60 = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_FLOOR, ...RANGE });
export const Ceil60 = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_CEIL, ...RANGE });

/** The exact value of a finite binary64 number in `Exact`. */
export function exact(v: number): Decimal {
  return new Exact(exactDecimal(v));
}
