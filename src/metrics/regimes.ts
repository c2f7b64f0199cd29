import { EXP_THRESHOLDS } from '../formats/thresholds.js';
import type { FormatName } from '../vocabulary/FormatName.js';

/** Which exp regime an input is in (docs/design.md, "Exp regimes"), and why. */
export interface Regimes {
  /** Some logit, or the spread max − min, lies above the format's exp-overflow threshold. */
  readonly overflow: boolean;
  /** Some logit, or min − max, lies below the format's exp-underflow threshold. */
  readonly underflow: boolean;
  /** What put the input in the overflow regime: a logit, else the spread; null outside it. */
  readonly overflowBy: 'logit' | 'spread' | null;
  /** What put the input in the underflow regime: a logit, else min − max; null outside it. */
  readonly underflowBy: 'logit' | 'spread' | null;
  /** Largest and smallest finite logit (−Inf / +Inf when there is none). */
  readonly max: number;
  readonly min: number;
  /** max − min rounded to binary64 (for messages; the tests above are exact). */
  readonly spread: number;
  /** The format's exp thresholds (EXP_THRESHOLDS). */
  readonly overflowThreshold: number;
  readonly underflowThreshold: number;
}

/**
 * The overflow and underflow regimes of logits `x` in `format`, over the finite logits (±Inf and
 * NaN are the special-values policy's business).
 *
 * With T_o, T_u the format's EXP_THRESHOLDS (the largest x with e^x finite, the smallest with
 * e^x ≠ 0, both values of the format): overflow ⇔ max > T_o or max − min > T_o; underflow ⇔
 * min < T_u or min − max < T_u. All comparisons are strict and exact: max − min is not always
 * a binary64 value, so it is formed as s + e exactly (Knuth's TwoSum) and compared as a pair.
 *
 * Special cases: no finite logit → neither regime; max − min overflowing binary64 (f64 logits of
 * opposite signs near ±maxFinite) is in both regimes.
 */
export function regimes(format: FormatName, x: ArrayLike<number>): Regimes {
  const { overflow: To, underflow: Tu } = EXP_THRESHOLDS[format];
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) continue;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (max === -Infinity) {
    return {
      overflow: false,
      underflow: false,
      overflowBy: null,
      underflowBy: null,
      max,
      min,
      spread: NaN,
      overflowThreshold: To,
      underflowThreshold: Tu,
    };
  }
  // TwoSum: s + e = max − min exactly (when s is finite)
  const s = max - min;
  const bv = s - max;
  const e = max - (s - bv) + (-min - bv);
  const spreadAbove = (t: number) => s === Infinity || s > t || (s === t && e > 0);
  const overflowBy = max > To ? 'logit' : spreadAbove(To) ? 'spread' : null;
  // min − max < Tu  ⇔  max − min > −Tu
  const underflowBy = min < Tu ? 'logit' : spreadAbove(-Tu) ? 'spread' : null;
  return {
    overflow: overflowBy !== null,
    underflow: underflowBy !== null,
    overflowBy,
    underflowBy,
    max,
    min,
    spread: s,
    overflowThreshold: To,
    underflowThreshold: Tu,
  };
}
