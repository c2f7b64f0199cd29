import type { FormatName } from '../vocabulary/FormatName.js';
import type { FindingKind } from '../vocabulary/FindingKind.js';
import type { Op } from '../vocabulary/Op.js';
import type { SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import type { Severity } from '../vocabulary/Severity.js';
import type { Closeness } from '../metrics/closeness.js';
import type { ImplSpec } from './implSpec.js';

/** A further row of a batch case: as long as the case's first row. */
export interface BatchRow {
  readonly x: Float64Array;
  readonly label?: number;
}

/**
 * One generated input. `id` is its position in the campaign's case order. A batch [B, n] is its
 * first row `x` (with `label`) and the B − 1 rows of `batch`; the implementation gets all B rows
 * in one call (docs/design.md, "Campaign").
 */
export interface CaseInput {
  readonly id: number;
  readonly op: Op;
  readonly format: FormatName;
  readonly region: string;
  readonly x: Float64Array;
  readonly label?: number;
  /** Rows 2 … B of a batch; absent for a single row. */
  readonly batch?: readonly BatchRow[];
}

/** Every row of a case, the first row first. */
export function rowsOf(c: Pick<CaseInput, 'x' | 'label' | 'batch'>): BatchRow[] {
  return [{ x: c.x, ...(c.label !== undefined ? { label: c.label } : {}) }, ...(c.batch ?? [])];
}

/** The case's shape [B, n]. */
export function shapeOf(c: Pick<CaseInput, 'x' | 'batch'>): [number, number] {
  return [1 + (c.batch?.length ?? 0), c.x.length];
}

/** Options that change how outputs are judged; part of the record, so part of determinism. */
export interface JudgeOptions {
  /** Per-element budget override in ULPs, or undefined for the derived budgets. */
  readonly budget?: number;
  readonly specials: SpecialsPolicy;
  /** Call each implementation a second time and compare (the `nondeterministic` finding). */
  readonly checkDeterminism: boolean;
  /**
   * Call rows of a batch alone and compare (the `batch` finding; runCase.ts `aloneRows` says
   * which rows). Off while shrinking a kind other than `batch`, where it would only cost time.
   * @defaultValue true
   */
  readonly checkBatch?: boolean;
  /** What counts as close for the `wrong` severity; default `assert_close`. */
  readonly close?: Closeness;
}

/** A finding as it travels and is stored: plain data, numbers kept as numbers (IPC is structured clone). */
export interface FindingData {
  readonly kind: FindingKind;
  /** The row of a batch case it was found in (0-based); absent for a single row. */
  readonly row?: number;
  /** Element index, or −1 for case-level findings. */
  readonly index: number;
  readonly expected: number | null;
  readonly actual: number | null;
  readonly ulps: number | null;
  readonly diagnosis: string;
  readonly severity: Severity | null;
}

/** What one implementation did on one case. */
export interface ImplOutcome {
  readonly impl: string;
  /** Findings of this case, at most one per kind: the worst of each (the largest ULP distance). */
  readonly findings: readonly FindingData[];
  /** Max ULP error over the elements that were compared (0 when none could be). */
  readonly maxUlps: number;
  /** Bits of error log2(1 + maxUlps). */
  readonly maxBits: number;
  /** Whether no finding fails the strict (`inaccurate`) level. */
  readonly pass: boolean;
  /** Whether some finding is `wrong`. */
  readonly wrong: boolean;
  /** Outputs that had to be rounded into the format before scoring. */
  readonly outOfFormat: number;
  /** The output (of the first row), kept only when asked (shrinking, replay). */
  readonly output?: Float64Array;
  /** The outputs of rows 2 … B of a batch, kept only when asked. */
  readonly batchOutput?: readonly Float64Array[];
  /** Wall time of the call in ms (timing: excluded from determinism). */
  readonly ms: number;
}

/** The oracle's answer for one row. */
interface OracleRow {
  readonly values: Float64Array;
  readonly undetermined: readonly number[];
}

/** The oracle's answer for one case: its first row, and the further rows of a batch. */
export interface OracleAnswer extends OracleRow {
  readonly batch?: readonly OracleRow[];
}

export type ToWorker =
  | { readonly t: 'init'; readonly specs: readonly ImplSpec[] }
  | {
      readonly t: 'case';
      readonly seq: number;
      readonly c: CaseInput;
      /** Implementations to run, in order (a resubmission after a crash lists the rest). */
      readonly impls: readonly string[];
      readonly opts: JudgeOptions;
      /** The oracle's answer when already known (a resubmission). */
      readonly oracle?: OracleAnswer;
      readonly keepOutput?: boolean;
    }
  | { readonly t: 'dispose' };

export type FromWorker =
  | {
      readonly t: 'ready';
      readonly availability: Readonly<
        Record<string, { available: boolean; reason?: string; environment?: Record<string, string> }>
      >;
    }
  /**
   * The oracle's answer (absent when the case came with one), sent before the first
   * implementation runs. From here on the implementations run in the order given, each reporting
   * an 'outcome': the one running is always the first without an outcome, which is whom the
   * supervisor blames for a hang or a death (no per-call message is needed for that).
   */
  | { readonly t: 'oracle'; readonly seq: number; readonly answer?: OracleAnswer; readonly ms: number }
  | { readonly t: 'outcome'; readonly seq: number; readonly outcome: ImplOutcome }
  | { readonly t: 'done'; readonly seq: number }
  | { readonly t: 'error'; readonly seq: number; readonly message: string };
