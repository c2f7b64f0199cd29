import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromBits } from './bits.js';
import { BF16, F16, F32, F64 } from './specs.js';
import type { FormatSpec } from './types.js';
import { bitsOfError, classify, fromOrdinal, nextDown, nextUp, ordinal, ulpDistance, ulpOf } from './ulp.js';

/** Every non-NaN value of a 16-bit format except −0, sorted by plain numeric comparison. */
function sortedValues(fmt: FormatSpec): number[] {
  const out: number[] = [];
  for (let i = 0; i < 65536; i++) {
    const v = fromBits(fmt, i);
    if (!Number.isNaN(v) && !Object.is(v, -0)) out.push(v);
  }
  return out.sort((a, b) => a - b);
}

describe.each([F16, BF16])('$name: all values in order', (fmt: FormatSpec) => {
  const values = sortedValues(fmt);
  const zeroAt = values.indexOf(0);

  test('the sorted values are distinct and symmetric around 0', () => {
    // exponent fields 0 .. 2^e − 2 plus ±Inf: (2^e − 1)·2^f magnitudes besides 0, per sign
    const perSign = ((1 << fmt.exponentBits) - 1) * (1 << fmt.fractionBits);
    expect(values.length).toBe(2 * perSign + 1);
    expect(zeroAt).toBe(perSign);
    for (let i = 1; i < values.length; i++) {
      if (!(values[i - 1] < values[i]))
        throw new Error(`not strictly ordered at ${i}: ${values[i - 1]}, ${values[i]}`);
    }
    expect(values[0]).toBe(-Infinity);
    expect(values[values.length - 1]).toBe(Infinity);
  });

  test('ordinal is the position in numeric order; fromOrdinal inverts it; neighbours are 1 ULP apart', () => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const k = ordinal(fmt, v);
      if (k !== BigInt(i - zeroAt)) throw new Error(`ordinal(${v}) = ${k}, expected ${i - zeroAt}`);
      if (!Object.is(fromOrdinal(fmt, k), v))
        throw new Error(`fromOrdinal(${k}) = ${fromOrdinal(fmt, k)}, expected ${v}`);
      if (i + 1 < values.length) {
        const w = values[i + 1];
        if (ulpDistance(fmt, v, w) !== 1 || ulpDistance(fmt, w, v) !== 1)
          throw new Error(`distance ${v} ⇄ ${w} is not 1`);
        if (!Object.is(nextUp(fmt, v), w)) throw new Error(`nextUp(${v}) = ${nextUp(fmt, v)}, expected ${w}`);
        if (!Object.is(nextDown(fmt, w), v))
          throw new Error(`nextDown(${w}) = ${nextDown(fmt, w)}, expected ${v}`);
      }
    }
  });

  test('ulpDistance of any two values is the difference of their positions', () => {
    fc.assert(
      fc.property(
        fc.nat(values.length - 1),
        fc.nat(values.length - 1),
        (i, j) => ulpDistance(fmt, values[i], values[j]) === Math.abs(i - j),
      ),
      { seed: 16, numRuns: 5000 },
    );
  });

  test('ulpOf is the gap to the next value above |x|', () => {
    for (let i = zeroAt; i < values.length - 2; i++) {
      // from 0 up to the value below maxFinite (whose next value is +Inf, not a grid step)
      const v = values[i];
      const gap = values[i + 1] - v; // exact: both are binary64 values within a factor 2 of each other, or subnormal
      if (ulpOf(fmt, v) !== gap || ulpOf(fmt, -v) !== gap)
        throw new Error(`ulpOf(${v}) = ${ulpOf(fmt, v)}, gap ${gap}`);
    }
  });

  test('classify agrees with the field layout for every pattern', () => {
    const expAllOnes = (1 << fmt.exponentBits) - 1;
    const fracMask = (1 << fmt.fractionBits) - 1;
    for (let i = 0; i < 65536; i++) {
      const exp = (i >> fmt.fractionBits) & expAllOnes;
      const frac = i & fracMask;
      const want =
        exp === expAllOnes ? (frac ? 'nan' : 'inf') : exp === 0 ? (frac ? 'subnormal' : 'zero') : 'normal';
      const got = classify(fmt, fromBits(fmt, i));
      if (got !== want) throw new Error(`classify(0x${i.toString(16)}) = ${got}, fields say ${want}`);
    }
  });
});

describe.each([F64, F32, F16, BF16])('$name: special distances', (fmt: FormatSpec) => {
  test('±0 are at distance 0 and share position 0', () => {
    expect(ulpDistance(fmt, 0, -0)).toBe(0);
    expect(ordinal(fmt, -0)).toBe(0n);
    expect(nextUp(fmt, -0)).toBe(fmt.minSubnormal);
    expect(nextDown(fmt, 0)).toBe(-fmt.minSubnormal);
  });

  test('maxFinite ⇄ Inf is 1, −maxFinite ⇄ −Inf is 1, and minSubnormal is 1 from 0', () => {
    expect(ulpDistance(fmt, fmt.maxFinite, Infinity)).toBe(1);
    expect(ulpDistance(fmt, -Infinity, -fmt.maxFinite)).toBe(1);
    expect(nextUp(fmt, fmt.maxFinite)).toBe(Infinity);
    expect(nextDown(fmt, Infinity)).toBe(fmt.maxFinite);
    expect(ulpDistance(fmt, 0, fmt.minSubnormal)).toBe(1);
    expect(ulpDistance(fmt, -fmt.minSubnormal, fmt.minSubnormal)).toBe(2);
  });

  test('NaN: distance 0 to NaN, Infinity to anything else; no position', () => {
    expect(ulpDistance(fmt, NaN, NaN)).toBe(0);
    expect(ulpDistance(fmt, NaN, 1)).toBe(Infinity);
    expect(ulpDistance(fmt, 0, NaN)).toBe(Infinity);
    expect(() => ordinal(fmt, NaN)).toThrow(RangeError);
    expect(Number.isNaN(nextUp(fmt, NaN))).toBe(true);
  });

  test('fromOrdinal rejects positions beyond ±Inf', () => {
    const inf = ordinal(fmt, Infinity);
    expect(() => fromOrdinal(fmt, inf + 1n)).toThrow(RangeError);
    expect(() => fromOrdinal(fmt, -inf - 1n)).toThrow(RangeError);
  });
});

