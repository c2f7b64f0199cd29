import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { roundNumber } from '../formats/roundNumber.js';
import { FORMATS } from '../formats/specs.js';
import { expThresholds } from '../formats/thresholds.js';
import { ulpDistance } from '../formats/ulp.js';
import type { FormatSpec } from '../formats/types.js';
import type { LogitCase } from './LogitCase.js';
import { logits } from './logits.js';
import { longLengths, nearWorkgroupMultiple, VOCABULARY_SIZES, WORKGROUP_SIZES } from './longLengths.js';
import { maskValues } from './maskValues.js';
import { regionArbitrary } from './regionArbitrary.js';
import { fastRound } from './_internals/fastRound.js';
import { LONG_PLACES, longPosition, type LongPlace } from './_internals/longPosition.js';
import { LONG_PATTERNS, longRow } from './_internals/longRows.js';
import { mulberry32 } from './_internals/mulberry32.js';
import { resolveConstraints } from './_internals/resolveConstraints.js';
import { argmax, checkCase, sample } from './_testutil/sampling.js';

const FORMAT_LIST: FormatSpec[] = Object.values(FORMATS);

describe('the default mix: most cases short, a steady share long', () => {
  test('1 case in 8 above 256 and 1 in 64 above 16,384 (4000 cases, ±4 standard deviations)', () => {
    const N = 4000;
    const cases = sample(logits({ format: 'f32', op: 'softmax' }), N, 11);
    const above256 = cases.filter((c) => c.x.length > 256);
    const above16k = cases.filter((c) => c.x.length > 16_384);
    const within = (count: number, p: number) => {
      const sd = Math.sqrt(N * p * (1 - p));
      expect(count).toBeGreaterThan(N * p - 4 * sd);
      expect(count).toBeLessThan(N * p + 4 * sd);
    };
    within(above256.length, 1 / 8);
    within(above16k.length, 1 / 64);
    // long is the source of every case above 256, and draws nothing shorter in the default mix
    expect(above256.every((c) => c.region === 'long')).toBe(true);
    expect(cases.filter((c) => c.region === 'long').length).toBe(above256.length);
    expect(Math.max(...cases.map((c) => c.x.length))).toBeLessThanOrEqual(262_144);
  });

  test('explicit weights keep their meaning: long weighs 1 like any region', () => {
    const cases = sample(logits({ format: 'f64', regions: ['long', 'benign'], weights: {} }), 400);
    const long = cases.filter((c) => c.region === 'long').length;
    // 1:1, not 1:7 (binomial sd 10)
    expect(long).toBeGreaterThan(150);
    expect(long).toBeLessThan(250);
  });

  test('without weights long is 1 in 8 of an explicit mix too', () => {
    const cases = sample(logits({ format: 'f64', regions: ['long', 'benign'] }), 800);
    const long = cases.filter((c) => c.region === 'long').length;
    // p = 1/8: mean 100, sd 9.4
    expect(long).toBeGreaterThan(60);
    expect(long).toBeLessThan(140);
  });
});

describe('long lengths', () => {
  test('favoured: powers of two, 3·2^k, workgroup multiples and vocabulary sizes, each ± 1', () => {
    const favoured = longLengths(1, 262_144);
    for (const n of [63, 64, 65, 1023, 1024, 1025, 3071, 3072, 3073, 262_143, 262_144, 99_999, 100_001]) {
      expect(favoured).toContain(n);
    }
    for (const v of VOCABULARY_SIZES) for (const d of [-1, 0, 1]) expect(favoured).toContain(v + d);
    expect(favoured).not.toContain(262_145);
    expect(favoured).not.toContain(1_000_000);
    expect(longLengths(300, 1000)).toEqual([383, 384, 385, 511, 512, 513, 767, 768, 769]);
    expect(nearWorkgroupMultiple(5 * 1024 + 1)).toBe(true);
    expect(nearWorkgroupMultiple(7 * 128 - 1)).toBe(true);
    expect(nearWorkgroupMultiple(1000)).toBe(false);
  });

  test('the default long region: above 256, 1 in 8 above 16,384, mostly favoured, vocabulary sizes among them', () => {
    const lengths = sample(regionArbitrary('long', { format: 'f64' }), 800, 5).map((c) => c.x.length);
    const favoured = new Set(longLengths(1, 262_144));
    expect(Math.min(...lengths)).toBeGreaterThan(256);
    const far = lengths.filter((n) => n > 16_384).length;
    // p = 1/8 of 800: mean 100, sd 9.4
    expect(far).toBeGreaterThan(60);
    expect(far).toBeLessThan(140);
    const special = lengths.filter((n) => favoured.has(n) || nearWorkgroupMultiple(n)).length;
    expect(special / lengths.length).toBeGreaterThan(0.6);
    const vocab = lengths.filter((n) => VOCABULARY_SIZES.some((v) => Math.abs(n - v) <= 1));
    expect(vocab.length).toBeGreaterThan(0);
    // some lengths are none of the favoured kinds (uniform and log-uniform draws)
    expect(lengths.some((n) => !favoured.has(n) && !nearWorkgroupMultiple(n))).toBe(true);
  });

  test('minLength and the caps bound every tier', () => {
    for (const c of sample(regionArbitrary('long', { minLength: 20_000, maxLength: 30_000 }), 50)) {
      expect(c.x.length).toBeGreaterThanOrEqual(20_000);
      expect(c.x.length).toBeLessThanOrEqual(30_000);
    }
    const mid = sample(regionArbitrary('long', { maxLength: 10_000 }), 100).map((c) => c.x.length);
    expect(Math.min(...mid)).toBeGreaterThan(256);
    expect(Math.max(...mid)).toBeLessThanOrEqual(10_000);
  });
});

