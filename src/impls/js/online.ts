import { EXPECT_WRONG, type Expected } from '../../vocabulary/Severity.js';
import type { Arithmetic } from './Arithmetic.js';
import type { JsFormulation } from './JsFormulation.js';

/**
 * One pass over x keeping the running max m and the running sum d = Σ_{j seen} exp(x_j − m):
 * m' = max(m, x_j), d = d·exp(m − m') + exp(x_j − m') (Milakov & Gimelshein 2018, Algorithm 3).
 * Starts at m = −Inf, d = 0, so the first step is 0·exp(−Inf) + exp(0) = 1 for a finite x_0.
 */
function onlineNormalizer<T>(x: Float64Array, A: Arithmetic<T>): { m: T; d: T } {
  let m = A.input(-Infinity);
  let d = A.zero;
  for (let j = 0; j < x.length; j++) {
    const xj = A.input(x[j]);
    const m2 = A.max(m, xj);
    d = A.add(A.mul(d, A.exp(A.sub(m, m2))), A.exp(A.sub(xj, m2)));
    m = m2;
  }
  return { m, d };
}

function softmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, d } = onlineNormalizer(x, A);
  return Array.from(x, (xi) => A.div(A.exp(A.sub(A.input(xi), m)), d));
}

function logSoftmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, d } = onlineNormalizer(x, A);
  const L = A.log(d);
  return Array.from(x, (xi) => A.sub(A.sub(A.input(xi), m), L));
}

function logsumexp<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, d } = onlineNormalizer(x, A);
  return [A.add(m, A.log(d))];
}

function crossEntropy<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const { m, d } = onlineNormalizer(x, A);
  return [A.neg(A.sub(A.sub(A.input(x[k]), m), A.log(d)))];
}

function crossEntropyGrad<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const y = softmax(x, k, A);
  y[k] = A.sub(y[k], A.one);
  return y;
}

/** d is a running sum in the format: it stagnates at 2^11 in f16 and 2^8 in bf16, as max-shifted's does. */
const fail = (): Expected => EXPECT_WRONG;

/**
 * 'online': the single-pass normalizer of Milakov & Gimelshein, "Online normalizer calculation
 * for softmax" (2018): a running max m and a running sum d rescaled by exp(m_old − m_new) whenever
 * the max grows; then a second pass softmax_i = exp(x_i − m)/d. logsumexp = m + log d;
 * log_softmax_i = (x_i − m) − log d; cross_entropy = −((x_k − m) − log d);
 * cross_entropy_grad = softmax − onehot(k).
 *
 * Known error: d ends equal to max-shifted's s in exact arithmetic, but every rescale multiplies
 * the sum so far by a rounded exp (one more exp error, c units of u with c = 2 for V8's < 1 ulp
 * exp, and one product rounding per increase of the max; the shifts m_old − m_new telescope to
 * at most the spread): a priori softmax_i is within about
 * |x_i − m| + 2c + 1 + (n − 1)(c + 2) + spread + W units of u (W ≤ min(spread, (n − 1)/e), the
 * terms' weighted shift errors), against the budget's n + 1 + |x_i − m| — for an increasing row
 * the worst case is about three times the budget. It needs every rounding to align; the
 * rescale errors of a real row partly cancel (a minute of random search over increasing rows of
 * length ≤ 31 found online no worse than max-shifted: both peak at 0.85 of the budget), so
 * finite rows of softmax stay within the budget in f64 and f32 (f16/bf16: the sum stagnates). The
 * log-domain ops use log d, losing the tail like max-shifted ([0, −40] → relative error 1), and
 * the gradient cancels in y_k − 1.
 * Expected `wrong` for every op in every format: a row that starts with a −Inf (masked) logit
 * comes out all NaN (below), and a masked row is a row of values, which the −Inf probes check
 * (docs/design.md, "Special values").
 *
 * Special cases (measured): NaN → all NaN; a +Inf logit gives Inf − Inf = NaN in its step → NaN;
 * a leading −Inf logit gives exp(−Inf − (−Inf)) = NaN in the first step, so a row that starts
 * masked comes out all NaN where the exact answer has 0s (a real defect of unguarded online
 * softmax; −Inf after a finite logit contributes 0); all −Inf → NaN. Empty row: empty,
 * logsumexp −Inf + log 0 = −Inf.
 */
export const ONLINE: JsFormulation = {
  name: 'online',
  formats: ['f64', 'f32', 'f16', 'bf16'],
  ops: {
    softmax: {
      formula: 'exp(x_i - m) / d, (m, d) = one pass with d <- d*exp(m_old - m_new) + exp(x_j - m_new)',
      expected: fail,
      kernel: softmax,
    },
    log_softmax: {
      formula: '(x_i - m) - log(d), (m, d) from one online pass',
      expected: fail,
      kernel: logSoftmax,
    },
    logsumexp: { formula: 'm + log(d), (m, d) from one online pass', expected: fail, kernel: logsumexp },
    cross_entropy: {
      formula: '-((x_k - m) - log(d)), (m, d) from one online pass',
      expected: fail,
      kernel: crossEntropy,
    },
    cross_entropy_grad: {
      formula: 'exp(x_i - m) / d - onehot(k)_i, (m, d) from one online pass',
      expected: fail,
      kernel: crossEntropyGrad,
    },
  },
};