describe('f32 and f64: order and distances on random values', () => {
  test('f64: ordinal order is numeric order; a bit-pattern step is 1 ULP', () => {
    const u = new BigUint64Array(1);
    const f = new Float64Array(u.buffer);
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const oa = ordinal(F64, a);
        const ob = ordinal(F64, b);
        expect(Math.sign(Number(oa - ob))).toBe(a === b ? 0 : Math.sign(a - b));
        if (a > 0 && a < Infinity) {
          // the next positive double is the next bit pattern (IEEE 754's ordering of encodings)
          f[0] = a;
          u[0] += 1n;
          expect(ulpDistance(F64, a, f[0])).toBe(1);
          expect(nextUp(F64, a)).toBe(f[0]);
        }
        return true;
      }),
      { seed: 0xd64, numRuns: 5000 },
    );
  });

  test('f32: ordinal order is numeric order; distances add up', () => {
    const u = new Uint32Array(1);
    const f = new Float32Array(u.buffer);
    const arbF32 = fc.float({ noNaN: true }).map((x) => x + 0); // −0 → +0 is immaterial here
    fc.assert(
      fc.property(arbF32, arbF32, (a, b) => {
        const oa = ordinal(F32, a);
        const ob = ordinal(F32, b);
        expect(Math.sign(Number(oa - ob))).toBe(a === b ? 0 : Math.sign(a - b));
        // distance via an intermediate point splits exactly when the point lies between
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const mid = fromOrdinal(F32, (ordinal(F32, lo) + ordinal(F32, hi)) / 2n);
        expect(ulpDistance(F32, lo, mid) + ulpDistance(F32, mid, hi)).toBe(ulpDistance(F32, lo, hi));
        if (a >= 0 && a < Infinity) {
          f[0] = a;
          u[0] += 1;
          expect(nextUp(F32, a)).toBe(f[0]);
        }
        return true;
      }),
      { seed: 0xf32, numRuns: 5000 },
    );
  });
});

test('bitsOfError is log2(1 + ulps)', () => {
  expect(bitsOfError(0)).toBe(0);
  expect(bitsOfError(1)).toBe(1);
  expect(bitsOfError(3)).toBe(2);
  expect(bitsOfError(Infinity)).toBe(Infinity);
});

describe('ulpDistance: the BigInt-free path equals |ordinal(a) − ordinal(b)|', () => {
  // every pair of 16-bit values would be 2^32 pairs: every value against a fixed spread instead
  test.each([F16, BF16])('$name: every value against 64 others', (fmt: FormatSpec) => {
    const values: number[] = [];
    for (let i = 0; i < 65536; i++) {
      const v = fromBits(fmt, i);
      if (!Number.isNaN(v)) values.push(v);
    }
    const others = values.filter((_, i) => i % 1021 === 0).concat([0, -0, Infinity, -Infinity]);
    for (const a of values)
      for (const b of others) {
        const d = ordinal(fmt, a) - ordinal(fmt, b);
        const want = Number(d < 0n ? -d : d);
        if (ulpDistance(fmt, a, b) !== want)
          throw new Error(
            `${fmt.name}: ulpDistance(${a}, ${b}) = ${ulpDistance(fmt, a, b)}, expected ${want}`,
          );
      }
  });

  test.each([F32, F64])('$name: random bit patterns, near and far', (fmt: FormatSpec) => {
    const word = fmt.bits === 32 ? fc.bigInt(0n, (1n << 32n) - 1n) : fc.bigInt(0n, (1n << 64n) - 1n);
    fc.assert(
      fc.property(word, fc.bigInt(-1000n, 1000n), fc.boolean(), (bits, step, near) => {
        const a = fromBits(fmt, bits);
        fc.pre(!Number.isNaN(a));
        const top = ordinal(fmt, Infinity);
        const k = near
          ? ordinal(fmt, a) + step
          : ordinal(fmt, fromBits(fmt, bits ^ (1n << BigInt(fmt.bits - 1))));
        fc.pre(k >= -top && k <= top);
        const b = fromOrdinal(fmt, k);
        const d = ordinal(fmt, a) - ordinal(fmt, b);
        expect(ulpDistance(fmt, a, b)).toBe(Number(d < 0n ? -d : d));
      }),
      { numRuns: 20000 },
    );
  });

  test('a value not in the format still raises RangeError', () => {
    expect(() => ulpDistance(F16, 1 + 2 ** -20, 1)).toThrow(RangeError);
    expect(() => ulpDistance(BF16, 1 + 2 ** -20, 1)).toThrow(RangeError);
    expect(() => ulpDistance(F32, 0.1, 1)).toThrow(RangeError);
  });
});
