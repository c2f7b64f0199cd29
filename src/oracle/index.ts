export { oracle } from './oracle.js';
export { OracleInputError, type OracleOptions, type OracleResult } from './types.js';
export { oracleCounters, resetOracleCounters } from './counters.js';
