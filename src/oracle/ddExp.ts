import { U2 } from './dd.js';
import { EXP_DEGREE, TABLE_BITS, ddTables } from './ddTables.js';

/**
 * e^d in double-double for an exact double-double argument d = dh + dl with −EXP_MIN_ARG ≤ dh ≤ 0,
 * returned as a scale and a double-double: e^d ≈ 2^k·(vh + vl) with vh + vl ∈ [0.99, 2.01], so
 * that results far below binary64's range (e^−800 ≈ 2^−1154) keep their full precision; the
 * caller applies 2^k where and how it can.
 *
 * Method:
 * 1. Argument reduction d = N·ln2/128 + r, N = round(dh·128/ln 2), |r| ≤ ln2/256 (plus ε),
 *    with ln2/128 split into three binary64 pieces (Cody–Waite) so that N·C1 and N·C2 are exact
 *    and r is accurate to 2^−111.4 absolute (derived below).
 * 2. e^r by its Taylor polynomial of degree EXP_DEGREE = 10, Horner's rule in double-double
 *    (the terms from r^7 on, below 2^−72 in all, in binary64).
 * 3. e^d = 2^⌊N/128⌋ · 2^(j/128) · e^r with j = N mod 128, 2^(j/128) from a double-double table
 *    computed from decimal.js at start-up and checked (ddTables.ts).
 *
 * Error bound EPS_EXP (relative, of 2^k·(vh + vl) against e^d), derived:
 * - reduction: |r̂ − r| ≤ 2^−111.4 (below), a relative error of e^(±2^−111.4) − 1 ≤ 0.024u²;
 * - polynomial: truncation |r|^11/11!·e^(2|r|) ≤ 2^−119.06 ≤ 0.00012u² relative for
 *   |r| ≤ R_MAX = 0.0027078; Horner rounding ≤ POLY_REL = 4.1u² (derived there);
 * - table entry ≤ TABLE_REL = 1.01u²; the final product ≤ EPS_MUL = 8.01u².
 * (1 + 4.1u² + 0.00012u²)(1 + 1.01u²)(1 + 8.01u²)(1 + 0.024u²) − 1 ≤ 13.15u² < EPS_EXP = 14u².
 *
 * Special cases: d = 0 gives exactly k = 0, vh = 1, vl = 0 (N = 0, r = 0, and the polynomial's
 * constant term is exactly 1).
 */

/** Largest |dh| accepted: every bound below assumes it (callers cut terms below −EXP_MIN_ARG). */
export const EXP_MIN_ARG = 1000;

/** Relative error bound of `ddExpNeg` (derived above). */
export const EPS_EXP = 14 * U2;

/**
 * 128/ln 2 rounded to nearest (0x40671547652B82FE). Only used to choose N: its error and that of
 * the product dh·INV_LN2_128 (together ≤ 1000·2^−46 + 2^−36 < 2.9·10^−11 for |dh| ≤ 1000) move
 * |r| past ln2/256 by at most 2.9·10^−11·ln2/128 < 1.6·10^−13.
 */
const INV_LN2_128 = 184.6649652337873;
/**
 * Cody–Waite pieces of ln2/128 = C1 + C2 + C3 + δ, from decimal.js at 120 digits: C1 and C2 have
 * 35 significant bits, so N·C1 and N·C2 are exact for |N| < 2^18 (|N| ≤ 1000·184.67 < 184700);
 * C3 is the rest rounded to 53 bits; |δ| = 5.8·10^−42 < 2^−136.9, so |N·δ| < 2^−119.
 */
