/** Options of one oracle evaluation. */
export interface OracleOptions {
  /**
   * The largest working precision, in decimal digits, the adaptive (Ziv) loop may reach before it
   * gives up on an element and reports it `undetermined`.
   * @defaultValue 2000
   */
  readonly maxDigits?: number;
  /**
   * Whether to try the fast path (a lean phase, then double-double) first (fastpath.ts). Off, every element goes
   * through the slow path (the escalation: fixed-point and decimal.js interval arithmetic): the
   * results are the same (both are correctly rounded), only slower. For cross-checks of the two
   * paths.
   * @defaultValue true
   */
  readonly fastPath?: boolean;
}

/** A correctly rounded result. */
export interface OracleResult {
  /**
   * The op's result, each element correctly rounded into the format (length 1 for scalar ops).
   * Yours to keep and modify; for rows up to 1024 elements it may be a view into a larger
   * buffer shared with other results (`values.buffer`), so copy it (`values.slice()`) before
   * transferring its buffer to another thread.
   */
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
