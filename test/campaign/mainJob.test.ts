/**
 * The README's main job, `logitfuzz run` with its default options over the whole zoo (a fixed
 * seed so that the cases are the same every time): every implementation earns the grade it is
 * expected to earn at both levels (exit 0), and the console fits on a screen.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/report/schema.js';
import { cli } from './_cli.js';

describe('the main job', () => {
  it('exits 0 with every grade as expected, in at most 150 lines', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lf-main-')), 'latest');
    const r = cli(['run', '--seed', '7', '--out', out], { timeoutMs: 600_000 });
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
    expect(r.status, r.stdout.slice(-3000)).toBe(0);
    expect(lines.length).toBeLessThanOrEqual(150);
    const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunRecord;
    const grade = (name: string) => {
      const i = record.implementations.find((j) => j.name === name)!;
      return i.verdicts.wrong === 'fail' ? 'wrong' : i.verdicts.inaccurate === 'fail' ? 'inaccurate' : 'pass';
    };
    // the PyTorch-style log-domain formulas are only inaccurate in f64 (in f32 their recursive sum
    // stagnates on the long rows beyond assert_close); the naive ones wrong
    for (const f of ['f64', 'f32']) {
      for (const op of ['log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'])
        expect(grade(`${op}/max-shifted/${f}`), `${op}/max-shifted/${f}`).toBe(
          f === 'f64' ? 'inaccurate' : 'wrong',
        );
      for (const op of ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy'])
        expect(grade(`${op}/naive/${f}`), `${op}/naive/${f}`).toBe('wrong');
    }
    expect(grade('log_softmax/tfjs-cpu/f32')).toBe('inaccurate');
    expect(record.implementations.filter((i) => i.verdict !== 'unavailable').length).toBeGreaterThan(100);
    // real shapes by default: the error-by-length chart spans 1 to 262,144 logits
    const bins = new Set(record.implementations.flatMap((i) => Object.keys(i.byLength ?? {})));
    const edges = record.lengthEdges.map(Number);
    expect(bins.has(String(edges.indexOf(1)))).toBe(true);
    expect(bins.has(String(edges.indexOf(262_144)))).toBe(true);
    // a record that does not grow with n: long counterexamples are windows of their rows, or whole
    // cases kept by id (no input); never a stored input of more than 16,384 logits
    expect(statSync(join(out, 'results.json')).size).toBeLessThan(32 * 2 ** 20);
    const cxs = record.implementations.flatMap((i) => Object.values(i.counterexamples));
    for (const c of cxs) {
      const stored = (c.input?.length ?? 0) * (1 + (c.batch?.length ?? 0));
      expect(stored).toBeLessThanOrEqual(16_384);
      if (!c.input) expect(c.originalShape![0] * c.originalShape![1]).toBeGreaterThan(16_384);
    }
    expect(cxs.some((c) => !c.input)).toBe(true);
  }, 900_000);
});
