import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../generators/_internals/mulberry32.js';
import { formatSpec, roundNumber } from '../formats/index.js';
import { dyadicToNumber, exceedsBound, exactSum, sumMinusOne, sumMinusOneExceeds } from './exactSum.js';

/** The next binary64 value up (for x ≥ 0) or down, by the bits. */
function step(x: number, dir: 1 | -1): number {
  if (x === 0) return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  i[0] += BigInt(dir * Math.sign(x));
  return b[0];
}

/** A row like a softmax output in `format`: positive values that sum to about 1, some perturbed. */
function outputRow(r: () => number): number[] {
  const formats = ['f64', 'f32', 'f16', 'bf16'] as const;
  const fmt = formatSpec(formats[Math.floor(r() * formats.length)]);
  const n = 1 + Math.floor(r() * (r() < 0.1 ? 3000 : 70));
  const w = Array.from({ length: n }, () => Math.exp(-60 * r() * r()));
  const total = w.reduce((a, b) => a + b, 0);
  const row = w.map((v) => roundNumber(fmt, v / total));
  const kind = r();
  if (kind < 0.1)
    row[Math.floor(r() * n)] = 2 ** (-1074 + Math.floor(r() * 60)); // subnormal
  else if (kind < 0.15)
    row[Math.floor(r() * n)] = -row[0]; // a negative output
  else if (kind < 0.2)
    row[Math.floor(r() * n)] = 1.7e308; // sums that overflow binary64
  else if (kind < 0.3) row[Math.floor(r() * n)] *= 1 + 2 ** -20;
  return row;
}

describe('sumMinusOneExceeds', () => {
  it('answers as the exact bigint comparison on fresh rows, at bounds on both sides of the deviation', () => {
    const seed = Date.now() >>> 0;
    const r = rng(seed);
    let checked = 0;
    for (let t = 0; t < 1500; t++) {
      const row = outputRow(r);
      const dev = Math.abs(dyadicToNumber(sumMinusOne(row)));
      // at the deviation, within a few units of its last place (where a float decision needs its
      // margin), and far from it
      const bounds = [0, dev, dev * (1 + 2 ** -40), dev * (1 - 2 ** -40), r() * 1e-6];
      for (let k = 1, up = dev, down = dev; k <= 4; k++)
        bounds.push((up = step(up, 1)), (down = step(down, -1)));
      for (const bound of bounds) {
        if (!(bound >= 0 && bound < Infinity)) continue;
        expect(sumMinusOneExceeds(row, bound), `seed ${seed}, row ${t}, bound ${bound}`).toBe(
          exceedsBound(sumMinusOne(row), bound),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15000);
  });

  it('decides rows whose deviation is exactly the bound, or one value past it', () => {
    // Σ = 1 + 2^-52 exactly, as [1, 2^-52]; the bound 2^-52 is met, not exceeded
    expect(sumMinusOneExceeds([1, 2 ** -52], 2 ** -52)).toBe(false);
    expect(sumMinusOneExceeds([1, 2 ** -52], step(2 ** -52, -1))).toBe(true);
    // a deviation far below a binary64 sum's rounding: 0.5 + 0.5 + 2^-1074
    expect(sumMinusOneExceeds([0.5, 0.5, Number.MIN_VALUE], 0)).toBe(true);
    expect(sumMinusOneExceeds([0.5, 0.5, Number.MIN_VALUE], Number.MIN_VALUE)).toBe(false);
    expect(sumMinusOneExceeds([0.5, Number.MIN_VALUE, 0.5, -Number.MIN_VALUE], 0)).toBe(false);
    expect(sumMinusOneExceeds([1], 0)).toBe(false);
  });

  it('keeps the special cases of the exact sum', () => {
    expect(sumMinusOneExceeds([], 0.5)).toBe(true);
    expect(sumMinusOneExceeds([], 1)).toBe(false);
    // binary64 overflows on this sum; the exact one does not
    expect(sumMinusOneExceeds([1.7e308, 1.7e308, -1.7e308, -1.7e308, 1], 0)).toBe(false);
    expect(sumMinusOneExceeds([1.7e308, 1.7e308], 1e300)).toBe(true);
    expect(() => sumMinusOneExceeds([0.5, NaN], 0.1)).toThrow(RangeError);
    expect(() => sumMinusOneExceeds([0.5, Infinity], 0.1)).toThrow(RangeError);
    for (const bad of [NaN, -1, Infinity]) expect(() => sumMinusOneExceeds([1], bad)).toThrow(/bad bound/);
  });
});

describe('exactSum', () => {
  it('adds values of every magnitude without rounding', () => {
    const s = exactSum([2 ** 1000, Number.MIN_VALUE, -(2 ** 1000)]);
    expect(dyadicToNumber(s)).toBe(Number.MIN_VALUE);
    expect(exactSum([]).mant).toBe(0n);
  });
});
