/**
 * Double-double ("double-word") arithmetic from binary64 operations, with proven error bounds.
 *
 * A double-double is an unevaluated sum h + l of two binary64 numbers with h = RN(h + l), hence
 * |l| ≤ ½·ulp(h) ≤ u·|h|, where u = 2^−53 is binary64's unit roundoff. It carries about 106 bits.
 * Every function here writes its result into `out[0]` (h) and `out[1]` (l) of a caller-owned
 * Float64Array, so that the hot loops of the oracle's fast path allocate nothing.
 *
 * Error bounds are relative to the exact result of the operation on the exact values of its
 * double-double operands. They hold when no intermediate overflows or underflows: the fast path
 * keeps every operand within about [2^−200, 2^200] in magnitude (it carries large scales apart,
 * as exponents), where that is so. Where a bound is taken from Joldes, Muller & Popescu, "Tight
 * and rigorous error bounds for basic building blocks of double-word arithmetic", ACM TOMS 44(2),
 * 2017 (JMP below), it is cited with the algorithm's number there; the others are derived here.
 *
 * JavaScript has no fused multiply-add, so exact products use Dekker's TwoProduct with
 * Veltkamp's splitting (`twoProd`).
 */

/** Unit roundoff of binary64, u = 2^−53. */
export const U = 2 ** -53;
/** u² = 2^−106, the scale of every double-double error bound. */
export const U2 = 2 ** -106;

/**
 * Relative error bound of `ddAdd` (JMP Algorithm 6, AccurateDWPlusDW; their Theorem: ≤ 3u² + 13u³
 * for any signs of the operands). Rounded up to 3.01·u² (13u³ = 13·2^−53·u² < 0.01·u²).
 */
export const EPS_ADD = 3.01 * U2;
/** Relative error bound of `ddAddD` (JMP Algorithm 4, DWPlusFP: ≤ 2u²). */
export const EPS_ADD_D = 2 * U2;
/** Relative error bound of `ddMulD` (JMP Algorithm 7, DWTimesFP1: ≤ 1.5u² + 4u³), rounded up. */
export const EPS_MUL_D = 1.51 * U2;
/** Relative error bound of `ddMul` (derived at `ddMul`: ≤ 8u² + 24u³), rounded up. */
export const EPS_MUL = 8.01 * U2;
/** Relative error bound of `ddDiv` (derived at `ddDiv`: ≤ 12.4u²), rounded up. */
export const EPS_DIV = 13 * U2;
/** Relative error bound of `ddDivD` (derived at `ddDivD`: ≤ 4.1u²), rounded up. */
export const EPS_DIV_D = 4.2 * U2;

/** Veltkamp's splitting constant 2^27 + 1: splits a binary64 value into two 26-bit halves. */
const SPLITTER = 134217729;

/**
 * s + e = a + b exactly, s = RN(a + b) (Knuth's TwoSum, 6 operations, no condition on a, b).
 * Writes s to out[0] and e to out[1].
 */
export function twoSum(out: Float64Array, a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  out[0] = s;
  out[1] = a - (s - bb) + (b - bb);
}

/**
 * s + e = a + b exactly, s = RN(a + b), provided a = 0 or |a| ≥ |b| (Dekker's Fast2Sum; more
 * generally when the exponent of a is at least that of b).
 */
export function fastTwoSum(out: Float64Array, a: number, b: number): void {
  const s = a + b;
  out[0] = s;
  out[1] = b - (s - a);
}

/**
 * p + e = a·b exactly, p = RN(a·b) (Dekker's TwoProduct with Veltkamp splitting).
 *
 * Notes: exact when no overflow and no underflow occurs: |a|, |b| < 2^996 (so that the split does
 * not overflow) and the partial products stay above 2^−969 (so that the error term, whose
 * exponent is about that of a·b minus 106, is not subnormal).
 */
