import { expThresholds } from '../../formats/thresholds.js';
import type { Resolved } from './resolveConstraints.js';

/**
 * The smallest gap of the `dominant` region: (p + 2)·ln 2 + ln(n_max), so that the other
 * logits' probabilities sum to below u/4 (u = 2^−p) and the dominant probability rounds to 1.
 */
export function dominantMinGap(r: Resolved): number {
  return (r.fmt.precision + 2) * Math.LN2 + Math.log(Math.max(r.ordinary.max, 1));
}

/**
 * The gap band of `cancellation`: [ln(n_max) + 2, min(0.9·|U|, (2p + 4)·ln 2)]. The low end keeps
 * s = Σ_{j≠k} e^{x_j − x_k} below e^−2 (so x_k − LSE = −log1p(s) is within 0.14 of 0); the high
 * end keeps s above the format's smallest subnormal and near the bottom of the precision.
 */
export function cancellationGaps(r: Resolved): [number, number] {
  const u = -expThresholds(r.fmt.name).underflow;
  const lo = Math.log(Math.max(r.ordinary.max, 1)) + 2;
  const hi = Math.min(0.9 * u, (2 * r.fmt.precision + 4) * Math.LN2);
  return [lo, Math.max(hi, lo + 1)];
}
