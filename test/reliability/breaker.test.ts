// The circuit breaker (campaign.ts, breakerTimeouts): an implementation that times out on every
// case is stopped after a few and reported, and the campaign spends its cases on the others. And
// the error-maximising search gives up on an implementation that only crashes (search.ts,
// SEARCH_GIVE_UP), instead of spending its whole budget on replaced workers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/report/schema.js';
import { SEARCH_GIVE_UP } from '../../src/campaign/search.js';
import { builtin, campaign, implRecord, moduleImpl } from './_campaign.js';

const WORKERS = 2;
const BREAKER = 3;
// cases the campaign may already have handed out when the breaker trips: two per worker in flight
const IN_FLIGHT = 2 * WORKERS;
// shrinking a timeout is capped at 6 probes (campaign.ts), plus the final probe of the shrunk input
const SHRINK_TIMEOUTS = 6 + 1;

describe('circuit breaker', () => {
  let r: RunRecord;
  beforeAll(async () => {
    r = await campaign(
      [moduleImpl('softmax/never-resolves/f64', 'neverResolves.mjs'), builtin('softmax/max-shifted/f64')],
      {
        seed: 3,
        runs: 40,
        workers: WORKERS,
        timeoutMs: 500,
        shrinkEvals: 50,
        breakerTimeouts: BREAKER,
      },
    );
  }, 60_000);

  it('stops an implementation that times out on every case after a few, and reports it', () => {
    const hang = implRecord(r, 'softmax/never-resolves/f64');
    expect(hang.verdict).toBe('fail');
    expect(hang.trippedAfter).toBeDefined();
    expect(hang.trippedAfter!).toBeGreaterThanOrEqual(BREAKER);
    expect(hang.trippedAfter!).toBeLessThanOrEqual(hang.cases);
    // every call it was given timed out; only a handful were given
    expect(hang.findingCounts).toEqual({ timeout: hang.cases });
    expect(hang.cases).toBeGreaterThanOrEqual(BREAKER);
    expect(hang.cases).toBeLessThanOrEqual(BREAKER + IN_FLIGHT);
    expect(hang.counterexamples.timeout.finding.diagnosis).toBe('no answer within 500 ms');
    // shrinking a hang is cheap too: every shrinking probe is one more timeout
    expect(hang.counterexamples.timeout.shrinkEvaluations).toBeLessThanOrEqual(SHRINK_TIMEOUTS - 1);
  });

  it('runs every case on the other implementation', () => {
    const good = implRecord(r, 'softmax/max-shifted/f64');
    expect(good.trippedAfter).toBeUndefined();
    expect(good.cases).toBe(r.totals.cases);
    expect(r.totals.cases).toBeGreaterThan(40); // probes + runs
    expect(good.verdict).toBe('pass');
    // the timeouts are a small fraction of the calls made
    expect(implRecord(r, 'softmax/never-resolves/f64').cases * 5).toBeLessThan(good.cases);
  });
});

describe('search on an implementation that crashes on every input', () => {
  it('gives up after a few crashing evaluations instead of spending the whole budget', async () => {
    const r = await campaign([moduleImpl('softmax/throws/f64', 'throws.mjs'), builtin('softmax/naive/f64')], {
      seed: 4,
      runs: 5,
      probes: false,
      search: 200,
      shrinkEvals: 2,
    });
    const crashing = implRecord(r, 'softmax/throws/f64');
    expect(crashing.findingCounts).toEqual({ crash: 5 });
    expect(crashing.search!.evaluations).toBe(SEARCH_GIVE_UP);
    // an implementation that computes something keeps climbing for the whole budget
    expect(implRecord(r, 'softmax/naive/f64').search!.evaluations).toBe(200);
  }, 60_000);
});
