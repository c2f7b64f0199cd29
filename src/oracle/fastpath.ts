import type { FormatSpec } from '../formats/types.js';
import { SCALED_ENDPOINTS, type ScaledSum } from './binaryEndpoint.js';
import { EPS_ADD, EPS_ADD_D, EPS_DIV, composeRel, ddAdd, ddAddD, ddDiv, ddMul, invRel } from './dd.js';
import { EPS_EXP, EXP_MIN_ARG, ddExpNeg } from './ddExp.js';
import { EPS_LEAN_EXP, LEAN_MIN_ARG, leanExpNeg } from './leanExp.js';
import { LOG1P_REL, SERIES_REL, ddLog1p, ddLog1pG } from './ddLog.js';
import { oracleCounters } from './counters.js';
import { decideValue } from './decide.js';
import { quickDecide } from './quickDecide.js';
import { type Op, outputLength } from '../vocabulary/Op.js';
import { exponentOf, pow2i } from './pow2i.js';

/**
 * The oracle's fast path: every op evaluated with a rigorous error bound, each output element
 * enclosed in [lo, hi] and rounded into the target format by `quickDecide` (quickDecide.ts) or,
 * when that cannot tell, by the shared `decideWith` logic (decide.ts, here in its
 * allocation-free form `decideValue`) on exact binary endpoints (binaryEndpoint.ts).
 *
 * Two phases (`fastEvaluate`): a lean one with binary64-polynomial exponentials (leanExp.ts,
 * relative error ≤ 2^−78), which decides every element but those within about 2^−23 ULP (f64)
 * or 2^−52 ULP (f32, f16, bf16) of a rounding boundary, then, only for rows where it left some undecided, the same
 * evaluation with double-double exponentials (ddExp.ts, ≤ 14u²) for those elements. Everything
 * after the exponentials is double-double in both, and every bound below is written in terms of
 * the phase's exponential bound `epsExp`. Elements neither phase decides are left to the slow
 * path (oracle.ts), which escalates all of them together on one shared enclosure of the sum per
 * precision level. Everything here is O(n) binary64 work with no allocation per element (a few
 * hundred nanoseconds per element), and the bounds are tight enough that on long rows of
 * ordinary logits (10^6 in ±10, say) it leaves no element undecided.
 *
 * Quantities, with m = max x at its first index k*, d_j = x_j − m (exact as a double-double by
 * TwoSum; an overflow to −∞ is a cut term below), s = Σ_{j≠k*} e^(d_j), L = log1p(s):
 * - e^(d_j) = 2^(k_j)·v_j by `leanExpNeg` or `ddExpNeg`, relative error ≤ epsExp; the scale k_j is kept apart,
 *   so terms far below binary64's range (down to e^−1000) keep full precision;
 * - terms with d_j < −T_cut are cut: e^(d_j) < e^(−T_cut) ≤ 2^(−E_cut) with
 *   E_cut = p − emin + 2 + ⌈log2(n + 1)⌉ + 100, so that n of them total below 2^(emin − p − 100),
 *   far below half the format's smallest subnormal (the slow path cuts the same way, at a
 *   threshold that grows with its precision); a cut softmax element rounds to +0 outright. The
 *   lean phase of softmax and its gradient cuts at E_cut = p − emin + 2: those ops need s only
 *   through 1 + s, where n terms below 2^(emin − p − 2) are invisible, and every cut element is
 *   still below half the smallest subnormal (s's relative bound, which only the gradient at a
 *   label on the max uses, takes the cut terms in as the one-sided term below);
 * - s = 2^K·ŝ with K = max k_j, accumulated in double-double (AccurateDWPlusDW) pairwise, as a
 *   binary counter of blocks, so that every term goes through at most h = ⌊log2 N⌋ + 1
 *   additions: positive terms give a relative error ≤ (1 + epsExp)(1 + EPS_ADD)^h − 1 (Higham's
 *   argument for summation trees), about 2^−99 at N = 10^6 in the double-double phase where a recursive sum's N·EPS_ADD
 *   would be 2^−84; plus one-sided absolute terms for cut terms, terms more than 2^960 below the
 *   largest (dropped) and low parts that underflow when rescaled. When those one-sided terms are
 *   not negligible (every term near the cut), s is only bounded: 0 < s ≤ its upper end;
 * - 1 + s, with s's absolute error bound taken relative to 1 + s (which can be 10^6), and the
 *   quotients e^(d_i)/(1 + s) (`ddDiv`), −s/(1 + s) at a label at the max;
 * - L = log1p(s): for s < 2^−8 as 2^K·(ŝ·G(s)) with the series G(s) = log1p(s)/s, so L keeps its
 *   relative accuracy however small s is; otherwise `ddLog1p`. A relative error η of s moves L by
 *   at most η/(1 − η) relative (|Δ log1p| ≤ |Δs|/(1 + min s) and log1p(s) ≥ s/(1 + s)); when s is
 *   only bounded, 0 < L ≤ s;
 * - log_softmax = d_i − L, logsumexp = m + L, cross_entropy = −d_k + L and the gradient
 *   −1 + softmax_k are sums of an exact double-double A and an enclosure B ≥ 0 (`combine`): A's
 *   parts and B's double-double are left unevaluated in the endpoints, at the scale of the
 *   larger, so the rounding is exact, and a result such as d_i − L with d_i on a midpoint and L
 *   far below it is still decided by L's sign (B's lower end is then 0, exactly).
 *
 * Every bound is relative to |value| or absolute at the value's scale; each endpoint is
 * 2^k·(sum of binary64 numbers ± a radius rounded upwards), so the exact value lies in [lo, hi],
 * strictly inside by `decideWith`'s argument (or by a known sign: L > 0, s > 0).
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
/** Scales below 2^−1000 are not applied when s is unscaled: s < 2.1n·2^−1000 is then bounded by TINY. */
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
/** The pairwise summation's stack of partial sums (one per binary digit of the term count). */
const PH = new Float64Array(64);
const PL = new Float64Array(64);
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
 * Evaluates `op` on `x` in double-double and decides what it can. `label` is the label index or
 * −1. Preconditions (checked by `oracle`): no NaN, no +Inf, at least one finite logit, a valid
 * label when the op needs one.
 *
 * Returns null when every finite logit equals the max: those results are exact rationals or
 * logarithms of integers that the slow path computes exactly.
 */
