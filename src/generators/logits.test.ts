import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { F16, F32, F64, FORMATS } from '../formats/specs.js';
import type { LogitCase } from './LogitCase.js';
import { REGION_NAMES, type RegionName } from './RegionName.js';
import { defaultRegions, logits } from './logits.js';
import { longLengths, nearWorkgroupMultiple } from './longLengths.js';
import { maskValues } from './maskValues.js';
import { regionArbitrary } from './regionArbitrary.js';
import { expThresholds } from '../formats/thresholds.js';
import { nextUp } from '../formats/ulp.js';
import { exhaustivePairs } from './exhaustivePairs.js';
import { argmax, checkCase, sample } from './_testutil/sampling.js';

describe('logits: the weighted mix', () => {
  test('maxLength 64: every region but specials and long, all invariants hold', () => {
    const cases = sample(logits({ format: 'f32', op: 'cross_entropy', maxLength: 64 }), 1500);
    const seen = new Set(cases.map((c) => c.region));
    expect([...seen].sort()).toEqual(REGION_NAMES.filter((n) => n !== 'specials' && n !== 'long').sort());
    for (const c of cases)
      checkCase(c, F32, { minLength: 1, maxLength: 64, labelled: true, nonFinite: 'none' });
  });

  test('specials: true adds the specials region and −Inf masks; long joins once maxLength allows it', () => {
    const cases = sample(logits({ format: 'f16', specials: true, maxLength: 300, longMaxLength: 300 }), 1500);
    const seen = new Set(cases.map((c) => c.region));
    expect(seen.size).toBe(REGION_NAMES.length);
    for (const c of cases) {
      // long rows hold NaN/±Inf (its specials rows) and −Inf masks too when specials are allowed
      const nonFinite =
        c.region === 'specials' || c.region === 'long' ? 'any' : c.region === 'masked' ? 'negInf' : 'none';
      checkCase(c, F16, { minLength: 1, maxLength: 300, labelled: false, nonFinite });
    }
    expect(cases.some((c) => c.region === 'masked' && c.x.includes(-Infinity))).toBe(true);
  });

  test('defaultRegions follows specials and the long cap', () => {
    expect(defaultRegions({})).not.toContain('specials');
    expect(defaultRegions({})).toContain('long');
    expect(defaultRegions({ maxLength: 64 })).not.toContain('long');
    expect(defaultRegions({ maxLength: 255 })).not.toContain('long');
    expect(defaultRegions({ specials: true })).toContain('specials');
    expect(defaultRegions({ maxLength: 256 })).toContain('long');
    expect(defaultRegions({ maxLength: 100_000, longMaxLength: 255 })).not.toContain('long');
  });

  test('regions and weights select the mix', () => {
    const only = sample(logits({ regions: ['masked', 'huge'] }), 300);
    expect(new Set(only.map((c) => c.region))).toEqual(new Set(['masked', 'huge']));
    const weighted = sample(
      logits({ weights: Object.fromEntries(REGION_NAMES.map((n) => [n, n === 'benign' ? 1 : 0])) }),
      100,
    );
    expect(weighted.every((c) => c.region === 'benign')).toBe(true);
    const skewed = sample(logits({ regions: ['benign', 'bits'], weights: { benign: 9, bits: 1 } }), 1000);
    const benign = skewed.filter((c) => c.region === 'benign').length;
    expect(benign).toBeGreaterThan(800);
    expect(benign).toBeLessThan(980);
  });

  test('deterministic: the same seed gives the same cases, another seed others', () => {
    for (const fmt of Object.values(FORMATS)) {
      const arb = logits({ format: fmt.name, op: 'cross_entropy_grad', specials: true, maxLength: 300 });
      const a = fc.sample(arb, { seed: 7, numRuns: 150 });
      const b = fc.sample(arb, { seed: 7, numRuns: 150 });
      const c = fc.sample(arb, { seed: 8, numRuns: 150 });
      // toEqual compares numbers with Object.is: −0 ≠ +0, NaN = NaN
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
      // and a freshly built arbitrary gives the same again
      expect(
        fc.sample(logits({ format: fmt.name, op: 'cross_entropy_grad', specials: true, maxLength: 300 }), {
          seed: 7,
          numRuns: 150,
        }),
      ).toEqual(a);
    }
  });
});