const C1 = 0.0054152123482253955; // 0x3F762E42FEFC0000
const C2 = -1.0082281460979481e-13; // 0xBD3C610CA86C0000
const C3 = -1.828745223881112e-25; // 0xBACC4C67FC0D0951
/** Bound on |r|: ln2/256 + 1.6·10^−13 (choice of N) + |dl| ≤ 2^−44 + 2^−111.4, rounded up. */
export const R_MAX = 0.0027078;
/** The polynomial's terms from r^TAIL_FROM on are summed in binary64 (see POLY_REL). */
const TAIL_FROM = 7;
/**
 * Relative rounding error of the evaluation of P(r̂) = Σ_{k≤10} r̂^k/k!, derived. With exact
 * coefficients c_k = 1/k!, P_k = Σ_{i≥k} c_i r̂^(i−k) and ρ_k = max |r̂·P_(k+1)/P_k| ≤
 * R_MAX·(c_(k+1)/c_k)·(1 + R_MAX)/(1 − R_MAX) ≤ 1.0055·R_MAX/(k + 1):
 * - the tail q_7 ≈ P_7 in binary64 (Horner with rh, coefficients RN(1/k!)): three multiplications
 *   and three additions (γ_6 ≤ 6.01u, relative to P_7(|r|) ≤ 1.001·P_7), the coefficients' own
 *   rounding (u), and rh for r̂ (|rl| ≤ u|rh|, moving P_7 by ≤ u·R_MAX·2c_8 ≤ 0.001u·c_7):
 *   e_7 ≤ 7.1u;
 * - step k ≤ 6 computes q_k = RN_dd(RN_dd(r̂·q_(k+1)) + c_k) (DWTimesFP1 at k = 6, else ddMul;
 *   coefficients from the table): its relative error satisfies
 *   e_k ≤ EPS_ADD + TABLE_REL/(1 − ρ_k) + ρ_k(e_(k+1) + EPS_MUL)(1 + u).
 * The binary64 tail's error is damped by ρ_6·ρ_5·…·ρ_0 ≤ 1.04·R_MAX^7/7! < 2^−71.9, so it
 * contributes 7.1u·2^−71.9 < 0.0001u² to e_0, and the double-double steps
 * (3.01 + 1.01/0.9972 + 0.0028·8.01)u²/(1 − 0.0028) < 4.06u². So e_0 < 4.07u² < POLY_REL = 4.1u².
 */

/** Veltkamp's splitting constant 2^27 + 1 (as in dd.ts). */
const SPLITTER = 134217729;

// The tables, bound on first use (building them takes a few tens of milliseconds).
let exp2: Float64Array | undefined;
let coef: Float64Array = new Float64Array(0);

/**
 * Writes k to out[0] and vh, vl to out[1], out[2], with e^d = 2^k·(vh + vl)·(1 + ε),
 * |ε| ≤ EPS_EXP, for d = dh + dl exact, dh ∈ [−EXP_MIN_ARG, 0], |dl| ≤ ½·ulp(dh).
 *
 * Notes: every double-double step is dd.ts's (`twoSum`, `ddAddD`, `twoProd`, `ddMulD`, `ddAdd`,
 * `ddMul`), written out here operation for operation, so that the loop runs on locals alone:
 * called through their output arrays, these steps cost four times as much. The results are
 * bit-for-bit those of the composed functions (ddExp.test.ts checks it on random arguments), so
 * the bound above, derived for them, holds. The split of r̂'s high part, the same in every
 * Horner step, is computed once.
 */
