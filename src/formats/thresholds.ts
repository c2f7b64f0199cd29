import type { ExpThresholds } from './deriveThresholds.js';
import type { FormatName } from '../vocabulary/FormatName.js';

/**
 * exp overflow and underflow thresholds of each format, as values of that format.
 *
 * `overflow`: the largest x of the format with RN(e^x) finite, i.e. the largest format value
 * below ln(2^emax·(2 − 2^−p)). `underflow`: the smallest x of the format with RN(e^x) ≠ 0, i.e.
 * the smallest format value above (emin − p)·ln 2. `deriveExpThresholds` recomputes both with
 * decimal.js at 60 digits, and thresholds.test.ts checks these constants against it and checks
 * e^x on both sides of each against MPFR.
 *
 * The same numbers bound the spread: in a max-shifted formula, e^(x_i − max) underflows to zero
 * once x_i − max < underflow.
 */
export const EXP_THRESHOLDS: Readonly<Record<FormatName, ExpThresholds>> = Object.freeze({
  // ln(2^1023·(2 − 2^-53)) = 709.78271289338399679…; (−1022 − 53)·ln 2 = −745.13321910194120762…
  f64: Object.freeze({
    overflow: 709.782712893384, // 0x40862E42FEFA39EF
    underflow: -745.1332191019411, // 0xC0874910D52D3051
  }),
  // ln(2^127·(2 − 2^-24)) = 88.72283908187…; (−126 − 24)·ln 2 = −103.97207708399…
  f32: Object.freeze({
    overflow: 88.72283172607422, // 0x42B17217
    // the shortest round-trip form; the rule reads its 17 digits as lossy (…015625 is a tie)
    // eslint-disable-next-line no-loss-of-precision
    underflow: -103.97207641601562, // 0xC2CFF1B4
  }),
  // ln(2^15·(2 − 2^-11)) = 11.09011071852…; (−14 − 11)·ln 2 = −17.32867951399…
  f16: Object.freeze({
    overflow: 11.0859375, // 0x498B
    underflow: -17.328125, // 0xCC55
  }),
  // ln(2^127·(2 − 2^-8)) = 88.72088407683…; (−126 − 8)·ln 2 = −92.88172219503…; bf16's grid near 90 is 0.5 wide
  bf16: Object.freeze({
    overflow: 88.5, // 0x42B1
    underflow: -92.5, // 0xC2B9
  }),
});

/** The exp thresholds of a format by name. */
export function expThresholds(format: FormatName): ExpThresholds {
  return EXP_THRESHOLDS[format];
}