describe('long positions', () => {
  const LENGTHS = [63, 64, 65, 300, 1024, 4097, 50_257, 262_144];

  test.each(LONG_PLACES)('%s: where the interesting element goes', (place: LongPlace) => {
    const rand = mulberry32(1);
    const widths = new Set<number>();
    for (const n of LENGTHS) {
      for (let t = 0; t < 200; t++) {
        const k = longPosition(n, place, rand);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        const tileEnd = WORKGROUP_SIZES.filter((w) => (k + 1) % w === 0);
        const tileStart = WORKGROUP_SIZES.filter((w) => k > 0 && k % w === 0);
        const partial = WORKGROUP_SIZES.filter((w) => w < n && n % w !== 0 && k >= Math.floor(n / w) * w);
        if (place === 'last') expect(k).toBe(n - 1);
        if (place === 'first') expect(k).toBe(0);
        if (place === 'tile-end') {
          // no tile size fits in 63 elements: the last element instead
          if (n < 64) expect(k).toBe(n - 1);
          else expect(tileEnd.length).toBeGreaterThan(0);
          for (const w of tileEnd) widths.add(w);
        }
        if (place === 'tile-start') {
          if (n <= 64) expect(k).toBe(0);
          else expect(tileStart.length).toBeGreaterThan(0);
          for (const w of tileStart) widths.add(w);
        }
        if (place === 'partial') {
          // n a multiple of every tile size below it (64, 1024, 2^18): the last element instead
          if (WORKGROUP_SIZES.every((w) => w >= n || n % w === 0)) expect(k).toBe(n - 1);
          else expect(partial.length).toBeGreaterThan(0);
        }
      }
    }
    if (place === 'tile-end' || place === 'tile-start')
      expect([...widths].sort((a, b) => a - b)).toEqual([64, 128, 256, 1024]);
  });

  test('a vocabulary row with the dominant logit inside the partial last tile of 256', () => {
    // 50,257 = 196·256 + 81: the partial tile is [50,176, 50,256]
    const r = resolveConstraints({ format: 'f32' });
    let inTile256 = 0;
    for (let seed = 0; seed < 200; seed++) {
      const { x, focus } = longRow(r, 50_257, 'dominant', 'partial', seed);
      expect(focus).toBe(argmax(x));
      if (focus !== undefined && focus >= 50_176) inTile256++;
    }
    expect(inTile256).toBeGreaterThan(0);
  });
});