export function fastEvaluate(
  op: Op,
  fmt: FormatSpec,
  x: ArrayLike<number>,
  label: number,
): FastOutcome | null {
  const first = evaluate(op, fmt, x, label, true);
  if (first === null || first.pending.length === 0) return first;
  // the lean phase's enclosures were too wide for these elements: the double-double phase
  // encloses them again (the whole row, since the sum is shared), its bounds about 2^20 tighter
  const second = evaluate(op, fmt, x, label, false);
  if (second === null) return first; // not reached: both phases return null on the same rows
  const pending: number[] = [];
  for (const i of first.pending) {
    const v = second.values[i];
    first.values[i] = v;
    if (v !== v) pending.push(i);
  }
  oracleCounters.secondPhaseElements += first.pending.length - pending.length;
  return { values: first.values, pending };
}

/**
 * One phase of the fast path: `lean` exponentials (leanExp.ts, relative error ≤ EPS_LEAN_EXP)
 * or double-double ones (`ddExpNeg`, ≤ EPS_EXP). Everything after the exponentials is
 * double-double in both, and every bound below is written in terms of the phase's `epsExp`.
 */
function evaluate(
  op: Op,
  fmt: FormatSpec,
  x: ArrayLike<number>,
  label: number,
  lean: boolean,
): FastOutcome | null {
  const epsExp = lean ? EPS_LEAN_EXP : EPS_EXP;
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
  // the lean phase's softmax and gradient need s only through 1 + s (but for the gradient at a
  // label on the max, which the second phase takes over if need be): cut every term whose own
  // output rounds to +0 anyway, saving its exponential (a fifth of the terms of extreme rows)
  const eCut =
    lean && (op === 'softmax' || op === 'cross_entropy_grad')
      ? fmt.precision - fmt.emin + 2
      : fmt.precision - fmt.emin + 2 + lg + CUT_MARGIN_BITS;
  const tCut = eCut * LN2_ABOVE;
  // d ≤ dh + |dl| < −T_cut when dh ≤ −T_cut − 1 (|dl| ≤ ½ulp(dh), or ≤ u|dh| for |dh| ≥ 2^53)
  const cutAt = -tCut - 1;
  if (cutAt < -Math.min(EXP_MIN_ARG, LEAN_MIN_ARG)) return null; // n beyond any array's length: outside ddExpNeg's domain
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
    if (lean) leanExpNeg(e3, h, l);
    else ddExpNeg(e3, h, l);
    ST[j] = TERM;
    KS[j] = e3[0];
    VH[j] = e3[1];
    VL[j] = e3[2];
    nTerms++;
    if (e3[0] > K) K = e3[0];
  }

  // ---- s = Σ_{j≠k*} e^(d_j) = 2^K·ŝ, summed pairwise (a binary counter of blocks): term t is
  // pushed as a block of one; while the two top blocks hold equally many terms they are merged
  // by one ddAdd. Block sizes on the stack are distinct powers of two 2^b, decreasing from the
  // bottom (position 0), so b_p ≤ ⌊log2 N⌋ − p; the final fold adds the top block into the one
  // below it, and so on down, which puts p + 1 more additions on the terms of block p below the
  // top (p on the top block's). Every term thus goes through at most ⌊log2 N⌋ + 1 additions,
  // instead of up to N in a recursive sum.
  let top = 0;
  let count = 0;
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
    let h = VH[j] * f; // exact (≥ 2^−961)
    let l = VL[j] * f; // may underflow: ≤ 2^−1075
    count++;
    for (let c = count; (c & 1) === 0; c >>= 1) {
      top--;
      ddAdd(t2, PH[top], PL[top], h, l);
      h = t2[0];
      l = t2[1];
    }
    PH[top] = h;
    PL[top] = l;
    top++;
  }
  let sh = 0;
  let sl = 0;
  if (top > 0) {
    sh = PH[top - 1];
    sl = PL[top - 1];
    for (let p = top - 2; p >= 0; p--) {
      ddAdd(t2, PH[p], PL[p], sh, sl);
      sh = t2[0];
      sl = t2[1];
    }
  }
  // additions any term went through: ⌊log2 N⌋ + 1 ≤ ⌈log2(N + 1)⌉ + 1
  let depth = 1;
  while (pow2i(depth - 1) < count + 1) depth++;
  const sTiny = nTerms === 0; // every other finite logit cut: 0 < s < cut·2^(−E_cut)
  // ŝ against the exact sum S of the included terms: every term is positive and its relative
  // errors multiply along its path, so ŝ = S(1 + θ) with |θ| ≤ (1 + epsExp)(1 + EPS_ADD)^h − 1
  // ≤ x(1 + x), x = epsExp + h·EPS_ADD, h = depth (Higham's argument for recursive summation,
  // applied to the summation tree); so |ŝ − S| ≤ θ/(1 − θ)·ŝ ≤ rS (ŝ ≤ sh(1 + u))
  const xs = (epsExp + depth * EPS_ADD) * UP;
  const rS = sTiny ? 0 : up(invRel(xs * (1 + xs) * UP) * sh * UP);
  // one-sided additions at scale 2^K: cut terms (each < 2^(−E_cut)), dropped terms (each
  // < 2.01·2^−961 < 2^−959), low parts that underflowed when rescaled (each ≤ 2^−1075)
  const absS = sTiny
    ? 0
    : up(cut * Math.max(pow2i(-eCut - K), MIN_SUB) + dropped * 2 ** -959 + nTerms * MIN_SUB);
  // s ∈ 2^k·[h + l − rlo, h + l + rhi]
  const sEnc = sTiny ? setEncl(S_ENC, -eCut, 0, 0, 0, cut) : setEncl(S_ENC, K, sh, sl, rS, up(rS + absS));
  // |s − ŝ·2^K| ≤ delta·ŝ·2^K, and relative to s: epsS2 = delta/(1 − delta)
  const delta = sTiny ? Infinity : up(((rS + absS) * UP) / sh);
  const sPrecise = delta <= MAX_REL;
  const epsS2 = sPrecise ? invRel(delta) : Infinity;
  // s unscaled as a double-double: exact for K ≥ −1000 but for low parts below 2^−1074
  // (≤ 2^−1075 each); for K < −1000 (or sTiny) 0, off by s < 2.1n·2^−1000 ≤ TINY
  const fS = !sTiny && K >= MIN_SCALE ? pow2i(K) : 0;
  const suh = sh * fS;
  const sul = sl * fS;

  // ---- w = 1 + s, relative error ≤ epsW: |S_u − s| ≤ absErrS = (rS + absS)·2^K + 2^−1074 (or
  // ≤ TINY); relative to 1 + s that is ≤ absErrS/wLow with wLow ≤ 1 + s: 1 + S_u ≥ wh(1 − 2^−52)
  // (DWPlusFP errs by EPS_ADD_D, and wh + wl ≥ wh(1 − u)), so 1 + s ≥ wh(1 − 2^−52) − absErrS,
  // computed below with a margin of 2^−50 for its own roundings (and 1 + s ≥ 1 in any case);
  // then DWPlusFP adds EPS_ADD_D
  ddAddD(t2, suh, sul, 1);
  const wh = t2[0];
  const wl = t2[1];
  const absErrS = fS === 0 ? TINY : up(up(rS + absS) * fS) + TINY;
  const wLow = Math.max(1, wh * (1 - 2 ** -50) - absErrS);
  const epsW = composeRel(up(absErrS / wLow), EPS_ADD_D);

  // ---- L = log1p(s) ∈ 2^k·[h + l − rlo, h + l + rhi]
  const needL = op === 'log_softmax' || op === 'logsumexp' || op === 'cross_entropy';
  let lEnc: Encl;
  if (needL && sPrecise) {
    // L̂ approximates log1p(ŝ·2^K) (the computed s) within the algorithm's bound (+ TINY for
    // the rescaling), and a relative error epsS2 of s moves L by ≤ invRel(epsS2) relative
    let KL = 0;
    let epsL: number;
    if (suh < SERIES_BELOW) {
      ddLog1pG(t2, suh, sul); // |S_u| < 2^−8 ≤ Z_MAX
      ddMul(t2, sh, sl, t2[0], t2[1]);
      KL = K;
      epsL = composeRel(composeRel(SERIES_REL, invRel(epsS2)), TINY);
    } else {
      ddLog1p(t2, suh, sul); // S_u ≤ 2.1n < LOG1P_MAX_ARG
      epsL = composeRel(composeRel(LOG1P_REL, invRel(epsS2)), TINY);
    }
    const rL = up(epsL * t2[0] * UP);
    lEnc = setEncl(L_ENC, KL, t2[0], t2[1], rL, rL);
  } else {
    // 0 < L = log1p(s) ≤ s
    lEnc = setEncl(L_ENC, sEnc.k, 0, 0, 0, up(sEnc.h * UP + sEnc.rhi));
  }

  const outLen = outputLength(op, n);
  const values = allocValues(outLen);
  // the state the element helpers below read (module-level, so that no closure is allocated per call)
  cur.fmt = fmt;
  cur.values = values;
  cur.pending = [];
  cur.exactTests = 0;
  cur.wh = wh;
  cur.wl = wl;
  // softmax_i = e^(d_i)/(1 + s): ddDiv of the double-double e^(d_i)·2^−k_i (epsExp) by w (epsW)
  const epsWinv = invRel(epsW);
  cur.epsOne = composeRel(epsWinv, EPS_DIV);
  cur.epsTerm = composeRel(composeRel(epsExp, epsWinv), EPS_DIV);
  const pending = cur.pending;

  switch (op) {
    case 'softmax':
      for (let i = 0; i < n; i++) softmax(i, sTiny, sEnc);
      break;
    case 'cross_entropy_grad': {
      for (let i = 0; i < n; i++) if (i !== label) softmax(i, sTiny, sEnc);
      const i = label;
      const st = ST[i];
      if (st === NEG_INF) values[i] = -1;
      else if (st === AT_MAX) {
        // softmax_k − 1 = −s/(1 + s)
        if (sPrecise) {
          ddDiv(t2, sh, sl, wh, wl);
          const r = up(composeRel(composeRel(epsS2, epsWinv), EPS_DIV) * t2[0] * UP);
          settle(i, endpoint(LO, K, -t2[0], -t2[1], -r), endpoint(HI, K, -t2[0], -t2[1], r));
        } else {
          // −s ≤ −s/(1 + s) < 0
          settle(i, endpoint(LO, sEnc.k, 0, 0, -up(sEnc.h * UP + sEnc.rhi)), endpoint(HI, sEnc.k, 0, 0, 0));
        }
      } else if (st === CUT) {
        // −1 + softmax_k with 0 < softmax_k < 2^(−E_cut)
        settleSum(i, -1, 0, { k: -eCut, h: 0, l: 0, rlo: 0, rhi: 1 }, 1);
      } else {
        // −1 + softmax_k, softmax_k < 1/2 (d_k < 0): no cancellation
        softmaxEnc(i);
        settleSum(i, -1, 0, SM_ENC, 1);
      }
      break;
    }
    case 'log_softmax':
      for (let i = 0; i < n; i++) {
        const st = ST[i];
        if (st === NEG_INF) values[i] = -Infinity;
        // x_i − m overflowed binary64 (f64 only): |d_i| ≥ maxFinite + 2^970, the f64 overflow
        // threshold, and d_i − L is beyond it: −Inf
        else if (DH[i] === -Infinity) values[i] = -Infinity;
        else settleSum(i, DH[i], DL[i], lEnc, -1);
      }
      break;
    case 'logsumexp':
      settleSum(0, max, 0, lEnc, 1);
      break;
    case 'cross_entropy': {
      const st = ST[label];
      if (st === NEG_INF || DH[label] === -Infinity)
        values[0] = Infinity; // as log_softmax, negated
      else settleSum(0, -DH[label], -DL[label], lEnc, 1);
      break;
    }
  }
  if (pending.length > 1) pending.sort(ascending); // the gradient's label is settled last
  oracleCounters.exactTestElements += cur.exactTests;
  return { values, pending };
}

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * Rows of results up to POOL_ROW elements are views into a shared 64 KiB buffer, handed out
 * once each and never reused (as Node's small Buffers are): allocating a small Float64Array of
 * its own costs more than enclosing a 16-element row. A longer row gets its own buffer.
 */
const POOL_BYTES = 1 << 16;
const POOL_ROW = 1024;
let pool = new ArrayBuffer(POOL_BYTES);
let poolUsed = 0;

function allocValues(len: number): Float64Array {
  if (len > POOL_ROW) return new Float64Array(len);
  if (poolUsed + 8 * len > POOL_BYTES) {
    pool = new ArrayBuffer(POOL_BYTES);
    poolUsed = 0;
  }
  const v = new Float64Array(pool, poolUsed, len);
  poolUsed += 8 * len;
  return v;
}

/** The state of the evaluation in progress, read by the element helpers below. */
const cur = {
  fmt: null as unknown as FormatSpec,
  values: new Float64Array(0) as Float64Array,
  pending: [] as number[],
  exactTests: 0,
  /** 1 + s as a double-double. */
  wh: 0,
  wl: 0,
  /** Relative bounds of a softmax element at the max (1/w) and elsewhere (e^(d_i)/w). */
  epsOne: 0,
  epsTerm: 0,
};

/** Decides element i from its enclosure [lo, hi]: the quick test first, then the exact one. */
function settle(i: number, lo: ScaledSum, hi: ScaledSum): void {
  let v = quickDecide(cur.fmt, lo, hi);
  if (v !== v) {
    cur.exactTests++;
    v = decideValue(SCALED_ENDPOINTS, cur.fmt, lo, hi);
  }
  cur.values[i] = v;
  if (v !== v) cur.pending.push(i);
}

/** Decides element i = A + sign·B (`combine`). */
function settleSum(i: number, ah: number, al: number, b: Encl, sign: 1 | -1): void {
  combine(ah, al, b, sign);
  settle(i, LO, HI);
}

/**
 * The enclosures of s and L of the evaluation in progress, reused from call to call (only read
 * while it runs): two objects fewer to allocate per call, which shows at n = 16.
 */
const S_ENC: Encl = { k: 0, h: 0, l: 0, rlo: 0, rhi: 0 };
const L_ENC: Encl = { k: 0, h: 0, l: 0, rlo: 0, rhi: 0 };

function setEncl(e: Encl, k: number, h: number, l: number, rlo: number, rhi: number): Encl {
  e.k = k;
  e.h = h;
  e.l = l;
  e.rlo = rlo;
  e.rhi = rhi;
  return e;
}

/** softmax_i's enclosure, written by `softmaxEnc`. */
const SM_ENC: Encl = { k: 0, h: 0, l: 0, rlo: 0, rhi: 0 };

/** Encloses softmax_i (not cut, not −Inf) in `SM_ENC`. */
function softmaxEnc(i: number): void {
  let k = 0;
  let eps = cur.epsOne;
  if (ST[i] === AT_MAX) ddDiv(t2, 1, 0, cur.wh, cur.wl);
  else {
    ddDiv(t2, VH[i], VL[i], cur.wh, cur.wl);
    k = KS[i];
    eps = cur.epsTerm;
  }
  const r = up(eps * t2[0] * UP);
  SM_ENC.k = k;
  SM_ENC.h = t2[0];
  SM_ENC.l = t2[1];
  SM_ENC.rlo = r;
  SM_ENC.rhi = r;
}

/** Decides softmax_i; `sTiny` and `sEnc` as in `evaluate`. */
function softmax(i: number, sTiny: boolean, sEnc: Encl): void {
  const st = ST[i];
  // −Inf: exactly 0; cut: 0 < value < 2^(−E_cut) < minSub/2, so +0
  if (st === NEG_INF || st === CUT) cur.values[i] = 0;
  // sTiny leaves only i = k*: 1 − s ≤ 1/(1 + s) < 1
  else if (sTiny) settleSum(i, 1, 0, sEnc, -1);
  else {
    softmaxEnc(i);
    settle(
      i,
      endpoint(LO, SM_ENC.k, SM_ENC.h, SM_ENC.l, -SM_ENC.rlo),
      endpoint(HI, SM_ENC.k, SM_ENC.h, SM_ENC.l, SM_ENC.rhi),
    );
  }
}

/** value ∈ 2^k·[h + l − rlo, h + l + rhi], rlo, rhi ≥ 0. */
interface Encl {
  k: number;
  h: number;
  l: number;
  rlo: number;
  rhi: number;
}

type Endpoint = { -readonly [P in keyof ScaledSum]: ScaledSum[P] };
/** The two endpoints of the element being decided, reused (decideValue only reads them). */
const LO: Endpoint = { k: 0, a: 0, b: 0, c: 0, d: 0, r: 0 };
const HI: Endpoint = { k: 0, a: 0, b: 0, c: 0, d: 0, r: 0 };

/** Sets e to 2^k·(a + b + r). */
function endpoint(e: Endpoint, k: number, a: number, b: number, r: number): Endpoint {
  e.k = k;
  e.a = a;
  e.b = b;
  e.c = 0;
  e.d = 0;
  e.r = r;
  return e;
}
/** Per-part bound on the error of a rescaling into the subnormal range (two roundings ≤ 2^−1075). */
const SCALE_SLACK = 2 ** -1073;
let slack = 0;

/** x·2^n, adding SCALE_SLACK to `slack` when that is not exact. */
function scaledPart(x: number, n: number): number {
  if (x === 0 || n === 0) return x;
  const y = scaleBy(x, n);
  // exact iff scaling back restores x (scaling a nonzero y up is exact; a rounded or zero y is not)
  if (scaleBy(y, -n) !== x) slack += SCALE_SLACK;
  return y;
}

/**
 * Endpoints of A + sign·B for an exact double-double A = ah + al and an enclosure B of a
 * nonnegative quantity (every B here is: s, L = log1p(s), a softmax value), written to LO, HI: at the scale
 * of the larger of the two, A's parts and B's center as four exact terms
 * (rescaled exactly, or with SCALE_SLACK added per part that is not, negligible at that scale),
 * B's radii rounded upwards. When B is so far below A that its center vanishes in the rescaling,
 * B is bounded by [0, its upper bound] instead: one-sided, so that A + sign·B with A on a rounding
 * midpoint is still decided by B's sign (0 < B strictly in every use).
 */
function combine(ah: number, al: number, b: Encl, sign: 1 | -1): void {
  const bMag = b.h !== 0 ? Math.abs(b.h) : b.rhi + b.rlo;
  let kOut: number;
  if (ah === 0) kOut = b.k;
  else if (bMag === 0) kOut = exponentOf(ah);
  else kOut = Math.max(exponentOf(ah), b.k + exponentOf(bMag));
  slack = 0;
  const a1 = scaledPart(ah, -kOut);
  const a2 = scaledPart(al, -kOut);
  const slackA = slack;
  slack = 0;
  const sh = b.k - kOut;
  let b1 = scaledPart(b.h, sh);
  let b2 = scaledPart(b.l, sh);
  let downB: number; // B ≥ (b1 + b2) − downB
  let upB: number; // B ≤ (b1 + b2) + upB
  if (b1 === 0 && b2 === 0 && b.h !== 0) {
    // B's center vanished: 0 ≤ B ≤ (2|b.h| + rhi)·2^sh (|b.l| ≤ u|b.h|)
    downB = 0;
    upB = up(scaleBy(2 * Math.abs(b.h) + b.rhi, sh)) + SCALE_SLACK;
  } else {
    downB = b.rlo === 0 && slack === 0 ? 0 : up(up(scaleBy(b.rlo, sh)) + slack);
    upB = b.rhi === 0 && slack === 0 ? 0 : up(up(scaleBy(b.rhi, sh)) + slack);
  }
  b1 *= sign;
  b2 *= sign;
  let down = sign > 0 ? downB : upB; // how far below the center the value can be
  let upw = sign > 0 ? upB : downB;
  if (slackA !== 0) {
    down = up(down + slackA);
    upw = up(upw + slackA);
  }
  endpoint(LO, kOut, a1, a2, -down);
  LO.c = b1;
  LO.d = b2;
  endpoint(HI, kOut, a1, a2, upw);
  HI.c = b1;
  HI.d = b2;
}
