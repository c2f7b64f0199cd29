import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeNumber, decodeVector, encodeNumber, encodeVector } from '../formats/jsonNumber.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { failsVerdict } from '../metrics/findings.js';
import { type FindingKind } from '../vocabulary/FindingKind.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import {
  CASES_SCHEMA,
  RUN_SCHEMA,
  type CounterexampleRecord,
  type FindingRecord,
  type ImplementationRecord,
  type RunRecord,
} from '../report/schema.js';
import {
  addOutcome,
  emptyAggregate,
  HIST_EDGES,
  LENGTH_EDGES,
  MAP_EDGES,
  quantile,
  type Cell,
  type Counterexample,
  type ImplAggregate,
} from './aggregate.js';
import { caseAt, groupsOf, inShard, probeCount, type CaseSpace } from './cases.js';
import type { ImplSpec } from './implSpec.js';
import { WorkerPool, type CaseResult } from './pool.js';
import type { CaseInput, FindingData, ImplOutcome, JudgeOptions } from './protocol.js';
import { searchWorst, type SearchResult } from './search.js';
import { shrinkCounterexample } from './shrink.js';

/** What the campaign needs to know of an implementation besides how to load it. */
export interface ImplMeta {
  readonly name: string;
  readonly op: Op;
  readonly format: FormatName;
  readonly backend: string;
  readonly formula: string;
  readonly expected: 'pass' | 'fail';
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
  readonly minLength: number;
  readonly maxLength: number;
  /** Path of cases.jsonl (results stream here as they come), or null to keep nothing on disk. */
  readonly casesFile: string | null;
  readonly resume: boolean;
  /** Shrinking budget per counterexample (probes); 0 disables shrinking. @defaultValue 200 */
  readonly shrinkEvals: number;
  /** How to reproduce a finding on an input, for the record. */
  readonly replayCommand: (impl: string, x: number[], label: number | undefined) => string;
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
  /** Max old-space size of each worker in MB (PoolOptions.memoryMb): a module that exhausts it is a `crash`. @defaultValue 4096 */
  readonly memoryMb?: number;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly done: number;
  readonly total: number | null;
  readonly elapsedMs: number;
  readonly worst: Readonly<Record<string, number>>;
}

/** A configuration error found before anything runs (bad resume file, nothing to run). */
export class CampaignError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CampaignError';
  }
}

interface StoredOutcome {
  impl: string;
  findings: FindingRecord[];
  maxUlps: ReturnType<typeof encodeNumber>;
  maxBits: ReturnType<typeof encodeNumber>;
  pass: boolean;
  outOfFormat: number;
  ms: number;
}

interface CaseLine {
  id: number;
  op: Op;
  format: FormatName;
  region: string;
  x: ReturnType<typeof encodeVector>;
  label?: number;
  oracle?: ReturnType<typeof encodeVector>;
  undetermined?: number[];
  oracleError?: string;
  outcomes: StoredOutcome[];
}

const encodeFinding = (f: FindingData): FindingRecord => ({
  kind: f.kind,
  index: f.index,
  expected: f.expected === null ? null : encodeNumber(f.expected),
  actual: f.actual === null ? null : encodeNumber(f.actual),
  ulps: f.ulps === null ? null : encodeNumber(f.ulps),
  diagnosis: f.diagnosis,
});
const decodeFinding = (f: FindingRecord): FindingData => ({
  kind: f.kind,
  index: f.index,
  expected: f.expected === null ? null : decodeNumber(f.expected),
  actual: f.actual === null ? null : decodeNumber(f.actual),
  ulps: f.ulps === null ? null : decodeNumber(f.ulps),
  diagnosis: f.diagnosis,
});

