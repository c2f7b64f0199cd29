import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import type { Expected, Severity } from '../vocabulary/Severity.js';
import type { ImplSpec } from './implSpec.js';
import type { ReplayCommand } from './postprocess.js';
import type { CaseInput, JudgeOptions } from './protocol.js';

/** What the campaign needs to know of an implementation besides how to load it. */
export interface ImplMeta {
  readonly name: string;
  readonly op: Op;
  readonly format: FormatName;
  readonly backend: string;
  readonly formula: string;
  readonly expected: Expected;
}

/** What the campaign needs of an implementation, taken from the implementation itself. */
export function implMeta(i: ImplMeta): ImplMeta {
  return {
    name: i.name,
    op: i.op,
    format: i.format,
    backend: i.backend,
    formula: i.formula,
    expected: i.expected,
  };
}

export interface CampaignOptions {
  readonly specs: readonly ImplSpec[];
  readonly meta: readonly ImplMeta[];
  readonly seed: number;
  /** Cases per (op, format) group; or null with timeLimitS. */
  readonly runs: number | null;
  readonly timeLimitS: number | null;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly workers: number;
  readonly timeoutMs: number;
  readonly judge: JudgeOptions;
  /** The level whose verdict is each implementation's `verdict` (`--fail-on`). @defaultValue 'inaccurate' */
  readonly failOn?: Severity;
  readonly minLength: number;
  readonly maxLength: number;
  /**
   * The largest batch B of a random case (generators/batchRows.ts); 1 for single rows only.
   * @defaultValue 64
   */
  readonly maxBatch?: number;
  /** Path of cases.jsonl (results stream here as they come), or null to keep nothing on disk. */
  readonly casesFile: string | null;
  readonly resume: boolean;
  /** Shrinking budget per counterexample (probes); 0 disables shrinking. @defaultValue 200 */
  readonly shrinkEvals: number;
  /** How to reproduce a finding of `kind` on an input, for the record. */
  readonly replayCommand: ReplayCommand;
  readonly command: string;
  readonly version: string;
  readonly commit?: string;
  readonly environment: Record<string, string>;
  /** Error-maximising search evaluations per implementation after the cases (0: none). @defaultValue 0 */
  readonly search?: number;
  /** Explicit cases (for `score`): run these instead of generating; ids are their positions. */
  readonly cases?: readonly CaseInput[];
  /** Run the fixed probes before the random cases. @defaultValue true */
  readonly probes?: boolean;
  /** Consecutive timeouts after which an implementation is dropped (circuit breaker). @defaultValue 3 */
  readonly breakerTimeouts?: number;
  /**
   * Max old-space size of each worker in MB (PoolOptions.memoryMb): a module that exhausts it is a `crash`.
   * @defaultValue 4096
   */
  readonly memoryMb?: number;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly done: number;
  readonly total: number | null;
  readonly elapsedMs: number;
  readonly worst: Readonly<Record<string, number>>;
}
