import { EXPECT_WRONG, type Expected } from '../../vocabulary/Severity.js';
import type { Arithmetic } from './Arithmetic.js';
import type { JsFormulation } from './JsFormulation.js';

/** The shifted log-sum-exp m + log Σ_j exp(x_j − m) (recursive sum); empty row: −Inf. */
function shiftedLse<T>(x: Float64Array, A: Arithmetic<T>): T {
  let m = A.input(-Infinity);
  for (let j = 0; j < x.length; j++) m = A.max(m, A.input(x[j]));
  let s = A.zero;
  for (let j = 0; j < x.length; j++) s = A.add(s, A.exp(A.sub(A.input(x[j]), m)));
  return A.add(m, A.log(s));
}

function softmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const L = shiftedLse(x, A);
  return Array.from(x, (xi) => A.exp(A.sub(A.input(xi), L)));
}

function logSoftmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const L = shiftedLse(x, A);
  return Array.from(x, (xi) => A.sub(A.input(xi), L));
}

function crossEntropy<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  return [A.sub(shiftedLse(x, A), A.input(x[k]))];
}

function crossEntropyGrad<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const y = softmax(x, k, A);
  y[k] = A.sub(y[k], A.one);
  return y;
}

const fail = (): Expected => EXPECT_WRONG;

/**
 * 'lse': everything from one shifted log-sum-exp L = m + log Σ_j exp(x_j − m) (m = max x,
 * recursive sum), division-free: softmax_i = exp(x_i − L); log_softmax_i = x_i − L;
 * cross_entropy = L − x_k; cross_entropy_grad = exp(x_i − L) − onehot(k). Its logsumexp would be
 * max-shifted's operation for operation, so it is not offered twice.
 *
 * Known error: expected 'fail' for every op and format.
 * - softmax: the absolute error of L, about u·|L|, becomes a relative error of exp(x_i − L)
 *   (Blanchard, Higham & Higham 2021, Thm 3.4/4.4: (|y| + max|x_i − y| + n + 2)u and
 *   (1 + max|x_i − y| + |y + n − min x|)u): unbounded in |L|, unlike the default budget. At
 *   [2^p, 2^p] (p the precision, e.g. [1e17, 1e17] in f64 also) L = 2^p + ln 2 rounds to 2^p,
 *   whose neighbours are 2 apart, and the result is [1, 1] for [0.5, 0.5].
 * - log_softmax and cross_entropy: x_i − L cancels when x_i ≈ L, and L itself carries log s's
 *   lost tail: at [0, −40] (f16: [0, −10]) L rounds to 0, giving −0 and 0 where the results are
 *   ∓4.25e−18: relative error 1. cross_entropy_grad cancels in y_k − 1 the same way.
 *
 * Special cases (measured): NaN → all NaN; a +Inf logit gives L = Inf − Inf = NaN → all NaN;
 * −Inf logits give exp(−Inf) = 0 and log_softmax −Inf; all −Inf → NaN. Empty row: empty.
 */
export const LSE: JsFormulation = {
  name: 'lse',
  formats: ['f64', 'f32', 'f16', 'bf16'],
  ops: {
    softmax: {
      formula: 'exp(x_i - LSE(x)), LSE(x) = max + log(sum_j exp(x_j - max))',
      expected: fail,
      kernel: softmax,
    },
    log_softmax: {
      formula: 'x_i - LSE(x), LSE(x) = max + log(sum_j exp(x_j - max))',
      expected: fail,
      kernel: logSoftmax,
    },
    cross_entropy: {
      formula: 'LSE(x) - x_k, LSE(x) = max + log(sum_j exp(x_j - max))',
      expected: fail,
      kernel: crossEntropy,
    },
    cross_entropy_grad: {
      formula: 'exp(x_i - LSE(x)) - onehot(k)_i',
      expected: fail,
      kernel: crossEntropyGrad,
    },
  },
};
