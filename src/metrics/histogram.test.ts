import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { BIN_COUNT, binOf, binUpperEdge, HISTOGRAM_SCHEMA, UlpHistogram } from './histogram.js';

describe('bins', () => {
  it('0, 1, 2, 3–4, 5–8, … 2^64, Infinity', () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9, 16, 17].map(binOf)).toEqual([0, 1, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(binOf(2 ** 63)).toBe(64);
    expect(binOf(2 ** 63 + 2 ** 11)).toBe(65);
    expect(binOf(2 ** 64)).toBe(65);
    expect(binOf(Infinity)).toBe(66);
    expect(BIN_COUNT).toBe(67);
    expect([0, 1, 2, 3, 4, 65, 66].map(binUpperEdge)).toEqual([0, 1, 2, 4, 8, 2 ** 64, Infinity]);
    expect(() => binOf(-1)).toThrow(RangeError);
    expect(() => binOf(NaN)).toThrow(RangeError);
  });
});

describe('UlpHistogram', () => {
  it('count, exact max, quantiles from bins, mean bits', () => {
    const h = new UlpHistogram().addAll([0, 0, 0, 0, 0, 1, 1, 3, 6, 1000]);
    expect(h.count).toBe(10);
    expect(h.max).toBe(1000);
    expect(h.p50).toBe(0);
    expect(h.quantile(0.7)).toBe(1);
    expect(h.p90).toBe(8); // 6 lies in 5–8: the bin's upper edge
    expect(h.p99).toBe(1000); // the 1024 edge is capped at the exact max
    const bits = [0, 0, 0, 0, 0, 1, 1, 2, Math.log2(7), Math.log2(1001)];
    expect(h.meanBits).toBeCloseTo(bits.reduce((a, b) => a + b) / 10, 8);
    const empty = new UlpHistogram();
    expect(empty.p50).toBeNaN();
    expect(empty.meanBits).toBeNaN();
    expect(new UlpHistogram().add(Infinity).meanBits).toBe(65);
  });

  it('round-trips through JSON (Infinity as "inf")', () => {
    const h = new UlpHistogram().addAll([0, 7, Infinity]);
    const json = JSON.parse(JSON.stringify(h)) as unknown;
    expect(json).toMatchObject({ schema: HISTOGRAM_SCHEMA, count: 3, max: 'inf' });
    const back = UlpHistogram.fromJSON(json);
    expect(back.toJSON()).toEqual(h.toJSON());
    expect(() => UlpHistogram.fromJSON({ ...h.toJSON(), count: 4 })).toThrow(/count 4 differs/);
    expect(() => UlpHistogram.fromJSON({ schema: 'x' })).toThrow(RangeError);
  });

  const ulps = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 20 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ min: 0, max: 2 ** 64, noNaN: true }).map(Math.floor),
    fc.constant(Infinity),
  );
  test.prop([fc.array(ulps, { maxLength: 60 }), fc.array(ulps, { maxLength: 60 })], {
    seed: 4242,
    numRuns: 200,
  })('merge of two histograms equals one histogram over the union', (a, b) => {
    const merged = new UlpHistogram().addAll(a).merge(new UlpHistogram().addAll(b));
    const union = new UlpHistogram().addAll([...b, ...a]);
    expect(merged.toJSON()).toEqual(union.toJSON());
    expect(merged.meanBits).toBe(union.meanBits);
    expect(merged.p99).toBe(union.p99);
  });
});