export function ddExpNeg(out: Float64Array, dh: number, dl: number): void {
  if (dh === 0 && dl === 0) {
    out[0] = 0;
    out[1] = 1;
    out[2] = 0;
    return;
  }
  if (exp2 === undefined) {
    const t = ddTables();
    exp2 = t.exp2;
    coef = t.expCoef;
  }
  const N = Math.round(dh * INV_LN2_128);
  // r = d − N·(C1 + C2 + C3): dh − N·C1 exactly by TwoSum (N·C1 is exact), then four DWPlusFP
  // steps with the exact pieces −N·C2, −(p + pe) = −N·C3 and dl. Every partial sum is within
  // R_MAX + |N|·(|C2| + |C3|) ≤ 0.0027078 + 1.9·10^−8 < 0.00273 of zero, so the four steps err by
  // ≤ 4·2u²·0.00273 = 2^−111.5 in all; with |N·δ| < 2^−119, |r̂ − r| ≤ 2^−111.4.
  // twoSum(dh, −N·C1)
  let b = -(N * C1);
  let sh = dh + b;
  let bb = sh - dh;
  let sl = dh - (sh - bb) + (b - bb);
  // ddAddD(sh, sl, −N·C2)
  b = -(N * C2);
  let th = sh + b;
  bb = th - sh;
  let v = sl + (sh - (th - bb) + (b - bb));
  sh = th + v;
  sl = v - (sh - th);
  // twoProd(N, C3) = p + pe
  const p = N * C3;
  let x = SPLITTER * N;
  const nh = x - (x - N);
  const nl = N - nh;
  x = SPLITTER * C3;
  const ch = x - (x - C3);
  const cl = C3 - ch;
  const pe = nh * ch - p + nh * cl + nl * ch + nl * cl;
  // ddAddD(sh, sl, −p), ddAddD(·, dl), ddAddD(·, −pe)
  b = -p;
  th = sh + b;
  bb = th - sh;
  v = sl + (sh - (th - bb) + (b - bb));
  sh = th + v;
  sl = v - (sh - th);
  th = sh + dl;
  bb = th - sh;
  v = sl + (sh - (th - bb) + (dl - bb));
  sh = th + v;
  sl = v - (sh - th);
  b = -pe;
  th = sh + b;
  bb = th - sh;
  v = sl + (sh - (th - bb) + (b - bb));
  const rh = th + v;
  const rl = v - (rh - th);
  // Horner. The tail q_7 = c_7 + r(c_8 + r(c_9 + r·c_10)) is below 2^−12 and enters the result
  // multiplied by r^7 (< 2^−59): binary64 with rh alone suffices (see POLY_REL). Then
  // q_6 = c_6 + r̂·q_7 (DWTimesFP1, DWPlusDW) and q_k = c_k + r̂·q_(k+1) in double-double.
  let tail = coef[2 * EXP_DEGREE];
  for (let k = EXP_DEGREE - 1; k >= TAIL_FROM; k--) tail = tail * rh + coef[2 * k];
  // the split of rh, shared by every product below
  x = SPLITTER * rh;
  const rhh = x - (x - rh);
  const rhl = rh - rhh;
  // ddMulD(rh, rl, tail): twoProd(rh, tail), then DWTimesFP1's Fast2Sums
  let ph = rh * tail;
  x = SPLITTER * tail;
  let yh = x - (x - tail);
  let yl = tail - yh;
  let pl = rhh * yh - ph + rhh * yl + rhl * yh + rhl * yl;
  const cl2 = rl * tail;
  th = ph + cl2;
  const tl = cl2 - (th - ph) + pl;
  let qh = th + tl;
  let ql = tl - (qh - th);
  // ddAdd(q, c_6)
  let k = TAIL_FROM - 1;
  for (;;) {
    const ah = coef[2 * k];
    const al = coef[2 * k + 1];
    // AccurateDWPlusDW(qh, ql, ah, al)
    let s1 = qh + ah;
    bb = s1 - qh;
    const e1 = qh - (s1 - bb) + (ah - bb);
    const t1 = ql + al;
    bb = t1 - ql;
    const e2 = ql - (t1 - bb) + (al - bb);
    const c = e1 + t1;
    const vh = s1 + c;
    const vl = c - (vh - s1);
    const w = e2 + vl;
    s1 = vh + w;
    qh = s1;
    ql = w - (s1 - vh);
    if (--k < 0) break;
    // ddMul(qh, ql, rh, rl): twoProd(qh, rh) with rh's split shared
    ph = qh * rh;
    x = SPLITTER * qh;
    yh = x - (x - qh);
    yl = qh - yh;
    pl = yh * rhh - ph + yh * rhl + yl * rhh + yl * rhl;
    const c3 = pl + (qh * rl + ql * rh);
    qh = ph + c3;
    ql = c3 - (qh - ph);
  }
  const j = N & ((1 << TABLE_BITS) - 1); // N mod 128 in [0, 127], also for negative N (two's complement)
  // ddMul(2^(j/128), q)
  const eh = exp2[2 * j];
  const el = exp2[2 * j + 1];
  ph = eh * qh;
  x = SPLITTER * eh;
  const ehh = x - (x - eh);
  const ehl = eh - ehh;
  x = SPLITTER * qh;
  yh = x - (x - qh);
  yl = qh - yh;
  pl = ehh * yh - ph + ehh * yl + ehl * yh + ehl * yl;
  const c3 = pl + (eh * ql + el * qh);
  const zh = ph + c3;
  out[0] = (N - j) / (1 << TABLE_BITS);
  out[1] = zh;
  out[2] = c3 - (zh - ph);
}
