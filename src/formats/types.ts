/**
 * Binary floating-point formats described as data.
 *
 * A format with precision `p` (significand bits, hidden bit included) and exponent range
 * `[emin, emax]` represents ±m·2^(e−p+1) with integer 0 ≤ m < 2^p and emin ≤ e ≤ emax, plus
 * ±0, ±Inf and NaN. Numbers below 2^emin are subnormal (gradual underflow): their quantum is
 * fixed at 2^(emin−p+1).
 */
import type { FormatName } from '../vocabulary/FormatName.js';

export interface FormatSpec {
  readonly name: FormatName;
  /** Significand precision in bits, hidden bit included (53, 24, 11, 8). */
  readonly precision: number;
  /** Exponent of the smallest normal number: minNormal = 2^emin. */
  readonly emin: number;
  /** Exponent of the largest finite number: maxFinite = (2 − 2^(1−p))·2^emax. */
  readonly emax: number;
  /** Total storage bits. */
  readonly bits: number;
  /** Stored exponent-field bits. */
  readonly exponentBits: number;
  /** Stored fraction bits (precision − 1). */
  readonly fractionBits: number;
  /** Exponent bias of the stored exponent field. */
  readonly bias: number;
  /** Largest finite value. */
  readonly maxFinite: number;
  /** Smallest positive normal value, 2^emin. */
  readonly minNormal: number;
  /** Smallest positive subnormal value, 2^(emin − p + 1). */
  readonly minSubnormal: number;
  /** Unit roundoff u = 2^−p. */
  readonly unitRoundoff: number;
  /** Machine epsilon 2^(1−p) (the spacing just above 1). */
  readonly epsilon: number;
}

export type FloatClass = 'zero' | 'subnormal' | 'normal' | 'inf' | 'nan';
