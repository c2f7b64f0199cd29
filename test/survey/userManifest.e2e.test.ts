// `logitfuzz survey MANIFEST` on a user's own manifest (test/fixtures/survey/manifest.json): one
// module (the textbook softmax, expected wrong) and one JSON-lines program (a stable softmax that
// serves f64 and says it is unavailable in f32), as the README shows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SurveyRunRecord } from '../../src/report/schema.js';
import { cli } from '../campaign/_cli.js';

const MANIFEST = fileURLToPath(new URL('../fixtures/survey/manifest.json', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lf-survey-'));

describe('survey MANIFEST --quick', () => {
  const out = join(dir, 'out');
  let r: ReturnType<typeof cli>;
  let record: SurveyRunRecord;
  let markdown: string;
  beforeAll(() => {
    r = cli(['survey', MANIFEST, '--quick', '--out', out], { timeoutMs: 240_000 });
    record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SurveyRunRecord;
    markdown = readFileSync(join(out, 'survey.md'), 'utf8');
  }, 240_000);

  it('exits 0 when every entry earns its expected grade, and prints one line per entry × op × format', () => {
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^softmax\/naive-module\/f64 +wrong/m);
    expect(r.stdout).toMatch(/^softmax\/stable-program\/f64 +pass/m);
    expect(r.stdout).toMatch(/^softmax\/stable-program\/f32 +unavailable/m);
    expect(r.stdout).toMatch(/3 entry × op × format rows over 2 entries: all as expected/);
  });

  it('records the survey beside the run: entries, versions read at run time, rows with grades', () => {
    expect(record.schema).toBe('logitfuzz/run@2');
    expect(record.survey.schema).toBe('logitfuzz/survey@1');
    expect(record.survey.quick).toBe(true);
    const program = record.survey.entries.find((e) => e.id === 'stable-program')!;
    expect(program.versions).toEqual({ node: process.version });
    expect(program.rows.map((x) => [x.format, x.grade, x.asExpected])).toEqual([
      ['f64', 'pass', true],
      ['f32', 'unavailable', true],
    ]);
    const f32 = record.implementations.find((i) => i.name === 'softmax/stable-program/f32')!;
    expect(f32.verdict).toBe('unavailable');
    expect(f32.unavailableReason).toMatch(/only softmax in f64, not softmax in f32/);
    // the same cases for both entries: one campaign, one oracle
    const naive = record.implementations.find((i) => i.name === 'softmax/naive-module/f64')!;
    const stable = record.implementations.find((i) => i.name === 'softmax/stable-program/f64')!;
    expect(naive.cases).toBe(stable.cases);
    expect(naive.cases).toBeGreaterThan(8);
  });

  it('writes survey.md: the table, what was found, counterexamples, and an upstream report for the wrong entry', () => {
    expect(markdown).toMatch(/^\| my-naive-softmax \| softmax \| .* \| \*\*WRONG\*\* \| · \| · \| · \|$/m);
    expect(markdown).toMatch(/^\| my-stable-program \| softmax \| .* \| ok \| n\/a \| · \| · \|$/m);
    expect(markdown).toMatch(/^- \*\*WRONG\*\* — my-naive-softmax softmax .* in f64: overflow: /m);
    expect(markdown).toContain('## Upstream reports');
    expect(markdown).toContain('A stable formulation: m = max(x)');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('softmax/naive-module/f64');
  });

  it("prints replay commands that reproduce the wrong entry's findings", () => {
    const replays = [...markdown.matchAll(/^- replay: `(npx logitfuzz replay [^`]*)`$/gm)].map((m) => m[1]);
    expect(replays.length).toBeGreaterThan(0);
    // a batch counterexample of the module: replay --from calls the module as the survey did
    expect(replays.some((c) => c.includes(' --from ') && c.includes('softmax/naive-module/f64'))).toBe(true);
    for (const command of replays) {
      const line = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}${command.slice('npx logitfuzz'.length)}`;
      const p = spawnSync('sh', ['-c', line], { encoding: 'utf8', timeout: 60_000 });
      expect(p.status, `${command}\n${p.stdout}${p.stderr}`).toBe(1);
    }
  });

  it('exits 1 and marks the row when an entry does not earn what the manifest expects', () => {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
      entries: { module?: string; expected: Record<string, string> }[];
    };
    m.entries[0].expected['softmax/f64'] = 'pass';
    m.entries[0].module = fileURLToPath(new URL('../fixtures/modules/naive.mjs', import.meta.url));
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify({ ...m, entries: [m.entries[0]] }));
    const c = cli(['survey', changed, '--quick', '--out', join(dir, 'changed')], { timeoutMs: 240_000 });
    expect(c.status, c.stdout + c.stderr).toBe(1);
    expect(c.stdout).toMatch(/^softmax\/naive-module\/f64 +wrong +! expected pass$/m);
    expect(c.stdout).toMatch(/1 not as expected/);
  }, 240_000);

  it('exits 2 naming the field of a bad manifest, before running anything', () => {
    const bad = join(dir, 'bad.json');
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
      entries: { expected: Record<string, string> }[];
    };
    delete m.entries[1].expected['softmax/f32'];
    writeFileSync(bad, JSON.stringify(m));
    const c = cli(['survey', bad, '--quick', '--out', join(dir, 'bad')]);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(
      /entries\[1\]\.expected\["softmax\/f32"\] must be one of pass, inaccurate, wrong, unavailable/,
    );
  });
});
