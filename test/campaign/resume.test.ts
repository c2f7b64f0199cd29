import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliAsync, stable } from './_cli.js';

const IMPLS = 'softmax/naive/f32,softmax/bhh/f64,logsumexp/max-shifted/f16';
const ARGS = ['--impl', IMPLS, '--runs', '40', '--seed', '5', '--workers', '2'];

function caseLines(file: string): number {
  if (!existsSync(file)) return 0;
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length - 1
  );
}

/** Starts a run and SIGKILLs it once its cases.jsonl holds at least `after` cases. */
async function killAfter(out: string, after: number): Promise<void> {
  const child = cliAsync(['run', ...ARGS, '--out', out]);
  const file = join(out, 'cases.jsonl');
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (caseLines(file) >= after) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', () => {
      clearInterval(timer);
      resolve();
    });
    child.on('error', reject);
  });
}

describe('run --resume after kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-resume-'));
  const full = join(dir, 'full');
  it('an uninterrupted run', () => {
    const r = cli(['run', ...ARGS, '--out', full]);
    expect(r.status, r.stderr).toBe(0);
  });

  for (const after of [1, 17, 60]) {
    it(`killed after ${after} case(s), then resumed: same totals, no case lost or repeated`, async () => {
      const out = join(dir, `k${after}`);
      await killAfter(out, after);
      const before = caseLines(join(out, 'cases.jsonl'));
      expect(before).toBeGreaterThanOrEqual(after);
      const total = caseLines(join(full, 'cases.jsonl'));
      expect(before).toBeLessThan(total); // it really was interrupted
      const r = cli(['run', ...ARGS, '--out', out, '--resume']);
      expect(r.status, r.stderr).toBe(0);
      const ids = readFileSync(join(out, 'cases.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .slice(1)
        .map((l) => (JSON.parse(l) as { id: number }).id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(total);
      expect(stable(join(out, 'results.json'))).toEqual(stable(join(full, 'results.json')));
    });
  }

  it('drops a line cut short mid-write instead of parsing it', async () => {
    const out = join(dir, 'partial');
    await killAfter(out, 30);
    appendFileSync(
      join(out, 'cases.jsonl'),
      '{"id":9999,"op":"softmax","format":"f32","region":"benign","x":[1,2',
    ); // a write cut by a kill
    const r = cli(['run', ...ARGS, '--out', out, '--resume']);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(out, 'cases.jsonl'), 'utf8');
    expect(text).not.toContain('"id":9999');
    expect(stable(join(out, 'results.json'))).toEqual(stable(join(full, 'results.json')));
  });

  it('refuses to resume a file written with other options', () => {
    const r = cli(['run', ...ARGS.map((a) => (a === '5' ? '6' : a)), '--out', full, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/other options/);
  });
});
