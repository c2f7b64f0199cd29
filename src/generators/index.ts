export { REGION_NAMES, isRegionName, type RegionName } from './RegionName.js';
export type { LogitCase, ExhaustiveFamilyName } from './LogitCase.js';
export type { RegionConstraints } from './RegionConstraints.js';
export { regionArbitrary } from './regionArbitrary.js';
export { logits, defaultRegions, type LogitsConstraints } from './logits.js';
export {
  exhaustivePairs,
  type ExhaustiveFamily,
  type ExhaustiveFormat,
  type ExhaustivePairsOptions,
} from './exhaustivePairs.js';
export { maskValues, MASK_VALUE } from './maskValues.js';
export { longLengths, WORKGROUP_SIZES } from './longLengths.js';
export { nearOverflowLogits } from './nearOverflowLogits.js';
export { nearUnderflowLogits } from './nearUnderflowLogits.js';
export { hugeLogits } from './hugeLogits.js';
export { spreadLogits } from './spreadLogits.js';
export { dominantLogits } from './dominantLogits.js';
export { nearTiesLogits } from './nearTiesLogits.js';
export { equalLogits } from './equalLogits.js';
export { longLogits } from './longLogits.js';
export { cancellationLogits } from './cancellationLogits.js';
export { maskedLogits } from './maskedLogits.js';
export { subnormalLogits } from './subnormalLogits.js';
export { specialsLogits } from './specialsLogits.js';
export { bitsLogits } from './bitsLogits.js';
export { benignLogits } from './benignLogits.js';
export { probes } from './probes.js';
