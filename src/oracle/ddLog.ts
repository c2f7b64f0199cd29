import { U2, ddAdd, ddAddD, ddDivD, ddMul, ddMulD } from './dd.js';
import { LOG1P_TERMS, TABLE_BITS, ddTables } from './ddTables.js';
import { exponentOf, pow2i } from './pow2i.js';

/**
 * log1p in double-double: ln(1 + s) for an exact double-double s ≥ 0, with a table and a series.
 *
 * Method (`ddLog1p`): with a = RN(1 + sh) = 2^e·f, f ∈ [1, 2), take c = 2^e·(1 + j/128),
 * j = ⌊128(f − 1)⌋, a binary64 number with 8 significant bits, c ≤ a < c·(1 + 2^−7). Then
 *   ln(1 + s) = e·ln 2 + ln(1 + j/128) + log1p(z),  z = ((1 − c) + s)/c,
 * where 1 − c is exact, z ∈ [−2.02u, 2^−7 + 2.02u] (below), ln(1 + j/128) comes from a checked
 * double-double table (ddTables.ts) and log1p(z) = z·G(z) from the series
 * G(z) = Σ_{k<16} (−z)^k/(k + 1). Nothing cancels: every term is ≥ 0 except log1p(z) when z < 0,
 * and then |z| ≤ 2.02u while ln c ≥ ln(1 + 2^−7) (z < 0 needs c > 1). For s < 2^−7 this is
 * c = 1, z = s exactly: the series alone, accurate relative to s however tiny s is.
 *
 * Bound on z: |a − (1 + sh)| ≤ u·a and |sl| ≤ u·a, so |1 + s − a| ≤ 2u·a, and with
 * c ≤ a < c + 2^(e−7) ≤ c(1 + 2^−7): −2.02u ≤ z ≤ 2^−7 + 2.02u, i.e. |z| ≤ Z_MAX.
 */

/** Bound on |z| for the series: 2^−7 + 2^−50 ≥ 2^−7 + 2.02u. */
export const Z_MAX = 2 ** -7 + 2 ** -50;
/** Largest s accepted by `ddLog1p`: keeps c below 2^51, so 1 − c is an exact integer. */
export const LOG1P_MAX_ARG = 2 ** 50;

/**
 * Relative error bound of `ddLog1pG` (G(z) = log1p(z)/z for |z| ≤ Z_MAX), derived:
 * Horner's rule q_k = RN_dd(RN_dd(q_{k+1}·(−z)) + c_k), c_k = 1/(k + 1) from the table.
 * With ρ = max |z·P_{k+1}/P_k| ≤ Z_MAX(1 + Z_MAX)/(1 − Z_MAX) < 0.0079 (c_{k+1} < c_k) the
 * relative error satisfies e_k ≤ EPS_ADD + TABLE_REL/(1 − ρ) + ρ(e_{k+1} + EPS_MUL)(1 + u), so
 * e_k ≤ (3.01 + 1.01/0.9921 + 0.0079·8.01)u²/(1 − 0.0079) < 4.13u². Truncation after 16 terms:
 * ≤ Σ_{k≥16} |z|^k/(k + 1) ≤ Z_MAX^16/(17(1 − Z_MAX)) < 2^−116, relative to G ≥ 1 − Z_MAX/2:
 * < 0.001u². Together < 4.14u² ≤ G_REL.
 */
export const G_REL = 4.14 * U2;
/**
 * Relative error bound of log1p(z) = z ⊗ G(z) for an exact z, |z| ≤ Z_MAX:
 * (1 + G_REL)(1 + EPS_MUL) − 1 ≤ 12.16u² ≤ SERIES_REL.
 */
