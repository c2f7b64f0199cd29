import type { FormatSpec } from '../formats/types.js';
import { SCALED_ENDPOINTS, type ScaledSum } from './binaryEndpoint.js';
import { EPS_ADD, EPS_ADD_D, EPS_DIV, composeRel, ddAdd, ddAddD, ddDiv, ddMul, invRel } from './dd.js';
import { EPS_EXP, EXP_MIN_ARG, ddExpNeg } from './ddExp.js';
import { LOG1P_REL, SERIES_REL, ddLog1p, ddLog1pG } from './ddLog.js';
import { decideWith } from './decide.js';
import type { Op } from './ops.js';
import { outputLength } from './ops.js';
import { exponentOf, pow2i } from './pow2i.js';

/**
 * The oracle's fast path: every op evaluated in double-double with a rigorous error bound, each
 * output element enclosed in [lo, hi] and rounded into the target format by the shared
 * `decideWith` (decide.ts) on exact binary endpoints (binaryEndpoint.ts). Elements the enclosure
 * does not decide are left to the slow decimal.js path (oracle.ts), element by element.
 *
 * Quantities, with m = max x at its first index k*, d_j = x_j − m (exact as a double-double by
 * TwoSum; an overflow to −∞ is a cut term below), s = Σ_{j≠k*} e^(d_j), L = log1p(s):
 * - e^(d_j) = 2^(k_j)·v_j by `ddExpNeg`, relative error ≤ EPS_EXP; the scale k_j is kept apart,
 *   so terms far below binary64's range (down to e^−1000) keep full precision;
 * - terms with d_j < −T_cut are cut: e^(d_j) < e^(−T_cut) ≤ 2^(−E_cut) with
 *   E_cut = p − emin + 2 + ⌈log2(n + 1)⌉ + 100, so that n of them total below 2^(emin − p − 100),
 *   far below half the format's smallest subnormal (the slow path cuts the same way, at a
 *   threshold that grows with its precision); a cut softmax element rounds to +0 outright;
 * - s = 2^K·ŝ with K = max k_j, accumulated in double-double (AccurateDWPlusDW, positive terms:
 *   relative error ≤ (1 + EPS_EXP)(1 + EPS_ADD)^N − 1 for N terms, Higham's recursive-summation
 *   argument), plus one-sided absolute terms for cut terms, terms more than 2^960 below the largest
 *   (dropped) and low parts that underflow when rescaled;
 * - 1 + s and the quotients e^(d_i)/(1 + s) (`ddDiv`), −s/(1 + s) at a label at the max;
 * - L = log1p(s): for s < 2^−8 as 2^K·(ŝ·G(s)) with the series G(s) = log1p(s)/s, so L keeps its
 *   relative accuracy however small s is; otherwise `ddLog1p`. A relative error η of s moves L by
 *   at most η/(1 − η) relative (|Δ log1p| ≤ |Δs|/(1 + min s) and log1p(s) ≥ s/(1 + s));
 * - log_softmax, logsumexp and cross_entropy are sums of exact double-doubles (d_i, m) and L's
 *   double-double, left unevaluated in the endpoints (the rounding is then exact, and a result
 *   such as d_i − L with d_i on a midpoint and L tiny is still decided by L's sign).
 *
 * Every bound is relative to |value| or absolute at the value's scale; each endpoint is
 * 2^k·(sum of binary64 numbers ± a radius rounded upwards), so the exact value lies in [lo, hi],
 * strictly inside by `decideWith`'s argument.
 *
 * Special cases: the caller handles NaN, +Inf, empty input and all −Inf; −Inf logits contribute 0
 * (softmax 0, log_softmax −Inf, gradient −1 at a −Inf label, cross_entropy +Inf); when every
 * finite logit equals the max (exact results), `fastEvaluate` returns null and the slow path
 * computes them exactly.
 */

/** The fast path's answer: decided values, and the output indices it left undecided. */
export interface FastOutcome {
  /** Correctly rounded results at every index not in `pending` (NaN there). */
  readonly values: Float64Array;
  /** Output indices the fast path could not decide, ascending. */
  readonly pending: number[];
}

/**
 * A safe upper bound on ln 2 (ln 2 = 0.693147180559945309…): T_cut = E_cut·LN2_ABOVE, rounded
 * to nearest, still exceeds E_cut·ln 2 (the margin 4.5·10^−12 dwarfs a rounding of 2^−53).
 */
