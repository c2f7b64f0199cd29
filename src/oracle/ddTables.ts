import { Decimal } from 'decimal.js';
import { decompose, exactDecimal } from '../formats/exact.js';
import { pow2 } from '../formats/pow2.js';
import { roundDecimal } from '../formats/roundDecimal.js';
import { F64 } from '../formats/specs.js';
import { U2 } from './dd.js';

/**
 * Tables and polynomial coefficients of the fast path's exp and log1p, as double-doubles, computed
 * once (on first use, a few tens of milliseconds) and checked.
 *
 * Each entry is the double-double nearest a value v accurate far beyond 106 bits: h = RN(v),
 * l = RN(v − h), both rounded exactly (`roundDecimal`, or `bigToDouble` on exact integers; never
 * by parsing a decimal string, which ECMAScript allows to be inexact past 20 digits). Then
 * |v − (h + l)| ≤ ½·ulp(l) ≤ u·|l| ≤ u²·|h|, and with |v − c| ≤ 2^−180·|c| for the true
 * constant c, every entry satisfies |c − (h + l)| ≤ u²·|c|·(1 + u) + 2^−180·|c| ≤ TABLE_REL·|c|.
 * - 2^(j/128): decimal.js at 60 digits, 2^(1/128) by seven correctly rounded square roots of 2,
 *   then 2^(j/128) = 2^((j−1)/128)·2^(1/128) (at most 134 roundings of 10^−59 relative), taken
 *   to fixed point with 2^−256 resolution exactly; 2^(j/4096) for j < 64 (the lean exp's second
 *   level, leanExp.ts) the same way from twelve square roots.
 * - ln(1 + j/128) = Σ_{i=128}^{127+j} ln((i + 1)/i), each ln((i + 1)/i) = 2·atanh(1/(2i + 1)) by
 *   its series in exact integer (BigInt) fixed point with 2^−256 resolution: each term truncated
 *   once, at most 127·2^−250 in all against ln(1 + j/128) ≥ 2^−8.
 * - 1/k! and 1/(k + 1): decimal.js quotients at 60 digits.
 *
 * Checks (a failure throws: the fast path must not run on a wrong table), each by a route
 * independent of the one that produced the entry, in BigInt fixed point:
 * - 2^(j/128): the 128th power of the exact double-double value (seven squarings) equals 2^j
 *   within 128·TABLE_REL·(1 + 10^−6) + 2^−200 relative; 2^(j/4096): the 4096th power (twelve
 *   squarings) within 4096·TABLE_REL·(1 + 10^−6) + 2^−200;
 * - ln(1 + j/128): e to the exact double-double value, by the Taylor series, equals 1 + j/128
 *   within TABLE_REL·ln(1 + j/128)·(1 + 10^−6) + 2^−240 relative;
 * - 1/k! and 1/(k + 1): the exact product of the entry and k! (resp. k + 1) is 1 within
 *   TABLE_REL relative (decimal.js, exact at 1200 digits).
 */

/** Relative error bound of every table entry and coefficient: u²(1 + u) + 2^−180 < 1.01·u². */
export const TABLE_REL = 1.01 * U2;

/** Degree of the Taylor polynomial of e^r in the fast exp (see ddExp.ts). */
export const EXP_DEGREE = 10;
/** Terms of the series log1p(z)/z = Σ_{k<LOG1P_TERMS} (−z)^k/(k + 1) in the fast log1p (ddLog.ts). */
export const LOG1P_TERMS = 16;
/** The exp and log tables have 2^TABLE_BITS entries: 2^(j/128) and ln(1 + j/128). */
export const TABLE_BITS = 7;
const TABLE_SIZE = 1 << TABLE_BITS;
/** The lean exp's second table has 2^FINE_BITS entries 2^(j/4096), j < 64: 4096 = 2^(TABLE_BITS − 1 + FINE_BITS). */
export const FINE_BITS = 6;
const FINE_SIZE = 1 << FINE_BITS;
/** log2 of the fine table's denominator, 4096. */
const FINE_DENOM_BITS = TABLE_BITS - 1 + FINE_BITS;

