import { fromBits } from '../formats/bits.js';
import { formatSpec } from '../formats/specs.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { LogitCase } from './LogitCase.js';
import { configError, resolveConstraints } from './_internals/resolveConstraints.js';

/** Formats small enough to sweep exhaustively. */
export type ExhaustiveFormat = 'f16' | 'bf16';

/** Options of `exhaustivePairs`. */
export interface ExhaustivePairsOptions {
  /**
   * The op the cases are for; the label-taking ops get label 0 on every case (by symmetry,
   * label 1 on [0, t] is label 0 on [0, −t], which the sweep also visits).
   * @defaultValue 'softmax'
   */
  readonly op?: Op;
}

/** A deterministic, re-iterable sweep with random access (for sharding and resuming). */
export interface ExhaustiveFamily extends Iterable<LogitCase> {
  /** The number of cases. */
  readonly size: number;
  /** The case at `index` in [0, size), in iteration order. */
  at(index: number): LogitCase;
}

/**
 * Every pair [0, t] for every finite t of f16 or bf16, both zeros included: 2·(2^e − 1)·2^f
 * cases (63488 for f16, 65280 for bf16), in increasing order of t (−maxFinite first, −0 before
 * +0, +maxFinite last). Not an arbitrary: a sweep a campaign runs in full.
 *
 * Why: softmax, log_softmax and the cross-entropies of a pair depend only on the difference, so
 * [0, t] over every t covers every two-logit behaviour of the format exactly once: the whole
 * overflow, underflow and subnormal boundary, signed zeros, the thresholds, no sampling.
 *
 * Throws a RangeError naming `format` for any other format (f32 would be 2^32 cases) and
 * `op` for an unknown op.
 */
export function exhaustivePairs(
  format: ExhaustiveFormat,
  options: ExhaustivePairsOptions = {},
): ExhaustiveFamily {
  if (format !== 'f16' && format !== 'bf16') {
    throw configError(
      'format',
      `exhaustivePairs sweeps only f16 and bf16 (2^16 patterns), got '${String(format)}'`,
    );
  }
  const op = resolveConstraints({ format, op: options.op }).op;
  const fmt = formatSpec(format);
  const perSign = ((1 << fmt.exponentBits) - 1) * (1 << fmt.fractionBits);
  const signBit = 1 << (fmt.bits - 1);
  const labelled = needsLabel(op);
  const size = 2 * perSign;
  const at = (index: number): LogitCase => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`index: must be an integer in [0, ${size}), got ${index}`);
    }
    const bits = index < perSign ? signBit | (perSign - 1 - index) : index - perSign;
    const x = [0, fromBits(fmt, bits)];
    return labelled ? { region: 'exhaustive-pairs', x, label: 0 } : { region: 'exhaustive-pairs', x };
  };
  return {
    size,
    at,
    *[Symbol.iterator]() {
      for (let i = 0; i < size; i++) yield at(i);
    },
  };
}