const LN2_ABOVE = 0.69314718056;
/** Extra binary orders of magnitude of the cut below half the smallest subnormal. */
const CUT_MARGIN_BITS = 100;
/** Terms more than 2^DROP_BITS below the largest are not rescaled but bounded (≤ 2^−959 each). */
const DROP_BITS = 960;
/** Below 2^−8, L = log1p(s) is taken as s·G(s) (ddLog.ts needs |s| ≤ Z_MAX = 2^−7 + 2^−50). */
const SERIES_BELOW = 2 ** -8;
/** Scales below 2^−1000 are not applied: the value is bounded instead (see `unscale`). */
const MIN_SCALE = -1000;
/**
 * Bound on absolute errors from rescaling into binary64 (a low part or radius that underflows),
 * relative to quantities ≥ 2^−100: generous, and far below every rounding decision's needs.
 */
const TINY = 2 ** -900;
/** The smallest positive binary64 number, 2^−1074. */
const MIN_SUB = 2 ** -1074;
/** Rounded-up multiplication factor for radii (covers up to three roundings, see `up`). */
const UP = 1 + 2 ** -50;
/** Beyond this, L's relative error bound is unusable and L-dependent elements go to the slow path. */
const MAX_REL = 2 ** -20;

/**
 * An upper bound on a nonnegative quantity computed with up to three roundings: x·(1 + 2^−50)
 * covers relative errors of (1 + 2^−53)^3, and + 2^−1074 absolute ones in the subnormal range.
 */
function up(x: number): number {
  return x * UP + MIN_SUB;
}

// Growable work arrays, shared by all calls (the oracle is synchronous).
let cap = 0;
let KS = new Float64Array(0); // scale k_j of e^(d_j)
let VH = new Float64Array(0); // e^(d_j)/2^(k_j), high part
let VL = new Float64Array(0); // low part
let DH = new Float64Array(0); // d_j = x_j − m, high part
let DL = new Float64Array(0); // low part
let ST = new Uint8Array(0); // state of each logit
const NEG_INF = 0; // x_j = −∞: e^(d_j) = 0
const AT_MAX = 1; // d_j = 0: e^(d_j) = 1 exactly (k* and ties)
const TERM = 2; // −T_cut ≤ d_j < 0: e^(d_j) computed
const CUT = 3; // d_j < −T_cut (or x_j − m overflows): 0 < e^(d_j) < 2^(−E_cut)

function ensure(n: number): void {
  if (n <= cap) return;
  cap = Math.max(n, 2 * cap, 64);
  KS = new Float64Array(cap);
  VH = new Float64Array(cap);
  VL = new Float64Array(cap);
  DH = new Float64Array(cap);
  DL = new Float64Array(cap);
  ST = new Uint8Array(cap);
}

const e3 = new Float64Array(3);
const t2 = new Float64Array(2);

/**
 * x·2^n, in two steps when 2^n alone is outside binary64's range: exact when the result is a
 * normal number (or zero), else rounded once or twice into the subnormal range.
 */
function scaleBy(x: number, n: number): number {
  if (n >= -1022 && n <= 1023) return x * pow2i(n);
  const half = Math.trunc(n / 2);
  return x * pow2i(half) * pow2i(n - half);
}

/**
 * An upper bound on x·2^k (x ≥ 0) as a binary64 number, for any integer k: each of the two
 * scalings errs by ≤ u relative or ≤ 2^−1075 absolute, which `up` covers.
 */
function boundScaled(x: number, k: number): number {
  return up(scaleBy(x, k));
}

function endpoint(k: number, a: number, b: number, c: number, d: number, r: number): ScaledSum {
  return { k, a, b, c, d, r };
}

/**
 * Evaluates `op` on `x` in double-double and decides what it can. `label` is the label index or
 * −1. Preconditions (checked by `oracle`): no NaN, no +Inf, at least one finite logit, a valid
 * label when the op needs one.
 *
 * Returns null when every finite logit equals the max: those results are exact rationals or
 * logarithms of integers that the slow path computes exactly.
 */