export const SERIES_REL = 12.2 * U2;
/**
 * Relative error bound of `ddLog1p`, derived (for an exact input s):
 * - the numerator (1 − c) + s errs by ≤ EPS_ADD_D = 2u², the division by c by ≤ EPS_DIV_D = 4.2u²:
 *   z is computed with relative error ≤ 6.21u², which moves log1p(z) by ≤ 6.21u²|z|/(1 − Z_MAX);
 * - log1p(z) itself ≤ SERIES_REL = 12.2u²; with |z| ≤ |log1p(z)|(1 + Z_MAX), the log1p(z) term
 *   errs by ≤ (6.21·1.008² + 12.2·1.0001)u²·|log1p(z)| ≤ 18.53u²·|log1p(z)|;
 * - e·ln 2 by ≤ EPS_MUL_D + (error of LN2's double-double, 2^−109.9 < 0.07u²) ≤ 1.58u²;
 *   ln(1 + j/128) by TABLE_REL = 1.01u²; their sum (both ≥ 0) adds EPS_ADD: ln c errs by
 *   ≤ (1.58 + 3.01 + ε)u² ≤ 4.6u² relative;
 * - the final sum adds EPS_ADD = 3.01u² relative.
 * When z ≥ 0 both terms are ≥ 0 and their errors total ≤ 18.53u²·L; when z < 0, |log1p(z)| ≤
 * 2.03u ≤ 2^−44·ln c and the total is ≤ 4.61u²·L. With the final addition:
 * ≤ (18.53 + 3.01 + 10^−3)u² < 21.6u² ≤ LOG1P_REL.
 */
export const LOG1P_REL = 22 * U2;

/** ln 2 as a double-double (0x3FE62E42FEFA39EF, 0x3C7ABC9E3B39803F), |error| < 2^−109.9·ln 2. */
const LN2_H = 0.6931471805599453;
const LN2_L = 2.3190468138462996e-17;

const w = new Float64Array(2);
const g = new Float64Array(2);

/**
 * G(z) = log1p(z)/z for an exact double-double z with |z| ≤ Z_MAX, relative error ≤ G_REL;
 * writes it to out[0], out[1].
 */
export function ddLog1pG(out: Float64Array, zh: number, zl: number): void {
  const { log1pCoef } = ddTables();
  let qh = log1pCoef[2 * (LOG1P_TERMS - 1)];
  let ql = log1pCoef[2 * (LOG1P_TERMS - 1) + 1];
  for (let k = LOG1P_TERMS - 2; k >= 0; k--) {
    ddMul(out, qh, ql, -zh, -zl);
    ddAdd(out, out[0], out[1], log1pCoef[2 * k], log1pCoef[2 * k + 1]);
    qh = out[0];
    ql = out[1];
  }
  out[0] = qh;
  out[1] = ql;
}

/** log1p(z) = z·G(z) for |z| ≤ Z_MAX, relative error ≤ SERIES_REL. */
function log1pSeries(out: Float64Array, zh: number, zl: number): void {
  ddLog1pG(g, zh, zl);
  ddMul(out, zh, zl, g[0], g[1]);
}

/**
 * ln(1 + s) for an exact double-double s = sh + sl, 0 ≤ s ≤ LOG1P_MAX_ARG, relative error
 * ≤ LOG1P_REL; writes it to out[0], out[1].
 *
 * Special cases: s = 0 gives exactly 0.
 */
export function ddLog1p(out: Float64Array, sh: number, sl: number): void {
  if (sh === 0) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  const a = 1 + sh;
  const e = exponentOf(a);
  const f = a * pow2i(-e); // exact: e ≥ 0 and a ≥ 1 is normal
  const j = Math.floor((f - 1) * (1 << TABLE_BITS)); // exact: (f − 1)·128 is a scaling of an exact difference
  if (e === 0 && j === 0) {
    log1pSeries(out, sh, sl);
    return;
  }
  const c = ((1 << TABLE_BITS) + j) * pow2i(e - TABLE_BITS); // exact: 8 significant bits
  ddAddD(w, sh, sl, 1 - c); // 1 − c exact (an integer or a multiple of 2^(e−7), below 2^51)
  ddDivD(w, w[0], w[1], c);
  log1pSeries(w, w[0], w[1]);
  const lzh = w[0];
  const lzl = w[1];
  const { logTable } = ddTables();
  ddMulD(out, LN2_H, LN2_L, e);
  ddAdd(out, out[0], out[1], logTable[2 * j], logTable[2 * j + 1]);
  ddAdd(out, out[0], out[1], lzh, lzl);
}
