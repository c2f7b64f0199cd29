import { U2, ddAdd, ddAddD, ddMul, ddMulD, twoProd, twoSum } from './dd.js';
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

const s = new Float64Array(2);
const t = new Float64Array(2);

/**
 * Writes k to out[0] and vh, vl to out[1], out[2], with e^d = 2^k·(vh + vl)·(1 + ε),
 * |ε| ≤ EPS_EXP, for d = dh + dl exact, dh ∈ [−EXP_MIN_ARG, 0], |dl| ≤ ½·ulp(dh).
 */
export function ddExpNeg(out: Float64Array, dh: number, dl: number): void {
  if (dh === 0 && dl === 0) {
    out[0] = 0;
    out[1] = 1;
    out[2] = 0;
    return;
  }
  const { exp2, expCoef } = ddTables();
  const N = Math.round(dh * INV_LN2_128);
  // r = d − N·(C1 + C2 + C3): dh − N·C1 exactly by TwoSum (N·C1 is exact), then four DWPlusFP
  // steps with the exact pieces −N·C2, −(p + pe) = −N·C3 and dl. Every partial sum is within
  // R_MAX + |N|·(|C2| + |C3|) ≤ 0.0027078 + 1.9·10^−8 < 0.00273 of zero, so the four steps err by
  // ≤ 4·2u²·0.00273 = 2^−111.5 in all; with |N·δ| < 2^−119, |r̂ − r| ≤ 2^−111.4.
  twoSum(s, dh, -(N * C1));
  ddAddD(s, s[0], s[1], -(N * C2));
  twoProd(t, N, C3);
  ddAddD(s, s[0], s[1], -t[0]);
  ddAddD(s, s[0], s[1], dl);
  ddAddD(s, s[0], s[1], -t[1]);
  const rh = s[0];
  const rl = s[1];
  // Horner. The tail q_7 = c_7 + r(c_8 + r(c_9 + r·c_10)) is below 2^−12 and enters the result
  // multiplied by r^7 (< 2^−59): binary64 with rh alone suffices (see POLY_REL). Then
  // q_6 = c_6 + r̂·q_7 (DWTimesFP1, DWPlusDW) and q_k = c_k + r̂·q_(k+1) in double-double.
  let tail = expCoef[2 * EXP_DEGREE];
  for (let k = EXP_DEGREE - 1; k >= TAIL_FROM; k--) tail = tail * rh + expCoef[2 * k];
  ddMulD(t, rh, rl, tail);
  ddAdd(t, t[0], t[1], expCoef[2 * (TAIL_FROM - 1)], expCoef[2 * (TAIL_FROM - 1) + 1]);
  let qh = t[0];
  let ql = t[1];
  for (let k = TAIL_FROM - 2; k >= 0; k--) {
    ddMul(t, qh, ql, rh, rl);
    ddAdd(t, t[0], t[1], expCoef[2 * k], expCoef[2 * k + 1]);
    qh = t[0];
    ql = t[1];
  }
  const j = N & ((1 << TABLE_BITS) - 1); // N mod 128 in [0, 127], also for negative N (two's complement)
  ddMul(t, exp2[2 * j], exp2[2 * j + 1], qh, ql);
  out[0] = (N - j) / (1 << TABLE_BITS);
  out[1] = t[0];
  out[2] = t[1];
}
