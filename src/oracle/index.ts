export { oracle } from './oracle.js';
export { OPS, isOp, isScalarOp, needsLabel, outputLength, type Op } from './ops.js';
export { OracleInputError, type OracleOptions, type OracleResult } from './types.js';
export { oracleCounters, resetOracleCounters } from './counters.js';
