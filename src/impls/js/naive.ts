import { EXPECT_WRONG, type Expected } from '../../vocabulary/Severity.js';
import type { Arithmetic } from './Arithmetic.js';
import type { JsFormulation } from './JsFormulation.js';

/** e_j = exp(x_j) and their recursive (left-to-right) sum, in the arithmetic's format. */
function unshiftedExps<T>(x: Float64Array, A: Arithmetic<T>): { e: T[]; s: T } {
  const e: T[] = []; // filled in index order: packed, never a holey or dictionary-mode array for long rows
  let s = A.zero;
  for (let j = 0; j < x.length; j++) {
    e[j] = A.exp(A.input(x[j]));
    s = A.add(s, e[j]);
  }
  return { e, s };
}

function softmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { e, s } = unshiftedExps(x, A);
  return e.map((ej) => A.div(ej, s));
}

function logSoftmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const L = A.log(unshiftedExps(x, A).s);
  return Array.from(x, (xi) => A.sub(A.input(xi), L));
}

function logsumexp<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  return [A.log(unshiftedExps(x, A).s)];
}

function crossEntropy<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  // −log_softmax_k = −(x_k − log Σ e^{x_j}); negation is exact
  return [A.neg(A.sub(A.input(x[k]), A.log(unshiftedExps(x, A).s)))];
}

function crossEntropyGrad<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const y = softmax(x, k, A);
  y[k] = A.sub(y[k], A.one);
  return y;
}

const fail = (): Expected => EXPECT_WRONG;

/**
 * 'naive': the textbook formulas without a shift, e_j = exp(x_j), s = Σ_j e_j (recursive sum):
 * softmax_i = e_i / s, logsumexp = log s, log_softmax_i = x_i − log s,
 * cross_entropy = −(x_k − log s), cross_entropy_grad = e_i / s − onehot(k).
 *
 * Known error: a deliberately unstable reference, expected 'fail' for every op and format.
 * In range it is accurate (Blanchard, Higham & Higham 2021, Thm 3.3: softmax within (n + 3)u
 * normwise; Thm 3.2: logsumexp within (1 + (n + 1)/|y|)u), but exp(x_j) overflows to +Inf once
 * any logit exceeds the format's exp-overflow threshold (EXP_THRESHOLDS: ≈ 709.78 in f64, 88.72
 * in f32, 11.09 in f16, 88.5 in bf16) and the sum overflows even earlier, at
 * max x ≳ threshold − ln n: softmax becomes Inf/Inf = NaN, logsumexp +Inf. It underflows the
 * same way: every e_j = 0 once all logits are below the underflow threshold, giving 0/0 = NaN
 * and log 0 = −Inf.
 *
 * Special cases (measured, not special-cased): a NaN logit makes everything NaN; −Inf logits give
 * e_j = 0; a +Inf logit makes s = +Inf and softmax NaN at it, 0 elsewhere; all −Inf: softmax
 * NaN, logsumexp −Inf. Empty row: softmax and log_softmax empty, logsumexp log(0) = −Inf.
 */
export const NAIVE: JsFormulation = {
  name: 'naive',
  formats: ['f64', 'f32', 'f16', 'bf16'],
  ops: {
    softmax: { formula: 'exp(x_i) / sum_j exp(x_j)', expected: fail, kernel: softmax },
    log_softmax: { formula: 'x_i - log(sum_j exp(x_j))', expected: fail, kernel: logSoftmax },
    logsumexp: { formula: 'log(sum_j exp(x_j))', expected: fail, kernel: logsumexp },
    cross_entropy: { formula: '-(x_k - log(sum_j exp(x_j)))', expected: fail, kernel: crossEntropy },
    cross_entropy_grad: {
      formula: 'exp(x_i) / sum_j exp(x_j) - onehot(k)_i',
      expected: fail,
      kernel: crossEntropyGrad,
    },
  },
};
