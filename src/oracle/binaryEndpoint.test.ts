import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import { roundDecimal, type TieBreak } from '../formats/roundDecimal.js';
import { FORMATS } from '../formats/specs.js';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { nextDown, nextUp } from '../formats/ulp.js';
import { exactSign, roundScaled, type ScaledSum } from './binaryEndpoint.js';
import { X, seeded } from './_testutil/ddCheck.js';

/** The exact value of a ScaledSum as a Decimal. */
function value(e: ScaledSum): InstanceType<typeof X> {
  const s = [e.a, e.b, e.c, e.d, e.r].reduce((acc, t) => X.add(acc, exactDecimal(t)), new X(0));
  return X.mul(s, new X(2).pow(e.k));
}

function same(a: number, b: number): boolean {
  return Object.is(a, b);
}

const TIES: TieBreak[] = ['up', 'down', 'even'];

/** x·2^n in two exact steps (for n beyond binary64's exponent range). */
function scale(x: number, n: number): number {
  const h = Math.trunc(n / 2);
  return x * 2 ** h * 2 ** (n - h);
}

describe('exactSign', () => {
  test('matches the exact sign of sums of up to 7 doubles, cancellation included', () => {
    const rand = seeded(3);
    const x = new Float64Array(8);
    for (let i = 0; i < 4000; i++) {
      const m = 1 + Math.floor(rand() * 7);
      let exact = new X(0);
      for (let j = 0; j < m; j++) {
        // a cancelling pattern half of the time: the next term undoes most of the sum so far
        const t =
          j > 0 && rand() < 0.5
            ? -exact.toNumber() * (1 + (rand() - 0.5) * 2 ** -Math.floor(rand() * 60))
            : (rand() - 0.5) * 2 ** Math.floor(rand() * 200 - 100);
        x[j] = t;
        exact = X.add(exact, exactDecimal(t));
      }
      expect(exactSign(x, m)).toBe(exact.isZero() ? 0 : exact.isNeg() ? -1 : 1);
    }
  });
});

describe('roundScaled', () => {
  test.each(FORMAT_NAMES.map((f) => [f]))(
    '%s: agrees with roundDecimal on random scaled sums, every tie rule',
    (name) => {
      const fmt = FORMATS[name];
      const rand = seeded(name.length * 101 + fmt.precision);
      let nan = 0;
      for (let i = 0; i < 3000; i++) {
        // a value near a random point of the format's range (subnormals, zero and overflow included)
        const e = Math.floor(
          fmt.emin - fmt.precision - 3 + rand() * (fmt.emax - fmt.emin + fmt.precision + 6),
        );
        const k = e - Math.floor(rand() * 5) + 2;
        const a = (rand() < 0.5 ? -1 : 1) * (1 + rand());
        const b = a * 2 ** -53 * (rand() - 0.5);
        const r = a * 2 ** -(Math.floor(rand() * 80) + 20) * (rand() - 0.5);
        const ep: ScaledSum = { k, a, b, c: 0, d: 0, r };
        const want = value(ep);
        for (const tie of TIES) {
          const got = roundScaled(fmt, ep, tie);
          if (got !== got) {
            nan++;
            continue;
          }
          expect(same(got, roundDecimal(fmt, want, tie)), `${name} k=${k} a=${a} b=${b} r=${r} ${tie}`).toBe(
            true,
          );
        }
      }
      expect(nan).toBe(0);
    },
  );

  test.each(FORMAT_NAMES.map((f) => [f]))(
    '%s: exact midpoints and their neighbours go the way the tie rule says',
    (name) => {
      const fmt = FORMATS[name];
      const rand = seeded(fmt.precision * 7);
      for (let i = 0; i < 600; i++) {
        // a random format value v > 0 (normal or subnormal) and the midpoint to its successor
        const e = Math.floor(
          fmt.emin - fmt.precision + 1 + rand() * (fmt.emax - fmt.emin + fmt.precision - 1),
        );
        let v = 2 ** e * (1 + Math.floor(rand() * 2 ** (fmt.precision - 1)) * 2 ** (1 - fmt.precision));
        if (v > fmt.maxFinite) v = fmt.maxFinite;
        if (v < fmt.minSubnormal) v = fmt.minSubnormal;
        v = roundDecimal(fmt, exactDecimal(v));
        const w = nextUp(fmt, v);
        if (!Number.isFinite(w)) continue;
        // midpoint (v + w)/2 = 2^k·(a + b) with a = v·2^−k, b = (w − v)/2·2^−k: k from v's exponent
        const k = Math.floor(Math.log2(v)) - 1;
        const a = scale(v, -k);
        const b = scale((w - v) / 2, -k);
        for (const sign of [1, -1]) {
          for (const tiny of [0, 2 ** -80, -(2 ** -80)]) {
            const ep: ScaledSum = { k, a: sign * a, b: sign * b, c: 0, d: 0, r: sign * tiny * a };
            const want = value(ep);
            for (const tie of TIES)
              expect(
                same(roundScaled(fmt, ep, tie), roundDecimal(fmt, want, tie)),
                `${name} v=${v} ${tie}`,
              ).toBe(true);
          }
        }
        // the midpoint below v, where the grid below a power of two is twice as fine
        const u = nextDown(fmt, v);
        if (u > 0) {
          const ep: ScaledSum = { k, a: scale(v, -k), b: scale((u - v) / 2, -k), c: 0, d: 0, r: 0 };
          for (const tie of TIES)
            expect(same(roundScaled(fmt, ep, tie), roundDecimal(fmt, value(ep), tie))).toBe(true);
        }
      }
    },
  );

  test('overflow threshold, zero, sign of zero, and NaN for ill-conditioned sums', () => {
    const f64 = FORMATS.f64;
    const f16 = FORMATS.f16;
    // maxFinite + ulp/2 is the overflow threshold: ties to even overflow, 'down' stays
    const mid = { k: 1023 - 52, a: 2 ** 53 - 1, b: 0.5, c: 0, d: 0, r: 0 };
    expect(roundScaled(f64, mid, 'even')).toBe(Infinity);
    expect(roundScaled(f64, mid, 'down')).toBe(f64.maxFinite);
    expect(roundScaled(f16, { k: 0, a: 65520, b: 0, c: 0, d: 0, r: -1e-9 }, 'even')).toBe(65504);
    expect(roundScaled(f16, { k: 0, a: 65520, b: 0, c: 0, d: 0, r: 1e-9 }, 'even')).toBe(Infinity);
    expect(Object.is(roundScaled(f64, { k: -1200, a: -1, b: 0, c: 0, d: 0, r: 0 }, 'even'), -0)).toBe(true);
    expect(Object.is(roundScaled(f64, { k: 0, a: 0, b: 0, c: 0, d: 0, r: 0 }, 'even'), 0)).toBe(true);
    expect(roundScaled(f64, { k: 0, a: 1, b: 0, c: -1, d: 0, r: 1e-30 }, 'even')).toBeNaN();
    // half the smallest subnormal, exactly: ties to even give 0, 'up' gives minSub
    expect(roundScaled(f64, { k: -1075, a: 1, b: 0, c: 0, d: 0, r: 0 }, 'even')).toBe(0);
    expect(roundScaled(f64, { k: -1075, a: 1, b: 0, c: 0, d: 0, r: 0 }, 'up')).toBe(2 ** -1074);
  });
});
