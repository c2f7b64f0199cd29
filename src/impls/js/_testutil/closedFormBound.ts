import { formatSpec } from '../../../formats/specs.js';
import type { FormatName } from '../../../vocabulary/FormatName.js';
import type { Op } from '../../../vocabulary/Op.js';

/**
 * The libm's error in units of the compute format's u: V8's fdlibm exp/log/log1p are < 1 ulp,
 * i.e. ≤ 2u in binary64; elsewhere the binary64 result (2^−52 relative) is rounded once, u more.
 */
function libmUnits(p: number): number {
  return p === 53 ? 2 : 1 + 2 ** (p - 52) * (1 + 2 ** -40);
}

/** First order to rigorous: (1 + u)^ρ − 1 ≤ ρu / (1 − ρu) (Higham's γ_ρ), ∞ when ρu ≥ 1. */
function gamma(rho: number, u: number): number {
  return rho * u < 1 ? (rho * u) / (1 - rho * u) : Infinity;
}

/**
 * The a-priori per-element error bound, as an absolute error, that each formulation's doc
 * comment claims for softmax (and bhh for logsumexp), for a row of finite logits; undefined
 * where no closed form is documented. `y` is the exact result (the oracle's value will do:
 * the bound is inflated by 2u for it).
 *
 * With d_i = |x_i − m|, spread = max − min, s = Σ_j e^(d_j), W = Σ_j e^(−d_j) d_j / s
 * (the shift errors of the terms weighted by their share of the sum; W ≤ min(spread, (n − 1)/e)),
 * c the libm's error in units of u, the relative error in units of u of softmax_i is at most
 * (first order; then made rigorous by γ):
 * - naive: n + 2c (exp of exact inputs c, sum n − 1, terms' errors c, division 1; Thm 3.3's n + 3);
 * - max-shifted and bhh: d_i + W + n + 2c (shift d_i, exp c, terms W + c, sum n − 1, division 1);
 * - pairwise: d_i + W + 2c + h + 1 with h = ⌈log₂(n − 1)⌉ + 1 (0 for n = 1), the depth of the
 *   pairwise s plus the 1 of 1 + s, in place of bhh's n − 1;
 * - compensated: d_i + W + 2c + 3 + 4n²u (the Neumaier sum's 2u + O(n²u²), Higham §4.3);
 * - online: d_i + c + ρ_d + 1 with ρ_d = (n − 1) + (n − 1)(c + 1) + spread + W + c: every
 *   increase of the running max rescales the sum so far by a rounded exp (c + 1 and the shift
 *   |m_old − m_new|, which telescope to at most the spread);
 * - lse: ρ_s + c·ln s + |L| + |x_i − L| + c with ρ_s = W + c + n − 1 (the sum), L = ln Σ e^(x_j):
 *   L's absolute error u(ρ_s + c ln s + |L|), then x_i − L's rounding, become exp's relative error
 *   (Blanchard, Higham & Higham Thm 3.4's |y| + max|x_i − y| growth);
 * - max-shifted-f32array: 2 f32 roundings (the stored exp and the stored quotient) plus
 *   (d_i + W + n + 4) binary64 units, 2^−29 of an f32 unit each.
 * Subnormal floors (f16): the exp of x_i and the quotient each add ≤ minSubnormal, the n terms
 * of the sum ≤ n·minSubnormal/2 relative to s ≥ 1, doubled for online's rescaled partial sums:
 * minSubnormal·(2 + 2n·y_i).
 *
 * bhh logsumexp y = a + log1p(s'), s' = Σ_{j≠k} e^(x_j − a): absolute error
 * u·(|y| + c·log1p(s') + (n − 2 + c + W)·s'/(1 + s')) (the sum's relative error through log1p's
 * derivative s'/(1 + s') ≤ 1, log1p's own c, the final addition's rounding); pairwise the same
 * with the depth ⌈log₂(n − 1)⌉ of its s in place of n − 2.
 */
export function closedFormBound(
  formulation: string,
  op: Op,
  format: FormatName,
  x: Float64Array,
  i: number,
  y: number,
): number | undefined {
  const n = x.length;
  let m = -Infinity;
  let lo = Infinity;
  for (const v of x) {
    m = Math.max(m, v);
    lo = Math.min(lo, v);
  }
  const spread = m - lo;
  let s = 0;
  let sw = 0;
  for (const v of x) {
    const e = Math.exp(v - m);
    s += e;
    sw += e * (m - v);
  }
  const W = (sw / s) * (1 + 2 ** -30);
  const io = formatSpec(format);
  const ay = Math.abs(y) * (1 + 2 * io.unitRoundoff) + io.minSubnormal;

  // ⌈log₂(n − 1)⌉: the depth of a pairwise sum of the n − 1 terms other than the max's
  const sDepth = n > 2 ? Math.ceil(Math.log2(n - 1) - 1e-12) : 0;
  if (op === 'logsumexp' && (formulation === 'bhh' || formulation === 'pairwise')) {
    const u = io.unitRoundoff;
    const c = libmUnits(io.precision);
    const sp = s - 1;
    const sumTerms = formulation === 'bhh' ? n - 2 : sDepth;
    const rho =
      (Math.abs(y) + 1 + c * Math.log1p(sp) + (sumTerms + c + W) * (sp / (1 + sp))) * (1 + 2 ** -30);
    return rho * u * (1 + gamma(n + 4, u)) + io.minSubnormal;
  }
  if (op !== 'softmax') return undefined;

  const di = m - x[i];
  const floor = io.minSubnormal * (2 + 2 * n * ay);
  if (formulation === 'max-shifted-f32array') {
    const rho = 2 + (di + W + n + 4) * 2 ** -29;
    return gamma(rho, io.unitRoundoff) * ay + floor;
  }
  const u = io.unitRoundoff;
  const c = libmUnits(io.precision);
  let rho: number;
  switch (formulation) {
    case 'naive':
      rho = n + 2 * c;
      break;
    case 'max-shifted':
    case 'bhh':
      rho = di + W + n + 2 * c;
      break;
    case 'pairwise':
      rho = di + W + 2 * c + (n > 1 ? sDepth + 2 : 0);
      break;
    case 'compensated':
      rho = di + W + 2 * c + 3 + 4 * n * n * u;
      break;
    case 'online':
      rho = di + c + (n - 1 + (n - 1) * (c + 1) + spread + W + c) + 1;
      break;
    case 'lse': {
      const L = m + Math.log(s);
      rho = W + c + n - 1 + c * Math.log(s) + Math.abs(L) + Math.abs(x[i] - L) + c;
      break;
    }
    default:
      return undefined;
  }
  return gamma(rho * (1 + 2 ** -30), u) * ay + floor;
}