export interface DdTables {
  /** 2^(j/128) for j = 0..127: h at [2j], l at [2j + 1]. */
  readonly exp2: Float64Array;
  /** 2^(j/4096) for j = 0..FINE_SIZE − 1: h at [2j], l at [2j + 1]. */
  readonly exp2Fine: Float64Array;
  /** 1/k! for k = 0..EXP_DEGREE: h at [2k], l at [2k + 1]. */
  readonly expCoef: Float64Array;
  /** ln(1 + j/128) for j = 0..127: h at [2j], l at [2j + 1]. */
  readonly logTable: Float64Array;
  /** 1/(k + 1) for k = 0..LOG1P_TERMS − 1: h at [2k], l at [2k + 1]. */
  readonly log1pCoef: Float64Array;
}

const D60 = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
/** Wide enough for every exact sum and difference of a double and a 60-digit value in [2^−60, 2]. */
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

/** Fractional bits of the BigInt fixed-point arithmetic: x is represented by ⌊x·2^FRAC⌋. */
const FRAC = 256n;
const ONE = 1n << FRAC;

/** The number of bits of a positive bigint. */
function bitLength(v: bigint): number {
  return v.toString(2).length;
}

/** v·2^e rounded to nearest (ties to even) into binary64, for v > 0 and a normal result. */
function bigToDouble(v: bigint, e: number): number {
  const shift = bitLength(v) - 53;
  if (shift <= 0) return Number(v) * pow2(e);
  let q = v >> BigInt(shift);
  const rem = v - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  return Number(q) * pow2(e + shift); // Number(q) ≤ 2^53 exactly; the scaling is exact (normal)
}

/** The exact value of a finite binary64 number in fixed point (exact when its bits fit). */
function toFixed(x: number): bigint {
  if (x === 0) return 0n;
  const { sign, mantissa, exponent } = decompose(x);
  const sh = BigInt(exponent) + FRAC;
  const m = sh >= 0n ? mantissa << sh : mantissa >> -sh;
  return sign < 0 ? -m : m;
}

/** The double-double nearest a positive fixed-point value (see the file comment). */
function putFixed(out: Float64Array, i: number, v: bigint): void {
  const h = bigToDouble(v, -Number(FRAC));
  const rest = v - toFixed(h);
  const l =
    rest === 0n ? 0 : rest > 0n ? bigToDouble(rest, -Number(FRAC)) : -bigToDouble(-rest, -Number(FRAC));
  out[2 * i] = h;
  out[2 * i + 1] = l;
}

/**
 * ln((i + 1)/i) = 2·atanh(1/(2i + 1)) for an integer i ≥ 1, in fixed point: the series
 * Σ_k 2/((2k + 1)(2i + 1)^(2k+1)), each term truncated once (error ≤ 2^−250 in all).
 */
function lnRatioFixed(i: bigint): bigint {
  const m = 2n * i + 1n;
  const m2 = m * m;
  let power = (2n * ONE) / m; // 2/(2i + 1)^(2k+1), truncated
  let sum = power;
  for (let k = 3n; power !== 0n; k += 2n) {
    power /= m2;
    sum += power / k;
  }
  return sum;
}

/** e^y for a fixed-point 0 ≤ y < 1, by its Taylor series (error ≤ 2^−250). */
function expFixed(y: bigint): bigint {
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * y) >> FRAC;
    term /= k;
    sum += term;
  }
  return sum;
}

/** ⌊v·2^FRAC⌋ for a positive decimal.js value v with at most 60 significant digits, exactly. */
function decimalToFixed(v: Decimal): bigint {
  return BigInt(
    WIDE.mul(v, WIDE.pow(2, Number(FRAC)))
      .floor()
      .toFixed(0),
  );
}

