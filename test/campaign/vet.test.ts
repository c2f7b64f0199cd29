import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const mod = (name: string) => fileURLToPath(new URL(`../fixtures/modules/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lf-vet-'));

interface VetJson {
  schema: string;
  verdict: string;
  verdicts: { inaccurate: string; wrong: string };
  stats: { severityCounts: { inaccurate: number; wrong: number } };
  seed: number;
  hash: string | null;
  findings: {
    kind: string;
    severity: string | null;
    input: unknown[];
    expected: unknown[];
    actual: unknown[] | null;
    replay: string;
  }[];
}

function vet(
  args: string[],
  name: string,
): { status: number | null; json: VetJson | undefined; stderr: string; stdout: string } {
  const file = join(dir, `${name}.json`);
  const r = cli(['vet', ...args, '--json', file]);
  let json: VetJson | undefined;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as VetJson;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, stderr: r.stderr, stdout: r.stdout };
}

describe('vet MODULE', () => {
  it('fails the naive f64 softmax with a shrunk overflow counterexample of at most 2 elements', () => {
    const r = vet([mod('naive.mjs'), '--seed', '1', '--runs', '100'], 'naive');
    expect(r.status).toBe(1);
    expect(r.json!.schema).toBe('logitfuzz/vet@2');
    expect(r.json!.verdict).toBe('fail');
    expect(r.json!.hash).toMatch(/^[0-9a-f]{64}$/);
    const overflow = r.json!.findings.find((f) => f.kind === 'overflow')!;
    expect(overflow.input.length).toBeLessThanOrEqual(2);
    // the shrunk input really is past the f64 exp threshold, and the replay command reproduces it
    expect(Math.max(...overflow.input.map(Number))).toBeGreaterThan(709.782712893384);
    expect(overflow.replay).toContain('logitfuzz replay --module');
    const replay = cli(['replay', '--module', mod('naive.mjs'), '--x', JSON.stringify(overflow.input)]);
    expect(replay.status).toBe(1);
    expect(replay.stdout).toMatch(/overflow/);
  });

  it('passes the max-shifted softmax', () => {
    const r = vet([mod('maxShifted.mjs'), '--seed', '1', '--runs', '150'], 'shifted');
    expect(r.status, r.stdout).toBe(0);
    expect(r.json!.verdict).toBe('pass');
    expect(r.json!.findings.filter((f) => f.kind !== 'special')).toEqual([]);
  });

  const faults: [string, string][] = [
    ['hang.mjs', 'timeout'],
    ['neverResolves.mjs', 'timeout'],
    ['throws.mjs', 'crash'],
    ['rejects.mjs', 'crash'],
    ['wrongLength.mjs', 'shape'],
    ['exits.mjs', 'crash'],
    ['mutates.mjs', 'mutation'],
  ];
  for (const [file, kind] of faults) {
    it(`records ${file} as a ${kind} finding and exits 1 without hanging`, () => {
      const r = vet(
        [mod(file), '--seed', '2', '--runs', '6', '--timeout', '500', '--shrink-evals', '3'],
        file,
      );
      expect(r.status, r.stderr).toBe(1);
      expect(r.json!.findings.map((f) => f.kind)).toContain(kind);
    });
  }

  for (const [file, pattern] of [
    ['nothere.mjs', /module not found/],
    ['noExport.mjs', /no export 'softmax' or 'default'.*notSoftmax/],
    ['syntaxError.mjs', /syntax error/],
    ['throwsAtImport.mjs', /threw while being imported: cannot initialise/],
  ] as const) {
    it(`exits 2 with a one-line message for ${file}`, () => {
      const r = cli(['vet', mod(file)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('vet --exec', () => {
  const program = mod('exec_softmax.mjs');
  it('vets a JSON-lines program: naive fails with an overflow counterexample', () => {
    const r = vet(
      [
        '--exec',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(program)} naive`,
        '--seed',
        '4',
        '--runs',
        '80',
      ],
      'exec-naive',
    );
    expect(r.status, r.stderr).toBe(1);
    const overflow = r.json!.findings.find((f) => f.kind === 'overflow');
    expect(overflow).toBeDefined();
    expect(overflow!.input.length).toBeLessThanOrEqual(2);
  });
  it('vets a JSON-lines program: max-shifted passes', () => {
    const r = vet(
      [
        '--exec',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(program)}`,
        '--seed',
        '4',
        '--runs',
        '80',
        '--specials',
        'skip',
      ],
      'exec-shifted',
    );
    expect(r.status, r.stdout).toBe(0);
  });
});

describe('vet with batches', () => {
  const exec = fileURLToPath(new URL('../fixtures/exec/batch_ops.mjs', import.meta.url));
  const quick = ['--seed', '6', '--runs', '40', '--search', '0', '--shrink-evals', '5'];

  it("calls a module's softmaxBatch (its row function, naive, is never called): passes", () => {
    const r = vet([mod('batchExports.mjs'), ...quick, '--specials', 'skip'], 'batch-module');
    expect(r.status, r.stdout).toBe(0);
    expect(r.json!.findings).toEqual([]);
  });

  it('records a batch answer one value short as a shape finding', () => {
    const r = vet([mod('batchExports.mjs'), '--export', 'short', ...quick], 'batch-short');
    expect(r.status, r.stderr).toBe(1);
    expect(r.json!.findings.map((f) => f.kind)).toContain('shape');
  });

  it('exits 2 for a Batch export that is not a function', () => {
    const r = cli(['vet', mod('batchExports.mjs'), '--op', 'logsumexp']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/export 'logsumexpBatch' of .* is a number, not a function/);
  });

  it('--exec --batch sends {"shape":[B,n]} requests, x flat, and passes a max-shifted softmax', () => {
    const log = join(dir, 'batch-exec.jsonl');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(exec)} --log ${JSON.stringify(log)}`;
    const r = vet(['--exec', cmd, '--batch', ...quick, '--specials', 'skip'], 'batch-exec');
    expect(r.status, r.stdout).toBe(0);
    const requests = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { shape?: number[]; x: unknown[]; labels?: unknown });
    expect(requests.length).toBeGreaterThan(0);
    for (const q of requests) {
      expect(q.shape).toHaveLength(2);
      expect(q.x).toHaveLength(q.shape![0] * q.shape![1]);
      expect(q.labels).toBeUndefined();
    }
  });

  it('--exec --batch records an answer one value short as a shape finding', () => {
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(exec)} --drop 1`;
    const r = vet(['--exec', cmd, '--batch', ...quick], 'batch-exec-short');
    expect(r.status, r.stderr).toBe(1);
    expect(r.json!.findings.map((f) => f.kind)).toContain('shape');
  });

  it('refuses --batch without --exec', () => {
    const r = cli(['vet', mod('batchExports.mjs'), '--batch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--batch goes with --exec/);
  });
});

describe('vet --fail-on: wrong answers versus answers less accurate than they could be', () => {
  const args = ['--op', 'log_softmax', '--runs', '200', '--seed', '5'];

  it('passes at --fail-on wrong a log_softmax whose only defect is cancellation at the dominant logit', () => {
    const strict = vet([mod('logSoftmaxPytorch.mjs'), ...args], 'pytorch-strict');
    expect(strict.status, strict.stdout).toBe(1);
    expect(strict.json!.verdicts).toEqual({ inaccurate: 'fail', wrong: 'pass' });
    const cancel = strict.json!.findings.find((f) => f.kind === 'cancellation')!;
    expect(cancel.severity).toBe('inaccurate');
    expect(cancel.expected.map(Number)[0]).toBeLessThan(0); // −log1p(s), not 0
    expect(Number(cancel.actual![0])).toBe(0);
    expect(strict.json!.stats.severityCounts.wrong).toBe(0);
    const lenient = vet([mod('logSoftmaxPytorch.mjs'), ...args, '--fail-on', 'wrong'], 'pytorch-wrong');
    expect(lenient.status, lenient.stdout).toBe(0);
    expect(lenient.json!.verdict).toBe('pass');
  });

  it('fails at --fail-on wrong a log_softmax that returns −Infinity where the exact result is finite', () => {
    const r = vet([mod('logOfSoftmax.mjs'), ...args, '--fail-on', 'wrong'], 'log-of-softmax');
    expect(r.status, r.stdout).toBe(1);
    expect(r.json!.verdicts.wrong).toBe('fail');
    // −Infinity where the exact result is finite: the log of an exp that underflowed to 0
    const minf = r.json!.findings.find((f) => f.kind === 'underflow')!;
    expect(minf.severity).toBe('wrong');
    expect(minf.actual!.some((v) => v === '-inf')).toBe(true);
    expect(minf.expected).not.toContain('-inf');
  });

  it('rejects a malformed --close with exit 2 naming the accepted forms', () => {
    const r = cli(['vet', mod('logOfSoftmax.mjs'), ...args, '--close', 'rtol=x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /--close: unknown closeness 'rtol=x': expected assert_close, allclose, or rtol=R,atol=A/,
    );
  });
});
