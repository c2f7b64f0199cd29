import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';

export type { Op };

export type Backend = 'js' | 'webgpu' | 'wasm' | 'native' | 'user';

/**
 * An implementation under test (DESIGN.md, "Implementation interface").
 *
 * Inputs are rows of logits carried in Float64Array whose values are exactly representable in
 * `format`; outputs are rows of values of `format` (length n, or 1 for scalar ops). What
 * precision an implementation computes in is its own business: that is what is measured.
 */
export interface Implementation {
  /** Unique `op/formulation/format`, e.g. 'softmax/max-shifted/f64'. */
  readonly name: string;
  readonly op: Op;
  readonly format: FormatName;
  readonly backend: Backend;
  /** One line, e.g. 'exp(x_i - max) / sum_j exp(x_j - max)'. */
  readonly formula: string;
  /** Known-bad references (naive) are expected to fail; everything else to pass. */
  readonly expected: 'pass' | 'fail';
  /** Acquire a device or load a library; throws `Unavailable` with the reason and the fix. */
  setup?(): Promise<void>;
  run(rows: readonly Float64Array[], labels?: readonly number[]): Promise<Float64Array[]>;
  dispose?(): Promise<void>;
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
