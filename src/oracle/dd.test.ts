import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import {
  EPS_ADD,
  EPS_ADD_D,
  EPS_DIV,
  EPS_DIV_D,
  EPS_MUL,
  EPS_MUL_D,
  U2,
  composeRel,
  ddAdd,
  ddAddD,
  ddDiv,
  ddDivD,
  ddMul,
  ddMulD,
  fastTwoSum,
  invRel,
  twoProd,
  twoSum,
} from './dd.js';
import { X, ddValue, randomDd, relErrU2, seeded } from './_testutil/ddCheck.js';

const out = new Float64Array(2);
const N = 3000;

/** Exponent spreads that exercise alignment, cancellation and carries. */
function exps(rand: () => number): [number, number] {
  const ea = Math.floor(rand() * 40) - 20;
  const eb = rand() < 0.3 ? ea : ea + Math.floor(rand() * 120) - 60;
  return [ea, eb];
}

function normalized(h: number, l: number): boolean {
  return h + l === h;
}

describe('error-free transformations', () => {
  test('twoSum, fastTwoSum and twoProd are exact', () => {
    const rand = seeded(1);
    for (let i = 0; i < N; i++) {
      const [ea, eb] = exps(rand);
      const [a] = randomDd(rand, ea);
      const [b] = randomDd(rand, eb);
      twoSum(out, a, b);
      expect(ddValue(out[0], out[1]).eq(X.add(exactDecimal(a), exactDecimal(b)))).toBe(true);
      expect(out[0]).toBe(a + b);
      const [big, small] = Math.abs(a) >= Math.abs(b) ? [a, b] : [b, a];
      fastTwoSum(out, big, small);
      expect(ddValue(out[0], out[1]).eq(X.add(exactDecimal(a), exactDecimal(b)))).toBe(true);
      twoProd(out, a, b);
      expect(ddValue(out[0], out[1]).eq(X.mul(exactDecimal(a), exactDecimal(b)))).toBe(true);
      expect(out[0]).toBe(a * b);
    }
  });
});

describe('double-double operations stay within their stated bounds (random inputs, seeded)', () => {
  // worst observed relative error of each operation, in units of u², is kept below its bound
  const cases: [string, number, (rand: () => number) => number][] = [
    [
      'ddAdd',
      EPS_ADD,
      (rand) => {
        const [ea, eb] = exps(rand);
        const [ah, al] = randomDd(rand, ea);
        const [bh, bl] = randomDd(rand, eb);
        const want = X.add(ddValue(ah, al), ddValue(bh, bl));
        ddAdd(out, ah, al, bh, bl);
        expect(normalized(out[0], out[1])).toBe(true);
        return want.isZero() ? 0 : relErrU2(ddValue(out[0], out[1]), want);
      },
    ],
    [
      'ddAddD',
      EPS_ADD_D,
      (rand) => {
        const [ea, eb] = exps(rand);
        const [ah, al] = randomDd(rand, ea);
        const [b] = randomDd(rand, eb);
        const want = X.add(ddValue(ah, al), exactDecimal(b));
        ddAddD(out, ah, al, b);
        expect(normalized(out[0], out[1])).toBe(true);
        return want.isZero() ? 0 : relErrU2(ddValue(out[0], out[1]), want);
      },
    ],
    [
      'ddMulD',
      EPS_MUL_D,
      (rand) => {
        const [ea, eb] = exps(rand);
        const [ah, al] = randomDd(rand, ea);
        const [b] = randomDd(rand, eb);
        ddMulD(out, ah, al, b);
        return relErrU2(ddValue(out[0], out[1]), X.mul(ddValue(ah, al), exactDecimal(b)));
      },
    ],
    [
      'ddMul',
      EPS_MUL,
      (rand) => {
        const [ea, eb] = exps(rand);
        const [ah, al] = randomDd(rand, ea);
        const [bh, bl] = randomDd(rand, eb);
        ddMul(out, ah, al, bh, bl);
        expect(normalized(out[0], out[1])).toBe(true);
        return relErrU2(ddValue(out[0], out[1]), X.mul(ddValue(ah, al), ddValue(bh, bl)));
      },
    ],
    [
      'ddDiv',
      EPS_DIV,
      (rand) => {
        const [ea, eb] = exps(rand);
        const [ah, al] = randomDd(rand, ea);
        const [bh, bl] = randomDd(rand, eb);
        ddDiv(out, ah, al, bh, bl);
        expect(normalized(out[0], out[1])).toBe(true);
        return relErrU2(ddValue(out[0], out[1]), X.div(ddValue(ah, al), ddValue(bh, bl)));
      },
    ],
    [
      'ddDivD',
      EPS_DIV_D,
      (rand) => {
        const [ea, eb] = exps(rand);
        const [ah, al] = randomDd(rand, ea);
        const [b] = randomDd(rand, eb);
        ddDivD(out, ah, al, b);
        return relErrU2(ddValue(out[0], out[1]), X.div(ddValue(ah, al), exactDecimal(b)));
      },
    ],
  ];
  test.each(cases)('%s', (_name, bound, one) => {
    const rand = seeded(_name.length * 7919);
    let worst = 0;
    for (let i = 0; i < N; i++) worst = Math.max(worst, one(rand));
    expect(worst).toBeLessThanOrEqual(bound / U2);
    // the bound is not vacuous: the operation does round (relative errors of order u² occur)
    expect(worst).toBeGreaterThan(0.01);
  });

  test('ddAdd is accurate under cancellation (bound relative to the exact sum)', () => {
    const rand = seeded(77);
    for (let i = 0; i < N; i++) {
      const [ah, al] = randomDd(rand, 0, false);
      // b ≈ −a: the leading parts cancel
      const bh = -ah * (1 + (rand() - 0.5) * 2 ** -40);
      const [, bl] = randomDd(rand, Math.floor(Math.log2(Math.abs(bh))) - 60);
      const want = X.add(ddValue(ah, al), ddValue(bh, bl));
      if (want.isZero()) continue;
      ddAdd(out, ah, al, bh, bl);
      expect(relErrU2(ddValue(out[0], out[1]), want)).toBeLessThanOrEqual(EPS_ADD / U2);
    }
  });
});

describe('bound arithmetic rounds upwards', () => {
  test('composeRel and invRel are upper bounds of their exact formulas', () => {
    const rand = seeded(5);
    for (let i = 0; i < N; i++) {
      const a = rand() * 2 ** -(40 + Math.floor(rand() * 70));
      const b = rand() * 2 ** -(40 + Math.floor(rand() * 70));
      const da = exactDecimal(a);
      const db = exactDecimal(b);
      expect(exactDecimal(composeRel(a, b)).gte(X.add(X.add(da, db), X.mul(da, db)))).toBe(true);
      expect(exactDecimal(invRel(a)).gte(X.div(da, X.sub(1, da)))).toBe(true);
    }
  });
});
