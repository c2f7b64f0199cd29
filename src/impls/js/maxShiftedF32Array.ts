import { EXPECT_PASS, type Expected, inaccurateInWideFormats } from '../../vocabulary/Severity.js';
import { F32 } from '../../formats/specs.js';
import type { Arithmetic } from './Arithmetic.js';
import type { JsFormulation } from './JsFormulation.js';

/** m = max x and s = Σ_j exp(x_j − m) in doubles, exps not stored (the log-domain ops need only s). */
function maxAndSum<T>(x: Float64Array, A: Arithmetic<T>): { m: T; s: T } {
  let m = A.input(-Infinity);
  for (let j = 0; j < x.length; j++) m = A.max(m, A.input(x[j]));
  let s = A.zero;
  for (let j = 0; j < x.length; j++) s = A.add(s, A.exp(A.sub(A.input(x[j]), m)));
  return { m, s };
}

/**
 * `out[i] = Math.exp(x[i] - m); s += out[i];` then `out[i] /= s`: the exps are stored (rounded) and the sum
 * reads them back.
 */
function softmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  let m = A.input(-Infinity);
  for (let j = 0; j < x.length; j++) m = A.max(m, A.input(x[j]));
  const out: T[] = []; // filled in index order: packed, never a holey or dictionary-mode array for long rows
  let s = A.zero;
  for (let j = 0; j < x.length; j++) {
    out[j] = A.store(A.exp(A.sub(A.input(x[j]), m)), F32);
    s = A.add(s, out[j]);
  }
  for (let j = 0; j < x.length; j++) out[j] = A.store(A.div(out[j], s), F32);
  return out;
}

function logSoftmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, s } = maxAndSum(x, A);
  const L = A.log(s);
  return Array.from(x, (xi) => A.store(A.sub(A.sub(A.input(xi), m), L), F32));
}

function logsumexp<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, s } = maxAndSum(x, A);
  return [A.store(A.add(m, A.log(s)), F32)];
}

function crossEntropy<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const { m, s } = maxAndSum(x, A);
  return [A.store(A.neg(A.sub(A.sub(A.input(x[k]), m), A.log(s))), F32)];
}

/** softmax into the Float32Array, then `out[k] -= 1` (a second store at the label). */
function crossEntropyGrad<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const out = softmax(x, k, A);
  out[k] = A.store(A.sub(out[k], A.one), F32);
  return out;
}

const pass = (): Expected => EXPECT_PASS;

/**
 * 'max-shifted-f32array': the max-shifted formulas as plain JS code writes them for f32 data:
 * results live in a Float32Array, the arithmetic is JS numbers (binary64, V8's Math.exp/log),
 * and rounding to f32 happens only on each store into the array. softmax stores
 * e_i = exp(x_i − m), sums the stored values in a double s, and stores e_i / s;
 * logsumexp = f32(m + log s); log_softmax_i = f32((x_i − m) − log s); cross_entropy =
 * f32(−((x_k − m) − log s)); cross_entropy_grad: the softmax array, then out[k] −= 1.
 *
 * Known error: f32 inputs make x_j − m nearly exact in binary64 and the double sum s carries
 * ≈ 2^−53 n relative error, so softmax is within about 1 f32 ULP (the stored e_i's rounding,
 * u, plus the stored quotient's, u) — far inside the budget: 'pass'. The log-domain ops still
 * use log s: the double sum keeps tails down to 2^−53 (so [0, −20], fatal in f32 arithmetic, is
 * fine here) but not below: logsumexp([0, −40]) = 0 for 4.25e−18, an f32 value — relative error 1,
 * 'fail'; the gradient's second store cancels out[k] − 1 when out[k] was stored as 1: 'fail'.
 *
 * Special cases (measured): as max-shifted's (NaN → NaN; +Inf → NaN; −Inf contributes 0; all
 * −Inf → NaN; empty → empty, logsumexp −Inf).
 */
export const MAX_SHIFTED_F32ARRAY: JsFormulation = {
  name: 'max-shifted-f32array',
  formats: ['f32'],
  computeFormat: () => 'f64',
  ops: {
    softmax: {
      formula: 'f32(exp(x_i - max)) / sum_j f32(exp(x_j - max)), doubles stored to a Float32Array',
      expected: pass,
      kernel: softmax,
    },
    log_softmax: {
      formula: 'f32((x_i - max) - log(sum_j exp(x_j - max))) in doubles',
      expected: inaccurateInWideFormats,
      kernel: logSoftmax,
    },
    logsumexp: {
      formula: 'f32(max + log(sum_j exp(x_j - max))) in doubles',
      expected: inaccurateInWideFormats,
      kernel: logsumexp,
    },
    cross_entropy: {
      formula: 'f32(-((x_k - max) - log(sum_j exp(x_j - max)))) in doubles',
      expected: inaccurateInWideFormats,
      kernel: crossEntropy,
    },
    cross_entropy_grad: {
      formula: 'f32(f32(exp(x_i - max)) / sum) - onehot(k)_i, stored twice at k',
      expected: inaccurateInWideFormats,
      kernel: crossEntropyGrad,
    },
  },
};
