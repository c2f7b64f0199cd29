import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeNumber, decodeVector, encodeNumber, encodeVector, JsonNumberError } from './jsonNumber.js';

/** Serialises through real JSON text, as a file written by the tool and read back would. */
function roundTrip(x: number): number {
  return decodeNumber(JSON.parse(JSON.stringify(encodeNumber(x))));
}

describe('encodeNumber', () => {
  it('writes the four non-JSON values as strings', () => {
    expect(encodeNumber(Infinity)).toBe('inf');
    expect(encodeNumber(-Infinity)).toBe('-inf');
    expect(encodeNumber(NaN)).toBe('nan');
    expect(encodeNumber(-0)).toBe('-0');
  });

  it('keeps +0 and ordinary values as numbers', () => {
    expect(Object.is(encodeNumber(0), 0)).toBe(true);
    expect(encodeNumber(1.5)).toBe(1.5);
    expect(encodeNumber(-2)).toBe(-2);
  });

  it('writes the shortest round-tripping text in JSON', () => {
    // 2^-1074 prints as 5e-324 and 0.1 + 0.2 needs 17 digits: that is JSON.stringify's text
    expect(JSON.stringify(encodeVector([2 ** -1074, 0.1 + 0.2, 1e21, -0]))).toBe(
      '[5e-324,0.30000000000000004,1e+21,"-0"]',
    );
  });
});

describe('decodeNumber', () => {
  it('reads the four strings back', () => {
    expect(decodeNumber('inf')).toBe(Infinity);
    expect(decodeNumber('-inf')).toBe(-Infinity);
    expect(decodeNumber('nan')).toBeNaN();
    expect(Object.is(decodeNumber('-0'), -0)).toBe(true);
  });

  it.each([
    ['Infinity', 'the string "Infinity"'],
    ['NaN', 'the string "NaN"'],
    ['1.5', 'the string "1.5"'],
    [null, 'null'],
    [true, 'the boolean true'],
    [[1], 'an array'],
    [{ x: 1 }, 'an object'],
    [undefined, 'nothing'],
  ])('rejects %j naming what it found', (v, found) => {
    let err: unknown;
    try {
      decodeNumber(v);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonNumberError);
    expect((err as JsonNumberError).found).toBe(found);
    expect((err as Error).message).toContain(found);
  });

  it('round-trips every binary64 bit pattern, signed zeros and NaN included', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(roundTrip(x), x)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    for (const x of [2 ** -1074, -(2 ** -1074), 2 ** -1022, Number.MAX_VALUE, -Number.MAX_VALUE, -0, 0]) {
      expect(Object.is(roundTrip(x), x)).toBe(true);
    }
  });
});

describe('vectors', () => {
  it('round-trips a vector with specials through JSON text', () => {
    const xs = new Float64Array([0, -0, NaN, Infinity, -Infinity, 9.8e-305, 5e-324]);
    const back = decodeVector(JSON.parse(JSON.stringify(encodeVector(xs))));
    expect(back).toBeInstanceOf(Float64Array);
    expect(back.length).toBe(xs.length);
    for (let i = 0; i < xs.length; i++) expect(Object.is(back[i], xs[i])).toBe(true);
  });

  it('names the index of a bad element', () => {
    try {
      decodeVector([1, 2, 'x']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonNumberError);
      expect((e as JsonNumberError).index).toBe(2);
      expect((e as Error).message).toMatch(/element 2: .*found the string "x"/);
    }
  });

  it('rejects a non-array without an index', () => {
    try {
      decodeVector({ x: [1] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonNumberError);
      expect((e as JsonNumberError).index).toBeUndefined();
      expect((e as Error).message).toBe('expected an array of numbers, found an object');
    }
  });
});
