/**
 * The result record of a campaign, `logitfuzz/run@1` (results.json), and of `vet`
 * (`logitfuzz/vet@2`). Reports are pure functions of these records.
 *
 * Numbers that may be non-finite (ULP errors, expected and actual values) are encoded as the
 * oracle encodes them: plain JSON numbers, or "inf", "-inf", "nan", "-0".
 * Fields under `timing` and `environment` may differ between otherwise identical runs; every
 * other field is determined by the seed and the options.
 */
import type { JsonNumber } from '../formats/jsonNumber.js';
import type { FindingKind } from '../vocabulary/FindingKind.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import type { SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import type { Expected, Severity } from '../vocabulary/Severity.js';
import type { Verdict } from '../vocabulary/Verdict.js';
import type { Closeness } from '../metrics/closeness.js';

export const RUN_SCHEMA = 'logitfuzz/run@2';
/** The schema before severities: `compare` and the reports still read it (report/load.ts). */
export const RUN_SCHEMA_V1 = 'logitfuzz/run@1';
export const VET_SCHEMA = 'logitfuzz/vet@2';
export const CASES_SCHEMA = 'logitfuzz/cases@2';

export interface FindingRecord {
  readonly kind: FindingKind;
  /** The row of a batch [B, n] it was found in (0-based); absent for a single row. */
  readonly row?: number;
  /** Element index, −1 for case-level findings. */
  readonly index: number;
  readonly expected: JsonNumber | null;
  readonly actual: JsonNumber | null;
  readonly ulps: JsonNumber | null;
  readonly diagnosis: string;
  /** `wrong`, `inaccurate`, or null when reported without a verdict (docs/design.md, "Severity"). */
  readonly severity: Severity | null;
}

/** The case space of a run without its seed (campaign/cases.ts `CaseSpace`), as JSON. */
export interface CaseSpaceRecord {
  readonly groups: readonly { readonly op: Op; readonly format: FormatName }[];
  readonly constraints: {
    readonly minLength?: number;
    readonly maxLength?: number;
    readonly specials?: boolean;
  };
  readonly probes: boolean;
  readonly maxBatch: number;
}

export interface CounterexampleRecord {
  /** Id of the campaign case it was found on (before shrinking). */
  readonly caseId: number;
  readonly region: string;
  /**
   * The shrunk input (its first row, for a batch). Absent when the counterexample is a whole case
   * of more than 16,384 logits (B·n) that no window of the row shortened (a defect that needs the
   * length): `caseId` and `config.caseSpace` regenerate it (`replay --from`), and `expected` is
   * then empty and `actual` null (docs/design.md, "Records").
   */
  readonly input?: JsonNumber[];
  readonly label?: number;
  /**
   * Rows 2 … B of a shrunk batch [B, n] with the correctly rounded result and the output of each;
   * absent for a single row (docs/design.md, "Records").
   */
  readonly batch?: readonly {
    readonly input: JsonNumber[];
    readonly label?: number;
    readonly expected: JsonNumber[];
    readonly actual: JsonNumber[] | null;
  }[];
  /** The shape [B, n] of the case as first found. */
  readonly originalShape?: readonly [number, number];
  /**
   * The input as first found (its first row, for a batch); left out when longer than
   * ORIGINAL_MAX_LENGTH logits: the campaign's seed and `caseId` regenerate it.
   */
  readonly original?: JsonNumber[];
  readonly originalLabel?: number;
  /** The finding on the shrunk input. */
  readonly finding: FindingRecord;
  /** Correctly rounded result and the implementation's output on the shrunk input. */
  readonly expected: JsonNumber[];
  readonly actual: JsonNumber[] | null;
  readonly shrinkEvaluations: number;
  /** A command line that reproduces the finding. */
  readonly replay: string;
}

export interface CellRecord {
  readonly cases: number;
  readonly failures: number;
  readonly maxUlps: JsonNumber;
  /** Cases per finding kind in this cell. */
  readonly kinds: Readonly<Record<string, number>>;
}

