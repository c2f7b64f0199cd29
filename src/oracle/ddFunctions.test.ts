import { Decimal } from 'decimal.js';
import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import { U2 } from './dd.js';
import { EPS_EXP, EXP_MIN_ARG, R_MAX, ddExpNeg } from './ddExp.js';
import { G_REL, LOG1P_MAX_ARG, LOG1P_REL, Z_MAX, ddLog1p, ddLog1pG } from './ddLog.js';
import { TABLE_REL, ddTables } from './ddTables.js';
import { R, X, ddValue, relErrU2, seeded } from './_testutil/ddCheck.js';

const out3 = new Float64Array(3);
const out2 = new Float64Array(2);

/** An exact double-double d = dh + dl ≤ 0 as the oracle forms it: TwoSum of x − m. */
function diff(x: number, m: number): [number, number] {
  const h = x - m;
  const bb = h - x;
  return [h, x - (h - bb) + (-m - bb)];
}

describe('constants', () => {
  test('Cody–Waite pieces of ln2/128: 35-bit C1, C2; |ln2/128 − C1 − C2 − C3| < 2^−136.9', () => {
    // the literals of ddExp.ts, by their bits
    const v = new DataView(new ArrayBuffer(8));
    const fromHex = (h: bigint) => {
      v.setBigUint64(0, h);
      return v.getFloat64(0);
    };
    const c1 = fromHex(0x3f762e42fefc0000n);
    const c2 = fromHex(0xbd3c610ca86c0000n);
    const c3 = fromHex(0xbacc4c67fc0d0951n);
    const exact = R.ln(2).div(128);
    const rest = X.sub(
      X.sub(X.sub(new X(exact.toString()), exactDecimal(c1)), exactDecimal(c2)),
      exactDecimal(c3),
    );
    expect(rest.abs().lt(new X(R.pow(2, -136.9).toString()))).toBe(true);
    // 35 significant bits: the low 18 bits of the significand are zero
    for (const c of [c1, c2]) {
      v.setFloat64(0, c);
      expect(v.getBigUint64(0) & ((1n << 18n) - 1n)).toBe(0n);
    }
    // exp(0) through the reduction is exactly 1
    ddExpNeg(out3, 0, 0);
    expect(Array.from(out3)).toEqual([0, 1, 0]);
  });

  test('tables are built, checked and accurate to TABLE_REL against decimal.js at 60 digits', () => {
    const t = ddTables();
    for (let j = 0; j < 128; j++) {
      const e = ddValue(t.exp2[2 * j], t.exp2[2 * j + 1]);
      expect(relErrU2(e, new X(R.pow(2, new R(j).div(128)).toString()))).toBeLessThanOrEqual(TABLE_REL / U2);
      if (j > 0) {
        const l = ddValue(t.logTable[2 * j], t.logTable[2 * j + 1]);
        expect(relErrU2(l, new X(R.ln(new R(128 + j).div(128)).toString()))).toBeLessThanOrEqual(
          TABLE_REL / U2,
        );
      }
    }
  });
});