function toLine(r: CaseResult): CaseLine {
  return {
    id: r.c.id,
    op: r.c.op,
    format: r.c.format,
    region: r.c.region,
    x: encodeVector(r.c.x),
    ...(r.c.label !== undefined ? { label: r.c.label } : {}),
    ...(r.oracle ? { oracle: encodeVector(r.oracle.values) } : {}),
    ...(r.oracle && r.oracle.undetermined.length ? { undetermined: [...r.oracle.undetermined] } : {}),
    ...(r.oracleError ? { oracleError: r.oracleError } : {}),
    outcomes: r.outcomes.map((o) => ({
      impl: o.impl,
      findings: o.findings.map(encodeFinding),
      maxUlps: encodeNumber(o.maxUlps),
      maxBits: encodeNumber(o.maxBits),
      pass: o.pass,
      outOfFormat: o.outOfFormat,
      ms: Math.round(o.ms * 1000) / 1000,
    })),
  };
}

function fromStored(o: StoredOutcome): ImplOutcome {
  return {
    impl: o.impl,
    findings: o.findings.map(decodeFinding),
    maxUlps: decodeNumber(o.maxUlps),
    maxBits: decodeNumber(o.maxBits),
    pass: o.pass,
    outOfFormat: o.outOfFormat,
    ms: o.ms,
  };
}

/** The part of the options that must match for `--resume` to continue a file. */
function resumeKey(o: CampaignOptions): string {
  return JSON.stringify({
    impls: o.specs.map((s) => s.name),
    seed: o.seed,
    runs: o.runs,
    shard: o.shard,
    judge: o.judge,
    minLength: o.minLength,
    maxLength: o.maxLength,
  });
}

/**
 * Reads a cases.jsonl left by an earlier (possibly killed) run: the header must match the current
 * options; a last line cut short by a kill (no newline, or not JSON) is dropped and the file is
 * truncated to the last complete line so that appending continues cleanly.
 */
function readForResume(file: string, key: string): { lines: CaseLine[]; validBytes: number } {
  const buf = readFileSync(file);
  const text = buf.toString('utf8');
  const lines: CaseLine[] = [];
  let pos = 0;
  let validBytes = 0;
  let header = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break; // an unterminated last line: cut by a kill
    const raw = text.slice(pos, nl);
    pos = nl + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      break;
    }
    if (!header) {
      const h = obj as { schema?: string; key?: string };
      if (h.schema !== CASES_SCHEMA)
        throw new CampaignError(
          `${file} is not a logitfuzz cases file (no ${CASES_SCHEMA} header): remove it or choose another --out`,
        );
      if (h.key !== key)
        throw new CampaignError(
          `${file} was written with other options (seed, implementations, runs, shard or judging): --resume needs the same options, or remove the file`,
        );
      header = true;
    } else lines.push(obj as CaseLine);
    validBytes = Buffer.byteLength(text.slice(0, pos), 'utf8');
  }
  if (!header) return { lines: [], validBytes: 0 };
  return { lines, validBytes };
}

/**
 * Runs a campaign: generate → run → exact → findings → record (Herbie's one-way pipeline).
 *
 * Cases are generated deterministically from the seed (cases.ts); each goes to a worker process
 * that computes the oracle once and runs every available implementation of the case's op and
 * format on it (pool.ts). Each finished case is appended to cases.jsonl at once, so a killed
 * campaign loses at most the cases in flight; `resume` reads the file back, skips the cases it
 * holds and appends the rest. Statistics are order-independent (sums, maxima, lowest-id
 * counterexamples), so the record does not depend on the number of workers or on which case
 * finished first. After the cases, each implementation's first counterexample of each finding
 * kind is shrunk (shrink.ts), in parallel on the pool.
 */
