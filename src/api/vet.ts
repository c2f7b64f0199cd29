import { addOutcome, emptyAggregate, mapBins } from '../campaign/aggregate.js';
import { caseAt, probeCount, type CaseSpace } from '../campaign/cases.js';
import {
  rowsOf,
  type CaseInput,
  type ImplOutcome,
  type JudgeOptions,
  type OracleAnswer,
} from '../campaign/protocol.js';
import { runCase } from '../campaign/runCase.js';
import { counterexampleOf, minimalCounterexample } from '../campaign/counterexample.js';
import { oracleAnswer } from '../campaign/oracleAnswer.js';
import { isFormatName, type FormatName, FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { userImplementation } from '../impls/load.js';
import type { AnyImplementation } from '../impls/types.js';
import { budget as budgetOf } from '../metrics/budgets.js';
import { parseCloseness, type Closeness } from '../metrics/closeness.js';
import { failsAt, type Severity } from '../vocabulary/Severity.js';
import { type SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import { FINDING_KINDS, type FindingKind } from '../vocabulary/FindingKind.js';
import { isOp, needsLabel, OPS, type Op } from '../vocabulary/Op.js';
import { resolveSeed } from './seed.js';
import { expectedOneOf } from '../vocabulary/expectedOneOf.js';
import { failedOutcome } from '../campaign/outcome.js';
import { timeoutFinding } from '../metrics/findings.js';

/**
 * A function under test: logits in (a Float32Array when the format is f32, a Float64Array
 * otherwise, always a fresh copy), and for the cross-entropy ops the class label; out an
 * array-like of numbers (softmax, log_softmax, cross_entropy_grad) or a number (logsumexp,
 * cross_entropy), or a promise of one. The same contract as `logitfuzz vet MODULE` (docs/design.md, "Vetted modules").
 */
export type SoftmaxLike = (
  x: Float64Array | Float32Array,
  label?: number,
) => ArrayLike<number> | number | PromiseLike<ArrayLike<number> | number>;

/** Options of `vet`. Every field is optional; bad values are a RangeError naming the field. */
export interface VetOptions {
  /**
   * The op the function computes.
   * @defaultValue 'softmax'
   */
  readonly op?: Op;
  /**
   * The format of its inputs and outputs: logits are exactly representable in it, and its
   * results are judged against the oracle rounded into it.
   * @defaultValue 'f64'
   */
  readonly format?: FormatName;
  /**
   * Random cases from the extreme-logit generators, after the fixed probes (a non-negative
   * integer).
   * @defaultValue 100
   */
  readonly runs?: number;
  /**
   * Seed of the random cases (an integer in [−2^31, 2^31 − 1]). The same seed and options give
   * the same cases, findings and counterexamples — the same cases as
   * `logitfuzz vet --seed N --runs R --search 0`.
   * @defaultValue the LOGITFUZZ_SEED environment variable, else a random seed (recorded in the result)
   */
  readonly seed?: number;
  /**
   * Run the format's probes (the textbook-dangerous inputs of generators/probes.ts) first.
   * @defaultValue true
   */
  readonly probes?: boolean;
  /**
   * A per-element budget in ULPs (a number ≥ 0) instead of the derived a-priori bound of the
   * recommended algorithm (docs/design.md, "Budgets").
   * @defaultValue the derived budget
   */
  readonly budget?: number;
  /**
   * The special-values policy: 'report' generates NaN and ±Inf logits and counts deviations from
   * the policy as `special` findings that do not fail the verdict; 'strict' makes them fail it;
   * 'skip' generates no NaN or ±Inf logits.
   * @defaultValue 'report'
   */
  readonly specials?: SpecialsPolicy;
  /**
   * Shortest generated input (a non-negative integer; at least 1 for the cross-entropy ops).
   * @defaultValue 1
   */
  readonly minLength?: number;
  /**
   * Longest generated input (an integer ≥ minLength). 1 random case in 8 is longer than 256
   * (the `long` region: attention rows and vocabularies up to 262,144 logits) and 1 in 64 longer
   * than 16,384; below 256 every case is short, as with the earlier default 64. The fixed probes
   * include rows of 256 to 4096 equal logits in f16 and bf16 whatever this says, and rows of
   * 50,257 and 262,144 logits when this allows them.
   * @defaultValue 262144 (`expectSoftmax`: 4096)
   */
  readonly maxLength?: number;
  /**
   * Evaluations the shrinker may spend on each finding kind's first counterexample (0: no
   * shrinking).
   * @defaultValue 200
   */
  readonly shrinkEvals?: number;
  /**
   * Call the function twice on every input and report a `nondeterministic` finding when the
   * answers differ.
   * @defaultValue true
   */
  readonly checkDeterminism?: boolean;
  /**
   * Per-call time limit in milliseconds for a function that returns a promise: a promise that
   * has not settled by then is a `timeout` finding. A synchronous function cannot be interrupted
   * in-process (use `logitfuzz vet MODULE`, which runs it in a worker process, for that).
   * @defaultValue 10000
   */
  readonly timeoutMs?: number;
  /**
   * The level the verdict fails on: 'inaccurate' (any finding beyond the strict budget, the
   * default) or 'wrong' (only findings that would also fail the ecosystem's check, `close`).
   * @defaultValue 'inaccurate'
   */
  readonly failOn?: Severity;
  /**
   * What counts as wrong: 'assert_close' (PyTorch's default tolerances per dtype), 'allclose'
   * (NumPy's), or 'rtol=R,atol=A'.
   * @defaultValue 'assert_close'
   */
  readonly close?: string;
}

/** One finding kind's minimal counterexample. Numbers are plain JS numbers (NaN, ±Infinity, −0 kept). */
export interface VetFinding {
  readonly kind: FindingKind;
  /** Whether this counterexample fails the verdict at the `failOn` level. */
  readonly fails: boolean;
  /** `wrong`, `inaccurate`, or null when reported without a verdict (`special` under 'report'). */
  readonly severity: Severity | null;
  /** The shrunk input: for a batch, the row the finding is in. */
  readonly input: number[];
  /** The class label of the shrunk input (cross-entropy ops only). */
  readonly label?: number;
  /** For a shrunk batch: the row (0-based) the finding is in, of `batchSize` rows. */
  readonly row?: number;
  readonly batchSize?: number;
  /** The correctly rounded result on the shrunk input (length 1 for scalar ops). */
  readonly expected: number[];
  /** The function's output on the shrunk input, or null when it gave none (a crash, a timeout, a wrong shape). */
  readonly actual: number[] | null;
  /** The output element at fault, or −1 for a case-level finding. */
  readonly index: number;
  /**
   * ULP distance of that element from the correctly rounded value (Infinity for NaN against a number; NaN
   * when it does not apply).
   */
  readonly ulps: number;
  /** The budget of that element in ULPs (NaN for a case-level finding). */
  readonly budget: number;
  /** The likely mechanism, in one line, with numbers. */
  readonly diagnosis: string;
  /** The input as first found, before shrinking, and its label. */
  readonly original: number[];
  readonly originalLabel?: number;
  /** The input region (or `probes`) it was found in, and the case's id (its position in the case order). */
  readonly region: string;
  readonly caseId: number;
  /** Evaluations the shrinker spent. */
  readonly shrinkEvaluations: number;
  /** How many cases showed this kind. */
  readonly count: number;
}

/** What `vet` found. */
export interface VetResult {
  /** The verdict at the `failOn` level. */
  readonly verdict: 'pass' | 'fail';
  /** The verdict at each level: 'inaccurate' fails on any finding with a severity, 'wrong' on wrong ones. */
  readonly verdicts: Readonly<Record<Severity, 'pass' | 'fail'>>;
  readonly failOn: Severity;
  readonly op: Op;
  readonly format: FormatName;
  /** The seed the cases came from: `vet(fn, { ...options, seed })` repeats the run. */
  readonly seed: number;
  /** Cases run (probes + random) and how many of them raised no finding that fails the verdict. */
  readonly cases: number;
  readonly passes: number;
  /** Cases per finding kind. */
  readonly findingCounts: Readonly<Partial<Record<FindingKind, number>>>;
  /** Each finding kind's minimal counterexample, failing kinds first, then in FINDING_KINDS order. */
  readonly findings: readonly VetFinding[];
  /**
   * The largest element error in ULPs over all cases (Infinity when some output was NaN or ±Inf where the
   * answer is finite).
   */
  readonly maxUlps: number;
  /**
   * Cases whose correctly rounded result the oracle could not decide within its precision cap (0 in every
   * case met so far).
   */
  readonly undetermined: number;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

const DEFAULTS = {
  op: 'softmax',
  format: 'f64',
  runs: 100,
  probes: true,
  specials: 'report',
  minLength: 1,
  maxLength: 262_144,
  shrinkEvals: 200,
  checkDeterminism: true,
  timeoutMs: 10_000,
  failOn: 'inaccurate',
  close: 'assert_close',
} as const;

/** Options with defaults filled in and every field validated. */
interface Resolved {
  readonly op: Op;
  readonly format: FormatName;
  readonly runs: number;
  readonly seed: number;
  readonly probes: boolean;
  readonly budget: number | undefined;
  readonly specials: SpecialsPolicy;
  readonly minLength: number;
  readonly maxLength: number;
  readonly shrinkEvals: number;
  readonly checkDeterminism: boolean;
  readonly timeoutMs: number;
  readonly failOn: Severity;
  readonly close: Closeness;
}

function bad(field: string, message: string): RangeError {
  return new RangeError(`${field}: ${message}`);
}

function nonNegativeInteger(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw bad(field, `must be a non-negative integer, got ${String(v)}`);
  return v;
}

function boolean(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw bad(field, `must be true or false, got ${String(v)}`);
  return v;
}

/**
 * Validates `vet`'s options, naming the field at fault, and fills in the defaults (the seed from
 * LOGITFUZZ_SEED or at random when not given).
 */
export function resolveVetOptions(options: VetOptions = {}): Resolved {
  if (options === null || typeof options !== 'object')
    throw bad('options', `must be an object, got ${String(options)}`);
  const op: unknown = options.op ?? DEFAULTS.op;
  if (typeof op !== 'string' || !isOp(op))
    throw bad('op', `unknown op '${String(op)}': ${expectedOneOf(OPS)}`);
  const format: unknown = options.format ?? DEFAULTS.format;
  if (typeof format !== 'string' || !isFormatName(format))
    throw bad('format', `unknown format '${String(format)}': ${expectedOneOf(FORMAT_NAMES)}`);
  const runs = nonNegativeInteger('runs', options.runs ?? DEFAULTS.runs);
  const probes = boolean('probes', options.probes ?? DEFAULTS.probes);
  const b: unknown = options.budget;
  if (b !== undefined && (typeof b !== 'number' || !(b >= 0)))
    throw bad('budget', `must be a number of ULPs ≥ 0, got ${String(b)}`);
  const specials: unknown = options.specials ?? DEFAULTS.specials;
  if (specials !== 'strict' && specials !== 'report' && specials !== 'skip')
    throw bad('specials', `must be 'strict', 'report' or 'skip', got ${String(specials)}`);
  const minLength = nonNegativeInteger('minLength', options.minLength ?? DEFAULTS.minLength);
  const maxLength = nonNegativeInteger('maxLength', options.maxLength ?? DEFAULTS.maxLength);
  if (minLength > maxLength) throw bad('minLength', `${minLength} exceeds maxLength ${maxLength}`);
  if (needsLabel(op) && minLength < 1)
    throw bad(
      'minLength',
      `op '${op}' takes a label in [0, n), so minLength must be at least 1, got ${minLength}`,
    );
  const shrinkEvals = nonNegativeInteger('shrinkEvals', options.shrinkEvals ?? DEFAULTS.shrinkEvals);
  const checkDeterminism = boolean('checkDeterminism', options.checkDeterminism ?? DEFAULTS.checkDeterminism);
  const timeoutMs: unknown = options.timeoutMs ?? DEFAULTS.timeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1)
    throw bad('timeoutMs', `must be a positive integer number of milliseconds, got ${String(timeoutMs)}`);
  if (runs === 0 && !probes) throw bad('runs', 'is 0 and probes is false: there would be nothing to run');
  const failOn: unknown = options.failOn ?? DEFAULTS.failOn;
  if (failOn !== 'inaccurate' && failOn !== 'wrong')
    throw bad('failOn', `must be 'inaccurate' or 'wrong', got ${String(failOn)}`);
  const closeText: unknown = options.close ?? DEFAULTS.close;
  let close: Closeness;
  try {
    close = parseCloseness(String(closeText));
  } catch (e) {
    throw bad('close', (e as Error).message);
  }
  const seed = resolveSeed(options.seed, 'seed');
  return {
    failOn,
    close,
    op,
    format,
    runs,
    seed,
    probes,
    budget: b as number | undefined,
    specials,
    minLength,
    maxLength,
    shrinkEvals,
    checkDeterminism,
    timeoutMs,
  };
}

/**
 * The user function as an Implementation, with a per-call timeout for promises; `timedOut` says whether the
 * last call ran out of time.
 */
function wrap(fn: SoftmaxLike, o: Resolved): { impl: AnyImplementation; timedOut: () => boolean } {
  const inner = userImplementation(`${o.op}/user/${o.format}`, fn, o.op, o.format);
  let timedOut = false;
  const impl: AnyImplementation = {
    ...inner,
    async run(rows, labels) {
      timedOut = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`no answer within ${o.timeoutMs} ms`));
        }, o.timeoutMs);
      });
      try {
        return await Promise.race([inner.run(rows, labels), limit]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return { impl, timedOut: () => timedOut };
}

/**
 * Fuzzes a JS function in-process against the correctly rounded oracle and returns a typed
 * verdict with each finding kind's minimal counterexample.
 *
 * What it runs: the format's probes (unless `probes: false`), then `runs` random cases from the
 * extreme-logit generators (`logits`), case j under a seed derived from `seed` — the cases
 * `logitfuzz vet --seed N --runs R --search 0` runs. Each case: the oracle's correctly rounded
 * result, one call of `fn` (two with `checkDeterminism`), and `judge` (docs/design.md, "Findings": the findings
 * table, budgets of the recommended algorithm). A throw is a `crash`, a wrong length or type a
 * `shape`, a changed input a `mutation`. Then each finding kind's first counterexample is shrunk
 * (shrinkCounterexample: delete elements, simplify values, keep the kind) and re-run for its
 * expected and actual values.
 *
 * In-process: `fn` runs on the calling thread (a function cannot cross a process boundary), so a
 * synchronous infinite loop hangs the caller and a `process.exit` ends it; a promise that does not
 * settle within `timeoutMs` is a `timeout`. For isolation use `logitfuzz vet MODULE`.
 *
 * Throws a TypeError when `fn` is not a function and a RangeError naming the field for a bad
 * option; never for anything `fn` does.
 */
export async function vet(fn: SoftmaxLike, options: VetOptions = {}): Promise<VetResult> {
  if (typeof fn !== 'function')
    throw new TypeError(`fn: expected the function to vet, got ${fn === null ? 'null' : typeof fn}`);
  const o = resolveVetOptions(options);
  const t0 = performance.now();
  const { impl, timedOut } = wrap(fn, o);
  const judgeOptions: JudgeOptions = {
    budget: o.budget,
    specials: o.specials,
    checkDeterminism: o.checkDeterminism,
    close: o.close,
  };
  const space: CaseSpace = {
    seed: o.seed,
    groups: [{ op: o.op, format: o.format }],
    constraints: { minLength: o.minLength, maxLength: o.maxLength, specials: o.specials !== 'skip' },
    probes: o.probes,
  };

  const evaluate = async (
    c: CaseInput,
    keepOutput: boolean,
  ): Promise<{ outcome: ImplOutcome; reference: OracleAnswer }> => {
    const reference = oracleAnswer(c);
    const outcome = await runCase(impl, c, reference, judgeOptions, keepOutput);
    if (!timedOut()) return { outcome, reference };
    // runCase reports a rejected call as a crash; ours ran out of time
    return { outcome: failedOutcome(impl.name, timeoutFinding(o.timeoutMs), outcome.ms), reference };
  };

  const total = (o.probes ? probeCount(space) : 0) + o.runs;
  // the campaign's aggregate: counts, the worst error and each kind's first counterexample
  const agg = emptyAggregate();
  let undetermined = 0;
  for (let id = 0; id < total; id++) {
    const c = caseAt(space, id);
    const { outcome, reference } = await evaluate(c, false);
    if (reference.undetermined.length > 0) undetermined++;
    addOutcome(
      agg,
      {
        id,
        region: c.region,
        n: c.x.length,
        B: 1 + (c.batch?.length ?? 0),
        map: mapBins(rowsOf(c).map((r) => r.x)),
      },
      outcome,
    );
  }

  const findings: VetFinding[] = [];
  for (const kind of FINDING_KINDS) {
    const first = agg.first[kind];
    if (!first) continue;
    const cex = counterexampleOf(first, (id) => caseAt(space, id));
    const min = await minimalCounterexample(
      cex,
      kind,
      o.op,
      o.format,
      (input, keepOutput) =>
        evaluate({ id: -1, op: o.op, format: o.format, region: cex.region, ...input }, keepOutput),
      o.shrinkEvals,
    );
    const { small, finding: f, reference } = min;
    // a finding in a further row of a batch shows that row: its input, expected and actual values
    const r = f.row ?? 0;
    const row = r === 0 ? { x: small.x, label: small.label } : small.batch![r - 1];
    const rowReference = r === 0 ? reference?.values : reference?.batch?.[r - 1]?.values;
    const rowOutput = r === 0 ? min.output : min.batchOutput?.[r - 1];
    const budgets =
      f.index >= 0 && rowReference
        ? budgetOf(o.op, o.format, row.x, row.label, o.budget, rowReference)
        : null;
    findings.push({
      kind,
      fails: failsAt(o.failOn, f.severity),
      severity: f.severity,
      input: row.x.slice(),
      ...(row.label !== undefined ? { label: row.label } : {}),
      ...(small.batch?.length ? { row: r, batchSize: 1 + small.batch.length } : {}),
      expected: rowReference ? Array.from(rowReference) : [],
      actual: rowOutput ? Array.from(rowOutput) : null,
      index: f.index,
      ulps: f.ulps ?? NaN,
      budget: budgets && f.index < budgets.length ? budgets[f.index] : NaN,
      diagnosis: f.diagnosis,
      original: cex.x.slice(),
      ...(cex.label !== undefined ? { originalLabel: cex.label } : {}),
      region: cex.region,
      caseId: cex.caseId,
      shrinkEvaluations: min.evaluations,
      count: agg.findingCounts[kind] ?? 0,
    });
  }
  findings.sort((a, b) => Number(b.fails) - Number(a.fails));
  const verdicts = {
    inaccurate: agg.passes < agg.cases ? 'fail' : 'pass',
    wrong: agg.wrongCases > 0 ? 'fail' : 'pass',
  } as const;
  return {
    verdict: verdicts[o.failOn],
    verdicts,
    failOn: o.failOn,
    op: o.op,
    format: o.format,
    seed: o.seed,
    cases: agg.cases,
    passes: agg.passes,
    findingCounts: agg.findingCounts,
    findings,
    maxUlps: agg.maxUlps,
    undetermined,
    ms: performance.now() - t0,
  };
}
