import { fromOrdinal, nextDown, nextUp, ordinal } from '../../../formats/ulp.js';
import type { FormatSpec } from '../../../formats/types.js';

/** Slack for evaluating the reach in binary64. */
const SLACK = 1 + 2 ** -40;

/** The largest k in [0, kmax] with ok(k), for ok monotone (true then false) and ok(0) true. */
function lastTrue(kmax: bigint, ok: (k: bigint) => boolean): bigint {
  let lo = 0n;
  let hi = kmax;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (ok(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * The largest ULP distance from `r` that a value of `fmt` can be at, given that it lies within
 * `E` of an exact value X whose correct rounding is `r`.
 *
 * X rounds to r, so it lies within half the gap from r to each neighbour; the value then lies in
 * [r − gap⁻/2 − E, r + gap⁺/2 + E], and the answer is the ordinal distance from r of the
 * farthest value of the format in that interval (found by binary search on ordinals, so binade
 * changes and the subnormal range are counted exactly). Infinity when r is not finite or E is
 * not a finite number.
 */
export function allowedUlps(fmt: FormatSpec, r: number, E: number): number {
  if (!Number.isFinite(r) || !(E < Infinity)) return Infinity;
  const o = ordinal(fmt, r);
  const top = ordinal(fmt, Infinity);
  const reachUp = ((nextUp(fmt, r) - r) / 2 + E) * SLACK;
  const reachDown = ((r - nextDown(fmt, r)) / 2 + E) * SLACK;
  const up = lastTrue(top - o, (k) => fromOrdinal(fmt, o + k) - r <= reachUp);
  const down = lastTrue(top + o, (k) => r - fromOrdinal(fmt, o - k) <= reachDown);
  return Number(up > down ? up : down);
}
