import { Decimal } from 'decimal.js';
import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import { arith } from './interval.js';
import { fixedBase } from './fixedExp.js';
import { fixedBits, fixedSum, sharedSum, summarizeRow } from './sharedSum.js';
import { rng } from './_testutil/fastpathCases.js';

/**
 * Σ_{j≠k*} e^(x_j − m) over the finite logits with x_j − m ≥ −T, to `digits` digits, and the
 * count of the others.
 */
function exactSum(x: number[], T: number, digits: number): { s: Decimal; cut: number } {
  const D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
  const finite = x.filter((v) => v !== -Infinity);
  const m = Math.max(...finite);
  let s = new D(-1); // k* itself contributes e^0 = 1
  let cut = 0;
  for (const v of finite) {
    const d = D.sub(exactDecimal(v), exactDecimal(m));
    if (d.lt(-T)) cut++;
    else s = s.plus(D.exp(d));
  }
  return { s, cut };
}

describe('summarizeRow', () => {
  test('counts the distinct finite logits below the max, in decreasing order; ±0 are one value', () => {
    const r = summarizeRow([-1, 2, -Infinity, 0, -0, 2, -1, -1, 0.5]);
    expect(r.max).toBe(2);
    expect(r.atMax).toBe(2);
    expect(Array.from(r.values)).toEqual([0.5, 0, -1]);
    expect(Array.from(r.counts)).toEqual([1, 2, 3]);
  });

  test('a row of equal logits has nothing below its max', () => {
    const r = summarizeRow(new Float64Array(1000).fill(-3));
    expect(r).toMatchObject({ max: -3, atMax: 1000 });
    expect(r.values.length).toBe(0);
  });
});

describe('sharedSum: the enclosure of s at a level', () => {
  const rows: [string, number[]][] = [
    ['duplicates', [0, -1, -1, -1, -2.5, -2.5, 0, -0.125]],
    ['one logit below the max', [3, 1]],
    ['far terms bounded, not computed (e^−200 below 2^−G)', [0, -1, -200, -200, -150]],
    ['terms past the cut (counted, not summed)', [0, -0.5, -5000, -1e300, -Infinity]],
    ['huge logits close together', [1e300, 1e300 - 2 ** 948, 1e300 - 2 ** 949]],
  ];
  test.each(rows)('%s: lo ≤ s ≤ hi at 20 and 80 digits', (_name, x) => {
    for (const digits of [20, 80]) {
      const a = arith(digits);
      const T = 2000;
      const row = summarizeRow(x);
      const r = sharedSum(a, row, fixedBase(row.max, fixedBits(digits)), T);
      const want = exactSum(x, T, 2 * digits + 20);
      expect(r.cut).toBe(want.cut);
      expect(r.s.lo.lte(want.s), `${digits} digits: ${r.s.lo} ≤ ${want.s}`).toBe(true);
      expect(want.s.lte(r.s.hi), `${digits} digits: ${want.s} ≤ ${r.s.hi}`).toBe(true);
      // and it is tight: the width within a few units of the level's last digit
      if (want.s.gt(0))
        expect(
          r.s.hi
            .minus(r.s.lo)
            .div(want.s)
            .lt(`1e-${digits - 2}`),
        ).toBe(true);
    }
  });

  test('random rows with repeated values: enclosed, and tight to the level', () => {
    const rand = rng(77);
    for (let t = 0; t < 40; t++) {
      const n = 2 + Math.floor(rand() * 60);
      const pool = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => -Math.round(rand() * 4000) / 64);
      const x = Array.from({ length: n }, () => pool[Math.floor(rand() * pool.length)]);
      const a = arith(40);
      const row = summarizeRow(x);
      const r = sharedSum(a, row, fixedBase(row.max, fixedBits(40)), 60);
      const want = exactSum(x, 60, 60);
      expect(r.cut, `${x}`).toBe(want.cut);
      expect(r.s.lo.lte(want.s) && want.s.lte(r.s.hi), `${x}`).toBe(true);
      if (want.s.gt(0)) expect(r.s.hi.minus(r.s.lo).div(want.s).lt('1e-38'), `${x}`).toBe(true);
    }
  });

  test('many small terms: the fixed-point upper end covers their truncations, which add up past any one width', () => {
    // 1500 distinct terms between e^−30 and e^−20 below a lone max: each is shifted right to the
    // common scale 2^−G and truncated, so the lower sum falls short by up to a unit or so per
    // term; checked on the integers themselves (the decimal conversion's own rounding at the
    // level's digits would hide a few thousand units of 2^−G)
    const rand = rng(5);
    const x = [0, ...Array.from({ length: 1500 }, () => -20 - Math.round(rand() * 10 * 2 ** 20) / 2 ** 20)];
    const row = summarizeRow(x);
    const f = fixedSum(row, fixedBase(0, fixedBits(20)), 100);
    const D = Decimal.clone({ precision: 120 });
    const scaled = D.mul(exactSum(x, 100, 120).s, D.pow(2, f.G));
    expect(scaled.gte(f.lo.toString()) && scaled.lte(f.hi.toString())).toBe(true);
    // the truncations are not negligible: they exceed the largest term's own width (about 100)
    expect(scaled.minus(f.lo.toString()).gt(1000)).toBe(true);
  });

  test('equal logits: s = c − 1 exactly (a point enclosure), no exponential computed', () => {
    const a = arith(30);
    const row = summarizeRow(new Array<number>(1_000_000).fill(0.75));
    const r = sharedSum(a, row, fixedBase(0.75, fixedBits(30)), 100);
    expect(r.s.lo.eq(999_999) && r.s.hi.eq(999_999)).toBe(true);
    expect(r.exponentials).toBe(0);
  });
});
