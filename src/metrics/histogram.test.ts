import { describe, expect, it } from 'vitest';
import { BIN_COUNT, binOf, binUpperEdge, errorBits, HIST_EDGES, quantile } from './histogram.js';

describe('bins', () => {
  it('0, 1, 2, 3–4, 5–8, … 2^64, Infinity', () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9].map(binOf)).toEqual([0, 1, 2, 3, 3, 4, 4, 5]);
    expect(binOf(2 ** 64)).toBe(BIN_COUNT - 2);
    expect(binOf(2 ** 64 + 2 ** 12)).toBe(BIN_COUNT - 2);
    expect(binOf(Infinity)).toBe(BIN_COUNT - 1);
    // exact at powers of two: 2^k is in bin k + 1, 2^k + 1 ulp-of-double above it in the next
    for (let k = 2; k <= 63; k++) {
      expect(binOf(2 ** k)).toBe(k + 1);
      expect(binOf(2 ** k * (1 + 2 ** -52))).toBe(k + 2);
    }
    expect(() => binOf(NaN)).toThrow(RangeError);
    expect(() => binOf(-1)).toThrow(RangeError);
  });

  it('each distance lies at or below its bin edge and above the previous one', () => {
    expect(HIST_EDGES).toHaveLength(BIN_COUNT);
    for (const u of [0, 0.5, 1, 1.5, 2, 3, 7, 1000, 12345.5, 2 ** 40 + 1, 2 ** 64, Infinity]) {
      const b = binOf(u);
      expect(u).toBeLessThanOrEqual(binUpperEdge(b));
      if (b > 0) expect(u).toBeGreaterThan(binUpperEdge(b - 1));
    }
  });
});

describe('quantile', () => {
  it('nearest rank, the bin edge capped at the exact max', () => {
    const bins = new Array<number>(BIN_COUNT).fill(0);
    for (const u of [0, 0, 1, 3, 100]) bins[binOf(u)]++;
    expect(quantile(bins, 100, 0.4)).toBe(0); // rank 2 of 5
    expect(quantile(bins, 100, 0.6)).toBe(1); // rank 3
    expect(quantile(bins, 100, 0.8)).toBe(4); // rank 4: 3 is in (2, 4]
    expect(quantile(bins, 100, 1)).toBe(100); // bin edge 128, capped at the max
    expect(quantile(new Array<number>(BIN_COUNT).fill(0), 0, 0.5)).toBe(0);
    expect(() => quantile(bins, 100, 0)).toThrow(RangeError);
  });

  it('bits of error: log2(1 + ulps), and more for Infinity than for any finite distance', () => {
    expect(errorBits(0)).toBe(0);
    expect(errorBits(1)).toBe(1);
    expect(errorBits(3)).toBe(2);
    expect(errorBits(Infinity)).toBeGreaterThan(errorBits(2 ** 64));
    expect(errorBits(Infinity)).toBe(65);
  });
});
