import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import type { Expected } from '../vocabulary/Severity.js';

export type { Op };

export type Backend = 'js' | 'webgpu' | 'wasm' | 'native' | 'user';

/**
 * Anything logitfuzz calls and judges (docs/design.md, "Implementations"): a built-in
 * implementation, a user's module, a program behind `--exec`, a table of outputs.
 *
 * Inputs are rows of logits carried in Float64Array whose values are exactly representable in
 * `format`. `run` resolves to one answer per row exactly as the implementation gave it: nothing
 * is checked here, since `judge` (metrics/judge.ts) is the one place that checks an answer's
 * shape, the input after the call and a second call's answer. What precision an implementation
 * computes in is its own business: that is what is measured.
 */
export interface AnyImplementation {
  /** Unique `op/formulation/format`, e.g. 'softmax/max-shifted/f64'. */
  readonly name: string;
  readonly op: Op;
  readonly format: FormatName;
  readonly backend: Backend;
  /** One line, e.g. 'exp(x_i - max) / sum_j exp(x_j - max)'. */
  readonly formula: string;
  /**
   * The verdict it is expected to earn at each level (docs/design.md, "Verdicts and the gate"): a
   * known-bad formula fails; one that is only less accurate than the best algorithm fails at
   * `inaccurate` and passes at `wrong`.
   */
  readonly expected: Expected;
  /** Acquire a device or load a library; throws `Unavailable` with the reason and the fix. */
  setup?(): Promise<void>;
  /** One answer per row, as given: a row of values of `format` (length n, or 1 for scalar ops) when all is well. */
  run(rows: readonly Float64Array[], labels?: readonly number[]): Promise<readonly unknown[]>;
  dispose?(): Promise<void>;
}

/**
 * A built-in implementation of the zoo: its answers are rows of values of `format`, length n (1
 * for scalar ops), carried in Float64Array — still judged like any other answer.
 */
export interface Implementation extends AnyImplementation {
  run(rows: readonly Float64Array[], labels?: readonly number[]): Promise<Float64Array[]>;
}

/** Thrown by `setup` when an implementation cannot run here: says why, and how to fix it. */
export class Unavailable extends Error {
  constructor(
    readonly reason: string,
    readonly fix?: string,
  ) {
    super(fix ? `${reason} (fix: ${fix})` : reason);
    this.name = 'Unavailable';
  }
}

/** Where an implementation stands on this machine. */
export type Availability =
  | { readonly available: true; readonly detail?: string }
  | { readonly available: false; readonly reason: string };
