/**
 * The survey's Python adapters (survey/python/), spoken to directly over the `vet --exec`
 * protocol (docs/design.md, "Programs in any language"), plus its `unavailable` and `error`
 * extensions (survey/python/logitfuzz_protocol.py). They need Debian's python3 with scipy,
 * torch and scikit-learn: without them these tests fail, naming the command that installs them.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../campaign/_cli.js';
import { formatSpec } from '../../src/formats/specs.js';
import { roundNumber } from '../../src/formats/roundNumber.js';

const PYTHON = '/usr/bin/python3';
const FIX = 'apt-get install -y python3-scipy python3-torch python3-sklearn';
const DIR = fileURLToPath(new URL('../../survey/python/', import.meta.url));

type Adapter = 'scipy_special' | 'torch_nn' | 'sklearn_extmath';
type Answer = { id: unknown; y?: unknown[]; unavailable?: string; error?: string };

/** Fails (never skips) when the interpreter or a package is missing, naming the fix. */
function python(args: string[], input = ''): { stdout: string; stderr: string } {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: ${FIX}`);
  const r = spawnSync(PYTHON, args, { cwd: DIR, input, encoding: 'utf8', timeout: 110_000 });
  if (r.error) throw new Error(`cannot run ${PYTHON}: ${r.error.message} (${FIX})`);
  if (r.status !== 0 && /ModuleNotFoundError|ImportError/.test(r.stderr)) {
    throw new Error(`a Python package is missing (${FIX}): ${r.stderr.trim().split('\n').pop()}`);
  }
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Sends the requests (ids 1, 2, … in order) to one adapter; its answers, which must be all its stdout. */
function ask(adapter: Adapter, requests: Record<string, unknown>[]): Answer[] {
  const input = requests.map((q, i) => JSON.stringify({ id: i + 1, ...q }) + '\n').join('');
  const lines = python([`${adapter}.py`], input)
    .stdout.split('\n')
    .filter((l) => l !== '');
  const answers = lines.map((l) => JSON.parse(l) as Answer);
  expect(answers.map((a) => a.id)).toEqual(requests.map((_, i) => i + 1));
  return answers;
}

const row = (op: string, format: string, x: unknown[], label?: number) =>
  label === undefined ? { op, format, x } : { op, format, x, label };
const batch = (op: string, format: string, shape: [number, number], x: unknown[], labels?: number[]) =>
  labels === undefined ? { op, format, shape, x } : { op, format, shape, x, labels };

/** ln 2 rounded to nearest into the format (Math.LN2 is ln 2 rounded into binary64). */
const ln2 = (format: string) => roundNumber(formatSpec(format), Math.LN2);
/** 12 logits in [-3, 3], exact in every format; 3 rows of 4. */
const X12 = [0, 1, -2, 3, 0.5, -0.25, 2, -3, 1.5, 0, -1, 2.5];

const FORMATS: Record<Adapter, string[]> = {
  scipy_special: ['f64', 'f32', 'f16'],
  torch_nn: ['f64', 'f32', 'bf16'],
  sklearn_extmath: ['f64', 'f32'],
};

describe('the survey Python adapters', () => {
  it('are runnable: /usr/bin/python3 and the packages are installed', () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing: ${FIX}`).toBe(true);
    const r = python(['-c', 'import numpy, scipy.special, torch, sklearn.metrics; print("ok")']);
    expect(r.stdout.trim()).toBe('ok');
  });

  for (const adapter of Object.keys(FORMATS) as Adapter[]) {
    for (const format of FORMATS[adapter]) {
      it(`${adapter} ${format}: softmax of [0, 0] is [0.5, 0.5] exactly, single row and batch`, () => {
        const [one, many] = ask(adapter, [
          row('softmax', format, [0, 0]),
          batch('softmax', format, [3, 4], X12),
        ]);
        expect(one.y).toEqual([0.5, 0.5]);
        expect(many.y).toHaveLength(12);
        for (let r = 0; r < 3; r++) {
          const p = many.y!.slice(4 * r, 4 * r + 4) as number[];
          expect(p.every((v) => typeof v === 'number' && v > 0 && v < 1)).toBe(true);
          // the largest logit of each row has the largest probability
          const x = X12.slice(4 * r, 4 * r + 4);
          expect(p.indexOf(Math.max(...p))).toBe(x.indexOf(Math.max(...x)));
          expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(0.01);
          // every answer is a value of the format
          for (const v of p) expect(roundNumber(formatSpec(format), v)).toBe(v);
        }
      });
    }
  }

  for (const adapter of ['scipy_special', 'torch_nn'] as const) {
    for (const format of FORMATS[adapter]) {
      it(`${adapter} ${format}: log_softmax and logsumexp of [0, 0] are ∓ln 2 rounded into the format`, () => {
        const [ls, lse, lsBatch, lseBatch] = ask(adapter, [
          row('log_softmax', format, [0, 0]),
          row('logsumexp', format, [0, 0]),
          batch('log_softmax', format, [3, 4], X12),
          batch('logsumexp', format, [3, 4], X12),
        ]);
        expect(ls.y).toEqual([-ln2(format), -ln2(format)]);
        expect(lse.y).toEqual([ln2(format)]);
        expect(lsBatch.y).toHaveLength(12);
        expect(lseBatch.y).toHaveLength(3);
      });
    }
  }

  it('log_softmax of [0, 0] is -Math.LN2 in f64 and Math.fround(-Math.LN2) in f32', () => {
    for (const adapter of ['scipy_special', 'torch_nn'] as const) {
      const [f64, f32] = ask(adapter, [row('log_softmax', 'f64', [0, 0]), row('log_softmax', 'f32', [0, 0])]);
      expect(f64.y).toEqual([-Math.LN2, -Math.LN2]);
      expect(f32.y).toEqual([Math.fround(-Math.LN2), Math.fround(-Math.LN2)]);
    }
  });

  it('decodes and encodes the special values of the JSON number codec', () => {
    const [masked, nan, negZero] = ask('torch_nn', [
      row('log_softmax', 'f64', ['-0', '-inf']),
      row('softmax', 'f64', [0, 'nan']),
      // ce = -(log_softmax[label]) = -(0): torch answers -0
      row('cross_entropy', 'f64', [0, -40], 0),
    ]);
    expect(masked.y).toEqual([0, '-inf']);
    expect(nan.y).toEqual(['nan', 'nan']);
    expect(negZero.y).toEqual(['-0']);
    const codec = python([
      '-c',
      [
        'import json, logitfuzz_protocol as p',
        'vals = [0.1, 5e-324, 1.7976931348623157e308, -0.0, float("inf"), float("-inf"), float("nan"), 3]',
        'print(json.dumps([p.encode_number(v) for v in vals]))',
        'print(repr([p.decode_number(v) for v in ["-0", "inf", "-inf", "nan", 2, 1e-300]]))',
        'for bad in ["Infinity", None, True, [1]]:',
        '    try:',
        '        p.decode_number(bad)',
        '    except ValueError:',
        '        print("rejected", repr(bad))',
      ].join('\n'),
    ]).stdout.split('\n');
    expect(codec[0]).toBe('[0.1, 5e-324, 1.7976931348623157e+308, "-0", "inf", "-inf", "nan", 3.0]');
    expect(codec[1]).toBe('[-0.0, inf, -inf, nan, 2.0, 1e-300]');
    expect(codec.slice(2, 6)).toEqual([
      "rejected 'Infinity'",
      'rejected None',
      'rejected True',
      'rejected [1]',
    ]);
  });

  it('torch: cross_entropy and its gradient, single row and batch', () => {
    for (const format of FORMATS.torch_nn) {
      const [ce, grad, ceBatch, gradBatch] = ask('torch_nn', [
        row('cross_entropy', format, [0, 0], 0),
        row('cross_entropy_grad', format, [0, 0], 1),
        batch('cross_entropy', format, [3, 4], X12, [0, 3, 2]),
        batch('cross_entropy_grad', format, [3, 4], X12, [0, 3, 2]),
      ]);
      expect(ce.y).toEqual([ln2(format)]);
      expect(grad.y).toEqual([0.5, -0.5]);
      expect(ceBatch.y).toHaveLength(3);
      expect(gradBatch.y).toHaveLength(12);
      // each row's gradient is softmax − onehot: negative at the label only, summing to ≈ 0
      [0, 3, 2].forEach((k, r) => {
        const g = gradBatch.y!.slice(4 * r, 4 * r + 4) as number[];
        g.forEach((v, i) => expect(v < 0).toBe(i === k));
        expect(Math.abs(g.reduce((a, b) => a + b, 0))).toBeLessThan(0.02);
      });
    }
  });

  it('sklearn: cross_entropy is softmax then log_loss, clipped at eps and computed in float64', () => {
    const [f64, f32, clipped, oneClass, batchCe] = ask('sklearn_extmath', [
      row('cross_entropy', 'f64', [0, 0], 0),
      row('cross_entropy', 'f32', [0, 0], 1),
      // the true loss is 100; log_loss clips p = e^-100 to eps = 2^-52: -ln(2^-52)
      row('cross_entropy', 'f64', [0, -100], 1),
      row('cross_entropy', 'f64', [3], 0),
      batch('cross_entropy', 'f32', [3, 4], X12, [0, 3, 2]),
    ]);
    expect(f64.y).toEqual([Math.LN2]);
    // float32 probabilities, but log_loss answers in float64: ln 2 in binary64, not fround(ln 2)
    expect(f32.y).toEqual([Math.LN2]);
    expect(clipped.y![0]).toBeCloseTo(52 * Math.LN2, 12);
    expect(oneClass.y).toBeUndefined();
    expect(oneClass.error).toMatch(/at least two labels/);
    expect(batchCe.y).toHaveLength(3);
  });

  it('answers "unavailable" for the (op, format) pairs an adapter cannot do', () => {
    const scipy = ask('scipy_special', [
      row('softmax', 'bf16', [0, 0]),
      row('cross_entropy', 'f64', [0, 0], 0),
    ]);
    expect(scipy[0].unavailable).toMatch(/bfloat16|bf16/);
    expect(scipy[1].unavailable).toMatch(/cross_entropy/);
    const torch = ask('torch_nn', [row('softmax', 'f16', [0, 0]), batch('logsumexp', 'f16', [1, 2], [0, 0])]);
    // Debian's CPU build has no Half kernels for these
    expect(torch[0].unavailable).toMatch(/not implemented for 'Half'/);
    expect(torch[1].unavailable).toMatch(/not implemented for 'Half'/);
    const sk = ask('sklearn_extmath', [row('log_softmax', 'f64', [0, 0]), row('softmax', 'f16', [0, 0])]);
    expect(sk[0].unavailable).toMatch(/log_softmax/);
    expect(sk[1].unavailable).toMatch(/f16/);
    for (const a of [...scipy, ...torch, ...sk]) expect(a.y).toBeUndefined();
  });

  it('--versions prints one JSON line with the versions the packages report', () => {
    const reported = JSON.parse(
      python([
        '-c',
        'import json, numpy, scipy, torch, sklearn; print(json.dumps({"numpy": numpy.__version__, "scipy": scipy.__version__, "torch": torch.__version__, "sklearn": sklearn.__version__}))',
      ]).stdout,
    ) as Record<string, string>;
    for (const v of Object.values(reported)) expect(v).toMatch(/^\d+\.\d+/);
    const versions = (adapter: Adapter) => {
      const out = python([`${adapter}.py`, '--versions']).stdout;
      expect(out.trimEnd().split('\n')).toHaveLength(1);
      return JSON.parse(out) as Record<string, string>;
    };
    expect(versions('scipy_special')).toEqual({ scipy: reported.scipy, numpy: reported.numpy });
    expect(versions('torch_nn')).toEqual({ torch: reported.torch });
    expect(versions('sklearn_extmath')).toEqual({
      sklearn: reported.sklearn,
      numpy: reported.numpy,
      scipy: reported.scipy,
    });
  });

  it('vet --exec: scipy softmax passes, the sklearn log-loss pipeline fails, torch f16 is unavailable', () => {
    python(['-c', 'import scipy.special, sklearn.metrics, torch']);
    const args = (adapter: Adapter, op: string) => [
      'vet',
      '--exec',
      `${PYTHON} ${DIR}${adapter}.py`,
      '--op',
      op,
      '--runs',
      '20',
      '--seed',
      '1',
      '--search',
      '0',
      '--shrink-evals',
      '20',
      '--max-length',
      '512',
      '--workers',
      '1',
    ];
    const pass = cli([...args('scipy_special', 'softmax'), '--batch']);
    expect(pass.stdout).toMatch(/verdict: PASS/);
    expect(pass.status).toBe(0);
    const json = join(mkdtempSync(join(tmpdir(), 'lf-survey-')), 'sklearn.json');
    const fail = cli([...args('sklearn_extmath', 'cross_entropy'), '--json', json]);
    expect(fail.stdout).toMatch(/verdict: FAIL/);
    expect(fail.status).toBe(1);
    const { findings } = JSON.parse(readFileSync(json, 'utf8')) as {
      findings: {
        kind: string;
        severity: string | null;
        diagnosis: string;
        input?: unknown[];
        actual?: unknown[] | null;
      }[];
    };
    // the loss is clipped at -ln(eps) = 52 ln 2 in f64, far from a large true loss
    const ulp = findings.find((f) => f.kind === 'ulp' && f.severity === 'wrong')!;
    expect(ulp.actual).toHaveLength(1);
    expect(ulp.actual![0] as number).toBeCloseTo(52 * Math.LN2, 12);
    // a single-class row makes log_loss raise: an "error" answer, a crash with its message
    const crash = findings.find((f) => f.kind === 'crash')!;
    expect(crash.input).toHaveLength(1);
    expect(crash.diagnosis).toMatch(/at least two labels for log_loss/);
    // an (op, format) the CPU build lacks: the setup probe answers "unavailable", a load error
    const half = cli([...args('torch_nn', 'softmax'), '--format', 'f16']);
    expect(half.status).toBe(2);
    expect(half.stderr).toMatch(/not implemented for 'Half'/);
  });
});
