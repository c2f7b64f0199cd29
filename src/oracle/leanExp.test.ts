import { Decimal } from 'decimal.js';
import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import { EPS_LEAN_EXP, LEAN_MIN_ARG, R_MAX_LEAN, leanExpNeg } from './leanExp.js';
import { TABLE_REL, ddTables } from './ddTables.js';
import { R, X, ddValue, seeded } from './_testutil/ddCheck.js';

const out3 = new Float64Array(3);

/** An exact double-double d = dh + dl ≤ 0 as the oracle forms it: TwoSum of x − m. */
function diff(x: number, m: number): [number, number] {
  const h = x - m;
  const bb = h - x;
  return [h, x - (h - bb) + (-m - bb)];
}

/** log2 of the relative error of leanExpNeg at dh + dl against decimal.js at 60 digits. */
function log2Err(dh: number, dl: number): number {
  leanExpNeg(out3, dh, dl);
  const [k, vh, vl] = out3;
  expect(Number.isInteger(k)).toBe(true);
  expect(vh).toBeGreaterThan(0.99);
  expect(vh).toBeLessThan(2.01);
  const want = new X(
    R.exp(new R(ddValue(dh, dl).toString()))
      .div(R.pow(2, k))
      .toString(),
  );
  const rel = ddValue(vh, vl).minus(want).div(want).abs();
  return rel.isZero() ? -Infinity : Math.log2(rel.toNumber());
}

describe('constants', () => {
  test('the pieces of ln2/4096: 30-bit C1 and C2 (exact products with |N| < 2^23), the rest below 2^−132', () => {
    const v = new DataView(new ArrayBuffer(8));
    const fromHex = (h: bigint) => {
      v.setBigUint64(0, h);
      return v.getFloat64(0);
    };
    const c1 = fromHex(0x3f262e42ff000000n);
    const c2 = fromHex(0xbd0718432a000000n);
    const c3 = fromHex(0xbb0b0e2633fe0685n);
    // 30 significant bits: the low 23 bits of the 52-bit fraction are zero
    for (const c of [c1, c2]) {
      v.setFloat64(0, c);
      expect(v.getBigUint64(0) & ((1n << 23n) - 1n)).toBe(0n);
    }
    const D = Decimal.clone({ precision: 120 });
    const rest = new D(2)
      .ln()
      .div(4096)
      .minus(exactDecimal(c1))
      .minus(exactDecimal(c2))
      .minus(exactDecimal(c3));
    expect(rest.abs().lt(new D(2).pow(-132))).toBe(true);
    // |N| ≤ LEAN_MIN_ARG·4096/ln2 < 2^23
    expect((LEAN_MIN_ARG * 4096) / Math.LN2).toBeLessThan(2 ** 23);
    // R_MAX_LEAN covers ln2/8192 plus the slack for the choice of N and dl
    expect(R_MAX_LEAN).toBeGreaterThan(Math.LN2 / 8192 + 2 ** -43 + 2 ** -44);
    expect(R_MAX_LEAN).toBeLessThan(Math.LN2 / 8192 + 1e-9);
  });

  test('the fine table: 2^(j/4096) for j < 64, each within TABLE_REL of decimal.js at 60 digits', () => {
    const { exp2Fine } = ddTables();
    expect(exp2Fine.length).toBe(128);
    for (let j = 0; j < 64; j++) {
      const want = new X(R.pow(2, new R(j).div(4096)).toString());
      const rel = ddValue(exp2Fine[2 * j], exp2Fine[2 * j + 1])
        .minus(want)
        .div(want)
        .abs();
      expect(rel.toNumber()).toBeLessThanOrEqual(TABLE_REL);
    }
  });
});

describe('leanExpNeg', () => {
  test(`relative error ≤ EPS_LEAN_EXP = 2^−78 over [−${LEAN_MIN_ARG}, 0] (fresh random arguments)`, () => {
    const rand = seeded(Date.now() >>> 0);
    let worst = -Infinity;
    for (let i = 0; i < 3000; i++) {
      // differences of two binary64 logits, spread over every scale of the domain
      const scale = [1e-300, 1e-12, 1e-3, 0.5, 3, 40, 300, 745, 999][i % 9];
      const m = (rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 20);
      const [dh, dl] = diff(m - rand() * scale, m);
      if (dh < -LEAN_MIN_ARG || dh > 0) continue;
      worst = Math.max(worst, log2Err(dh, dl));
    }
    expect(worst).toBeLessThanOrEqual(Math.log2(EPS_LEAN_EXP));
    // the bound is not vacuous: the binary64 polynomial does err at this scale
    expect(worst).toBeGreaterThan(-84);
  });

  test('reduction boundaries: r near ±ln2/8192, N at both tables’ wrap-around, the ends of the domain', () => {
    const step = Math.LN2 / 4096;
    let worst = -Infinity;
    for (let k = -4096 * 3 - 70; k <= 0; k += 61) {
      for (const off of [-0.5, -0.49999999, 0.49999999, 0.5, 0]) {
        const dh = (k + off) * step;
        if (dh > 0 || dh < -LEAN_MIN_ARG) continue;
        worst = Math.max(worst, log2Err(dh, 0));
      }
    }
    for (const dh of [
      -LEAN_MIN_ARG,
      -999.9999999,
      -745.1332191019411,
      -(2 ** -1074),
      -1e-300,
      -Number.EPSILON,
    ]) {
      worst = Math.max(worst, log2Err(dh, 0));
    }
    expect(worst).toBeLessThanOrEqual(Math.log2(EPS_LEAN_EXP));
  });

  test('e^0 is exactly 1', () => {
    leanExpNeg(out3, 0, 0);
    expect([...out3]).toEqual([0, 1, 0]);
  });
});
