// Blame in the middle of a case, with two cases in flight per worker (pool.ts PIPELINE_DEPTH): a
// worker reports a case in one message and says which call is running only in its progress file,
// so a death after some implementations already ran loses their outcomes with the process. The
// dying call must be blamed (not its neighbours), the lost outcomes computed again, the case
// queued behind it run whole, and every case's line must list the implementations in the order
// given — as if nothing had died.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/report/schema.js';
import { builtin, campaign, implRecord, moduleImpl, stableImpl } from './_campaign.js';

const FIRST = builtin('softmax/max-shifted/f64');
const EXITS = moduleImpl('softmax/exits/f64', 'exits.mjs');
const MIDDLE = builtin('softmax/naive/f64');
const HANGS = moduleImpl('softmax/hangs/f64', 'hang.mjs');
const LAST = builtin('softmax/pairwise/f64');
const ORDER = [FIRST, EXITS, MIDDLE, HANGS, LAST];

const OPTIONS = { seed: 4, runs: 8, workers: 2, timeoutMs: 400, shrinkEvals: 2, maxBatch: 4 } as const;

describe('blame when a worker dies in the middle of a case', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-blame-'));
  let faulty: RunRecord;
  let clean: RunRecord;
  let lines: { id: number; outcomes: { impl: string; f?: { kind: string; diagnosis: string }[] }[] }[];

  beforeAll(async () => {
    faulty = await campaign(ORDER, { ...OPTIONS, casesFile: join(dir, 'cases.jsonl') });
    clean = await campaign([FIRST, MIDDLE, LAST], OPTIONS);
    lines = readFileSync(join(dir, 'cases.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .slice(1)
      .map((l) => JSON.parse(l) as (typeof lines)[number]);
  }, 180_000);

  it('blames the process.exit on the implementation that called it, on every case', () => {
    const r = implRecord(faulty, EXITS.meta.name);
    expect(r.cases).toBe(faulty.totals.cases);
    expect(r.findingCounts).toEqual({ crash: r.cases });
    expect(r.counterexamples.crash.finding.diagnosis).toMatch(/^worker exited with code 3/);
  });

  it('blames the hang on the implementation that hangs, until the breaker stops it', () => {
    const r = implRecord(faulty, HANGS.meta.name);
    expect(r.findingCounts).toEqual({ timeout: r.cases });
    expect(r.counterexamples.timeout.finding.diagnosis).toBe('no answer within 400 ms');
    expect(r.trippedAfter).toBeGreaterThanOrEqual(3);
    expect(r.cases).toBeLessThan(faulty.totals.cases);
  });

  it('lists every case’s outcomes in the order given, each implementation once', () => {
    expect(lines).toHaveLength(faulty.totals.cases);
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    const names = ORDER.map((i) => i.meta.name);
    for (const l of lines) {
      const got = l.outcomes.map((o) => o.impl);
      expect(got, `case ${l.id}`).toEqual(names.filter((n) => got.includes(n)));
      // only the hanging one may be missing, once the breaker has stopped it
      expect(
        names.filter((n) => !got.includes(n)),
        `case ${l.id}`,
      ).toEqual(got.includes(HANGS.meta.name) ? [] : [HANGS.meta.name]);
    }
  });

  it('leaves the implementations before, between and after them exactly as without them', () => {
    expect(faulty.totals.cases).toBe(clean.totals.cases);
    for (const { meta } of [FIRST, MIDDLE, LAST])
      expect(stableImpl(faulty, meta.name), meta.name).toEqual(stableImpl(clean, meta.name));
    // not trivially equal: the naive softmax fails with findings, the others pass
    expect(implRecord(clean, MIDDLE.meta.name).verdict).toBe('fail');
    expect(implRecord(clean, FIRST.meta.name).cases).toBe(clean.totals.cases);
  });
});
