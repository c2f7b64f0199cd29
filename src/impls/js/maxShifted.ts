import { EXPECT_INACCURATE, EXPECT_WRONG } from '../../vocabulary/Severity.js';
import type { Arithmetic } from './Arithmetic.js';
import { byFormat } from './byFormat.js';
import type { JsFormulation } from './JsFormulation.js';

/**
 * m = max x (Math.max: a NaN logit makes m NaN), e_j = exp(x_j − m) and their recursive
 * (left-to-right) sum s. An empty row gives m = −Inf, s = 0.
 */
function shiftedExps<T>(x: Float64Array, A: Arithmetic<T>): { m: T; e: T[]; s: T } {
  let m = A.input(-Infinity);
  for (let j = 0; j < x.length; j++) m = A.max(m, A.input(x[j]));
  const e: T[] = []; // filled in index order: packed, never a holey or dictionary-mode array for long rows
  let s = A.zero;
  for (let j = 0; j < x.length; j++) {
    e[j] = A.exp(A.sub(A.input(x[j]), m));
    s = A.add(s, e[j]);
  }
  return { m, e, s };
}

function softmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { e, s } = shiftedExps(x, A);
  return e.map((ej) => A.div(ej, s));
}

function logSoftmax<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, s } = shiftedExps(x, A);
  const L = A.log(s);
  return Array.from(x, (xi) => A.sub(A.sub(A.input(xi), m), L));
}

function logsumexp<T>(x: Float64Array, _label: number, A: Arithmetic<T>): T[] {
  const { m, s } = shiftedExps(x, A);
  return [A.add(m, A.log(s))];
}

function crossEntropy<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const { m, s } = shiftedExps(x, A);
  return [A.neg(A.sub(A.sub(A.input(x[k]), m), A.log(s)))];
}

function crossEntropyGrad<T>(x: Float64Array, k: number, A: Arithmetic<T>): T[] {
  const y = softmax(x, k, A);
  y[k] = A.sub(y[k], A.one);
  return y;
}

/**
 * The f64 softmax on typed arrays: the same operations as `softmax` with binary64 arithmetic —
 * max, e_j = exp(x_j − m) summed left to right, then e_j / s — so the same bits, at close to the
 * cost of the exp calls themselves.
 */
function softmaxF64(x: Float64Array): Float64Array {
  const n = x.length;
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[j]);
  const e = new Float64Array(n);
  let s = 0;
  for (let j = 0; j < n; j++) {
    const v = Math.exp(x[j] - m);
    e[j] = v;
    s += v;
  }
  for (let j = 0; j < n; j++) e[j] = e[j] / s;
  return e;
}

/**
 * The recursive sum starts from the max's term 1, so a long tail of terms each below half an ULP
 * of 1 is lost term by term: 0 followed by 2^18 − 1 logits at −(p + 1)·ln 2 (the campaign's long
 * stagnation probe) sums to 1 for 1 + 2^18·2^−(p+1) — f64 1 + 2^−36, inaccurate (131,071 ULPs of
 * softmax's top element against a budget of 40, far inside assert_close's 1e−7), f32 1 + 2^−7,
 * wrong (log of the sum 0 for 7.8e−3, softmax 1 for 0.992). In f16 and bf16 even n equal logits
 * stop the sum at 2^11 (2^8): softmax 1/2048 for 1/4096, wrong. Every op reads this sum, so all
 * five have this one table (the log-domain ops were already inaccurate in f64: log s loses the
 * tail a log1p keeps).
 */
const recursiveSum = byFormat({
  f64: EXPECT_INACCURATE,
  f32: EXPECT_WRONG,
  f16: EXPECT_WRONG,
  bf16: EXPECT_WRONG,
});

/**
 * 'max-shifted': the usual stable formulas, m = max x, e_j = exp(x_j − m), s = Σ_j e_j
 * (recursive sum): softmax_i = e_i / s; logsumexp = m + log s; log_softmax_i = (x_i − m) − log s;
 * cross_entropy = −((x_k − m) − log s) (via log_softmax); cross_entropy_grad = e_i / s − onehot(k).
 *
 * Known error: softmax is the shifted algorithm with division the default budget is built on
 * (Blanchard, Higham & Higham 2021, Thm 4.3) and never overflows, but with a recursive sum,
 * error γ_{n−1} where the budget assumes a pairwise one, γ_{⌈log₂ n⌉+1}
 * (docs/design.md, "Budgets"): fine on short rows, beyond the budget on long ones (see
 * `recursiveSum`: expected inaccurate in f64, wrong in f32, f16 and bf16). On 2^18 benign logits (uniform in [−10, 10])
 * the drift alone is 3,311 f32 ULPs against a budget of 89.
 *
 * The log-domain ops use log s where the recommended algorithm uses log1p(s − 1): when one logit
 * dominates, s = 1 + t with t below the format's u rounds to 1 and the tail is lost, so
 * logsumexp([0, −40]) in f64 returns 0 for 4.25e−18, log_softmax's top entry −0 for −4.25e−18,
 * cross_entropy at the top label 0: relative error 1, which always fails — in every format (f16
 * witness: [0, −10]). cross_entropy_grad fails the same way at the label, y_k − 1 cancelling
 * when y_k ≈ 1 ([0, −40] with k = 0 gives 0 for −4.25e−18).
 *
 * Special cases (measured): NaN → all NaN (m is NaN); a +Inf logit gives Inf − Inf = NaN, so
 * NaN results where the policy has a limit (the jax#21495 class); −Inf logits contribute 0; all
 * −Inf: m = −Inf, every x_j − m NaN. Empty row: softmax and log_softmax empty, logsumexp
 * −Inf + log 0 = −Inf.
 */
export const MAX_SHIFTED: JsFormulation = {
  name: 'max-shifted',
  formats: ['f64', 'f32', 'f16', 'bf16'],
  ops: {
    softmax: {
      formula: 'exp(x_i - max) / sum_j exp(x_j - max)',
      expected: recursiveSum,
      kernel: softmax,
      fastF64: softmaxF64,
    },
    log_softmax: {
      formula: '(x_i - max) - log(sum_j exp(x_j - max))',
      expected: recursiveSum,
      kernel: logSoftmax,
    },
    logsumexp: {
      formula: 'max + log(sum_j exp(x_j - max))',
      expected: recursiveSum,
      kernel: logsumexp,
    },
    cross_entropy: {
      formula: '-((x_k - max) - log(sum_j exp(x_j - max)))',
      expected: recursiveSum,
      kernel: crossEntropy,
    },
    cross_entropy_grad: {
      formula: 'exp(x_i - max) / sum_j exp(x_j - max) - onehot(k)_i',
      expected: recursiveSum,
      kernel: crossEntropyGrad,
    },
  },
};