describe('ddExpNeg', () => {
  function check(dh: number, dl: number): number {
    ddExpNeg(out3, dh, dl);
    const [k, vh, vl] = out3;
    expect(Number.isInteger(k)).toBe(true);
    expect(vh).toBeGreaterThan(0.99);
    expect(vh).toBeLessThan(2.01);
    const d = new R(ddValue(dh, dl).toString());
    // e^d / 2^k, both at 60 digits (relative error ≤ 10^−58 ≪ u²)
    const want = R.exp(d).div(R.pow(2, k));
    return relErrU2(ddValue(vh, vl), new X(want.toString()));
  }

  test(`relative error ≤ EPS_EXP = ${EPS_EXP / U2}u² over [−${EXP_MIN_ARG}, 0] (random, seeded)`, () => {
    const rand = seeded(11);
    let worst = 0;
    for (let i = 0; i < 1500; i++) {
      // differences of two binary64 logits, spread over every scale of the domain
      const scale = [1e-300, 1e-12, 1e-3, 0.5, 3, 40, 300, 745, 999][i % 9];
      const m = (rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 20);
      const x = m - rand() * scale;
      const [dh, dl] = diff(x, m);
      if (dh < -EXP_MIN_ARG || dh > 0) continue;
      worst = Math.max(worst, check(dh, dl));
    }
    expect(worst).toBeLessThanOrEqual(EPS_EXP / U2);
    expect(worst).toBeGreaterThan(0.01);
  });

  test('reduction boundaries: r near ±ln2/256, N at table wrap-around, the ends of the domain', () => {
    const step = Math.LN2 / 128;
    let worst = 0;
    for (let k = -7 * 128; k <= 0; k += 37) {
      for (const off of [-0.5, -0.49999999, 0.49999999, 0.5, 0]) {
        const dh = (k + off) * step;
        if (dh > 0 || dh < -EXP_MIN_ARG) continue;
        worst = Math.max(worst, check(dh, 0));
      }
    }
    for (const dh of [
      -EXP_MIN_ARG,
      -999.9999999,
      -745.1332191019411,
      -708.3964185322641,
      -(2 ** -1074),
      -1e-300,
      -Number.EPSILON,
    ]) {
      worst = Math.max(worst, check(dh, 0));
    }
    expect(worst).toBeLessThanOrEqual(EPS_EXP / U2);
    expect(R_MAX).toBeGreaterThan(Math.LN2 / 256);
  });
});

describe('ddLog1p and the series G', () => {
  test(`ddLog1pG(z) = log1p(z)/z within G_REL = ${G_REL / U2}u² for |z| ≤ Z_MAX`, () => {
    const rand = seeded(21);
    const Rw = Decimal.clone({ precision: 200 });
    let worst = 0;
    for (let i = 0; i < 1500; i++) {
      const z =
        (rand() < 0.1 ? -1 : 1) * Z_MAX * 2 ** -(rand() < 0.5 ? 0 : Math.floor(rand() * 120)) * rand();
      const zl = i % 2 === 0 ? 0 : z * 2 ** -54 * (rand() - 0.5);
      if (z === 0 || z + zl !== z) continue;
      ddLog1pG(out2, z, zl);
      const zz = new Rw(ddValue(z, zl).toString());
      const want = Rw.ln(zz.plus(1)).div(zz); // 1 + z keeps 60+ digits of z at 200 digits
      worst = Math.max(worst, relErrU2(ddValue(out2[0], out2[1]), new X(want.toString())));
    }
    expect(worst).toBeLessThanOrEqual(G_REL / U2);
  });

  test(`ddLog1p(s) within LOG1P_REL = ${LOG1P_REL / U2}u² for 0 < s ≤ 2^50 (random, seeded)`, () => {
    const rand = seeded(31);
    const Rw = Decimal.clone({ precision: 120 }); // ln(1 + s) keeping tiny s: 120 digits
    let worst = 0;
    for (let i = 0; i < 1500; i++) {
      const e = Math.floor(rand() * 100) - 70; // s from 2^−70 to 2^30
      const sh = (1 + rand()) * 2 ** e;
      const sl = i % 3 === 0 ? 0 : sh * 2 ** -54 * (rand() - 0.5);
      if (sh + sl !== sh || sh > LOG1P_MAX_ARG) continue;
      ddLog1p(out2, sh, sl);
      const s = new Rw(ddValue(sh, sl).toString());
      const want = Rw.ln(s.plus(1));
      worst = Math.max(worst, relErrU2(ddValue(out2[0], out2[1]), new X(want.toString())));
    }
    // table-boundary values: 1 + s at and around 1 + j/128 and powers of two
    for (let j = 0; j < 128; j++) {
      for (const e of [0, 1, 5, 20]) {
        for (const off of [-(2 ** -52), 0, 2 ** -52]) {
          const sh = (1 + j / 128) * 2 ** e * (1 + off) - 1;
          if (!(sh > 0)) continue;
          ddLog1p(out2, sh, 0);
          const want = Rw.ln(new Rw(exactDecimal(sh).toString()).plus(1));
          worst = Math.max(worst, relErrU2(ddValue(out2[0], out2[1]), new X(want.toString())));
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(LOG1P_REL / U2);
    ddLog1p(out2, 0, 0);
    expect(Array.from(out2)).toEqual([0, 0]);
  });
});
