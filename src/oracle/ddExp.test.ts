import { describe, expect, test } from 'vitest';
import { ddAdd, ddAddD, ddMul, ddMulD, twoProd, twoSum } from './dd.js';
import { EXP_MIN_ARG, ddExpNeg } from './ddExp.js';
import { EXP_DEGREE, TABLE_BITS, ddTables } from './ddTables.js';
import { seeded } from './_testutil/ddCheck.js';

/**
 * The algorithm of ddExp.ts's comment, composed from dd.ts's functions, each of which carries the
 * error bound that EPS_EXP is derived from. `ddExpNeg` writes the same steps out on locals; it
 * must give these results bit for bit.
 */
function composedExpNeg(out: Float64Array, dh: number, dl: number): void {
  if (dh === 0 && dl === 0) {
    out.set([0, 1, 0]);
    return;
  }
  const { exp2, expCoef } = ddTables();
  const N = Math.round(dh * 184.6649652337873);
  const s = new Float64Array(2);
  const t = new Float64Array(2);
  twoSum(s, dh, -(N * 0.0054152123482253955));
  ddAddD(s, s[0], s[1], -(N * -1.0082281460979481e-13));
  twoProd(t, N, -1.828745223881112e-25);
  ddAddD(s, s[0], s[1], -t[0]);
  ddAddD(s, s[0], s[1], dl);
  ddAddD(s, s[0], s[1], -t[1]);
  const [rh, rl] = s;
  let tail = expCoef[2 * EXP_DEGREE];
  for (let k = EXP_DEGREE - 1; k >= 7; k--) tail = tail * rh + expCoef[2 * k];
  ddMulD(t, rh, rl, tail);
  ddAdd(t, t[0], t[1], expCoef[12], expCoef[13]);
  for (let k = 5; k >= 0; k--) {
    ddMul(t, t[0], t[1], rh, rl);
    ddAdd(t, t[0], t[1], expCoef[2 * k], expCoef[2 * k + 1]);
  }
  const j = N & ((1 << TABLE_BITS) - 1);
  ddMul(t, exp2[2 * j], exp2[2 * j + 1], t[0], t[1]);
  out.set([(N - j) / (1 << TABLE_BITS), t[0], t[1]]);
}

/** An exact double-double d = dh + dl ≤ 0 as the oracle forms it: TwoSum of x − m. */
function diff(x: number, m: number): [number, number] {
  const h = x - m;
  const bb = h - x;
  return [h, x - (h - bb) + (-m - bb)];
}

describe('ddExpNeg written out on locals', () => {
  test('equals the composition of dd.ts steps bit for bit, on 200,000 fresh arguments over its whole domain', () => {
    const rand = seeded(Date.now() >>> 0);
    const got = new Float64Array(3);
    const want = new Float64Array(3);
    let mismatches = 0;
    let checked = 0;
    for (let i = 0; i < 200_000; i++) {
      // magnitudes spread over [2^−60, 999], with a nonzero low part from a TwoSum
      const mag = i % 4 === 0 ? 999 * rand() : 2 ** (-60 * rand()) * 2 ** (9 * rand());
      const [dh, dl] = diff(-mag, rand() * 1e-3);
      if (!(dh <= 0 && dh >= -EXP_MIN_ARG)) continue;
      ddExpNeg(got, dh, dl);
      composedExpNeg(want, dh, dl);
      checked++;
      if (!(Object.is(got[0], want[0]) && Object.is(got[1], want[1]) && Object.is(got[2], want[2])))
        mismatches++;
    }
    expect(checked).toBeGreaterThan(190_000);
    expect(mismatches).toBe(0);
  });

  test('the special case d = 0 and the ends of the domain', () => {
    const got = new Float64Array(3);
    const want = new Float64Array(3);
    for (const [dh, dl] of [
      [0, 0],
      [-EXP_MIN_ARG, 0],
      [-Number.MIN_VALUE, 0],
      [-(2 ** -1022), 0],
      diff(-745.1332191019411, 0.5),
    ] as const) {
      ddExpNeg(got, dh, dl);
      composedExpNeg(want, dh, dl);
      expect([...got]).toEqual([...want]);
    }
  });
});