export async function runCampaign(o: CampaignOptions): Promise<RunRecord> {
  const startedAt = new Date();
  const t0 = performance.now();
  const pool = new WorkerPool(o.specs, { workers: o.workers, timeoutMs: o.timeoutMs, memoryMb: o.memoryMb });
  let fd: number | undefined;
  try {
    const availability = await pool.start();
    const available = o.meta.filter((m) => availability[m.name]?.available);
    const groups = groupsOf(available);
    const space: CaseSpace = {
      seed: o.seed,
      groups,
      constraints: { minLength: o.minLength, maxLength: o.maxLength, specials: o.judge.specials !== 'skip' },
      probes: o.probes ?? true,
    };
    const aggs = new Map<string, ImplAggregate>(available.map((m) => [m.name, emptyAggregate()]));
    const implsOf = new Map<string, string[]>();
    for (const m of available) {
      const k = `${m.op}/${m.format}`;
      implsOf.set(k, [...(implsOf.get(k) ?? []), m.name]);
    }
    // ids read back from cases.jsonl by --resume, to be skipped; new cases are only counted (a Set
    // of every id would grow with each case, and a Set holds at most 2^24 entries)
    const done = new Set<number>();
    let fresh = 0;
    let oracleMs = 0;
    let undetermined = 0;
    const consume = (line: CaseLine, resumed = false) => {
      if (resumed) done.add(line.id);
      else fresh++;
      if (line.undetermined?.length) undetermined++;
      const c = { id: line.id, region: line.region, x: decodeVector(line.x), label: line.label };
      for (const so of line.outcomes) {
        const agg = aggs.get(so.impl);
        if (agg) addOutcome(agg, c, fromStored(so));
      }
    };

    const key = resumeKey(o);
    if (o.casesFile) {
      mkdirSync(dirname(o.casesFile), { recursive: true });
      if (o.resume && existsSync(o.casesFile)) {
        const { lines, validBytes } = readForResume(o.casesFile, key);
        fd = openSync(o.casesFile, 'r+');
        ftruncateSync(fd, validBytes);
        closeSync(fd);
        fd = openSync(o.casesFile, 'a');
        if (validBytes === 0) writeSync(fd, JSON.stringify({ schema: CASES_SCHEMA, key }) + '\n');
        for (const l of lines) consume(l, true);
      } else {
        fd = openSync(o.casesFile, 'w');
        writeSync(fd, JSON.stringify({ schema: CASES_SCHEMA, key }) + '\n');
      }
    }

    const breaker = o.breakerTimeouts ?? 3;
    const timeoutsInARow = new Map<string, number>();
    const tripped = new Map<string, number>();
    const total = o.cases
      ? o.cases.length
      : o.runs === null || groups.length === 0
        ? null
        : probeCount(space) + o.runs * groups.length;
    const deadline = o.timeLimitS === null ? Infinity : t0 + o.timeLimitS * 1000;
    const worst: Record<string, number> = {};
    let next = 0;
    let completed = done.size;
    const inFlight = new Set<Promise<void>>();
    const limit = Math.max(1, o.workers) * 2;
    const nextId = (): number | null => {
      for (;;) {
        if (groups.length === 0) return null;
        if (total !== null && next >= total) return null;
        if (performance.now() >= deadline) return null;
        const id = next++;
        if (o.shard && !inShard(id, o.shard.index, o.shard.count)) continue;
        if (done.has(id)) continue;
        return id;
      }
    };
    for (;;) {
      while (inFlight.size < limit) {
        const id = nextId();
        if (id === null) break;
        const c = o.cases ? { ...o.cases[id], id } : caseAt(space, id);
        const impls = (implsOf.get(`${c.op}/${c.format}`) ?? []).filter((n) => !tripped.has(n));
        const p = pool.run(c, impls, o.judge).then((r) => {
          oracleMs += r.oracleMs;
          const line = toLine(r);
          if (fd !== undefined) writeSync(fd, JSON.stringify(line) + '\n');
          consume(line);
          completed++;
          for (const oc of r.outcomes) {
            worst[oc.impl] = Math.max(worst[oc.impl] ?? 0, oc.maxUlps);
            const timedOut = oc.findings.some((f) => f.kind === 'timeout');
            const n = timedOut ? (timeoutsInARow.get(oc.impl) ?? 0) + 1 : 0;
            timeoutsInARow.set(oc.impl, n);
            if (n >= breaker && !tripped.has(oc.impl)) tripped.set(oc.impl, aggs.get(oc.impl)?.cases ?? 0);
          }
          o.onProgress?.({ done: completed, total, elapsedMs: performance.now() - t0, worst });
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    if (fd !== undefined) {
      closeSync(fd);
      fd = undefined;
    }

    const metaOf = new Map(o.meta.map((m) => [m.name, m]));
    // search from each implementation's worst cases, in parallel across implementations
    const searches = new Map<string, { result: SearchResult; newKinds: string[] }>();
    if ((o.search ?? 0) > 0) {
      await Promise.all(
        [...aggs]
          .filter(([name]) => !tripped.has(name))
          .map(async ([name, agg]) => {
            const m = metaOf.get(name)!;
            const result = await searchWorst(
              agg.elite.map((e) => ({
                x: e.x,
                ...(e.label !== undefined ? { label: e.label } : {}),
                maxUlps: e.maxUlps,
                kinds: e.kinds,
              })),
              m.format,
              m.op,
              async (x, label) => {
                const r = await pool.run(
                  { id: -1, op: m.op, format: m.format, region: 'search', x: Float64Array.from(x), label },
                  [name],
                  o.judge,
                );
                const oc = r.outcomes[0];
                return { maxUlps: oc?.maxUlps ?? 0, findings: oc?.findings ?? [] };
              },
              o.search!,
              o.seed,
              name,
            );
            const newKinds: string[] = [];
            for (const [kind, f] of [...result.found].sort(([a], [b]) => a.localeCompare(b))) {
              if (agg.first[kind]) continue;
              newKinds.push(kind);
              agg.first[kind] = {
                caseId: -1,
                region: 'search',
                x: f.x,
                ...(f.label !== undefined ? { label: f.label } : {}),
                finding: f.finding,
              };
              agg.findingCounts[kind] = (agg.findingCounts[kind] ?? 0) + 1;
            }
            searches.set(name, { result, newKinds });
          }),
      );
    }
    // shrink every first counterexample, in parallel on the pool
    const shrunk = new Map<string, CounterexampleRecord>();
    const jobs: Promise<void>[] = [];
    for (const [name, agg] of aggs) {
      const m = metaOf.get(name)!;
      for (const [kind, cex] of Object.entries(agg.first)) {
        jobs.push(
          shrinkOne(pool, m, kind, cex, o).then((rec) => {
            shrunk.set(`${name}\u0000${kind}`, rec);
          }),
        );
      }
    }
    await Promise.all(jobs);

    const implementations: ImplementationRecord[] = o.meta.map((m) => {
      const av = availability[m.name];
      const agg = aggs.get(m.name);
      if (!av?.available || !agg) {
        return {
          name: m.name,
          op: m.op,
          format: m.format,
          backend: m.backend,
          formula: m.formula,
          expected: m.expected,
          verdict: 'unavailable',
          unavailableReason: av?.reason ?? 'not started',
          cases: 0,
          passes: 0,
          findingCounts: {},
          counterexamples: {},
          ulp: {
            max: 0,
            p50: 0,
            p90: 0,
            p99: 0,
            meanBits: 0,
            sumMicroBits: 0,
            histogram: new Array(HIST_EDGES.length).fill(0),
            worstCaseId: -1,
          },
          regions: {},
          errorMap: {},
          byLength: {},
          outOfFormat: 0,
          timing: { ms: 0 },
        };
      }
      const counterexamples: Record<string, CounterexampleRecord> = {};
      for (const kind of Object.keys(agg.first).sort())
        counterexamples[kind] = shrunk.get(`${m.name}\u0000${kind}`)!;
      const failing = Object.keys(agg.findingCounts).filter((k) =>
        failsVerdict(k as FindingKind, o.judge.specials),
      );
      return {
        name: m.name,
        op: m.op,
        format: m.format,
        backend: m.backend,
        formula: m.formula,
        expected: m.expected,
        verdict: failing.length > 0 ? 'fail' : 'pass',
        ...(tripped.has(m.name) ? { trippedAfter: tripped.get(m.name)! } : {}),
        cases: agg.cases,
        passes: agg.passes,
        findingCounts: Object.fromEntries(
          Object.keys(agg.findingCounts)
            .sort()
            .map((k) => [k, agg.findingCounts[k]]),
        ),
        counterexamples,
        ulp: {
          max: encodeNumber(agg.maxUlps),
          p50: encodeNumber(quantile(agg.histogram, 0.5)),
          p90: encodeNumber(quantile(agg.histogram, 0.9)),
          p99: encodeNumber(quantile(agg.histogram, 0.99)),
          meanBits: agg.cases ? agg.sumMicroBits / 1e6 / agg.cases : 0,
          sumMicroBits: agg.sumMicroBits,
          histogram: agg.histogram,
          worstCaseId: agg.worstCase,
        },
        regions: Object.fromEntries(
          Object.keys(agg.regions)
            .sort()
            .map((k) => [k, agg.regions[k]]),
        ),
        ...(searches.has(m.name)
          ? {
              search: {
                evaluations: searches.get(m.name)!.result.evaluations,
                maxUlps: encodeNumber(searches.get(m.name)!.result.best.maxUlps),
                worstInput: encodeVector(searches.get(m.name)!.result.best.x),
                ...(searches.get(m.name)!.result.best.label !== undefined
                  ? { worstLabel: searches.get(m.name)!.result.best.label }
                  : {}),
                newKinds: searches.get(m.name)!.newKinds,
                firstFindingAt: searches.get(m.name)!.result.firstFindingAt,
              },
            }
          : {}),
        errorMap: cells(agg.map),
        byLength: cells(agg.lengths),
        outOfFormat: agg.outOfFormat,
        ...(av.environment ? { environment: av.environment } : {}),
        timing: { ms: Math.round(agg.ms) },
      };
    });
    const cases = done.size + fresh;
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
      },
      histogramEdges: HIST_EDGES.map((e) => encodeNumber(e)),
      mapEdges: MAP_EDGES.map((e) => encodeNumber(e)),
      lengthEdges: LENGTH_EDGES.map((e) => encodeNumber(e)),
      totals: { cases, oracleUndetermined: undetermined },
      implementations,
      environment: o.environment,
      timing: {
        startedAt: startedAt.toISOString(),
        wallMs: Math.round(performance.now() - t0),
        oracleMs: Math.round(oracleMs),
        workers: o.workers,
      },
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
    await pool.close();
  }
}

function cells(
  m: Record<string, Cell>,
): Record<
  string,
  { cases: number; failures: number; maxUlps: ReturnType<typeof encodeNumber>; kinds: Record<string, number> }
> {
  const out: Record<
    string,
    {
      cases: number;
      failures: number;
      maxUlps: ReturnType<typeof encodeNumber>;
      kinds: Record<string, number>;
    }
  > = {};
  for (const k of Object.keys(m).sort()) {
    const c = m[k];
    out[k] = {
      cases: c.cases,
      failures: c.failures,
      maxUlps: encodeNumber(c.maxUlps),
      kinds: Object.fromEntries(
        Object.keys(c.kinds)
          .sort()
          .map((q) => [q, c.kinds[q]]),
      ),
    };
  }
  return out;
}

async function shrinkOne(
  pool: WorkerPool,
  m: ImplMeta,
  kind: string,
  cex: Counterexample,
  o: CampaignOptions,
): Promise<CounterexampleRecord> {
  const probeCase = (x: Float64Array, label: number | undefined) =>
    pool.run({ id: -1, op: m.op, format: m.format, region: cex.region, x, label }, [m.name], o.judge, true);
  // hangs cost a full timeout per probe: shrink them only a little
  const budget = kind === 'timeout' ? Math.min(o.shrinkEvals, 6) : o.shrinkEvals;
  const { cex: small, evaluations } = await shrinkCounterexample(
    cex,
    m.format,
    m.op,
    needsLabel(m.op),
    async (x, label) => {
      const r = await probeCase(x, label);
      return r.outcomes[0]?.findings.find((f) => f.kind === kind);
    },
    budget,
  );
  const final = await probeCase(Float64Array.from(small.x), small.label);
  const out = final.outcomes[0]?.output;
  return {
    caseId: cex.caseId,
    region: cex.region,
    input: encodeVector(small.x),
    ...(small.label !== undefined ? { label: small.label } : {}),
    original: encodeVector(cex.x),
    ...(cex.label !== undefined ? { originalLabel: cex.label } : {}),
    finding: encodeFinding(final.outcomes[0]?.findings.find((f) => f.kind === kind) ?? small.finding),
    expected: final.oracle ? encodeVector(final.oracle.values) : [],
    actual: out ? encodeVector(out) : null,
    shrinkEvaluations: evaluations,
    replay: o.replayCommand(m.name, small.x, small.label),
  };
}
