import { encodeNumber, encodeVector, type JsonNumber } from '../formats/jsonNumber.js';
import { BIN_COUNT, HIST_EDGES, quantile } from '../metrics/histogram.js';
import { ASSERT_CLOSE } from '../metrics/closeness.js';
import type { Severity } from '../vocabulary/Severity.js';
import {
  RUN_SCHEMA,
  type CellRecord,
  type CounterexampleRecord,
  type ImplementationRecord,
  type RunRecord,
} from '../report/schema.js';
import { FINDING_KINDS, type FindingKind } from '../vocabulary/FindingKind.js';
import { LENGTH_EDGES, MAP_EDGES, type Cell, type ImplAggregate, type Tally } from './aggregate.js';
import type { CaseSpace } from './cases.js';
import type { CampaignOptions, ImplMeta } from './options.js';
import type { AvailabilityInfo } from './pool.js';
import type { SearchOutcome } from './postprocess.js';

/** The kinds present in a partial record, in the record's (alphabetical) key order. */
function presentKinds<T>(r: Partial<Record<FindingKind, T>>): FindingKind[] {
  return FINDING_KINDS.filter((k) => r[k] !== undefined).sort();
}

function sortedKeys<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );
}

function cells(m: Record<string, Cell>): Record<string, CellRecord> {
  const out: Record<string, CellRecord> = {};
  for (const k of Object.keys(m).sort()) {
    const c = m[k];
    out[k] = {
      cases: c.cases,
      failures: c.failures,
      maxUlps: encodeNumber(c.maxUlps),
      kinds: Object.fromEntries(presentKinds(c.kinds).map((q) => [q, c.kinds[q]!])),
    };
  }
  return out;
}

function unavailable(m: ImplMeta, reason: string): ImplementationRecord {
  return {
    ...m,
    verdict: 'unavailable',
    verdicts: { inaccurate: 'unavailable', wrong: 'unavailable' },
    unavailableReason: reason,
    cases: 0,
    passes: 0,
    severityCounts: { inaccurate: 0, wrong: 0 },
    findingCounts: {},
    wrongCounts: {},
    counterexamples: {},
    ulp: {
      max: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      meanBits: 0,
      sumMicroBits: 0,
      histogram: new Array<number>(BIN_COUNT).fill(0),
      worstCaseId: -1,
    },
    regions: {},
    errorMap: {},
    byLength: {},
    outOfFormat: 0,
    timing: { ms: 0 },
  };
}

function searchRecord(s: SearchOutcome): NonNullable<ImplementationRecord['search']> {
  const best = s.result.best;
  return {
    evaluations: s.result.evaluations,
    maxUlps: encodeNumber(best.maxUlps),
    worstInput: encodeVector(best.x),
    ...(best.label !== undefined ? { worstLabel: best.label } : {}),
    newKinds: s.newKinds,
    firstFindingAt: s.result.firstFindingAt,
  };
}

/** One implementation's record from its aggregate, shrunk counterexamples and search. */
function implementationRecord(
  m: ImplMeta,
  agg: ImplAggregate,
  failOn: Severity,
  shrunk: Partial<Record<FindingKind, CounterexampleRecord>>,
  search: SearchOutcome | undefined,
  trippedAfter: number | undefined,
  environment: Record<string, string> | undefined,
): ImplementationRecord {
  const kinds = presentKinds(agg.findingCounts);
  const q = (p: number): JsonNumber => encodeNumber(quantile(agg.histogram, agg.maxUlps, p));
  const verdicts = {
    inaccurate: agg.passes < agg.cases ? 'fail' : 'pass',
    wrong: agg.wrongCases > 0 ? 'fail' : 'pass',
  } as const;
  return {
    ...m,
    verdict: verdicts[failOn],
    verdicts,
    ...(trippedAfter !== undefined ? { trippedAfter } : {}),
    cases: agg.cases,
    passes: agg.passes,
    severityCounts: { inaccurate: agg.inaccurateCases, wrong: agg.wrongCases },
    findingCounts: Object.fromEntries(kinds.map((k) => [k, agg.findingCounts[k]!])),
    wrongCounts: Object.fromEntries(presentKinds(agg.wrongCounts).map((k) => [k, agg.wrongCounts[k]!])),
    counterexamples: Object.fromEntries(presentKinds(agg.first).map((k) => [k, shrunk[k]!])),
    ulp: {
      max: encodeNumber(agg.maxUlps),
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      meanBits: agg.cases ? agg.sumMicroBits / 1e6 / agg.cases : 0,
      sumMicroBits: agg.sumMicroBits,
      histogram: agg.histogram,
      worstCaseId: agg.worstCase,
    },
    regions: sortedKeys(agg.regions),
    ...(search ? { search: searchRecord(search) } : {}),
    errorMap: cells(agg.map),
    byLength: cells(agg.lengths),
    outOfFormat: agg.outOfFormat,
    ...(environment ? { environment } : {}),
    timing: { ms: Math.round(agg.ms) },
  };
}