export interface ImplementationRecord {
  readonly name: string;
  readonly op: string;
  readonly format: string;
  readonly backend: string;
  readonly formula: string;
  /** What it is expected to earn at each level (run@2; run@1 had one 'pass' | 'fail', the strict level). */
  readonly expected: Expected;
  /** The verdict at the record's `config.failOn` level. */
  readonly verdict: Verdict;
  /** The verdict at each level: `inaccurate` fails on any finding with a severity, `wrong` only on wrong ones. */
  readonly verdicts: Readonly<Record<Severity, Verdict>>;
  /** Cases with at least one wrong finding, and cases whose findings are all only inaccurate. */
  readonly severityCounts: Readonly<Record<Severity, number>>;
  /** Cases per finding kind in which that kind was wrong (a subset of `findingCounts`). */
  readonly wrongCounts: Readonly<Record<string, number>>;
  /** Why the implementation could not run (verdict 'unavailable'). */
  readonly unavailableReason?: string;
  /** Stopped early by the circuit breaker after repeated timeouts. */
  readonly trippedAfter?: number;
  readonly cases: number;
  readonly passes: number;
  /** Number of cases showing each finding kind. */
  readonly findingCounts: Readonly<Record<string, number>>;
  /** Minimal counterexample per finding kind. */
  readonly counterexamples: Readonly<Record<string, CounterexampleRecord>>;
  readonly ulp: {
    readonly max: JsonNumber;
    readonly p50: JsonNumber;
    readonly p90: JsonNumber;
    readonly p99: JsonNumber;
    /**
     * Mean over cases of log2(1 + max ULP error of the case); a case with no finite error counts 65
     * (metrics/histogram.ts).
     */
    readonly meanBits: number;
    /** Σ of the per-case bits in micro-bits (integers, so shards merge exactly). */
    readonly sumMicroBits: number;
    /** Case counts per bin; bin b holds errors in (edges[b−1], edges[b]]. */
    readonly histogram: readonly number[];
    readonly worstCaseId: number;
  };
  readonly regions: Readonly<Record<string, { readonly cases: number; readonly failures: number }>>;
  /**
   * Where in input space it breaks: cells keyed `${i},${j}` with i the bin of the largest |logit|
   * and j the bin of the spread max − min, both over `mapEdges` (a value falls in the first bin
   * whose upper edge is ≥ it). Only cells with cases are present.
   */
  readonly errorMap: Readonly<Record<string, CellRecord>>;
  /** Error against vector length: cells keyed by the bin over `lengthEdges`. */
  readonly byLength: Readonly<Record<string, CellRecord>>;
  readonly outOfFormat: number;
  /** The error-maximising search (`run --search N`), when it ran. */
  readonly search?: {
    readonly evaluations: number;
    /** The largest error it reached, and where. */
    readonly maxUlps: JsonNumber;
    readonly worstInput: JsonNumber[];
    readonly worstLabel?: number;
    /** Finding kinds it met that the random cases had not, and after how many evaluations the first finding came. */
    readonly newKinds: readonly FindingKind[];
    readonly firstFindingAt: number | null;
  };
  /** Library versions, GPU adapter, module path and hash: whatever identifies what was measured. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly timing: { readonly ms: number };
}

export interface RunRecord {
  /** RUN_SCHEMA; RUN_SCHEMA_V1 for a run@1 record read back in run@2's shape (report/load.ts). */
  readonly schema: typeof RUN_SCHEMA | typeof RUN_SCHEMA_V1;
  readonly logitfuzzVersion: string;
  readonly seed: number;
  readonly command: string;
  readonly commit?: string;
  readonly config: {
    readonly impls: readonly string[];
    readonly runs: number | null;
    readonly timeLimitS: number | null;
    readonly shard: { readonly index: number; readonly count: number } | null;
    readonly specials: SpecialsPolicy;
    readonly budget: number | null;
    readonly minLength: number;
    readonly maxLength: number;
    readonly timeoutMs: number;
    /** Search evaluations per implementation (0: no search). */
    readonly search: number;
    /** The level whose verdict is `verdict` (`--fail-on`). */
    readonly failOn: Severity;
    /**
     * What the cases are a function of, besides the seed: case `id` of the run is
     * `caseAt({seed, ...caseSpace}, id)` (campaign/cases.ts). Null when the cases came from a list
     * (`--cases`), which only that list can give back.
     */
    readonly caseSpace?: CaseSpaceRecord | null;
    /** What counts as close for the `wrong` severity (`--close`): its name and tolerances per format. */
    readonly close: Closeness;
  };
  readonly histogramEdges: readonly JsonNumber[];
  /** Upper edges of the error map's bins (largest |logit| and spread). */
  readonly mapEdges: readonly JsonNumber[];
  /** Upper edges of the length bins. */
  readonly lengthEdges: readonly JsonNumber[];
  readonly totals: { readonly cases: number; readonly oracleUndetermined: number };
  readonly implementations: readonly ImplementationRecord[];
  readonly environment: Readonly<Record<string, string>>;
  readonly timing: {
    readonly startedAt: string;
    readonly wallMs: number;
    readonly oracleMs: number;
    readonly workers: number;
  };
}

