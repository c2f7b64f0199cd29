import { expect, test } from 'vitest';
import { pow2 } from './pow2.js';

test('pow2(n) has the bit pattern of 2^n over the whole binary64 range', () => {
  // IEEE 754 binary64: a normal 2^n has biased exponent n + 1023 and a zero fraction; a
  // subnormal 2^n (n < −1022) is the single fraction bit 2^(n + 1074) times 2^-1074
  const u = new BigUint64Array(1);
  const f = new Float64Array(u.buffer);
  for (let n = -1074; n <= 1023; n++) {
    f[0] = pow2(n);
    const want = n >= -1022 ? BigInt(n + 1023) << 52n : 1n << BigInt(n + 1074);
    if (u[0] !== want)
      throw new Error(`pow2(${n}) has bits 0x${u[0].toString(16)}, expected 0x${want.toString(16)}`);
  }
});

test('pow2 agrees with exact bigint powers where both are plain integers or their reciprocals', () => {
  for (let n = 0; n <= 1023; n++) expect(pow2(n)).toBe(Number(1n << BigInt(n)));
  for (let n = 1; n <= 1022; n++) expect(pow2(-n)).toBe(1 / Number(1n << BigInt(n)));
});

test('pow2 beyond the range: +Inf above 2^1023, +0 below 2^-1074; non-integers rejected', () => {
  expect(pow2(1024)).toBe(Infinity);
  expect(Object.is(pow2(-1075), 0)).toBe(true);
  expect(pow2(0)).toBe(1);
  expect(() => pow2(0.5)).toThrow(RangeError);
});