describe('long', () => {
  test('lengths at and around powers of two and workgroup sizes, within bounds, above 256', () => {
    const cases = sample(
      regionArbitrary('long', { format: 'f16', op: 'cross_entropy', maxLength: 5000, longMaxLength: 4096 }),
      200,
    );
    const lengths = new Set<number>();
    for (const c of cases) {
      checkCase(c, F16, { minLength: 257, maxLength: 4096, labelled: true, nonFinite: 'none' });
      lengths.add(c.x.length);
    }
    for (const n of [63, 64, 65, 255, 256, 257, 1023, 1024, 1025]) expect(longLengths(1, 4096)).toContain(n);
    const favoured = cases.filter(
      (c) => longLengths(1, 4096).includes(c.x.length) || nearWorkgroupMultiple(c.x.length),
    ).length;
    expect(favoured).toBeGreaterThan(120);
    expect([...lengths].some((n) => n > 1025)).toBe(true);
    expect([...lengths].some((n) => !longLengths(1, 4096).includes(n))).toBe(true);
  });

  test('a cap of 256 leaves long its short favoured lengths', () => {
    const cases = sample(regionArbitrary('long', { format: 'f32', maxLength: 256 }), 100);
    for (const c of cases)
      checkCase(c, F32, { minLength: 63, maxLength: 256, labelled: false, nonFinite: 'none' });
    expect(cases.some((c) => [63, 64, 65, 127, 128, 129, 255, 256].includes(c.x.length))).toBe(true);
  });

  test('10^5 and its neighbours when minLength and maxLength allow only them', () => {
    const cases = sample(
      regionArbitrary('long', {
        format: 'bf16',
        op: 'cross_entropy',
        minLength: 99_999,
        maxLength: 100_001,
        longMaxLength: 200_000,
      }),
      12,
    );
    for (const c of cases) {
      checkCase(c, FORMATS.bf16, {
        minLength: 99_999,
        maxLength: 100_001,
        labelled: true,
        nonFinite: 'none',
      });
    }
    expect(new Set(cases.map((c) => c.x.length))).toEqual(new Set([99_999, 100_000, 100_001]));
  });

  test('never exceeds maxLength or longMaxLength', () => {
    for (const [maxLength, longMaxLength] of [
      [300, 4096],
      [100_000, 700],
    ]) {
      for (const c of sample(regionArbitrary('long', { format: 'f64', maxLength, longMaxLength }), 60)) {
        expect(c.x.length).toBeLessThanOrEqual(Math.min(maxLength, longMaxLength));
        expect(c.x.length).toBeGreaterThanOrEqual(63);
      }
    }
  });
});

describe('shrinking', () => {
  function counterexample(arb: fc.Arbitrary<LogitCase>, predicate: (c: LogitCase) => boolean): LogitCase {
    const out = fc.check(fc.property(arb, predicate), { seed: 99, numRuns: 200 });
    if (!out.failed || !out.counterexample) throw new Error('the property did not fail');
    return out.counterexample[0];
  }

  // fast-check's array shrinker drops leading elements and the planted logit always stays, so a
  // failing element that is not the planted one leaves a local minimum of two elements
  test('near-overflow: a row with a logit above the threshold shrinks to at most two, the culprit one ULP above', () => {
    const t = expThresholds('f32').overflow;
    const c = counterexample(
      regionArbitrary('near-overflow', { format: 'f32' }),
      (c) => !c.x.some((v) => v > t),
    );
    expect(c.x.length).toBeLessThanOrEqual(2);
    expect(c.x.filter((v) => v > t)).toEqual([nextUp(F32, t)]);
  });

  test('dominant: a failure needing 3 logits shrinks to 3, the dominant first', () => {
    const c = counterexample(
      regionArbitrary('dominant', { format: 'f64', op: 'cross_entropy' }),
      (c) => c.x.length < 3,
    );
    expect(c.x.length).toBe(3);
    expect(argmax(c.x)).toBe(0);
    expect(c.x[0]).toBe(0);
    expect(c.label).toBe(0);
  });

  test('masked: shrinks to a single masked entry', () => {
    const m = maskValues('f32', false);
    const c = counterexample(
      regionArbitrary('masked', { format: 'f32' }),
      (c) => !c.x.some((v) => m.includes(v)),
    );
    expect(c.x).toEqual([m[0]]);
  });

  test('bits: a huge logit shrinks to at most two elements, the culprit just above the bound', () => {
    const c = counterexample(
      regionArbitrary('bits', { format: 'f64' }),
      (c) => !c.x.some((v) => Math.abs(v) > 1e300),
    );
    expect(c.x.length).toBeLessThanOrEqual(2);
    const culprit = c.x.filter((v) => Math.abs(v) > 1e300);
    expect(culprit.length).toBe(1);
    expect(Math.abs(culprit[0])).toBeLessThan(1.001e300);
  });

  test('long: shrinks to the shortest length, all zeros', () => {
    const c = counterexample(
      regionArbitrary('long', { format: 'f32', maxLength: 4096 }),
      (c) => c.x.length < 63,
    );
    expect(c.x.length).toBe(63);
    expect(c.x.every((v) => Object.is(v, 0))).toBe(true);
  });
});

