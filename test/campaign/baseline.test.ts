import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-base-'));
const IMPLS = 'softmax/naive/f32,softmax/max-shifted/f32,log_softmax/bhh/f64';
const ARGS = ['--impl', IMPLS, '--runs', '15', '--seed', '21'];
const mod = (name: string) => fileURLToPath(new URL(`../fixtures/modules/${name}`, import.meta.url));

describe('run --baseline: the regression gate in one step', () => {
  const baseDir = join(dir, 'base');
  it('an unchanged rerun passes the gate, after replaying the stored counterexamples', () => {
    expect(cli(['run', ...ARGS, '--out', baseDir]).status).toBe(0);
    const r = cli(['run', ...ARGS, '--out', join(dir, 'again'), '--baseline', join(baseDir, 'results.json')]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      /replayed \d+ stored counterexample\(s\): (\d+) still show their finding, 0 no longer do/,
    );
  });

  it('flags an injected regression: a baseline in which a stable implementation had no error', () => {
    const rec = JSON.parse(readFileSync(join(baseDir, 'results.json'), 'utf8')) as {
      implementations: { name: string; ulp: { max: unknown } }[];
    };
    // pretend the baseline measured max-shifted f32 softmax as correctly rounded everywhere: its
    // real errors (a few ulps) are then growth beyond the default tolerance 0
    rec.implementations.find((i) => i.name === 'softmax/max-shifted/f32')!.ulp.max = 0;
    writeFileSync(join(dir, 'doctored.json'), JSON.stringify(rec));
    const r = cli(['run', ...ARGS, '--out', join(dir, 'head'), '--baseline', join(dir, 'doctored.json')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/softmax\/max-shifted\/f32: max error grew from 0 to/);
    const ok = cli([
      'run',
      ...ARGS,
      '--out',
      join(dir, 'head2'),
      '--baseline',
      join(dir, 'doctored.json'),
      '--tolerance',
      '1e9',
    ]);
    expect(ok.status, ok.stdout).toBe(0);
  });

  it('rejects a corrupt baseline with exit 2', () => {
    writeFileSync(join(dir, 'corrupt.json'), '{"schema":"logitfuzz/run@1","implementations":');
    const r = cli(['run', ...ARGS, '--out', join(dir, 'x'), '--baseline', join(dir, 'corrupt.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('vet --baseline', () => {
  it('a module that used to pass and now fails is a regression', () => {
    const base = join(dir, 'vet-base.json');
    expect(cli(['vet', mod('maxShifted.mjs'), '--runs', '40', '--seed', '3', '--json', base]).status).toBe(0);
    const same = cli(['vet', mod('maxShifted.mjs'), '--runs', '40', '--seed', '3', '--baseline', base]);
    expect(same.status, same.stdout).toBe(0);
    expect(same.stdout).toMatch(/no regression/);
    const worse = cli(['vet', mod('naive.mjs'), '--runs', '40', '--seed', '3', '--baseline', base]);
    expect(worse.status).toBe(1);
    expect(worse.stdout).toMatch(/newly fails/);
    expect(worse.stdout).toMatch(/new finding kind overflow/);
  });

  it('is the same gate as compare: under --specials strict a new special finding is a regression', () => {
    // maxShifted.mjs and infAsNumber.mjs agree on every finite row; only the second returns NaN
    // for a +Inf logit, which --specials strict fails (600 runs reach a few +Inf rows at seed 3);
    // short single rows (--max-length 64 --max-batch 1): the gate is tested, not long rows
    const short = ['--max-length', '64', '--max-batch', '1'];
    const opts = ['--specials', 'strict', '--runs', '600', '--seed', '3', ...short];
    const base = join(dir, 'vet-strict.json');
    expect(cli(['vet', mod('maxShifted.mjs'), ...opts, '--json', base]).status).toBe(0);
    const worse = cli(['vet', mod('infAsNumber.mjs'), ...opts, '--baseline', base]);
    expect(worse.status, worse.stdout).toBe(1);
    expect(worse.stdout).toMatch(/new finding kind special/);
    const report = cli([
      'vet',
      mod('infAsNumber.mjs'),
      '--specials',
      'report',
      '--runs',
      '600',
      '--seed',
      '3',
      ...short,
    ]);
    expect(report.status, report.stdout).toBe(0);
  });
});
