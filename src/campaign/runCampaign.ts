import { Tally } from './aggregate.js';
import { CircuitBreaker } from './breaker.js';
import { caseAt, groupAt, groupsOf, inShard, probeCount, type CaseSpace } from './cases.js';
import type { CampaignOptions } from './options.js';
import { WorkerPool } from './pool.js';
import { searchAll, shrinkAll } from './postprocess.js';
import { runRecord } from './record.js';
import type { RunRecord } from '../report/schema.js';
import { schedule } from './scheduler.js';
import { openStore, toLine } from './store.js';

/** The part of the options that must match for `--resume` to continue a store. */
function resumeKey(o: CampaignOptions): string {
  const { seed, runs, shard, judge, minLength, maxLength } = o;
  return JSON.stringify({
    impls: o.specs.map((s) => s.name),
    seed,
    runs,
    shard,
    judge,
    minLength,
    maxLength,
    maxBatch: o.maxBatch ?? 64,
  });
}

/**
 * Runs a campaign along the one-way pipeline of docs/design.md, "Campaign": cases (cases.ts) →
 * store (store.ts) → scheduler (scheduler.ts, breaker.ts; each case's oracle and judging happen
 * in a worker, runCase.ts) → aggregate (aggregate.ts) → post-process (postprocess.ts: search,
 * then shrink) → record (record.ts). Statistics are order-independent, so the record does not
 * depend on the number of workers or on which case finished first.
 */
export async function runCampaign(o: CampaignOptions): Promise<RunRecord> {
  const startedAt = new Date();
  const t0 = performance.now();
  const pool = new WorkerPool(o.specs, { workers: o.workers, timeoutMs: o.timeoutMs, memoryMb: o.memoryMb });
  const store = { close: () => {} };
  try {
    const availability = await pool.start();
    const available = o.meta.filter((m) => availability[m.name]?.available);
    const groups = groupsOf(available);
    const space: CaseSpace = {
      seed: o.seed,
      groups,
      constraints: { minLength: o.minLength, maxLength: o.maxLength, specials: o.judge.specials !== 'skip' },
      probes: o.probes ?? true,
      maxBatch: o.maxBatch ?? 64,
    };
    const tally = new Tally(available.map((m) => m.name));
    const opened = openStore(o.casesFile, resumeKey(o), o.resume, (line) => tally.add(line, true));
    // the workers generate the campaign's cases from their ids; an explicit list is sent whole
    if (!o.cases) pool.setSpace(space);
    store.close = opened.close;
    const caseOf = (id: number) => (o.cases ? { ...o.cases[id], id } : caseAt(space, id));
    const breaker = new CircuitBreaker(o.breakerTimeouts ?? 3);
    const total =
      o.cases?.length ??
      (o.runs === null || !groups.length ? null : probeCount(space) + o.runs * groups.length);
    const deadline = o.timeLimitS === null ? Infinity : t0 + o.timeLimitS * 1000;
    const worst: Record<string, number> = {};
    let next = 0;
    let oracleMs = 0;
    await schedule({
      pool,
      judge: o.judge,
      inFlight: Math.max(1, o.workers) * 2,
      next: () => {
        for (;;) {
          if (!groups.length || (total !== null && next >= total) || performance.now() >= deadline)
            return null;
          const id = next++;
          if ((o.shard && !inShard(id, o.shard.index, o.shard.count)) || tally.resumedIds.has(id)) continue;
          if (!o.cases) return { c: id, group: groupAt(space, id) };
          const c = caseOf(id);
          return { c, group: c };
        }
      },
      implsFor: (g) =>
        available
          .filter((m) => m.op === g.op && m.format === g.format && !breaker.tripped.has(m.name))
          .map((m) => m.name),
      onResult: (r) => {
        oracleMs += r.oracleMs;
        const line = toLine(r);
        opened.append(line);
        tally.add(line, false);
        for (const oc of r.outcomes) worst[oc.impl] = Math.max(worst[oc.impl] ?? 0, oc.maxUlps);
        breaker.observe(r.outcomes, (n) => tally.aggs.get(n)?.cases ?? 0);
        o.onProgress?.({ done: tally.cases, total, elapsedMs: performance.now() - t0, worst });
      },
    });
    opened.close();
    const meta = new Map(o.meta.map((m) => [m.name, m]));
    const searches = await searchAll(
      pool,
      tally.aggs,
      meta,
      o.judge,
      o.search ?? 0,
      o.seed,
      breaker.tripped,
      caseOf,
    );
    const shrunk = await shrinkAll(
      pool,
      tally.aggs,
      meta,
      o.judge,
      o.shrinkEvals,
      o.replayCommand,
      caseOf,
      !o.cases,
    );
    const wallMs = Math.round(performance.now() - t0);
    return runRecord({
      options: o,
      availability,
      tally,
      tripped: breaker.tripped,
      searches,
      shrunk,
      startedAt,
      wallMs,
      oracleMs,
      space: o.cases ? null : space,
    });
  } finally {
    store.close();
    await pool.close();
  }
}