describe('bad constraints throw early, naming the field', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['minLength > maxLength', () => logits({ minLength: 5, maxLength: 3 }), /^minLength: /],
    ['negative minLength', () => logits({ minLength: -1 }), /^minLength: /],
    ['negative maxLength', () => regionArbitrary('benign', { maxLength: -2 }), /^maxLength: /],
    ['fractional maxLength', () => logits({ maxLength: 1.5 }), /^maxLength: /],
    ['bad longMaxLength', () => logits({ longMaxLength: Number.NaN }), /^longMaxLength: /],
    ['unknown format', () => logits({ format: 'f8' as 'f16' }), /^format: /],
    ['unknown op', () => logits({ op: 'softmin' as 'softmax' }), /^op: /],
    [
      'minLength 0 with a label',
      () => regionArbitrary('benign', { op: 'cross_entropy', minLength: 0 }),
      /^minLength: /,
    ],
    ['non-boolean specials', () => logits({ specials: 'yes' as unknown as boolean }), /^specials: /],
    ['unknown region', () => regionArbitrary('nope' as RegionName, {}), /^region: /],
    ['unknown region in the mix', () => logits({ regions: ['benign', 'nope' as RegionName] }), /^regions: /],
    ['empty mix', () => logits({ regions: [] }), /^regions: /],
    ['duplicate region', () => logits({ regions: ['benign', 'benign'] }), /^regions: /],
    ['negative weight', () => logits({ weights: { benign: -1 } }), /^weights\.benign: /],
    ['fractional weight', () => logits({ weights: { huge: 0.5 } }), /^weights\.huge: /],
    ['weight of an unknown region', () => logits({ weights: { nope: 1 } as never }), /^weights\.nope: /],
    ['all weights zero', () => logits({ regions: ['benign'], weights: { benign: 0 } }), /^weights: /],
    [
      'specials region without specials',
      () => regionArbitrary('specials', { specials: false }),
      /^specials: /,
    ],
    ['specials in the mix without specials', () => logits({ regions: ['specials'] }), /^specials: /],
    ['long with maxLength 64', () => regionArbitrary('long', { maxLength: 64 }), /^maxLength: /],
    [
      'long with a small longMaxLength',
      () => logits({ regions: ['long'], maxLength: 1000, longMaxLength: 100 }),
      /^longMaxLength: /,
    ],
    [
      'long out of reach of minLength',
      () => regionArbitrary('long', { minLength: 5000, maxLength: 6000, longMaxLength: 4096 }),
      /^longMaxLength: /,
    ],
    ['exhaustive f32', () => exhaustivePairs('f32' as 'f16'), /^format: /],
    ['exhaustive unknown op', () => exhaustivePairs('f16', { op: 'max' as 'softmax' }), /^op: /],
  ];
  test.each(cases)('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('good edge configurations do not throw', () => {
    expect(() => logits({ minLength: 0, maxLength: 0 })).not.toThrow();
    expect(sample(logits({ minLength: 0, maxLength: 0 }), 50).every((c) => c.x.length === 0)).toBe(true);
    expect(() => regionArbitrary('long', { maxLength: 256 })).not.toThrow();
    expect(() => logits({ format: 'f64', op: 'logsumexp', minLength: 64, maxLength: 64 })).not.toThrow();
    for (const c of sample(logits({ format: 'f64', minLength: 64, maxLength: 64 }), 200)) {
      checkCase(c, F64, { minLength: 64, maxLength: 64, labelled: false, nonFinite: 'none' });
    }
  });
});
