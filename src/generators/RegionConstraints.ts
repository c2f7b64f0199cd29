import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';

/**
 * Constraints shared by every region builder (and by `logits`).
 *
 * Lengths: every case's length lies in [minLength, maxLength]. Regions other than `long` also
 * stay at or below max(minLength, 256) (they generate one fast-check value per element), so
 * that the large default maxLength does not make every case huge. `long` draws lengths ≥ 63
 * (around powers of two, the GPU workgroup sizes 64/128/256/1024 and vocabulary sizes) up to
 * min(maxLength, longMaxLength), only lengths above 256 when that cap allows them, and exists
 * only when that cap is at least 256.
 */
export interface RegionConstraints {
  /**
   * The format the logits must be exactly representable in.
   * @defaultValue 'f64'
   */
  readonly format?: FormatName;
  /**
   * The op the cases are for: the label-taking ops (`cross_entropy`, `cross_entropy_grad`) get a
   * label in [0, n) with every case.
   * @defaultValue 'softmax'
   */
  readonly op?: Op;
  /**
   * Smallest length of a case (a non-negative integer; at least 1 for the label-taking ops).
   * @defaultValue 1
   */
  readonly minLength?: number;
  /**
   * Largest length of a case (an integer ≥ minLength). Below 256 there is no `long` region and
   * the cases are those of earlier versions, whose default was 64.
   * @defaultValue 262144
   */
  readonly maxLength?: number;
  /**
   * Largest length of a `long` case (also capped by maxLength).
   * @defaultValue 262144
   */
  readonly longMaxLength?: number;
  /**
   * Whether NaN and ±Inf logits may be generated (the `specials` region, and −Inf masking
   * entries in `masked`). The `specials` region requires it.
   * @defaultValue false
   */
  readonly specials?: boolean;
}