/** What the record stage is given: everything the stages before it produced. */
export interface RecordInputs {
  readonly options: CampaignOptions;
  readonly availability: Readonly<Record<string, AvailabilityInfo>>;
  readonly tally: Tally;
  readonly tripped: ReadonlyMap<string, number>;
  readonly searches: ReadonlyMap<string, SearchOutcome>;
  readonly shrunk: ReadonlyMap<string, Partial<Record<FindingKind, CounterexampleRecord>>>;
  readonly startedAt: Date;
  readonly wallMs: number;
  readonly oracleMs: number;
  /** The cases' space (what regenerates a case from its id), or null for cases from a list. */
  readonly space: CaseSpace | null;
}

/**
 * The record stage (docs/design.md, "Records"): `results.json`, schema `logitfuzz/run@2`, a
 * serialisable value every report is a pure function of. Every field but `timing`,
 * `environment` and `command` is determined by the seed and the options.
 */
export function runRecord(r: RecordInputs): RunRecord {
  const o = r.options;
  const implementations = o.meta.map((m) => {
    const av = r.availability[m.name];
    const agg = r.tally.aggs.get(m.name);
    if (!av?.available || !agg) return unavailable(m, av?.reason ?? 'not started');
    return implementationRecord(
      m,
      agg,
      o.failOn ?? 'inaccurate',
      r.shrunk.get(m.name) ?? {},
      r.searches.get(m.name),
      r.tripped.get(m.name),
      av.environment,
    );
  });
  return {
    schema: RUN_SCHEMA,
    logitfuzzVersion: o.version,
    seed: o.seed,
    command: o.command,
    ...(o.commit ? { commit: o.commit } : {}),
    config: {
      impls: o.specs.map((s) => s.name),
      runs: o.runs,
      timeLimitS: o.timeLimitS,
      shard: o.shard,
      specials: o.judge.specials,
      budget: o.judge.budget ?? null,
      minLength: o.minLength,
      maxLength: o.maxLength,
      timeoutMs: o.timeoutMs,
      search: o.search ?? 0,
      failOn: o.failOn ?? 'inaccurate',
      close: o.judge.close ?? ASSERT_CLOSE,
      caseSpace: r.space
        ? {
            groups: r.space.groups.map((g) => ({ op: g.op, format: g.format })),
            constraints: {
              ...(r.space.constraints.minLength !== undefined
                ? { minLength: r.space.constraints.minLength }
                : {}),
              ...(r.space.constraints.maxLength !== undefined
                ? { maxLength: r.space.constraints.maxLength }
                : {}),
              ...(r.space.constraints.specials !== undefined
                ? { specials: r.space.constraints.specials }
                : {}),
            },
            probes: r.space.probes,
            maxBatch: r.space.maxBatch ?? 64,
          }
        : null,
    },
    histogramEdges: HIST_EDGES.map((e) => encodeNumber(e)),
    mapEdges: MAP_EDGES.map((e) => encodeNumber(e)),
    lengthEdges: LENGTH_EDGES.map((e) => encodeNumber(e)),
    totals: { cases: r.tally.cases, oracleUndetermined: r.tally.undetermined },
    implementations,
    environment: o.environment,
    timing: {
      startedAt: r.startedAt.toISOString(),
      wallMs: r.wallMs,
      oracleMs: Math.round(r.oracleMs),
      workers: o.workers,
    },
  };
}
