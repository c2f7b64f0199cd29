import { describe, expect, test } from 'vitest';
import { exactDecimal } from '../formats/exact.js';
import { roundDecimal } from '../formats/roundDecimal.js';
import { FORMATS } from '../formats/specs.js';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { SCALED_ENDPOINTS, type ScaledSum } from './binaryEndpoint.js';
import { decideValue } from './decide.js';
import { quickDecide } from './quickDecide.js';
import { X, seeded } from './_testutil/ddCheck.js';

type Endpoint = { -readonly [P in keyof ScaledSum]: ScaledSum[P] };

/** x·2^n in two exact steps (for n beyond binary64's exponent range). */
function scale(x: number, n: number): number {
  const h = Math.trunc(n / 2);
  return x * 2 ** h * 2 ** (n - h);
}

/** The exact center 2^k·(a + b + c + d) rounded to nearest even into the format. */
function roundCenter(fmt: (typeof FORMATS)['f64'], e: ScaledSum): number {
  const s = [e.a, e.b, e.c, e.d].reduce((acc, t) => X.add(acc, exactDecimal(t)), new X(0));
  return roundDecimal(fmt, X.mul(s, new X(2).pow(e.k)), 'even');
}

/**
 * Random enclosures in every regime the fast path produces: centers at a random grid point of
 * the format plus an offset in quanta (anywhere, or within 2^−40 of a midpoint, or of the
 * quarter-quantum midpoint below a power of two), written as a double-double at a random scale
 * 2^k, sometimes as two double-doubles (a + b and c + d, as `combine` writes d_i − L), with
 * radii from 0 to wider than a quantum.
 */
function randomEnclosure(rand: () => number, fmtName: (typeof FORMAT_NAMES)[number]): [Endpoint, Endpoint] {
  const fmt = FORMATS[fmtName];
  const p = fmt.precision;
  const regime = Math.floor(rand() * 5);
  // the grid point: its binade (normal, subnormal, at 1, at a power of two) and significand
  const e =
    regime === 0
      ? fmt.emin - 1 - Math.floor(rand() * (p + 3))
      : Math.floor(rand() * (fmt.emax - fmt.emin)) + fmt.emin;
  const qe = Math.max(e, fmt.emin) - p + 1;
  const M =
    regime === 1 || regime === 2
      ? 2 ** (p - 1)
      : e < fmt.emin
        ? Math.floor(rand() * 2 ** (p - 1))
        : 2 ** (p - 1) + Math.floor(rand() * 2 ** (p - 1));
  const tiny = 2 ** -(10 + Math.floor(rand() * 30));
  const off =
    regime === 1
      ? -0.25 + (rand() - 0.5) * tiny // near the finer midpoint below a power of two
      : regime === 3
        ? (rand() < 0.5 ? -0.5 : 0.5) + (rand() - 0.5) * tiny // near a midpoint
        : (rand() - 0.5) * 1.2;
  const neg = rand() < 0.3;
  // center = (M + off)·2^qe, as h + l with both parts exact, written at scale 2^k
  const k = qe + p + Math.floor(rand() * 400) - 200;
  const hUnits = M + Math.round(off * 2 ** 20) / 2 ** 20; // within 2^−20 of off, exact in binary64
  const lUnits = (off - (hUnits - M)) * (rand() < 0.2 ? 0 : 1);
  const sign = neg ? -1 : 1;
  let a = sign * scale(hUnits, qe - k);
  let b = sign * scale(lUnits, qe - k);
  let c = 0;
  let d = 0;
  if (rand() < 0.3) {
    // split into two double-doubles with the same exact sum
    c = sign * scale(Math.floor(rand() * 8), qe - k);
    a -= c;
    const moved = b / 2;
    b -= moved;
    d = moved;
  }
  const radius = () => {
    const r = rand();
    return r < 0.15 ? 0 : scale(2 ** -(Math.floor(rand() * 80) - 2), qe - k);
  };
  const lo: Endpoint = { k, a, b, c, d, r: -radius() };
  const hi: Endpoint = { k, a, b, c, d, r: radius() };
  return [lo, hi];
}

