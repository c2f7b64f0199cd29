import { Decimal } from 'decimal.js';
import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import { fixedBase, fixedExp } from './fixedExp.js';
import { rng } from './_testutil/fastpathCases.js';

/**
 * decimal.js at 400 digits: its errors (10^−399 relative) are far below the widths of the
 * enclosures checked (a few units of 2^−W ≥ 2^−1000 ≈ 10^−301).
 */
const D = Decimal.clone({ precision: 400, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/** e^(x − m) to 400 digits, and the enclosure 2^k·[lo, hi]·2^−W as decimals. */
function check(x: number, m: number, W: number): { inside: boolean; units: number } {
  const e = fixedExp(fixedBase(m, W), x);
  const exact = D.exp(D.sub(exactDecimal(x), exactDecimal(m)));
  const scale = D.pow(2, e.k - W);
  const lo = D.mul(e.lo.toString(), scale);
  const hi = D.mul((e.lo + BigInt(e.width)).toString(), scale);
  return { inside: lo.lte(exact) && exact.lte(hi), units: e.width };
}

describe('fixedExp: fixed-point enclosures of e^(x − m)', () => {
  test('x = m is exactly 1', () => {
    for (const W of [100, 181, 500]) {
      const e = fixedExp(fixedBase(3.5, W), 3.5);
      expect(e).toEqual({ k: 0, lo: 1n << BigInt(W), width: 0 });
    }
  });

  test('encloses e^d and is at most 1023 units wide (ten of the 48 guard bits, see sharedSum.ts): random differences in [−1100, 0], several precisions', () => {
    const rand = rng(2024);
    for (const W of [96, 181, 314, 1000]) {
      for (let i = 0; i < 60; i++) {
        const m = Math.round((rand() - 0.5) * 2000) / 8;
        // log-uniform spreads from 2^−60 to 1100, exact binary64 values
        const spread = 1100 * 2 ** (-60 * rand());
        const x = m - spread;
        const r = check(x, m, W);
        expect(r.inside, `W=${W} x=${x} m=${m}`).toBe(true);
        expect(r.units, `W=${W} x=${x} m=${m}`).toBeLessThan(1024);
      }
    }
  });

  test('extreme operands: subnormal and huge logits, differences far below an ulp of the max', () => {
    const cases: [number, number][] = [
      [5e-324, 1e-323],
      [-5e-324, 0],
      [0, 2 ** -1022],
      [2 ** 60 - 768, 2 ** 60],
      [-(2 ** 60), -(2 ** 60) + 2 ** 8],
      [-1000, 0],
      [-5000, 0],
      [1 - 2 ** -53, 1],
      [-2.5, -2.5 + 2 ** -40],
    ];
    for (const [x, m] of cases) {
      const r = check(x, m, 181);
      expect(r.inside, `x=${x} m=${m}`).toBe(true);
      expect(r.units, `x=${x} m=${m}`).toBeLessThan(1024);
    }
  });

  test('the enclosure is not vacuous: shifted by its width plus one either way, it misses e^d', () => {
    // the checks above could fail: an enclosure off by more than its width leaves the value out
    const W = 181;
    const e = fixedExp(fixedBase(0, W), -1.25);
    const exact = D.exp(-1.25);
    const scale = D.pow(2, e.k - W);
    const shift = BigInt(e.width + 1);
    expect(D.mul((e.lo + shift).toString(), scale).lte(exact)).toBe(false);
    expect(exact.lte(D.mul((e.lo + BigInt(e.width) - shift).toString(), scale))).toBe(false);
  });
});
