import { describe, expect, it } from 'vitest';
import { decodeAnswer } from './decodeAnswer.js';

describe('decodeAnswer', () => {
  it('decodes the JSON number codec and leaves what is not a number for judge to name', () => {
    expect(decodeAnswer([0.5, 'inf', '-inf', '-0', 'nan'])).toEqual([0.5, Infinity, -Infinity, -0, NaN]);
    expect(Object.is((decodeAnswer(['-0']) as number[])[0], -0)).toBe(true);
    expect(decodeAnswer('inf')).toBe(Infinity);
    expect(decodeAnswer(3)).toBe(3);
    expect(decodeAnswer([1, 'one', null])).toEqual([1, 'one', null]);
    expect(decodeAnswer({ y: 1 })).toEqual({ y: 1 });
    expect(decodeAnswer(undefined)).toBeUndefined();
  });
});
