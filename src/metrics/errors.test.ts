import { describe, expect, it } from 'vitest';
import { formatSpec, nextUp } from '../formats/index.js';
import { oracle } from '../oracle/index.js';
import { caseErrors, elementErrors, relativeError } from './errors.js';

describe('relativeError', () => {
  it('is |a − r|/|r| with the special cases spelled out', () => {
    expect(relativeError(1.5, 1)).toBe(0.5);
    expect(relativeError(-0, 0)).toBe(0);
    expect(relativeError(NaN, NaN)).toBe(0);
    expect(relativeError(Infinity, Infinity)).toBe(0);
    expect(relativeError(1e-300, 0)).toBe(Infinity);
    expect(relativeError(NaN, 1)).toBe(Infinity);
    expect(relativeError(Infinity, 1)).toBe(Infinity);
  });
});

describe('elementErrors', () => {
  it('ULPs, bits log2(1 + ulps) and relative error, after rounding into the format', () => {
    const F = formatSpec('f16');
    const r = [1, 0.5, 0, NaN];
    // 1 + 2^-10 is 1 ULP above 1 in f16; 0.5 + 2^-13 (not an f16 value) rounds to 0.5
    const e = elementErrors('f16', [nextUp(F, 1), 0.5 + 2 ** -13, -0, 1], r);
    expect(Array.from(e.ulps)).toEqual([1, 0, 0, Infinity]);
    expect(Array.from(e.bits)).toEqual([1, 0, 0, Infinity]);
    expect(Array.from(e.relative)).toEqual([2 ** -10, 0, 0, Infinity]);
    expect(() => elementErrors('f16', [1], [1, 2])).toThrow(RangeError);
  });
});

describe('caseErrors', () => {
  it('summarises max ULPs, bits, relative error, exact sum deviation and argmax', () => {
    const x = [0, -1, -2];
    const r = oracle('softmax', 'f64', x).values;
    const exact = caseErrors('softmax', 'f64', x, r, r);
    expect(exact).toMatchObject({ maxUlps: 0, maxBits: 0, maxRelative: 0, argmaxOk: true });
    // the correctly rounded outputs sum to 1 within 3 roundings of at most u·y_i each
    expect(exact.sumDeviation).toBeLessThanOrEqual(2 ** -53);
    const swapped = [r[1], r[0], r[2]];
    const s = caseErrors('softmax', 'f64', x, swapped, r);
    expect(s.argmaxOk).toBe(false);
    expect(s.maxBits).toBeCloseTo(Math.log2(1 + s.maxUlps), 12);
    expect(caseErrors('logsumexp', 'f64', x, [0], oracle('logsumexp', 'f64', x).values)).toMatchObject({
      argmaxOk: null,
      sumDeviation: NaN,
    });
    // [0.5, 0.5 + 2^-30] sums to 1 + 2^-30 exactly
    expect(caseErrors('softmax', 'f64', [0, 0], [0.5, 0.5 + 2 ** -30], [0.5, 0.5]).sumDeviation).toBe(
      2 ** -30,
    );
  });
});
