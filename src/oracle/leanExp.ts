import { FINE_BITS, TABLE_BITS, ddTables } from './ddTables.js';

/**
 * e^d for an exact double-double argument d = dh + dl, dh ∈ [−LEAN_MIN_ARG, 0], to about 78
 * bits: the fast path's first phase (fastpath.ts). Like `ddExpNeg` it returns a scale and a
 * double-double, e^d ≈ 2^k·(vh + vl) with vh + vl ∈ [0.99, 2.01], so that results far below
 * binary64's range keep their precision; unlike it, the polynomial is binary64 arithmetic, not
 * double-double, which makes it several times cheaper. 78 bits decide the rounding of an f32,
 * f16 or bf16 result unless it lies within about 2^−52 ULP of a rounding boundary, and of an f64
 * result unless within about 2^−23 ULP of one (on random rows, one element in millions; in the
 * oracle fuzz run, whose families aim at boundaries, 11,977 of 863 M); those go to the second
 * phase, which runs `ddExpNeg` (106 bits).
 *
 * Method:
 * 1. Argument reduction d = N·ln2/4096 + r, N = round(dh·4096/ln 2), with ln2/4096 = C1 + C2 +
 *    C3 + δ (decimal.js at 120 digits): C1 and C2 have 30 significant bits, so N·C1 and N·C2 are
 *    exact for |N| < 2^23 (|N| ≤ 1000·5909.3); |C3| < 2^−78.2, |δ| < 2^−132.5.
 *    t = dh − N·C1 is exact (Sterbenz: dh and N·C1 are within a factor 2 for N ≠ 0; t = dh for
 *    N = 0); (rh, e) = TwoSum(t, −N·C2) exactly; rl = RN(RN(e + dl) − RN(N·C3)). With
 *    |e| ≤ 2^−67, |dl| ≤ 2^−44 (½ulp of |dh| < 1024) and |N·C3| < 2^−55.2, rl errs by at most
 *    2·u·2^−43.9 + 2^−108 + |N·δ| < 2^−96, so r̂ = rh + rl is within 2^−96 of r, and
 *    |r| ≤ R_MAX_LEAN = ln2/8192 + 2^−43 (the choice of N: INV's error and the rounding of
 *    dh·INV, together < 4.7·10^−10 of a step) + 2^−44 (dl) < 8.4613·10^−5 ≈ 2^−13.53.
 * 2. e^r = 1 + r + w with w = r²·P(r), P(r) = 1/2 + r/6 + r²/24 + r³/120 evaluated in binary64 at
 *    r̃ = RN(rh + rl) by Horner's rule, then w = RN(RN(r̃·r̃)·P̃).
 *    - truncation: Σ_{k≥6} r^k/k! ≤ 1.0001·R^6/720 < 2^−90.6;
 *    - r̃ for r: |r̃ − r| ≤ u·R + 2^−96, and |w′| ≤ R(1 + R), so ≤ 2^−80.05;
 *    - rounding: P̃ = P(r̃)(1 + θ) with |θ| ≤ 1.01u (the last addition's rounding; the others and
 *      the coefficients' roundings are scaled by r̃ ≤ 2^−13.5), then two multiplications: w errs by
 *      ≤ 3.02u·|w| ≤ 3.02u·R²/2·1.0001 < 2^−79.45.
 *    Then (h1, e1) = Fast2Sum(1, rh) exactly, lo = RN(RN(e1 + rl) + w) (≤ u·2^−43.8 + u·2^−28.05
 *    < 2^−81.04) and (vh, vl) = Fast2Sum(h1, lo) exactly. In all, e^r is approximated within
 *    2^−80·(0.001 + 0.97 + 1.46 + 0.49) + 2^−96 < 2^−78.45 absolute, e^r ≥ 1 − R: relative
 *    < 2^−78.44.
 * 3. e^d = 2^⌊N/4096⌋·2^(j1/64)·2^(j2/4096)·e^r with N mod 4096 = 64·j1 + j2: the two table
 *    entries (TABLE_REL each, ddTables.ts; 2^(j1/64) is the 128-entry table's entry 2·j1) are
 *    multiplied by `ddMul` (EPS_MUL), and the result by e^r (EPS_MUL again): together
 *    (1 + 1.01u²)²(1 + 8.01u²)² − 1 < 2^−101.8.
 * (1 + 2^−78.44)(1 + 2^−101.8) − 1 < 2^−78 = EPS_LEAN_EXP.
 *
 * Special cases: d = 0 gives exactly k = 0, vh = 1, vl = 0 (N = 0, r̂ = 0, w = 0).
 */