describe('quickDecide', () => {
  test('decides only what the exact test decides, to the same value, on fresh random enclosures of every format', () => {
    const rand = seeded(Date.now() >>> 0);
    for (const name of FORMAT_NAMES) {
      const fmt = FORMATS[name];
      let decided = 0;
      let total = 0;
      for (let i = 0; i < 6000; i++) {
        const [lo, hi] = randomEnclosure(rand, name);
        if (![lo.a, lo.b, lo.c, lo.d, lo.r, hi.r].every(Number.isFinite)) continue;
        total++;
        const quick = quickDecide(fmt, lo, hi);
        if (quick !== quick) continue;
        decided++;
        const exact = decideValue(SCALED_ENDPOINTS, fmt, lo, hi);
        // the exact test may give up (NaN) on what it cannot tell; it never decides otherwise
        if (exact === exact)
          expect(Object.is(quick, exact), `${name} ${JSON.stringify(lo)} ${hi.r}`).toBe(true);
        // the center lies inside the enclosure, so it rounds to the decided value too
        expect(Object.is(roundCenter(fmt, lo), quick), `${name} center of ${JSON.stringify(lo)}`).toBe(true);
      }
      // most enclosures are narrow enough to decide
      expect(decided).toBeGreaterThan(0.3 * total);
    }
  });

  test('leaves straddled midpoints, ties, total cancellation and non-finite parts to the exact test', () => {
    const f64 = FORMATS.f64;
    const e = (a: number, b: number, r: number): [Endpoint, Endpoint] => [
      { k: 0, a, b, c: 0, d: 0, r: -r },
      { k: 0, a, b, c: 0, d: 0, r },
    ];
    // 1 + 2^−53 is the midpoint between 1 and its successor: radius 0 still cannot decide the tie here
    expect(quickDecide(f64, ...e(1, 2 ** -53, 0))).toBeNaN();
    // an enclosure straddling the midpoint 1 + 2^−53
    expect(quickDecide(f64, ...e(1, 2 ** -53, 2 ** -80))).toBeNaN();
    // just inside: decided
    expect(quickDecide(f64, ...e(1, 2 ** -53 - 2 ** -80, 2 ** -90))).toBe(1);
    // just below 1: the grid below is twice as fine, the midpoint is 1 − 2^−54
    expect(quickDecide(f64, ...e(1, -(2 ** -54) + 2 ** -80, 2 ** -90))).toBe(1);
    // below that midpoint the value is in the binade below h's: left to the exact test
    expect(quickDecide(f64, ...e(1, -(2 ** -54) - 2 ** -80, 2 ** -90))).toBeNaN();
    expect(decideValue(SCALED_ENDPOINTS, f64, ...e(1, -(2 ** -54) - 2 ** -80, 2 ** -90))).toBe(1 - 2 ** -53);
    expect(quickDecide(f64, ...e(1, -(2 ** -54), 2 ** -90))).toBeNaN();
    // a + c cancels to 0
    expect(
      quickDecide(f64, { k: 0, a: 1, b: 0, c: -1, d: 0, r: 0 }, { k: 0, a: 1, b: 0, c: -1, d: 0, r: 0 }),
    ).toBeNaN();
    expect(quickDecide(f64, ...e(Infinity, 0, 0))).toBeNaN();
    // tiny values: a zero of the right sign, or undecided when the radius reaches zero
    expect(
      Object.is(
        quickDecide(
          f64,
          { k: -1300, a: -1, b: 0, c: 0, d: 0, r: -0.1 },
          { k: -1300, a: -1, b: 0, c: 0, d: 0, r: 0.1 },
        ),
        -0,
      ),
    ).toBe(true);
    expect(
      quickDecide(
        f64,
        { k: -1300, a: 1, b: 0, c: 0, d: 0, r: -2 },
        { k: -1300, a: 1, b: 0, c: 0, d: 0, r: 2 },
      ),
    ).toBeNaN();
  });
});
