import { describe, expect, it } from 'vitest';
import { elideVector } from './elide.js';

describe('elideVector', () => {
  it('writes short vectors in full, specials as the codec spells them', () => {
    expect(elideVector([])).toBe('[]');
    expect(elideVector([1, 'nan', 'inf', '-inf', '-0'])).toBe('[1, nan, inf, -inf, -0]');
    expect(elideVector([0, 0, 0, 0])).toBe('[0, 0, 0, 0]');
    const sixteen = Array.from({ length: 16 }, (_, i) => i);
    expect(elideVector(sixteen)).toBe(`[${sixteen.join(', ')}]`);
  });

  it('writes a run of one repeated value once, with its length', () => {
    expect(elideVector(new Array<number>(4096).fill(0))).toBe('[0 ×4096]');
    expect(elideVector([709, ...new Array<number>(4095).fill(0)])).toBe('[709, 0 ×4095]');
    expect(elideVector([-1, ...new Array<number>(511).fill(0.001953125)])).toBe('[-1, 0.001953125 ×511]');
    expect(elideVector(new Array<'nan'>(20).fill('nan'))).toBe('[nan ×20]');
  });

  it('keeps the first and last few elements of a long vector and counts the rest', () => {
    const v = Array.from({ length: 4096 }, (_, i) => i);
    expect(elideVector(v)).toBe('[0, 1, 2, … 4,090 more …, 4093, 4094, 4095]');
    expect(elideVector(Array.from({ length: 17 }, (_, i) => i))).toBe('[0, 1, 2, … 11 more …, 14, 15, 16]');
  });

  it('counts the elements of elided runs, and honours max', () => {
    const v = [1, 2, 3, 4, 5, ...new Array<number>(100).fill(7), 8, 9, 10, 11, 12];
    expect(elideVector(v, 8)).toBe('[1, 2, 3, … 104 more …, 10, 11, 12]');
    expect(elideVector(v, 12)).toBe('[1, 2, 3, 4, 5, 7 ×100, 8, 9, 10, 11, 12]');
    expect(elideVector([1, 2, 3, 4], 2)).toBe('[1, … 2 more …, 4]');
  });

  it('never gets longer than a screen line for any vector of any length', () => {
    const v = Array.from({ length: 100_000 }, (_, i) => 1.2345678901234567e-3 * (i + 1));
    expect(elideVector(v).length).toBeLessThan(200);
  });
});
