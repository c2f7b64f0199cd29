// Resource bounds: long vectors. Every pure-JS CPU implementation takes one call on a row of
// 10^5 logits (10^6 is too slow for CI in f16/bf16 emulation: ~150 s for the zoo; see
// scripts/long-vectors.mjs, which runs 10^6 and judges every output exactly), and the oracle
// takes 10^6-element rows whose exact answers are known (one logit dominates, every other term
// is cut). The general 10^6 oracle check (a row the oracle must really sum) is in the script too.
import { describe, expect, it } from 'vitest';
import { formatSpec, isRepresentable } from '../../src/formats/index.js';
import type { FormatName } from '../../src/vocabulary/FormatName.js';
import { allImplementations } from '../../src/impls/registry.js';
import { oracle } from '../../src/oracle/index.js';

const N = 100_000;
const K = 17;
const LABEL = 3;
/** x_i = (i mod 17) − 8: integers in [−8, 8], exact in every format, sum of exps well inside range. */
const X = Float64Array.from({ length: N }, (_, i) => (i % K) - 8);

/**
 * The exact result to about 1e-15 relative, from the counts of the 17 distinct values (so no
 * long sum is involved): S = Σ_k c_k e^{k−8} and LSE = log S.
 */
const LSE = (() => {
  let s = 0;
  for (let k = K - 1; k >= 0; k--) s += (Math.floor(N / K) + (k < N % K ? 1 : 0)) * Math.exp(k - 8 - 8);
  return 8 + Math.log(s);
})();
function reference(op: string, i: number): number {
  const v = X[i];
  switch (op) {
    case 'softmax':
      return Math.exp(v - LSE);
    case 'log_softmax':
      return v - LSE;
    case 'logsumexp':
      return LSE;
    case 'cross_entropy':
      return LSE - X[LABEL];
    default:
      return Math.exp(v - LSE) - (i === LABEL ? 1 : 0);
  }
}

const PRECISION: Readonly<Record<FormatName, number>> = { f64: 53, f32: 24, f16: 11, bf16: 8 };
const JS = allImplementations().filter((i) => i.backend === 'js');

describe(`every pure-JS CPU implementation on one row of ${N} logits`, () => {
  it('covers the whole pure-JS zoo', () => {
    expect(JS.length).toBeGreaterThanOrEqual(120);
    expect(new Set(JS.map((i) => i.format))).toEqual(new Set(['f64', 'f32', 'f16', 'bf16']));
  });

  for (const format of ['f64', 'f32', 'f16', 'bf16'] as const) {
    it(`${format}: one row of the right length, values of the format; pass-expected ones without NaN${format === 'f64' || format === 'f32' ? ', within the a-priori bound' : ''}`, async () => {
      const fmt = formatSpec(format);
      // the recommended algorithm's bound, (n + 1 + max |x_i − max|) ulps, as a relative error (1 ulp ≤
      // 2^(1−p) relative)
      const bound = (N + 1 + 16) * 2 ** (1 - PRECISION[format]);
      for (const impl of JS.filter((i) => i.format === format)) {
        await impl.setup?.();
        const labels = impl.op === 'cross_entropy' || impl.op === 'cross_entropy_grad' ? [LABEL] : undefined;
        const out = await impl.run([X], labels);
        expect(out, impl.name).toHaveLength(1);
        const y = out[0];
        expect(y, impl.name).toBeInstanceOf(Float64Array);
        expect(y.length, impl.name).toBe(impl.op === 'logsumexp' || impl.op === 'cross_entropy' ? 1 : N);
        let notInFormat = 0;
        let nans = 0;
        let worst = 0;
        for (let i = 0; i < y.length; i++) {
          if (!isRepresentable(fmt, y[i])) notInFormat++;
          if (Number.isNaN(y[i])) nans++;
          const r = reference(impl.op, i);
          // elements near 0 (the gradient's label entry is not) are judged relative to their own size
          worst = Math.max(worst, Math.abs(y[i] - r) / Math.abs(r));
        }
        expect(notInFormat, impl.name).toBe(0);
        if (impl.expected.inaccurate === 'pass') {
          expect(nans, impl.name).toBe(0);
          // f16 and bf16 results of this row are partly subnormal, where relative error means little: not judged here
          if (format === 'f64' || format === 'f32') expect(worst, impl.name).toBeLessThanOrEqual(bound);
        }
        await impl.dispose?.();
      }
    }, 120_000);
  }
});

describe('the oracle on rows of 10^6 logits with known exact answers', () => {
  const n = 1_000_000;
  const expectBits = (actual: Float64Array, expected: (i: number) => number, what: string) => {
    let bad = -1;
    for (let i = 0; i < actual.length && bad < 0; i++) if (!Object.is(actual[i], expected(i))) bad = i;
    expect(bad, `${what}: element ${bad} is ${actual[bad]}, expected ${bad >= 0 ? expected(bad) : ''}`).toBe(
      -1,
    );
  };

  it('f64: x = [0, −1e6 − 1, −1e6 − 2, …]: every term but the first underflows', () => {
    const x = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : -1e6 - i));
    // softmax: 1 − tiny rounds to 1, the others tiny positive: +0
    const sm = oracle('softmax', 'f64', x);
    expect(sm.undetermined).toEqual([]);
    expectBits(sm.values, (i) => (i === 0 ? 1 : 0), 'softmax');
    // log_softmax: −tiny rounds to −0 (a nonzero result keeps its sign), x_i − tiny to x_i
    const ls = oracle('log_softmax', 'f64', x);
    expectBits(ls.values, (i) => (i === 0 ? -0 : x[i]), 'log_softmax');
    expectBits(oracle('logsumexp', 'f64', x).values, () => 0, 'logsumexp'); // tiny positive: +0
    expectBits(oracle('cross_entropy', 'f64', x, 0).values, () => 0, 'cross_entropy label 0');
    expectBits(oracle('cross_entropy', 'f64', x, LABEL).values, () => 1e6 + LABEL, 'cross_entropy label 3');
    expectBits(
      oracle('cross_entropy_grad', 'f64', x, 0).values,
      (i) => (i === 0 ? -0 : 0),
      'cross_entropy_grad label 0',
    );
    expectBits(
      oracle('cross_entropy_grad', 'f64', x, LABEL).values,
      (i) => (i === 0 ? 1 : i === LABEL ? -1 : 0),
      'cross_entropy_grad label 3',
    );
  }, 120_000);

  it('f16: x = [0, −65504, −65504, …]', () => {
    const x = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : -65504));
    const sm = oracle('softmax', 'f16', x);
    expect(sm.undetermined).toEqual([]);
    expectBits(sm.values, (i) => (i === 0 ? 1 : 0), 'softmax');
    expectBits(oracle('log_softmax', 'f16', x).values, (i) => (i === 0 ? -0 : -65504), 'log_softmax');
    expectBits(oracle('logsumexp', 'f16', x).values, () => 0, 'logsumexp');
  }, 120_000);
});
