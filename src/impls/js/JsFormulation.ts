import type { Expected } from '../../vocabulary/Severity.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import type { Op } from '../../vocabulary/Op.js';
import type { Arithmetic } from './Arithmetic.js';

/**
 * One row of one op: reads `x` (never writes it), returns the result (length n, or 1 for a
 * scalar op). `label` is the class label for the cross-entropy ops (already checked to be an
 * integer in [0, n)), and −1 for the others. Generic over the arithmetic so the tests can replay
 * exactly the same operations under an error-tracking arithmetic.
 */
export type RowKernel = <T>(x: Float64Array, label: number, A: Arithmetic<T>) => T[];

/** How one formulation computes one op. */
export interface JsOpDefinition {
  /** One line, e.g. 'exp(x_i - max) / sum_j exp(x_j - max)'. */
  readonly formula: string;
  /**
   * The expected verdicts per I/O format at both levels (docs/design.md, "Severity"): 'fail' in
   * a file's doc means the strict level (the default budget, docs/design.md, "Budgets"); whether
   * the answers are also wrong is `inaccurateInWideFormats` for the PyTorch-style log-domain ops,
   * or a per-format table (`byFormat`) where a recursive sum fails the long rows.
   */
  readonly expected: (format: FormatName) => Expected;
  readonly kernel: RowKernel;
  /**
   * A binary64 kernel on typed arrays doing exactly the operations of `kernel` with the f64
   * arithmetic, in the same order (so bit-identical results: jsImplementations.test.ts checks it),
   * used for the f64 implementation because the generic kernel's boxing costs several times the
   * arithmetic on long rows.
   */
  readonly fastF64?: (x: Float64Array, label: number) => Float64Array;
}

/** A family of pure-JS implementations sharing one formulation, e.g. 'max-shifted'. */
export interface JsFormulation {
  /** The middle part of the implementations' names: `op/<name>/format`. */
  readonly name: string;
  /** The I/O formats it is offered in. */
  readonly formats: readonly FormatName[];
  /**
   * The format its arithmetic rounds into, for an I/O format. Default: the I/O format itself
   * (emulation of computing in that format). 'max-shifted-f32array' computes in binary64 and
   * rounds only where it stores into a Float32Array.
   */
  readonly computeFormat?: (io: FormatName) => FormatName;
  readonly ops: Readonly<Partial<Record<Op, JsOpDefinition>>>;
}