export function fastEvaluate(op: Op, fmt: FormatSpec, x: ArrayLike<number>, label: number): FastOutcome | null {
  const n = x.length;
  let max = -Infinity;
  let kStar = -1;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== -Infinity) finite++;
    if (v > max) {
      max = v;
      kStar = i;
    }
  }
  let ties = 0;
  for (let i = 0; i < n; i++) if (x[i] === max) ties++;
  if (ties === finite) return null;

  // E_cut = p − emin + 2 + ⌈log2(n + 1)⌉ + CUT_MARGIN_BITS; T_cut ≥ E_cut·ln 2
  let lg = 0;
  while (pow2i(lg) < n + 1) lg++;
  const eCut = fmt.precision - fmt.emin + 2 + lg + CUT_MARGIN_BITS;
  const tCut = eCut * LN2_ABOVE;
  // d ≤ dh + |dl| < −T_cut when dh ≤ −T_cut − 1 (|dl| ≤ ½ulp(dh), or ≤ u|dh| for |dh| ≥ 2^53)
  const cutAt = -tCut - 1;
  if (cutAt < -EXP_MIN_ARG) return null; // n beyond any array's length: outside ddExpNeg's domain
  // 2^(−E_cut) or, below binary64's range, 2^−1074 (a valid upper bound either way)
  const cutEach = Math.max(pow2i(-eCut), MIN_SUB);

  ensure(n);
  let K = -Infinity;
  let nTerms = 0;
  let cut = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (v === -Infinity) {
      ST[j] = NEG_INF;
      continue;
    }
    if (v === max) {
      ST[j] = AT_MAX;
      DH[j] = 0;
      DL[j] = 0;
      if (j !== kStar) {
        KS[j] = 0;
        VH[j] = 1;
        VL[j] = 0;
        nTerms++;
        if (K < 0) K = 0;
      }
      continue;
    }
    // TwoSum(v, −max): exact unless it overflows (then h = −∞, a cut term)
    const h = v - max;
    const bb = h - v;
    const l = v - (h - bb) + (-max - bb);
    DH[j] = h;
    DL[j] = l;
    if (h <= cutAt) {
      ST[j] = CUT;
      cut++;
      continue;
    }
    ddExpNeg(e3, h, l);
    ST[j] = TERM;
    KS[j] = e3[0];
    VH[j] = e3[1];
    VL[j] = e3[2];
    nTerms++;
    if (e3[0] > K) K = e3[0];
  }

  // ---- s = Σ_{j≠k*} e^(d_j) = 2^K·ŝ
  let sh = 0;
  let sl = 0;
  let dropped = 0;
  for (let j = 0; j < n; j++) {
    const st = ST[j];
    if (j === kStar || (st !== TERM && st !== AT_MAX)) continue;
    const shift = KS[j] - K;
    if (shift < -DROP_BITS) {
      dropped++;
      continue;
    }
    const f = pow2i(shift);
    ddAdd(t2, sh, sl, VH[j] * f, VL[j] * f); // VH·f exact (≥ 2^−961); VL·f may underflow: ≤ 2^−1075
    sh = t2[0];
    sl = t2[1];
  }
  const sTiny = nTerms === 0; // every other finite logit cut: 0 < s ≤ cut·2^(−E_cut)
  // relative error of ŝ against the sum of the included terms: (1+EPS_EXP)(1+EPS_ADD)^N − 1 ≤ x(1 + x)
  const xs = (EPS_EXP + nTerms * EPS_ADD) * UP;
  const epsS = xs * (1 + xs) * UP;
  // one-sided absolute additions (at scale 2^K): cut terms, dropped terms, underflowed low parts
  const absS = sTiny ? 0 : up(cut * Math.max(pow2i(-eCut - K), MIN_SUB) + dropped * 2 ** -959 + nTerms * MIN_SUB);
  // symmetric relative bound on s: |ŝ| ≥ sh(1 − u)
  const epsS2 = sTiny ? 1 : up(epsS + (absS / sh) * UP);
  // s unscaled as a double-double (exact for K ≥ −1000 but for low parts below 2^−1074, ≤ 2^−1074;
  // for K < −1000, 0, off by s < 2^−990: both within TINY relative to anything it is added to)
  const fS = K >= MIN_SCALE ? pow2i(K) : 0;
  const suh = sTiny ? 0 : sh * fS;
  const sul = sTiny ? 0 : sl * fS;
  // absolute error of 1 + s's s, unscaled: (ε_s·ŝ + abs)·2^K, never worse than ε_s2·s
  const absErrS = sTiny ? cut * cutEach : up((epsS * sh + absS) * UP * fS) + TINY;

  // ---- w = 1 + s: |w − (1 + s)| ≤ absErrS + EPS_ADD_D·w, relative to 1 + s ≥ 1
  ddAddD(t2, suh, sul, 1);
  const wh = t2[0];
  const wl = t2[1];
  const epsW = composeRel(Math.min(absErrS, epsS2 + TINY), EPS_ADD_D);

  // ---- L = log1p(s) = 2^KL·(Lh + Ll), relative error ≤ epsL (unused when sTiny)
  let KL = 0;
  let Lh = 0;
  let Ll = 0;
  let epsL = 1;
  const needL = op === 'log_softmax' || op === 'logsumexp' || op === 'cross_entropy';
  if (needL && !sTiny && epsS2 <= MAX_REL) {
    if (suh < SERIES_BELOW) {
      ddLog1pG(t2, suh, sul);
      ddMul(t2, sh, sl, t2[0], t2[1]);
      KL = K;
      epsL = composeRel(composeRel(SERIES_REL, invRel(epsS2)), TINY);
    } else {
      ddLog1p(t2, suh, sul);
      epsL = composeRel(composeRel(LOG1P_REL, invRel(epsS2)), TINY);
    }
    Lh = t2[0];
    Ll = t2[1];
  }
  const lOk = needL && !sTiny && epsS2 <= MAX_REL;
  // L unscaled, with its radius and the slack of the rescaling
  const fL = KL >= MIN_SCALE ? pow2i(KL) : 0;
  const luh = Lh * fL;
  const lul = Ll * fL;
  const rL = up(epsL * Lh * UP); // at scale 2^KL: |L − L̂| ≤ epsL·|L̂| ≤ epsL·Lh(1 + u)
  // unscaled radius; when 2^KL is below MIN_SCALE, L̂ is not applied (luh = lul = 0) and the
  // radius bounds L itself
  const rLu = fL === 0 ? boundScaled(2 * Lh, KL) : up(rL * fL) + TINY;
  // s's bound when sTiny (unscaled, a valid upper bound even where 2^(−E_cut) underflows)
  const sTinyBound = cut * cutEach;

  const outLen = outputLength(op, n);
  const values = new Float64Array(outLen);
  const pending: number[] = [];
  const settle = (i: number, lo: ScaledSum, hi: ScaledSum) => {
    const dec = decideWith(SCALED_ENDPOINTS, fmt, lo, hi);
    if (dec.decided) values[i] = dec.value;
    else {
      values[i] = NaN;
      pending.push(i);
    }
  };
  const defer = (i: number) => {
    values[i] = NaN;
    pending.push(i);
  };

  // softmax_i = e^(d_i)/(1 + s), for an index that is not cut and not −Inf
  const epsWinv = invRel(epsW);
  const epsOne = composeRel(epsWinv, EPS_DIV);
  const epsTerm = composeRel(composeRel(EPS_EXP, epsWinv), EPS_DIV);
  const softmax = (i: number) => {
    const st = ST[i];
    if (st === NEG_INF || st === CUT) {
      values[i] = 0; // −Inf: exactly 0; cut: 0 < value < 2^(−E_cut) < minSub/2 → +0
      return;
    }
    if (sTiny) {
      // i = k* (no ties when sTiny): 1 − s ≤ 1/(1 + s) < 1
      settle(i, endpoint(0, 1, 0, 0, 0, -sTinyBound), endpoint(0, 1, 0, 0, 0, 0));
      return;
    }
    let k = 0;
    if (st === AT_MAX) ddDiv(t2, 1, 0, wh, wl);
    else {
      ddDiv(t2, VH[i], VL[i], wh, wl);
      k = KS[i];
    }
    const r = up((st === AT_MAX ? epsOne : epsTerm) * t2[0] * UP);
    settle(i, endpoint(k, t2[0], t2[1], 0, 0, -r), endpoint(k, t2[0], t2[1], 0, 0, r));
  };

  switch (op) {
    case 'softmax':
      for (let i = 0; i < n; i++) softmax(i);
      break;
    case 'cross_entropy_grad': {
      for (let i = 0; i < n; i++) if (i !== label) softmax(i);
      const i = label;
      const st = ST[i];
      if (st === NEG_INF) values[i] = -1;
      else if (st === AT_MAX) {
        // −s/(1 + s); when sTiny it lies in [−s, 0) with s < minSub/2: −0
        if (sTiny) values[i] = -0;
        else {
          ddDiv(t2, sh, sl, wh, wl);
          const r = up(composeRel(composeRel(epsS2, epsWinv), EPS_DIV) * t2[0] * UP);
          settle(i, endpoint(K, -t2[0], -t2[1], 0, 0, -r), endpoint(K, -t2[0], -t2[1], 0, 0, r));
        }
      } else if (st === CUT) {
        // softmax_k − 1 with 0 < softmax_k < 2^(−E_cut): in (−1, −1 + 2^(−E_cut))
        settle(i, endpoint(0, -1, 0, 0, 0, 0), endpoint(0, -1, 0, 0, 0, cutEach));
      } else if (sTiny) {
        defer(i); // cannot happen: a TERM label means s has a term
      } else {
        // softmax_k − 1 = −1 + q·2^k, softmax_k ≤ 1/2 (d_k < 0): no cancellation
        ddDiv(t2, VH[i], VL[i], wh, wl);
        const k = KS[i];
        const r = up(epsTerm * t2[0] * UP);
        const f = k >= MIN_SCALE ? pow2i(k) : 0;
        const rad = f === 0 ? 2 ** -990 : up(r * f) + TINY;
        settle(i, endpoint(0, -1, t2[0] * f, t2[1] * f, 0, -rad), endpoint(0, -1, t2[0] * f, t2[1] * f, 0, rad));
      }
      break;
    }
    case 'log_softmax':
      for (let i = 0; i < n; i++) {
        const st = ST[i];
        if (st === NEG_INF) values[i] = -Infinity;
        else if (st === AT_MAX) {
          // −L: when sTiny, L ∈ (0, s] with s < minSub/2: −0
          if (sTiny) values[i] = -0;
          else if (!lOk) defer(i);
          else settle(i, endpoint(KL, -Lh, -Ll, 0, 0, -rL), endpoint(KL, -Lh, -Ll, 0, 0, rL));
        } else if (DH[i] === -Infinity) defer(i); // x_i − m overflows binary64
        else if (sTiny) {
          // d_i − L with 0 < L ≤ s: in [d_i − s, d_i)
          settle(i, endpoint(0, DH[i], DL[i], 0, 0, -sTinyBound), endpoint(0, DH[i], DL[i], 0, 0, 0));
        } else if (!lOk) defer(i);
        else settle(i, endpoint(0, DH[i], DL[i], -luh, -lul, -rLu), endpoint(0, DH[i], DL[i], -luh, -lul, rLu));
      }
      break;
    case 'logsumexp': {
      if (sTiny) {
        // m + L with 0 < L ≤ s < minSub/2
        if (max === 0) values[0] = 0;
        else {
          // at m's own scale, so that the bound is not lost below 2^−1074
          const km = exponentOf(max);
          const a = scaleBy(max, -km);
          const r = Math.max(boundScaled(cut, -eCut - km), MIN_SUB); // s < cut·2^(−E_cut)
          settle(0, endpoint(km, a, 0, 0, 0, 0), endpoint(km, a, 0, 0, 0, r));
        }
      } else if (!lOk) defer(0);
      else if (max === 0) settle(0, endpoint(KL, Lh, Ll, 0, 0, -rL), endpoint(KL, Lh, Ll, 0, 0, rL));
      else settle(0, endpoint(0, max, 0, luh, lul, -rLu), endpoint(0, max, 0, luh, lul, rLu));
      break;
    }
    case 'cross_entropy': {
      const st = ST[label];
      if (st === NEG_INF) values[0] = Infinity;
      else if (st === AT_MAX) {
        // L: when sTiny, in (0, s] with s < minSub/2: +0
        if (sTiny) values[0] = 0;
        else if (!lOk) defer(0);
        else settle(0, endpoint(KL, Lh, Ll, 0, 0, -rL), endpoint(KL, Lh, Ll, 0, 0, rL));
      } else if (DH[label] === -Infinity) defer(0);
      else if (sTiny) {
        settle(0, endpoint(0, -DH[label], -DL[label], 0, 0, 0), endpoint(0, -DH[label], -DL[label], 0, 0, sTinyBound));
      } else if (!lOk) defer(0);
      else settle(0, endpoint(0, -DH[label], -DL[label], luh, lul, -rLu), endpoint(0, -DH[label], -DL[label], luh, lul, rLu));
      break;
    }
  }
  return { values, pending };
}

