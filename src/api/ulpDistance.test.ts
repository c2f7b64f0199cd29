import { describe, expect, test } from 'vitest';
import { F32 } from '../formats/specs.js';
import { ulpDistance } from './ulpDistance.js';

describe('ulpDistance (public)', () => {
  test('takes a format by name or as a spec', () => {
    expect(ulpDistance('f32', 1, Math.fround(1 + 2 ** -23))).toBe(1);
    expect(ulpDistance(F32, 1, Math.fround(1 + 2 ** -23))).toBe(1);
    expect(ulpDistance('f64', 1, 1 + 2 ** -52)).toBe(1);
    expect(ulpDistance('f16', 65504, Infinity)).toBe(1);
    expect(ulpDistance('bf16', -0, 0)).toBe(0);
    expect(ulpDistance('f64', NaN, 1)).toBe(Infinity);
  });
  test('rejects an unknown format naming the field, and values off the grid', () => {
    expect(() => ulpDistance('f8' as never, 0, 1)).toThrow(/^format: unknown format 'f8'/);
    expect(() => ulpDistance({} as never, 0, 1)).toThrow(/^format: expected a format name/);
    expect(() => ulpDistance('f32', 0.1, 1)).toThrow(RangeError);
  });
});
