import { afterEach, describe, expect, test, vi } from 'vitest';
import { EXP_THRESHOLDS } from '../formats/thresholds.js';
import { naiveSoftmax, stableCrossEntropy, stableSoftmax } from './_testutil/softmaxes.js';
import { vet, type VetOptions } from './vet.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('vet', () => {
  test('passes a stable softmax in f64 and f32, with a recorded seed', async () => {
    for (const format of ['f64', 'f32'] as const) {
      const r = await vet(stableSoftmax, { format, runs: 40, seed: 7 });
      expect(r.verdict, JSON.stringify(r.findings.filter((f) => f.fails))).toBe('pass');
      expect(r).toMatchObject({ op: 'softmax', format, seed: 7 });
      expect(r.cases).toBeGreaterThan(40);
      expect(r.passes).toBe(r.cases);
      expect(r.undetermined).toBe(0);
    }
  });

  test('fails a naive softmax with a minimal overflow counterexample: one logit past 709.78', async () => {
    const r = await vet(naiveSoftmax, { runs: 20, seed: 1 });
    expect(r.verdict).toBe('fail');
    const f = r.findings.find((g) => g.kind === 'overflow');
    expect(f).toBeDefined();
    expect(f!.fails).toBe(true);
    expect(f!.input.length).toBe(1);
    expect(f!.input[0]).toBeGreaterThan(EXP_THRESHOLDS.f64.overflow);
    expect(f!.expected).toEqual([1]);
    expect(Number.isNaN(f!.actual![0])).toBe(true);
    expect(f!.ulps).toBe(Infinity);
    expect(f!.diagnosis).toMatch(/exp overflows/);
    // failing kinds come first
    expect(r.findings.findIndex((g) => !g.fails)).not.toBe(0);
  });

  test('shrinks what random cases find (probes off): to the fewest logits and the simplest values', async () => {
    const r = await vet(
      (x) => {
        if (x.length >= 3) throw new Error('three or more');
        return stableSoftmax(x);
      },
      { runs: 10, seed: 21, probes: false },
    );
    const crash = r.findings.find((f) => f.kind === 'crash')!;
    expect(crash.original.length).toBeGreaterThan(3);
    expect(crash.input).toEqual([0, 0, 0]);
    expect(crash.shrinkEvaluations).toBeGreaterThan(0);
    const naive = await vet(naiveSoftmax, { runs: 60, seed: 2, probes: false });
    const overflow = naive.findings.find((f) => f.kind === 'overflow')!;
    expect(overflow.input.length).toBe(1);
    expect(overflow.input[0]).toBeGreaterThan(EXP_THRESHOLDS.f64.overflow);
  });

  test('is deterministic for a seed, and takes LOGITFUZZ_SEED when no seed is given', async () => {
    const a = await vet(naiveSoftmax, { runs: 15, seed: 99 });
    const b = await vet(naiveSoftmax, { runs: 15, seed: 99 });
    const strip = (r: typeof a) =>
      r.findings.map(({ kind, input, original, caseId }) => ({ kind, input, original, caseId }));
    expect(strip(b)).toEqual(strip(a));
    vi.stubEnv('LOGITFUZZ_SEED', '99');
    const c = await vet(naiveSoftmax, { runs: 15 });
    expect(c.seed).toBe(99);
    expect(strip(c)).toEqual(strip(a));
    vi.stubEnv('LOGITFUZZ_SEED', 'abc');
    await expect(vet(naiveSoftmax, { runs: 1 })).rejects.toThrow(/LOGITFUZZ_SEED: must be an integer/);
  });

  test('gives the function a Float32Array in f32 and a Float64Array otherwise, always a copy', async () => {
    const seen = new Set<string>();
    const spy = (x: Float64Array | Float32Array) => {
      seen.add(x.constructor.name);
      return stableSoftmax(x);
    };
    await vet(spy, { format: 'f32', runs: 2, probes: false, seed: 1 });
    expect([...seen]).toEqual(['Float32Array']);
    seen.clear();
    await vet(spy, { format: 'f16', runs: 2, probes: false, seed: 1 });
    expect([...seen]).toEqual(['Float64Array']);
  });

  test('vets the label-taking ops', async () => {
    const r = await vet(stableCrossEntropy, { op: 'cross_entropy', runs: 30, seed: 3 });
    expect(r.verdict, JSON.stringify(r.findings.filter((f) => f.fails))).toBe('pass');
    const bad = await vet(
      (x: Float64Array | Float32Array, label?: number) =>
        -x[label!] + Math.log(Array.from(x, Math.exp).reduce((a, b) => a + b, 0)),
      { op: 'cross_entropy', runs: 10, seed: 3 },
    );
    expect(bad.verdict).toBe('fail');
    for (const f of bad.findings) expect(f.label).toBeGreaterThanOrEqual(0);
  });

  test('reports what the function does wrong as findings, never as exceptions', async () => {
    const cases: [
      string,
      VetOptions,
      (x: Float64Array | Float32Array) => ArrayLike<number> | number | Promise<ArrayLike<number>>,
    ][] = [
      [
        'crash',
        {},
        (x) => {
          if (x.length > 2) throw new Error('boom');
          return stableSoftmax(x);
        },
      ],
      ['shape', {}, (x) => stableSoftmax(x).slice(0, Math.max(0, x.length - 1))],
      [
        'mutation',
        {},
        (x) => {
          const y = stableSoftmax(x);
          x.fill(0);
          return y;
        },
      ],
      [
        'nondeterministic',
        {},
        (x) => stableSoftmax(x).map((v) => v * (1 + (Math.random() < 0.5 ? 2 ** -40 : 0))),
      ],
      [
        'timeout',
        { timeoutMs: 30, shrinkEvals: 3 },
        (x) => (x.length > 3 ? new Promise<ArrayLike<number>>(() => {}) : stableSoftmax(x)),
      ],
    ];
    for (const [kind, options, fn] of cases) {
      const r = await vet(fn, { runs: 12, seed: 5, ...options });
      expect(r.verdict, kind).toBe('fail');
      const f = r.findings.find((g) => g.kind === kind);
      expect(f, `${kind}: found ${r.findings.map((g) => g.kind)}`).toBeDefined();
      if (kind !== 'nondeterministic') expect(f!.index).toBe(-1);
      expect(f!.count).toBeGreaterThan(0);
    }
    // the crash shrinks to the shortest input that throws
    const crash = await vet(
      (x) => {
        if (x.length > 2) throw new Error('boom');
        return stableSoftmax(x);
      },
      { runs: 12, seed: 5 },
    );
    expect(crash.findings.find((f) => f.kind === 'crash')!.input.length).toBe(3);
  });

  test('special findings are reported but fail only under strict', async () => {
    // about the specials policy, not long rows: short rows keep three 200-run vets within the test's time
    const short = { runs: 200, seed: 11, maxLength: 64 };
    const report = await vet(stableSoftmax, short);
    const special = report.findings.find((f) => f.kind === 'special');
    expect(special, 'a max-shift gives NaN for +Inf logits').toBeDefined();
    expect(special!.fails).toBe(false);
    expect(report.verdict).toBe('pass');
    const strict = await vet(stableSoftmax, { ...short, specials: 'strict' });
    expect(strict.verdict).toBe('fail');
    const skip = await vet(stableSoftmax, { ...short, specials: 'skip' });
    expect(skip.findings.map((f) => f.kind)).not.toContain('special');
  });

  test('a budget override applies to every element', async () => {
    const r = await vet(stableSoftmax, { runs: 10, seed: 2, budget: 0, probes: false });
    for (const f of r.findings.filter((g) => g.kind === 'ulp')) expect(f.budget).toBe(0);
  });

  test('rejects bad arguments, naming the field', async () => {
    await expect(vet(42 as never)).rejects.toThrow(/^fn: expected the function to vet, got number/);
    const bad: [VetOptions, RegExp][] = [
      [{ op: 'softmin' as never }, /^op: unknown op 'softmin'/],
      [{ format: 'f8' as never }, /^format: unknown format 'f8'/],
      [{ runs: -1 }, /^runs: must be a non-negative integer/],
      [{ runs: 1.5 }, /^runs: must be a non-negative integer/],
      [{ runs: 0, probes: false }, /^runs: is 0 and probes is false/],
      [{ seed: 2 ** 40 }, /^seed: must be an integer/],
      [{ budget: -1 }, /^budget: must be a number of ULPs ≥ 0/],
      [{ specials: 'lenient' as never }, /^specials: must be 'strict', 'report' or 'skip'/],
      [{ minLength: 5, maxLength: 4 }, /^minLength: 5 exceeds maxLength 4/],
      [{ op: 'cross_entropy', minLength: 0 }, /^minLength: op 'cross_entropy' takes a label/],
      [{ maxLength: -3 }, /^maxLength: must be a non-negative integer/],
      [{ shrinkEvals: 'many' as never }, /^shrinkEvals: must be a non-negative integer/],
      [{ checkDeterminism: 1 as never }, /^checkDeterminism: must be true or false/],
      [{ probes: 'yes' as never }, /^probes: must be true or false/],
      [{ timeoutMs: 0 }, /^timeoutMs: must be a positive integer/],
      [{ failOn: 'never' as never }, /^failOn: must be 'inaccurate' or 'wrong'/],
      [{ close: 'isclose' }, /^close: unknown closeness 'isclose'/],
    ];
    for (const [options, message] of bad)
      await expect(vet(stableSoftmax, options), JSON.stringify(options)).rejects.toThrow(message);
  });
});

