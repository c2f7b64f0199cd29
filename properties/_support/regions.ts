import { REGION_NAMES, type RegionName } from '../../src/generators/RegionName.js';
import type { RegionConstraints } from '../../src/generators/RegionConstraints.js';
import type { Implementation } from '../../src/impls/types.js';

export { REGION_NAMES, type RegionName };

/**
 * The generator constraints of one region for one implementation: its format and op; NaN and
 * ±Inf allowed (the `specials` region needs them, `masked` then also masks with −Inf); the `long`
 * region up to 4096 logits (it exists only when maxLength ≥ 256), the others up to 64.
 */
export function regionConstraints(
  impl: Pick<Implementation, 'format' | 'op'>,
  region: RegionName,
): RegionConstraints {
  return { format: impl.format, op: impl.op, specials: true, maxLength: region === 'long' ? 4096 : 64 };
}

/** Regions without NaN or ±Inf logits (for properties about finite inputs). */
const FINITE_REGIONS: readonly RegionName[] = REGION_NAMES.filter((r) => r !== 'specials');

/** Finite regions of ordinary length (the mix of the shift, permutation and argmax properties). */
export const SHORT_FINITE_REGIONS: readonly RegionName[] = FINITE_REGIONS.filter((r) => r !== 'long');
