export { REGION_NAMES, isRegionName, type RegionName } from './RegionName.js';
export type { LogitCase } from './LogitCase.js';
export type { RegionConstraints } from './RegionConstraints.js';
export { regionArbitrary } from './regionArbitrary.js';
export { logits, defaultRegions, type LogitsConstraints } from './logits.js';
export { probes } from './probes.js';
