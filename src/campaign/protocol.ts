import type { FormatName } from '../vocabulary/FormatName.js';
import type { FindingKind } from '../vocabulary/FindingKind.js';
import type { Op } from '../vocabulary/Op.js';
import type { SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import type { Severity } from '../vocabulary/Severity.js';
import type { Closeness } from '../metrics/closeness.js';
import type { ImplSpec } from './implSpec.js';
import type { CaseSpace } from './cases.js';

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

/**
 * What the supervisor keeps of a case: everything the store and the aggregate need but its logits
 * (a worker that generated the case from its id sends this back instead of the rows).
 */
export interface CaseHead {
  readonly id: number;
  readonly op: Op;
  readonly format: FormatName;
  readonly region: string;
  /** [B, n]: B rows of n logits. */
  readonly shape: [number, number];
  /** The error map's bins of the case (aggregate.ts `mapBins`). */
  readonly map: [number, number];
}

/**
 * A case as the supervisor hands it to a worker: the input itself (a shrink, a search mutant, a
 * replay, an explicit case list), or the id of a case of the campaign's case space, which the
 * worker generates itself (cases are a function of seed and id: docs/design.md, "Scheduler").
 */
export type CaseRef = CaseInput | number;

/**
 * A case with more logits than this (B·n) has its oracle answer sent to the supervisor before any
 * implementation runs, so that a fresh worker taking over after a death reuses it; a shorter one
 * is cheaper to recompute than to ship, and is recomputed.
 */
export const ORACLE_AHEAD_SIZE = 4096;

/**
 * The progress record a worker writes (pwrite, no message) before each implementation call, in a
 * file the supervisor reads only on a timer or a death: [seq, index of the implementation in the
 * case's list, start time (Date.now() ms)]. What a dead process wrote is in the page cache, so it
 * tells whom to blame without a message per call.
 */
export const PROGRESS_FIELDS = 3;

export type ToWorker =
  | {
      readonly t: 'init';
      readonly specs: readonly ImplSpec[];
      /** The campaign's case space, when cases will be sent by id. */
      readonly space?: CaseSpace;
    }
  /** The campaign's case space (known once the implementations' availability is). */
  | { readonly t: 'space'; readonly space: CaseSpace }
  | {
      readonly t: 'case';
      readonly seq: number;
      readonly c: CaseRef;
      /** Implementations to run, in order (a resubmission after a death lists the rest). */
      readonly impls: readonly string[];
      readonly opts: JudgeOptions;
      /** The oracle's answer when already known (a resubmission of a long case). */
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
   * The oracle's answer of a case longer than ORACLE_AHEAD_SIZE, sent (and written out) before its
   * first implementation runs.
   */
  | { readonly t: 'oracle'; readonly seq: number; readonly answer: OracleAnswer; readonly ms: number }
  /**
   * The whole case, in one message: every implementation's outcome in the order given (or the
   * oracle's error), the case's head, and the oracle's answer when the case asked for the outputs.
   */
  | {
      readonly t: 'done';
      readonly seq: number;
      readonly head: CaseHead;
      /** Output elements the oracle left undetermined, over every row. */
      readonly undetermined: number;
      readonly oracleMs: number;
      readonly oracleError?: string;
      readonly oracle?: OracleAnswer;
      readonly outcomes: readonly ImplOutcome[];
    };
