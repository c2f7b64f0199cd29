import { Decimal } from 'decimal.js';
import { exactDecimal } from '../formats/exact.js';
import { roundDecimal } from '../formats/roundDecimal.js';
import { F64 } from '../formats/specs.js';
import { U2 } from './dd.js';

/**
 * Tables and polynomial coefficients of the fast path's exp and log1p, as double-doubles, computed
 * once (on first use) from decimal.js values and checked.
 *
 * Each entry is the double-double nearest a 40-digit decimal.js value v: h = RN(v), l = RN(v − h),
 * both rounded by the project's exact `roundDecimal` (not by parsing a decimal string, which
 * ECMAScript allows to be inexact past 20 digits). Then |v − (h + l)| ≤ ½·ulp(l) ≤ u·|l| ≤ u²·|h|,
 * and v is within 10^−39 relative of the true constant c (decimal.js rounds +, ×, ÷ correctly and
 * its exp/ln/pow err by less than one unit in the 40th digit), so every entry satisfies
 * |c − (h + l)| ≤ u²·|c|·(1 + u) + 2·10^−39·|c| ≤ TABLE_REL·|c|.
 *
 * Checks (a failure throws: the fast path must not run on a wrong table), each by a route
 * independent of the function that produced the entry:
 * - 2^(j/128): the 128th power of the exact double-double value, computed by repeated squaring
 *   at 80 digits, equals 2^j within 128·TABLE_REL·(1 + 10^−6) + 10^−70 relative;
 * - ln(1 + j/128): decimal.js exp (not ln) of the exact entry equals 1 + j/128 within
 *   TABLE_REL·ln(1 + j/128)·(1 + 10^−6) + 10^−70 relative;
 * - 1/k! and 1/(k + 1): the exact product of the entry and k! (resp. k + 1) is 1 within
 *   TABLE_REL relative.
 */

/** Relative error bound of every table entry and coefficient: u²(1 + u) + 2·10^−39 < 1.01·u². */
export const TABLE_REL = 1.01 * U2;

/** Degree of the Taylor polynomial of e^r in the fast exp (see ddExp.ts). */
export const EXP_DEGREE = 10;
/** Terms of the series log1p(z)/z = Σ_{k<LOG1P_TERMS} (−z)^k/(k + 1) in the fast log1p (ddLog.ts). */
export const LOG1P_TERMS = 16;
/** The exp and log tables have 2^TABLE_BITS entries: 2^(j/128) and ln(1 + j/128). */
export const TABLE_BITS = 7;
const TABLE_SIZE = 1 << TABLE_BITS;

export interface DdTables {
  /** 2^(j/128) for j = 0..127: h at [2j], l at [2j + 1]. */
  readonly exp2: Float64Array;
  /** 1/k! for k = 0..EXP_DEGREE: h at [2k], l at [2k + 1]. */
  readonly expCoef: Float64Array;
  /** ln(1 + j/128) for j = 0..127: h at [2j], l at [2j + 1]. */
  readonly logTable: Float64Array;
  /** 1/(k + 1) for k = 0..LOG1P_TERMS − 1: h at [2k], l at [2k + 1]. */
  readonly log1pCoef: Float64Array;
}

const D40 = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
const D80 = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
/** Wide enough for every exact sum and difference of a double and a 40-digit value in [2^−60, 2]. */
const WIDE = Decimal.clone({ precision: 1200, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/** The double-double nearest `v` (h = RN(v), l = RN(v − h)), written at out[2i], out[2i + 1]. */
function putDd(out: Float64Array, i: number, v: Decimal): void {
  const h = roundDecimal(F64, v, 'even');
  const l = roundDecimal(F64, WIDE.sub(v, exactDecimal(h)), 'even');
  out[2 * i] = h;
  out[2 * i + 1] = l;
}

/** The exact value of the double-double at out[2i], out[2i + 1]. */
function exactDd(t: Float64Array, i: number): Decimal {
  return WIDE.add(exactDecimal(t[2 * i]), exactDecimal(t[2 * i + 1]));
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`internal: fast-path table check failed: ${what}`);
}

function build(): DdTables {
  const exp2 = new Float64Array(2 * TABLE_SIZE);
  const logTable = new Float64Array(2 * TABLE_SIZE);
  const expCoef = new Float64Array(2 * (EXP_DEGREE + 1));
  const log1pCoef = new Float64Array(2 * LOG1P_TERMS);
  const tol = (rel: number) => new D80(rel).times(1 + 1e-6).plus('1e-70');

  for (let j = 0; j < TABLE_SIZE; j++) {
    // j/128 is a finite decimal, so the exponent is exact; pow is decimal.js's (≤ 1 unit of 40 digits)
    putDd(exp2, j, D40.pow(2, new D40(j).div(TABLE_SIZE)));
    const e = exactDd(exp2, j);
    let p = new D80(e);
    for (let s = 0; s < TABLE_BITS; s++) p = p.times(p); // e^128 by 7 squarings, 80 digits each
    check(p.div(D80.pow(2, j)).minus(1).abs().lte(tol(TABLE_SIZE * TABLE_REL)), `2^(${j}/128)`);

    const c = new D40(TABLE_SIZE + j).div(TABLE_SIZE); // 1 + j/128, exact
    putDd(logTable, j, D40.ln(c));
    const lg = exactDd(logTable, j);
    if (j === 0) check(lg.isZero(), 'ln 1 = 0');
    else check(D80.exp(lg).div(c).minus(1).abs().lte(tol(TABLE_REL * lg.toNumber())), `ln(1 + ${j}/128)`);
  }
  let fact = new D80(1);
  for (let k = 0; k <= EXP_DEGREE; k++) {
    if (k > 0) fact = fact.times(k);
    putDd(expCoef, k, new D40(1).div(fact));
    check(WIDE.mul(exactDd(expCoef, k), fact).minus(1).abs().lte(TABLE_REL), `1/${k}!`);
  }
  for (let k = 0; k < LOG1P_TERMS; k++) {
    putDd(log1pCoef, k, new D40(1).div(k + 1));
    check(WIDE.mul(exactDd(log1pCoef, k), k + 1).minus(1).abs().lte(TABLE_REL), `1/${k + 1}`);
  }
  return { exp2, expCoef, logTable, log1pCoef };
}

let tables: DdTables | undefined;

/** The tables, built and checked on first use (a few tens of milliseconds, once per process). */
export function ddTables(): DdTables {
  if (!tables) tables = build();
  return tables;
}