/** Largest |dh| accepted (as `EXP_MIN_ARG` of ddExp.ts; the bounds above assume it). */
export const LEAN_MIN_ARG = 1000;
/** Relative error bound of `leanExpNeg` (derived above). */
export const EPS_LEAN_EXP = 2 ** -78;
/** Bound on |r| (derived above). */
export const R_MAX_LEAN = 8.4613e-5;

/** 4096/ln 2 rounded to nearest (0x40B71547652B82FE): only chooses N. */
const INV_LN2_4096 = 5909.278887481194;
/** The pieces of ln2/4096 (above): C1, C2 of 30 significant bits, C3 the rest rounded. */
const C1 = 0.00016922538588914904; // 0x3F262E42FF000000
const C2 = -1.0256140311365355e-14; // 0xBD0718432A000000
const C3 = -2.797449396191097e-24; // 0xBB0B0E2633FE0685
/** Coefficients of P: 1/6, 1/24, 1/120 rounded to nearest (1/2 is exact). */
const P3 = 1 / 6;
const P4 = 1 / 24;
const P5 = 1 / 120;
const SPLITTER = 134217729;
const FINE_MASK = (1 << FINE_BITS) - 1;
const DENOM = 1 << (TABLE_BITS - 1 + FINE_BITS); // 4096

let coarse: Float64Array | undefined;
let fine: Float64Array = new Float64Array(0);

/**
 * Writes k to out[0] and vh, vl to out[1], out[2], with e^d = 2^k·(vh + vl)·(1 + ε),
 * |ε| ≤ EPS_LEAN_EXP, for d = dh + dl exact, dh ∈ [−LEAN_MIN_ARG, 0], |dl| ≤ ½·ulp(dh).
 */
export function leanExpNeg(out: Float64Array, dh: number, dl: number): void {
  if (coarse === undefined) {
    const t = ddTables();
    coarse = t.exp2;
    fine = t.exp2Fine;
  }
  const N = Math.round(dh * INV_LN2_4096);
  // 1. reduction
  const t = dh - N * C1;
  const b = -(N * C2);
  const rh = t + b;
  const bb = rh - t;
  const e = t - (rh - bb) + (b - bb);
  const rl = e + dl - N * C3;
  // 2. e^r = 1 + r + w
  const r = rh + rl;
  const P = 0.5 + r * (P3 + r * (P4 + r * P5));
  const w = r * r * P;
  const h1 = 1 + rh;
  const e1 = rh - (h1 - 1);
  const lo = e1 + rl + w;
  const vh = h1 + lo;
  const vl = lo - (vh - h1);
  // 3. the table product T = 2^(j1/64)·2^(j2/4096) (ddMul), then T·(vh + vl) (ddMul)
  const j = N & (DENOM - 1); // N mod 4096, also for negative N (two's complement)
  const i1 = 4 * (j >> FINE_BITS); // entry 2·j1 of the 128-entry table, at [2·(2·j1)]
  const i2 = 2 * (j & FINE_MASK);
  const ah = coarse[i1];
  const al = coarse[i1 + 1];
  const ch = fine[i2];
  const cl = fine[i2 + 1];
  let p = ah * ch;
  let x = SPLITTER * ah;
  let xh = x - (x - ah);
  let xl = ah - xh;
  x = SPLITTER * ch;
  let yh = x - (x - ch);
  let yl = ch - yh;
  let c3 = xh * yh - p + xh * yl + xl * yh + xl * yl + (ah * cl + al * ch);
  const th = p + c3;
  const tl = c3 - (th - p);
  p = th * vh;
  x = SPLITTER * th;
  xh = x - (x - th);
  xl = th - xh;
  x = SPLITTER * vh;
  yh = x - (x - vh);
  yl = vh - yh;
  c3 = xh * yh - p + xh * yl + xl * yh + xl * yl + (th * vl + tl * vh);
  const zh = p + c3;
  out[0] = (N - j) / DENOM;
  out[1] = zh;
  out[2] = c3 - (zh - p);
}