/** The `vet@2` document (docs/design.md, "Records"). */
export interface VetRecord {
  readonly schema: typeof VET_SCHEMA;
  /** The verdict at `failOn`. */
  readonly verdict: 'pass' | 'fail';
  /** The verdict at each level. */
  readonly verdicts: Readonly<Record<Severity, 'pass' | 'fail'>>;
  readonly failOn: Severity;
  readonly op: Op;
  readonly format: FormatName;
  readonly module: string | null;
  readonly exec: string | null;
  readonly hash: string | null;
  readonly seed: number;
  readonly logitfuzzVersion: string;
  readonly findings: readonly {
    kind: FindingKind;
    /** The shrunk input; absent for a whole long case, as in CounterexampleRecord. */
    input?: JsonNumber[];
    label?: number;
    expected: JsonNumber[];
    actual: JsonNumber[] | null;
    ulps: JsonNumber | null;
    index: number;
    diagnosis: string;
    severity: Severity | null;
    seed: number;
    replay: string;
  }[];
  readonly stats: {
    cases: number;
    passes: number;
    /** Cases with a wrong finding, and cases with only inaccurate ones. */
    severityCounts: Record<Severity, number>;
    findingCounts: Record<string, number>;
    maxUlps: JsonNumber;
    p99Ulps: JsonNumber;
    meanBits: number;
    wallMs: number;
  };
}

/** Schema name of the `survey` field a `logitfuzz survey` run adds to its results.json. */
export const SURVEY_SCHEMA = 'logitfuzz/survey@1';

/** What a survey entry is expected to earn for one (op, format): a grade, or that it cannot run there. */
export type SurveyExpectation = 'pass' | Severity | 'unavailable';

/** One library × op × format of a survey. */
export interface SurveyRowRecord {
  readonly op: Op;
  readonly format: FormatName;
  /** The implementation's name in the run record: `op/<entry id>/format`. */
  readonly impl: string;
  readonly expected: SurveyExpectation;
  /** What it earned: its grade at both levels, or unavailable. */
  readonly grade: SurveyExpectation;
  readonly asExpected: boolean;
}

/** One entry of a survey: a library, how it was called, its versions, and its rows. */
export interface SurveyEntryRecord {
  readonly id: string;
  readonly library: string;
  readonly ecosystem: string;
  /** How it was called: `module PATH`, `exec CMD` (`--batch`) or `builtin NAME`. */
  readonly how: string;
  /**
   * The same as data, for `replay --from`: the manifest's folder (relative to the folder the survey
   * ran in) and the entry's module path (relative to that folder), exec command (run in it) with
   * `batch`, or zoo formulation.
   */
  readonly call: {
    readonly dir: string;
    readonly module?: string;
    readonly exec?: string;
    readonly batch?: boolean;
    readonly builtin?: string;
  };
  /** Package versions as the package manager states them, read at run time. */
  readonly versions: Readonly<Record<string, string>>;
  /** The library function each op calls. */
  readonly calls: Readonly<Partial<Record<Op, string>>>;
  readonly notes?: string;
  /** What was found, in plain words (the manifest's `summary`). */
  readonly summary?: string;
  readonly tracker?: string;
  readonly knownIssues?: Readonly<Record<string, string>>;
  /** Time spent in this entry's implementations, summed over its cases (ms). */
  readonly ms: number;
  readonly rows: readonly SurveyRowRecord[];
}

/** The `survey` field of a survey's results.json (the rest is the run@2 record of its campaign). */
export interface SurveyRecord {
  readonly schema: typeof SURVEY_SCHEMA;
  readonly title: string;
  /** The manifest as given on the command line. */
  readonly manifest: string;
  readonly quick: boolean;
  readonly entries: readonly SurveyEntryRecord[];
}

/** A survey's results.json: the campaign's run record and the survey. */
export type SurveyRunRecord = RunRecord & { readonly survey: SurveyRecord };
