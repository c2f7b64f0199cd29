import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const program = fileURLToPath(new URL('../fixtures/modules/exec_softmax.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lf-score-'));

/** Runs the JSON-lines program over a cases file, as a user's offline job would. */
function answer(cases: string, naive: boolean): string {
  const out = join(dir, naive ? 'naive.jsonl' : 'shifted.jsonl');
  const r = spawnSync(process.execPath, [program, ...(naive ? ['naive'] : [])], {
    input: readFileSync(cases),
    encoding: 'utf8',
  });
  writeFileSync(out, r.stdout);
  return out;
}

describe('cases export + score', () => {
  const cases = join(dir, 'cases.jsonl');
  it('exports the probes and the seeded random cases as {"id","op","format","x"} lines, the same for the same seed', () => {
    // short rows (--max-length 64): the offline pipeline is what is tested, and a 2^18-logit probe
    // would make the exported file tens of megabytes
    const args = [
      'cases',
      'export',
      '--seed',
      '9',
      '--runs',
      '40',
      '--specials',
      'skip',
      '--max-length',
      '64',
    ];
    const a = cli(args);
    const b = cli(args);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    writeFileSync(cases, a.stdout);
    const lines = a.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; op: string; format: string; x: unknown[] });
    expect(lines.map((l) => l.id)).toEqual(lines.map((_, i) => i));
    expect(lines.every((l) => l.op === 'softmax' && l.format === 'f64' && Array.isArray(l.x))).toBe(true);
    // the first probe is the f64 exp-overflow threshold itself
    expect(lines[0].x).toEqual([709.782712893384]);
  });

  it('scores a naive program as failing with an overflow finding, exactly as vet reports it', () => {
    const json = join(dir, 'naive.json');
    const r = cli(['score', cases, answer(cases, true), '--json', json]);
    expect(r.status, r.stderr).toBe(1);
    const vet = JSON.parse(readFileSync(json, 'utf8')) as {
      schema: string;
      verdict: string;
      findings: { kind: string }[];
    };
    expect(vet.schema).toBe('logitfuzz/vet@2');
    expect(vet.verdict).toBe('fail');
    expect(vet.findings.map((f) => f.kind)).toContain('overflow');
  });

  it('scores the max-shifted program as passing', () => {
    const r = cli(['score', cases, answer(cases, false)]);
    expect(r.status, r.stdout).toBe(0);
  });

  it('treats a missing output line as a crash of that case, and malformed files as exit 2', () => {
    const out = answer(cases, false);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const partial = join(dir, 'partial.jsonl');
    writeFileSync(partial, lines.slice(1).join('\n') + '\n');
    const r = cli(['score', cases, partial, '--json', join(dir, 'partial.json')]);
    expect(r.status).toBe(1);
    expect(readFileSync(join(dir, 'partial.json'), 'utf8')).toContain('"crash"');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":0,"op":"softmax","format":"f32","x":[0.1]}\n');
    const b = cli(['score', bad, out]);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/not representable in f32/);
  });
});