describe('vet at two levels', () => {
  // the PyTorch-style log_softmax: cancellation at the dominant logit is its only defect
  const pytorchLogSoftmax = (x: Float64Array | Float32Array) => {
    let m = -Infinity;
    for (const v of x) m = Math.max(m, v);
    let s = 0;
    for (const v of x) s += Math.exp(v - m);
    return Array.from(x, (v) => v - m - Math.log(s));
  };
  const options: VetOptions = {
    op: 'log_softmax',
    runs: 100,
    seed: 5,
    minLength: 1,
    maxLength: 16,
    specials: 'skip',
  };

  test('fails the strict level with an inaccurate cancellation and passes at failOn wrong', async () => {
    const strict = await vet(pytorchLogSoftmax, options);
    expect(strict.verdicts).toEqual({ inaccurate: 'fail', wrong: 'pass' });
    expect(strict.verdict).toBe('fail');
    const c = strict.findings.find((f) => f.kind === 'cancellation')!;
    expect(c.severity).toBe('inaccurate');
    expect(c.fails).toBe(true);
    expect(c.actual![c.index]).toBe(0);
    expect(c.expected[c.index]).toBeLessThan(0);
    const lenient = await vet(pytorchLogSoftmax, { ...options, failOn: 'wrong' });
    expect(lenient.verdict).toBe('pass');
    expect(lenient.findings.every((f) => !f.fails)).toBe(true);
  });

  test('a naive softmax is wrong at both levels', async () => {
    const r = await vet(naiveSoftmax, { runs: 30, seed: 1, failOn: 'wrong' });
    expect(r.verdicts).toEqual({ inaccurate: 'fail', wrong: 'fail' });
    expect(r.findings.find((f) => f.kind === 'overflow')?.severity).toBe('wrong');
  });
});