export function twoProd(out: Float64Array, a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[0] = p;
  out[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * (ah + al) + (bh + bl), relative error ≤ EPS_ADD = 3u² + 13u³ whatever the signs (JMP
 * Algorithm 6, AccurateDWPlusDW). The result is a double-double (Fast2Sum at the end).
 */
export function ddAdd(out: Float64Array, ah: number, al: number, bh: number, bl: number): void {
  // (sh, sl) = TwoSum(ah, bh); (th, tl) = TwoSum(al, bl)
  let sh = ah + bh;
  let bb = sh - ah;
  const sl = ah - (sh - bb) + (bh - bb);
  const th = al + bl;
  bb = th - al;
  const tl = al - (th - bb) + (bl - bb);
  // c = sl + th; (vh, vl) = Fast2Sum(sh, c); w = tl + vl; (zh, zl) = Fast2Sum(vh, w)
  const c = sl + th;
  const vh = sh + c;
  const vl = c - (vh - sh);
  const w = tl + vl;
  sh = vh + w;
  out[0] = sh;
  out[1] = w - (sh - vh);
}

/** (ah + al) + b for a binary64 b, relative error ≤ EPS_ADD_D = 2u² (JMP Algorithm 4, DWPlusFP). */
export function ddAddD(out: Float64Array, ah: number, al: number, b: number): void {
  const sh = ah + b;
  const bb = sh - ah;
  const sl = ah - (sh - bb) + (b - bb);
  const v = al + sl;
  const zh = sh + v;
  out[0] = zh;
  out[1] = v - (zh - sh);
}

/**
 * (ah + al)·b for a binary64 b, relative error ≤ EPS_MUL_D = 1.5u² + 4u³ (JMP Algorithm 7,
 * DWTimesFP1).
 */
export function ddMulD(out: Float64Array, ah: number, al: number, b: number): void {
  twoProd(out, ah, b);
  const ch = out[0];
  const cl1 = out[1];
  const cl2 = al * b;
  // (th, tl1) = Fast2Sum(ch, cl2); tl2 = tl1 + cl1; (zh, zl) = Fast2Sum(th, tl2)
  const th = ch + cl2;
  const tl1 = cl2 - (th - ch);
  const tl2 = tl1 + cl1;
  const zh = th + tl2;
  out[0] = zh;
  out[1] = tl2 - (zh - th);
}

/**
 * (ah + al)·(bh + bl), relative error ≤ EPS_MUL.
 *
 * Algorithm: (ch, cl1) = TwoProd(ah, bh); cl2 = RN(RN(ah·bl) + RN(al·bh)); cl3 = RN(cl1 + cl2);
 * (zh, zl) = Fast2Sum(ch, cl3). (JMP's DWTimesDW1 has the same structure; the bound is derived
 * here.)
 *
 * Error bound, with P = |ah·bh|, |al| ≤ u|ah|, |bl| ≤ u|bh| and |RN(x) − x| ≤ u|x|:
 * - al·bl is dropped: ≤ u²P;
 * - RN(ah·bl), RN(al·bh): each ≤ u·uP = u²P, and each result is ≤ uP(1 + u);
 * - cl2 = RN of their sum: ≤ u·2uP(1 + u) = 2u²P(1 + u); |cl2| ≤ 2uP(1 + u)²;
 * - cl3 = RN(cl1 + cl2) with |cl1| ≤ uP: ≤ u(uP + 2uP(1 + u)²) ≤ 3u²P + 5u³P;
 * - Fast2Sum is exact (|ch| ≥ |cl3|).
 * Sum: ≤ 8u²P + 7u³P, and |x·y| ≥ P(1 − u)², so relative ≤ (8u² + 7u³)/(1 − u)² ≤ 8u² + 24u³.
 */
export function ddMul(out: Float64Array, ah: number, al: number, bh: number, bl: number): void {
  twoProd(out, ah, bh);
  const ch = out[0];
  const cl3 = out[1] + (ah * bl + al * bh);
  const zh = ch + cl3;
  out[0] = zh;
  out[1] = cl3 - (zh - ch);
}

/**
 * (ah + al)/(bh + bl), relative error ≤ EPS_DIV.
 *
 * Algorithm: q1 = RN(ah/bh); ρ = ah − q1·bh, exact (below); t = RN(RN(ρ + al) − RN(q1·bl));
 * q2 = RN(t/bh); (zh, zl) = Fast2Sum(q1, q2).
 *
 * Exactness of ρ: (p, pe) = TwoProd(q1, bh) is exact; p is within a factor 2 of ah, so ah − p is
 * exact (Sterbenz); the remainder ah − q1·bh of a correctly rounded quotient is a binary64
 * number, so (ah − p) − pe, whose exact value it is, is computed exactly.
 *
 * Error bound: write q1 = (ah/bh)(1 + δ), |δ| ≤ u, so |ρ| = |ah·δ| ≤ u|ah|. The exact quotient is
 * a/b = q1 + R/b with R = ρ + al − q1·bl, |R| ≤ (u + u + u(1 + u))|ah| ≤ 3.01u|ah|.
 * - t: RN(ρ + al) errs by ≤ u·2u|ah|; RN(q1·bl) by ≤ u·u(1 + u)|ah|; the subtraction by
 *   ≤ u·|t| ≤ u·3.02u|ah|; so |t − R| ≤ 6.1u²|ah|.
 * - q2 approximates R/b: |t/bh − R/b| ≤ |t − R|/|bh| + |R|·|1/bh − 1/b|, and
 *   |1/bh − 1/b| ≤ u(1 + 2u)/|bh|, so ≤ (6.1u² + 3.02u²)|ah/bh| = 9.12u²|ah/bh|; the rounding of
 *   q2 adds ≤ u·|q2| ≤ 3.1u²|ah/bh|.
 * - Fast2Sum(q1, q2) is exact (|q2| ≪ |q1|).
 * Total ≤ 12.3u²|ah/bh|, and |ah/bh| ≤ |a/b|(1 + u)/(1 − u), so relative ≤ 12.4u² ≤ EPS_DIV.
 */
export function ddDiv(out: Float64Array, ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  twoProd(out, q1, bh);
  const rho = ah - out[0] - out[1];
  const t = rho + al - q1 * bl;
  const q2 = t / bh;
  const zh = q1 + q2;
  out[0] = zh;
  out[1] = q2 - (zh - q1);
}

/**
 * (ah + al)/b for a binary64 b, relative error ≤ EPS_DIV_D.
 *
 * Algorithm: `ddDiv` with bl = 0. Error bound: R = ρ + al, |R| ≤ 2u|ah|; t = RN(R) errs by
 * ≤ 2u²|ah|; q2 = RN(t/b) by ≤ u·2u(1 + u)|ah/b|; so ≤ 4.01u²|ah/b|, and
 * |ah/b| ≤ |a/b|/(1 − u): relative ≤ 4.1u².
 */
export function ddDivD(out: Float64Array, ah: number, al: number, b: number): void {
  const q1 = ah / b;
  twoProd(out, q1, b);
  const rho = ah - out[0] - out[1];
  const q2 = (rho + al) / b;
  const zh = q1 + q2;
  out[0] = zh;
  out[1] = q2 - (zh - q1);
}

/**
 * A relative error bound of a product of factors (1 + a)(1 + b), i.e. a + b + ab, rounded
 * upwards: the floating-point evaluation errs by at most 3 roundings of relative u each, which
 * the factor 1 + 2^−50 > (1 + u)^3 covers. For a, b ≥ 0.
 */
export function composeRel(a: number, b: number): number {
  return (a + b + a * b) * (1 + 2 ** -50);
}

/**
 * The relative error bound of 1/(1 + e) as an approximation of 1 for |e| ≤ a < 1:
 * |1/(1 + e) − 1| = |e|/(1 + e) ≤ a/(1 − a), rounded upwards (as in `composeRel`).
 */
export function invRel(a: number): number {
  return (a / (1 - a)) * (1 + 2 ** -50);
}