describe('long rows', () => {
  /** Indices where two rows differ (Object.is: −0 ≠ +0, NaN = NaN); a loop, as toEqual is slow at 2^18. */
  const differences = (a: readonly number[], b: readonly number[]): number => {
    expect(b.length).toBe(a.length);
    let d = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
    return d;
  };

  test.each(FORMAT_LIST)('$name: 2^18 elements, deterministic, exact in the format, every pattern', (fmt) => {
    const r = resolveConstraints({ format: fmt.name, specials: true });
    for (const pattern of LONG_PATTERNS) {
      const a = longRow(r, 262_144, pattern, 'anywhere', 4321);
      const b = longRow(r, 262_144, pattern, 'anywhere', 4321);
      expect(differences(a.x, b.x)).toBe(0);
      expect(b.focus).toBe(a.focus);
      // another seed, another row (but all zeros are all zeros)
      const other = differences(a.x, longRow(r, 262_144, pattern, 'anywhere', 4322).x);
      if (pattern === 'equal') expect(other).toBe(0);
      else expect(other).toBeGreaterThan(1000);
      checkCase({ region: 'long', x: a.x }, fmt, {
        minLength: 262_144,
        maxLength: 262_144,
        labelled: false,
        nonFinite: pattern === 'specials' || pattern === 'masked' ? 'any' : 'none',
      });
    }
  });

  test.each(FORMAT_LIST)('$name: each pattern has its structure at the interesting element', (fmt) => {
    const r = resolveConstraints({ format: fmt.name, specials: true });
    const th = expThresholds(fmt.name);
    const max = fmt.maxFinite;
    for (const place of LONG_PLACES) {
      for (const seed of [0, 1, 2, 3]) {
        const n = 4099;
        const row = (p: (typeof LONG_PATTERNS)[number]) => longRow(r, n, p, place, seed);
        expect(row('equal').x.every((v) => Object.is(v, 0))).toBe(true);
        const benign = row('benign');
        expect(benign.x[benign.focus!]).toBe(10);
        expect(benign.x.every((v) => v >= -10 && v <= 10)).toBe(true);
        const dom = row('dominant');
        expect(argmax(dom.x)).toBe(dom.focus);
        expect(dom.x.filter((v) => v === dom.x[dom.focus!]).length).toBe(1);
        const masks = maskValues(fmt.name, true);
        const masked = row('masked');
        expect(masks).toContain(masked.x[masked.focus!]);
        expect(masked.x.every((v) => masks.includes(v) || (v >= -10 && v <= 10))).toBe(true);
        const over = row('near-overflow');
        const v = over.x[over.focus!];
        expect(v >= th.overflow && ulpDistance(fmt, v, th.overflow) <= 4).toBe(true);
        const under = row('near-underflow');
        const a = under.x[under.focus!];
        const lo = Math.min(...under.x);
        expect(argmax(under.x)).toBe(under.x.indexOf(a));
        expect(Math.abs(lo - a - th.underflow)).toBeLessThanOrEqual(
          1 + 4 * Math.abs(th.underflow) * fmt.epsilon,
        );
        const huge = row('huge');
        expect(huge.x[huge.focus!]).toBeGreaterThan(th.overflow);
        expect(huge.x.some((w) => w === max || w === -max)).toBe(true);
        const spread = row('spread');
        expect(argmax(spread.x)).toBe(spread.x.indexOf(spread.x[spread.focus!]));
        expect(spread.x[spread.focus!] - Math.min(...spread.x)).toBeGreaterThanOrEqual(
          -1.25 * th.underflow * (1 - fmt.epsilon),
        );
        const sub = row('subnormal');
        expect(sub.x[sub.focus!]).toBe(fmt.minNormal);
        expect(sub.x.filter((w) => Math.abs(w) >= fmt.minNormal).length).toBe(1);
        const sp = row('specials');
        expect(Number.isFinite(sp.x[sp.focus!])).toBe(false);
        expect(sp.x.filter((w) => !Number.isFinite(w)).length).toBe(1);
      }
    }
  });

  test('masked rows use −Inf only when specials are allowed', () => {
    const withInf = (specials: boolean) => {
      const r = resolveConstraints({ format: 'f32', specials });
      let count = 0;
      for (let seed = 0; seed < 60; seed++)
        if (longRow(r, 300, 'masked', 'first', seed).x.includes(-Infinity)) count++;
      return count;
    };
    expect(withInf(false)).toBe(0);
    expect(withInf(true)).toBeGreaterThan(0);
    const cases = sample(regionArbitrary('long', { format: 'f16', maxLength: 2000 }), 300);
    expect(cases.every((c) => c.x.every(Number.isFinite))).toBe(true);
  });

  test('fastRound rounds exactly as roundNumber', () => {
    const rand = mulberry32(99);
    for (const fmt of FORMAT_LIST) {
      const round = fastRound(fmt);
      const edges = [
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        fmt.maxFinite,
        fmt.minNormal,
        fmt.minSubnormal,
        fmt.minSubnormal / 2,
        1.5 * fmt.minSubnormal,
      ];
      const ties = [
        1 + fmt.epsilon / 2,
        1 + (3 * fmt.epsilon) / 2,
        fmt.maxFinite * (1 + fmt.epsilon / 4),
        fmt.maxFinite * (1 + fmt.epsilon / 8),
      ];
      const xs = [...edges, ...ties, ...edges.map((v) => -v)];
      for (let i = 0; i < 20_000; i++) xs.push((rand() < 0.5 ? -1 : 1) * Math.exp((rand() - 0.5) * 1400));
      for (const x of xs) expect(Object.is(round(x), roundNumber(fmt, x))).toBe(true);
    }
  });
});

describe('long shrinking', () => {
  function counterexample(arb: fc.Arbitrary<LogitCase>, predicate: (c: LogitCase) => boolean): LogitCase {
    const out = fc.check(fc.property(arb, predicate), { seed: 99, numRuns: 200 });
    if (!out.failed || !out.counterexample) throw new Error('the property did not fail');
    return out.counterexample[0];
  }

  test('a failure above 16,384 elements shrinks to the first very long length, all zeros', () => {
    const c = counterexample(regionArbitrary('long', { format: 'f32' }), (c) => c.x.length <= 16_384);
    expect(c.x.length).toBe(16_385);
    expect(c.x.every((v) => Object.is(v, 0))).toBe(true);
  });

  test('a logit past the overflow threshold shrinks to 63 elements, near-overflow, the culprit last', () => {
    const t = expThresholds('f32').overflow;
    const c = counterexample(regionArbitrary('long', { format: 'f32' }), (c) => !c.x.some((v) => v > t));
    expect(c.x.length).toBe(63);
    expect(c.x.filter((v) => v > t).length).toBe(1);
    expect(c.x[62]).toBeGreaterThan(t);
    expect(c.x[62] - t).toBeLessThan(1e-4);
  });
});
