import type { RegionName } from './RegionName.js';

/** Name of an exhaustive family (a deterministic sweep rather than a random region). */
type ExhaustiveFamilyName = 'exhaustive-pairs' | 'probes';

/**
 * One generated input: logits `x`, every element exactly representable in the requested format,
 * and a class label in [0, x.length) when the op takes one (`cross_entropy`,
 * `cross_entropy_grad`); the key is absent otherwise.
 *
 * `x` holds NaN or ±Inf only when the constraints allow specials (`specials: true`), and then
 * only in the `specials` region, as −Inf masking entries in the `masked` region, and in the
 * `long` region (its `specials` rows, and −Inf masks in its `masked` rows).
 */
export interface LogitCase {
  /** The region (or exhaustive family) the case comes from. */
  readonly region: RegionName | ExhaustiveFamilyName;
  /** The logits. */
  readonly x: number[];
  /** The class label, for the ops that take one. */
  readonly label?: number;
}
