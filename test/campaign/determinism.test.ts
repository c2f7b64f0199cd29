import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, stable } from './_cli.js';

const IMPLS = 'softmax/naive/f64,softmax/max-shifted/f32,log_softmax/max-shifted/f16,cross_entropy/bhh/bf16';

describe('run: determinism, sharding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-det-'));
  // each test makes the runs it reads (memoised, so running the file in order makes each once):
  // a test run alone with -t must not depend on a run made by the test before it
  const made = new Map<string, ReturnType<typeof cli>>();
  const run = (out: string, ...extra: string[]): ReturnType<typeof cli> => {
    let r = made.get(out);
    if (!r) {
      r = cli(['run', '--impl', IMPLS, '--runs', '25', '--seed', '11', '--out', join(dir, out), ...extra]);
      made.set(out, r);
    }
    return r;
  };
  const unsharded = () => run('a', '--workers', '2');
  const shard = (i: 1 | 2) => run(`s${i}`, '--shard', `${i}/2`);

  it('gives identical findings, counterexamples and statistics with the same seed, across worker counts', () => {
    const a = unsharded();
    const b = run('b', '--workers', '1');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(stable(join(dir, 'b', 'results.json'))).toEqual(stable(join(dir, 'a', 'results.json')));
    const rec = JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8')) as {
      implementations: {
        name: string;
        verdict: string;
        counterexamples: Record<string, { input: unknown[] }>;
      }[];
    };
    const naive = rec.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    expect(naive.verdict).toBe('fail');
    expect(naive.counterexamples.overflow.input.length).toBeLessThanOrEqual(2);
  });

  it('two shards merged equal one unsharded run', () => {
    // a shard sees half the cases, so a known-bad implementation may pass it: exit 0 or 1
    expect([0, 1]).toContain(shard(1).status);
    expect([0, 1]).toContain(shard(2).status);
    expect(unsharded().status).toBe(0);
    const m = cli(['merge', join(dir, 'merged'), join(dir, 's1'), join(dir, 's2')]);
    expect(m.status, m.stderr).toBe(0);
    expect(stable(join(dir, 'merged', 'results.json'))).toEqual(stable(join(dir, 'a', 'results.json')));
  });

  it('merge refuses a missing shard and shards of different runs', () => {
    shard(1);
    unsharded();
    const m = cli(['merge', join(dir, 'x'), join(dir, 's1')]);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/missing shard\(s\) 2\/2/);
    const n = cli(['merge', join(dir, 'y'), join(dir, 's1'), join(dir, 'a')]);
    expect(n.status).toBe(2);
  });
});
