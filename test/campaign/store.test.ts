import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

/** The store's case lines (the header aside), parsed, with their size in bytes (newline included). */
function lines(file: string): { bytes: number; line: Record<string, unknown> }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => ({
      bytes: Buffer.byteLength(l, 'utf8') + 1,
      line: JSON.parse(l) as Record<string, unknown>,
    }));
}

describe('the store does not grow with n', () => {
  it('a campaign on one implementation writes at most 200 bytes per passing case, long rows and batches included', () => {
    const out = mkdtempSync(join(tmpdir(), 'lf-store-'));
    const seed = 1 + Math.floor(Math.random() * 1e6);
    // default lengths (1 to 262,144) and batches: a fresh seed each time
    const r = cli(
      ['run', '--impl', 'softmax/max-shifted/f32', '--runs', '300', '--seed', String(seed), '--out', out],
      { timeoutMs: 170_000 },
    );
    expect(r.status, r.stderr).toBeLessThanOrEqual(1);
    const all = lines(join(out, 'cases.jsonl'));
    expect(all.length).toBeGreaterThan(300);
    type Outcome = { f?: unknown[] };
    const passing = all.filter(({ line }) => (line.outcomes as Outcome[]).every((o) => !o.f));
    expect(passing.length).toBeGreaterThan(200);
    const shapes = passing.map(({ line }) => line.shape as [number, number]);
    // the sample holds what makes cases.jsonl grow with n elsewhere: rows past 4096 and batches
    expect(
      shapes.some(([, n]) => n > 4096),
      `seed ${seed}`,
    ).toBe(true);
    expect(
      shapes.some(([B]) => B > 1),
      `seed ${seed}`,
    ).toBe(true);
    const worst = Math.max(...passing.map((p) => p.bytes));
    const mean = passing.reduce((s, p) => s + p.bytes, 0) / passing.length;
    expect(worst, `seed ${seed}`).toBeLessThanOrEqual(200);
    expect(mean).toBeLessThan(200);
  }, 180_000);
});
