import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareCommand } from './compare.js';
import { runCli } from './runCli.js';
import { memoryIo } from './_testutil/memoryIo.js';
import { fixtureRecord, mutableCopy } from '../report/_testutil/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo('', env);
  const code = await runCli(['compare', ...argv], io, [compareCommand]);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

describe('logitfuzz compare', () => {
  const base = file('base.json', fixtureRecord());

  it('exits 0 on an unchanged record, also given the folder holding results.json', async () => {
    mkdirSync(join(dir, 'head'), { recursive: true });
    writeFileSync(join(dir, 'head', 'results.json'), JSON.stringify(fixtureRecord()));
    const r = await cli([base, join(dir, 'head')]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^no regression against the baseline \(\d+ implementations compared\)/);
  });

  it('exits 1 and says what changed on a regression; --tolerance and --allow-missing relax the gate', async () => {
    const m = mutableCopy(fixtureRecord());
    const good = m.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    good.ulp.max = (good.ulp.max as number) + 3;
    m.implementations = m.implementations.filter((i) => i.name !== 'softmax/naive/f64');
    const head = file('head.json', m);
    const r = await cli([base, head]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('2 regressions');
    expect(r.out).toContain('softmax/max-shifted/f64: max error grew from');
    expect(r.out).toContain('softmax/naive/f64: in the baseline but missing from HEAD');
    expect((await cli([base, head, '--tolerance', '3', '--allow-missing'])).code).toBe(0);
    expect((await cli([base, head, '--tolerance', '2', '--allow-missing'])).code).toBe(1);
  });

  it('writes --markdown and appends to $GITHUB_STEP_SUMMARY', async () => {
    const summary = file('summary.md', 'before\n');
    const md = join(dir, 'out', 'compare.md');
    const r = await cli([base, base, '--markdown', md], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/^### ✅ logitfuzz compare: no regression/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^before\n### ✅ logitfuzz compare/);
  });

  it('exits 2 with a clear message for a missing, corrupt or wrong-schema file', async () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'nope.json'), /cannot read the HEAD record .*nope\.json: no such file/],
      [file('corrupt.json', '{"schema": "logitfuzz/run@1", "seed":'), /corrupt\.json is not valid JSON/],
      [
        file('vet.json', { schema: 'logitfuzz/vet@1', verdict: 'pass' }),
        /vet\.json is a 'vet --json' verdict \(logitfuzz\/vet@1\), not a run record/,
      ],
      [
        file('damaged.json', { ...fixtureRecord(), implementations: [{ name: 'x' }] }),
        /damaged\.json: implementations\[0\]\.op should be a string/,
      ],
    ];
    for (const [head, msg] of cases) {
      const r = await cli([base, head]);
      expect(r.code, head).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n').length).toBeLessThanOrEqual(2);
    }
    expect((await cli([base])).code).toBe(2);
  });
});