function build(): DdTables {
  const exp2 = new Float64Array(2 * TABLE_SIZE);
  const logTable = new Float64Array(2 * TABLE_SIZE);
  const expCoef = new Float64Array(2 * (EXP_DEGREE + 1));
  const log1pCoef = new Float64Array(2 * LOG1P_TERMS);
  const relBound = (x: bigint, rel: bigint) =>
    (x * rel * 101n * 1000001n) / ((100n * 1000000n) << 106n) + (x >> 240n);

  let root = new D60(2);
  for (let s = 0; s < TABLE_BITS; s++) root = root.sqrt(); // 2^(1/128)
  let pw = new D60(1);
  let ln = 0n; // ln(1 + j/128) = Σ_{i=128}^{127+j} ln((i + 1)/i)
  for (let j = 0; j < TABLE_SIZE; j++) {
    if (j > 0) pw = pw.times(root);
    putFixed(exp2, j, decimalToFixed(pw));
    // check: (h + l)^128 = 2^j within 128·TABLE_REL relative (seven squarings, each truncated)
    let p = toFixed(exp2[2 * j]) + toFixed(exp2[2 * j + 1]);
    for (let s = 0; s < TABLE_BITS; s++) p = (p * p) >> FRAC;
    const want = ONE << BigInt(j);
    check(abs(p - want) <= relBound(want, 128n) + (want >> 200n), `2^(${j}/128)`);

    if (j === 0) continue; // ln 1 = 0: the entry stays (0, 0)
    ln += lnRatioFixed(BigInt(TABLE_SIZE + j - 1));
    putFixed(logTable, j, ln);
    // check: e^(h + l) = 1 + j/128 within TABLE_REL·ln(1 + j/128) relative (independent series);
    // |e^lg − c| = c·|e^(lg − ln c) − 1| ≤ c·TABLE_REL·ln c·(1 + 10^−6), plus the truncations
    const lg = toFixed(logTable[2 * j]) + toFixed(logTable[2 * j + 1]);
    const c = ONE + (BigInt(j) << FRAC) / BigInt(TABLE_SIZE); // exact
    check(abs(expFixed(lg) - c) <= (relBound(c, 1n) * lg) / ONE + (c >> 240n), `ln(1 + ${j}/128)`);
  }
  const exp2Fine = new Float64Array(2 * FINE_SIZE);
  let fineRoot = new D60(2);
  for (let s = 0; s < FINE_DENOM_BITS; s++) fineRoot = fineRoot.sqrt(); // 2^(1/4096)
  pw = new D60(1);
  for (let j = 0; j < FINE_SIZE; j++) {
    if (j > 0) pw = pw.times(fineRoot);
    putFixed(exp2Fine, j, decimalToFixed(pw));
    // check: (h + l)^4096 = 2^j within 4096·TABLE_REL relative (twelve squarings, each truncated)
    let p = toFixed(exp2Fine[2 * j]) + toFixed(exp2Fine[2 * j + 1]);
    for (let s = 0; s < FINE_DENOM_BITS; s++) p = (p * p) >> FRAC;
    const want = ONE << BigInt(j);
    check(abs(p - want) <= relBound(want, 4096n) + (want >> 200n), `2^(${j}/4096)`);
  }
  let fact = 1n;
  for (let k = 0; k <= EXP_DEGREE; k++) {
    if (k > 0) fact *= BigInt(k);
    putDd(expCoef, k, new D60(1).div(fact.toString()));
    check(WIDE.mul(exactDd(expCoef, k), fact.toString()).minus(1).abs().lte(TABLE_REL), `1/${k}!`);
  }
  for (let k = 0; k < LOG1P_TERMS; k++) {
    putDd(log1pCoef, k, new D60(1).div(k + 1));
    check(
      WIDE.mul(exactDd(log1pCoef, k), k + 1)
        .minus(1)
        .abs()
        .lte(TABLE_REL),
      `1/${k + 1}`,
    );
  }
  return { exp2, exp2Fine, expCoef, logTable, log1pCoef };
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

let tables: DdTables | undefined;

/** The tables, built and checked on first use (a few tens of milliseconds, once per process). */
export function ddTables(): DdTables {
  if (!tables) tables = build();
  return tables;
}
