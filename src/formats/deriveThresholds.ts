import { Decimal } from 'decimal.js';
import { exactDecimal } from './exact.js';
import { roundDecimal } from './roundDecimal.js';
import { nextDown, nextUp } from './ulp.js';
import type { FormatSpec } from './types.js';

/** Generous working precision for the derivation: 60 digits resolve any of the four formats. */
const D60 = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

export interface ExpThresholds {
  /** Largest x of the format whose e^x rounds (to nearest, in the format) to a finite value. */
  readonly overflow: number;
  /** Smallest x of the format whose e^x rounds to a nonzero value. */
  readonly underflow: number;
}

/**
 * Derives the exp thresholds of a format from first principles.
 *
 * e^x rounds to a finite value iff e^x < maxFinite + ulp(maxFinite)/2 = 2^emax·(2 − 2^−p)
 * (at that point the tie goes to the even neighbour 2^(emax+1), which overflows). So the
 * threshold is the largest format value below ln(2^emax·(2 − 2^−p)).
 * e^x rounds to nonzero iff e^x > minSubnormal/2 = 2^(emin − p) (at that point the tie goes to
 * the even neighbour, 0). So the threshold is the smallest format value above (emin − p)·ln 2.
 * Both logarithms are irrational (Lindemann), so neither boundary is itself a format value.
 */
export function deriveExpThresholds(fmt: FormatSpec): ExpThresholds {
  const two = new D60(2);
  const limit = two
    .pow(fmt.emax)
    .times(two.minus(two.pow(-fmt.precision)))
    .ln();
  let over = roundDecimal(fmt, limit);
  if (exactDecimal(over).gt(limit)) over = nextDown(fmt, over);
  const floor = two.ln().times(fmt.emin - fmt.precision);
  let under = roundDecimal(fmt, floor);
  if (exactDecimal(under).lt(floor)) under = nextUp(fmt, under);
  return { overflow: over, underflow: under };
}
