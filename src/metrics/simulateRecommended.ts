import { roundNumber } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';

/**
 * How the simulated sum s = Σ_{j≠k} ê_j is accumulated: 'pairwise' (adjacent pairs level by
 * level, an odd last term carried up) and 'halving' (recursively, the first ⌈m/2⌉ terms and the
 * rest) are the trees of depth ⌈log₂ m⌉ the budget assumes (summationDepth.ts); 'forward' and
 * 'reverse' are recursive summation, depth m − 1, which the budget covers only for n ≤ 5.
 */
export type SumOrder = 'pairwise' | 'halving' | 'forward' | 'reverse';

/**
 * The recommended stable algorithm (Blanchard, Higham & Higham 2021) evaluated in `format` with
 * every operation rounded into the format — the reference point of budgets.ts, used by its tests
 * as evidence that the budget is not too tight (metrics may not import src/impls).
 *
 *   a = max x, k = first index of a, ê_j = exp(x_j − a) (j ≠ k), s = Σ ê_j (in `order`, by
 *   default pairwise: the sum the budget assumes),
 *   softmax_i = ê_i/(1 + s) (ê_k = 1), log_softmax_i = (x_i − a) − log1p(s),
 *   logsumexp = a + log1p(s), cross_entropy = (a − x_l) + log1p(s),
 *   cross_entropy_grad = softmax − onehot(l): softmax_l − 1 rounded once, except at a label on a
 *   max logit, where it is −s/(1 + s) (softmax_l − 1 would cancel to 0 once s < u: a relative
 *   error of 1, which always fails, so no stable algorithm may do that).
 *
 * Arithmetic: f64 is plain JS (IEEE binary64) with V8's Math.exp / Math.log1p (fdlibm, < 1 ULP).
 * f32, f16 and bf16 evaluate each operation in binary64 and round once with roundNumber: for
 * +, −, ÷ of two values of a format with p ≤ 24 this is the correctly rounded operation of that
 * format, because double rounding through binary64 is innocuous when 53 ≥ 2p + 2 (Figueroa,
 * "When is double rounding innocuous?", 1995); exp and log1p come out within u + 2^−52 relative,
 * under 1 ULP, as budgets.ts assumes.
 *
 * Special cases: −Inf logits flow through as IEEE 754 says (exp(−Inf) = 0, −Inf − L = −Inf),
 * which is the policy; NaN, +Inf, an empty input or no finite logit throw a RangeError.
 */
export function simulateRecommended(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
  order: SumOrder = 'pairwise',
): Float64Array {
  const fmt = formatSpec(format);
  const R = (v: number) => roundNumber(fmt, v);
  const n = x.length;
  if (n === 0) throw new RangeError('simulateRecommended: empty input');
  let a = -Infinity;
  let k = -1;
  for (let j = 0; j < n; j++) {
    if (x[j] !== x[j] || x[j] === Infinity)
      throw new RangeError('simulateRecommended: no NaN or +Inf logits');
    if (x[j] > a) {
      a = x[j];
      k = j;
    }
  }
  if (a === -Infinity) throw new RangeError('simulateRecommended: needs a finite logit');
  const e = new Float64Array(n);
  const terms: number[] = [];
  for (let j = 0; j < n; j++) {
    e[j] = j === k ? 1 : R(Math.exp(R(x[j] - a)));
    if (j !== k) terms.push(e[j]);
  }
  const s = sum(R, order === 'reverse' ? terms.reverse() : terms, order);
  const softmax = () => {
    const S = R(1 + s);
    return Float64Array.from(e, (v) => R(v / S));
  };
  const L = () => R(Math.log1p(s));
  const l = label ?? -1;
  switch (op) {
    case 'softmax':
      return softmax();
    case 'log_softmax': {
      const Lv = L();
      return Float64Array.from(x, (v) => R(R(v - a) - Lv));
    }
    case 'logsumexp':
      return Float64Array.of(R(a + L()));
    case 'cross_entropy':
      return Float64Array.of(R(R(a - x[l]) + L()));
    case 'cross_entropy_grad': {
      const y = softmax();
      // at a max label the terms other than l sum to s whichever max k is (e_l = e_k = 1)
      y[l] = x[l] === a ? -R(s / R(1 + s)) : R(y[l] - 1);
      return y;
    }
  }
}

function sum(R: (v: number) => number, terms: readonly number[], order: SumOrder): number {
  if (order === 'forward' || order === 'reverse') {
    let s = 0;
    for (const t of terms) s = R(s + t);
    return s;
  }
  if (terms.length === 0) return 0;
  if (order === 'halving') return halve(R, terms, 0, terms.length);
  let level = terms.slice();
  while (level.length > 1) {
    const next: number[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(R(level[i] + level[i + 1]));
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/** terms[from, to) summed as the first ⌈m/2⌉ terms plus the rest, recursively (m = to − from ≥ 1). */
function halve(R: (v: number) => number, terms: readonly number[], from: number, to: number): number {
  const m = to - from;
  if (m === 1) return terms[from];
  const mid = from + Math.ceil(m / 2);
  return R(halve(R, terms, from, mid) + halve(R, terms, mid, to));
}
