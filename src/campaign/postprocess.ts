import { encodeVector } from '../formats/jsonNumber.js';
import type { CounterexampleRecord } from '../report/schema.js';
import { FINDING_KINDS, type FindingKind } from '../vocabulary/FindingKind.js';
import type { ImplAggregate } from './aggregate.js';
import { minimalCounterexample } from './counterexample.js';
import type { ImplMeta } from './options.js';
import type { WorkerPool } from './pool.js';
import type { JudgeOptions } from './protocol.js';
import { searchWorst, type SearchResult } from './search.js';
import { encodeFinding } from './store.js';

/** An implementation's search: its result, and the finding kinds it met that the cases had not. */
export interface SearchOutcome {
  readonly result: SearchResult;
  readonly newKinds: FindingKind[];
}

/**
 * The search step of post-processing (`--search N`): from each running implementation's worst
 * cases, an error-maximising search of `evaluations` steps (search.ts), all implementations in
 * parallel on the pool. A kind the search meets that the cases had not joins the aggregate as its
 * first counterexample (case id −1, region 'search').
 */
export async function searchAll(
  pool: WorkerPool,
  aggs: ReadonlyMap<string, ImplAggregate>,
  meta: ReadonlyMap<string, ImplMeta>,
  judge: JudgeOptions,
  evaluations: number,
  seed: number,
  skip: ReadonlyMap<string, number>,
): Promise<Map<string, SearchOutcome>> {
  const out = new Map<string, SearchOutcome>();
  if (evaluations <= 0) return out;
  await Promise.all(
    [...aggs]
      .filter(([name]) => !skip.has(name))
      .map(async ([name, agg]) => {
        const m = meta.get(name)!;
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
              judge,
            );
            const oc = r.outcomes[0];
            return { maxUlps: oc?.maxUlps ?? 0, findings: oc?.findings ?? [] };
          },
          evaluations,
          seed,
          name,
        );
        const newKinds: FindingKind[] = [];
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
        out.set(name, { result, newKinds });
      }),
  );
  return out;
}

/**
 * The shrink step of post-processing: every implementation's first counterexample of every kind,
 * shrunk to a minimal one (counterexample.ts), in parallel on the pool. Keyed by implementation,
 * then kind.
 */
export async function shrinkAll(
  pool: WorkerPool,
  aggs: ReadonlyMap<string, ImplAggregate>,
  meta: ReadonlyMap<string, ImplMeta>,
  judge: JudgeOptions,
  shrinkEvals: number,
  replayCommand: (impl: string, x: number[], label: number | undefined, kind: FindingKind) => string,
): Promise<Map<string, Partial<Record<FindingKind, CounterexampleRecord>>>> {
  const out = new Map<string, Partial<Record<FindingKind, CounterexampleRecord>>>();
  const jobs: Promise<void>[] = [];
  for (const [name, agg] of aggs) {
    const m = meta.get(name)!;
    const mine: Partial<Record<FindingKind, CounterexampleRecord>> = {};
    out.set(name, mine);
    for (const kind of FINDING_KINDS) {
      const cex = agg.first[kind];
      if (!cex) continue;
      const evaluate = async (x: Float64Array, label: number | undefined, keepOutput: boolean) => {
        const r = await pool.run(
          { id: -1, op: m.op, format: m.format, region: cex.region, x, label },
          [name],
          judge,
          keepOutput,
        );
        return { outcome: r.outcomes[0], reference: r.oracle };
      };
      jobs.push(
        minimalCounterexample(cex, kind, m.op, m.format, evaluate, shrinkEvals).then((min) => {
          mine[kind] = {
            caseId: cex.caseId,
            region: cex.region,
            input: encodeVector(min.small.x),
            ...(min.small.label !== undefined ? { label: min.small.label } : {}),
            original: encodeVector(cex.x),
            ...(cex.label !== undefined ? { originalLabel: cex.label } : {}),
            finding: encodeFinding(min.finding),
            expected: min.reference ? encodeVector(min.reference.values) : [],
            actual: min.output ? encodeVector(min.output) : null,
            shrinkEvaluations: min.evaluations,
            replay: replayCommand(name, min.small.x, min.small.label, kind),
          };
        }),
      );
    }
  }
  await Promise.all(jobs);
  return out;
}
