export type { FormatSpec } from './types.js';
export { F64, F32, F16, FORMATS, formatSpec } from './specs.js';
export { pow2 } from './pow2.js';
export { roundNumber, isRepresentable } from './roundNumber.js';
export { roundDecimal } from './roundDecimal.js';
export { exactDecimal } from './exact.js';
export { toBits, fromBits } from './bits.js';
export { ordinal, fromOrdinal, ulpDistance, bitsOfError, nextUp, nextDown, ulpOf } from './ulp.js';
export { EXP_THRESHOLDS, expThresholds } from './thresholds.js';
