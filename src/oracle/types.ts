import type { FormatName } from '../formats/types.js';
import type { Op } from './ops.js';

/** Options of one oracle evaluation. */
export interface OracleOptions {
  /**
   * The largest working precision, in decimal digits, the adaptive (Ziv) loop may reach before it
   * gives up on an element and reports it `undetermined`.
   * @defaultValue 2000
   */
  readonly maxDigits?: number;
}

/** A correctly rounded result. */
export interface OracleResult {
  /** The op's result, each element correctly rounded into the format (length 1 for scalar ops). */
  readonly values: Float64Array;
  /**
   * Indices whose rounding could not be decided within `maxDigits` (those hold the nearer
   * candidate). Empty in every case the project has met; never silently dropped.
   */
  readonly undetermined: readonly number[];
}

/** A malformed input: not representable in the format, a bad label, an unknown op or format. */
export class OracleInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OracleInputError';
  }
}

export type { FormatName, Op };
