import { Decimal } from 'decimal.js';
import { exactDecimal } from '../../formats/exact.js';

/**
 * Helpers for testing double-double code against decimal.js: exact values of double-doubles,
 * relative errors in units of u² = 2^−106, and a seeded generator.
 */

/** Exact arithmetic on sums of a few binary64 numbers (every such sum has ≤ 1200 digits here). */
export const X = Decimal.clone({
  precision: 1200,
  rounding: Decimal.ROUND_HALF_EVEN,
  minE: -9e15,
  maxE: 9e15,
});
/** Reference precision for transcendental functions: 60 digits ≈ 2^−199, far below u² = 2^−106. */
export const R = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

const U2 = new X(2).pow(-106);

/** The exact value of h + l. */
export function ddValue(h: number, l: number): Decimal {
  return X.add(exactDecimal(h), exactDecimal(l));
}

/** |got − want|/|want| in units of u² (a plain number; want ≠ 0). */
export function relErrU2(got: Decimal, want: Decimal): number {
  return X.sub(got, want).abs().div(want.abs()).div(U2).toNumber();
}

/** A seeded xorshift-style generator of doubles in [0, 1) (deterministic per seed). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const hi = s;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (hi * 2 ** 21 + (s >>> 11)) / 2 ** 53;
  };
}

/** A random normalized double-double of magnitude about 2^e (|l| ≤ ½ulp(h)), random sign if asked. */
export function randomDd(rand: () => number, e: number, signed = true): [number, number] {
  const sign = signed && rand() < 0.5 ? -1 : 1;
  const h = sign * (1 + rand()) * 2 ** e;
  const ulp = 2 ** (Math.floor(Math.log2(Math.abs(h))) - 52);
  let l = (rand() - 0.5) * ulp;
  // keep h = RN(h + l)
  if (h + l !== h) l = 0;
  return [h, l];
}
