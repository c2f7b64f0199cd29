import { availableParallelism } from 'node:os';
import { execFileSync } from 'node:child_process';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { OPS } from '../vocabulary/Op.js';
import { UsageError } from './errors.js';
import { SPECIALS_POLICIES, type SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import type { JudgeOptions } from '../campaign/protocol.js';
import { SEVERITIES } from '../vocabulary/Severity.js';
import { parseCloseness, type Closeness } from '../metrics/closeness.js';

/** Flags that choose the gate: shared by `run`, `vet`, `score` and `compare` (docs/design.md, "Severity"). */
export const SEVERITY_FLAGS = {
  'fail-on': {
    type: 'string',
    choices: SEVERITIES,
    default: 'inaccurate',
    value: 'LEVEL',
    help: 'the verdict fails on inaccurate findings (beyond the strict budget) or only on wrong ones',
  },
  close: {
    type: 'string',
    default: 'assert_close',
    value: 'C',
    help: "what counts as wrong: outside assert_close's defaults, allclose's, or rtol=R,atol=A",
  },
} as const;

/** The closeness a `--close` value names, or a usage error (exit 2) naming the accepted forms. */
function closenessFlag(text: string): Closeness {
  try {
    return parseCloseness(text);
  } catch (e) {
    throw new UsageError(`--close: ${(e as Error).message}`);
  }
}

/** How outputs are judged, from the flags `run`, `vet` and `score` share. */
export function judgeOptions(
  flags: { specials: SpecialsPolicy; budget: number | undefined; close: string },
  checkDeterminism: boolean,
): JudgeOptions {
  return {
    specials: flags.specials,
    budget: flags.budget,
    checkDeterminism,
    close: closenessFlag(flags.close),
  };
}

/** Flags shared by `run` and `vet` (docs/design.md, "Flags"). */
export const CAMPAIGN_FLAGS = {
  runs: { type: 'integer', min: 1, value: 'N', help: 'cases per (op, format) group' },
  'time-limit': {
    type: 'number',
    min: 0.1,
    value: 'S',
    help: 'stop generating cases after S seconds (instead of --runs; not reproducible case for case)',
  },
  seed: {
    type: 'integer',
    value: 'N',
    help: 'campaign seed (random and printed when absent; recorded in every output)',
  },
  specials: {
    type: 'string',
    choices: SPECIALS_POLICIES,
    default: 'report',
    value: 'P',
    help: 'special-values policy: include NaN/±Inf cases, and whether their deviations fail a verdict',
  },
  budget: {
    type: 'number',
    min: 0,
    value: 'ULPS',
    help: 'per-element budget in ULPs instead of the derived budgets',
  },
  ...SEVERITY_FLAGS,
  timeout: {
    type: 'integer',
    min: 1,
    default: 10000,
    value: 'MS',
    help: 'per-call time limit; a slower call is a timeout finding',
  },
  workers: {
    type: 'integer',
    min: 1,
    max: 64,
    value: 'N',
    help: 'worker processes (default: the number of cores)',
  },
  'min-length': { type: 'integer', min: 0, default: 1, value: 'N', help: 'shortest logit vector' },
  'max-length': {
    type: 'integer',
    min: 1,
    default: 262144,
    value: 'N',
    help: 'longest logit vector; 1 case in 8 is above 256 (below 256: short rows only)',
  },
  'max-batch': {
    type: 'integer',
    min: 1,
    default: 64,
    value: 'B',
    help: 'largest batch [B, n] of a random case (1 in 4 is a batch); 1 for single rows',
  },
  'shrink-evals': {
    type: 'integer',
    min: 0,
    default: 100,
    value: 'N',
    help: 'probes spent shrinking each counterexample (0: no shrinking)',
  },
} as const;

export const OP_FLAG = { type: 'string', choices: OPS, value: 'OP', help: 'operation' } as const;
export const FORMAT_FLAG = { type: 'string', choices: FORMAT_NAMES, value: 'F', help: 'format' } as const;

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export function parseShard(s: string | undefined): { index: number; count: number } | null {
  if (s === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) throw new UsageError(`--shard must look like I/N with 1 ≤ I ≤ N (e.g. 2/4), got '${s}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard ${s}: I must be between 1 and N`);
  return { index, count };
}

/** The git commit of the working directory, when it is a git checkout. */
export function gitCommit(): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Quotes an argument for a POSIX shell, so replay commands can be pasted. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Environment facts recorded in every result. */
export function baseEnvironment(): Record<string, string> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: String(availableParallelism()),
  };
}
