/**
 * Test-only MPFR helpers (gmp-wasm) that round into the project's binary formats, used as the
 * independent reference for src/formats: MPFR rounds correctly at any precision, and with its
 * exponent range narrowed to a format's plus `mpfr_subnormalize` it emulates that format's
 * gradual underflow and overflow exactly (MPFR manual, "mpfr_subnormalize", whose example sets
 * emin = −148, emax = 128 for binary32).
 *
 * MPFR's exponent convention is x = m·2^E with 1/2 ≤ m < 1, one more than IEEE's 1 ≤ m < 2. So
 * IEEE emax maps to emax + 1, and the smallest subnormal 2^(emin − p + 1) (IEEE) is the smallest
 * positive MPFR number 2^(E_min − 1) when E_min = emin − p + 2.
 *
 * Values are read back exactly (significand and exponent through `mpfr_get_z_2exp`), never through
 * a conversion that could round.
 */
import { init, type GMPFunctions } from 'gmp-wasm';
import type { FormatSpec } from '../../src/formats/index.js';

/** MPFR rounding modes (mpfr_rnd_t): nearest-even, towards zero, towards +∞, towards −∞. */
export const RNDN = 0;
export const RNDZ = 1;
export const RNDU = 2;
export const RNDD = 3;
export type MpfrRounding = typeof RNDN | typeof RNDZ | typeof RNDU | typeof RNDD;

let gmp: Promise<GMPFunctions> | undefined;

/** The MPFR/GMP binding, instantiated once per process. */
export function getMpfr(): Promise<GMPFunctions> {
  gmp ??= init().then((lib) => lib.binding);
  return gmp;
}

/** MPFR's exponent range for `fmt` (see the module comment for the +1 and −p+2 shifts). */
function mpfrExponentRange(fmt: FormatSpec): { emin: number; emax: number } {
  return { emin: fmt.emin - fmt.precision + 2, emax: fmt.emax + 1 };
}

/** Reads a NUL-terminated C string from wasm memory and frees it. */
function takeCString(b: GMPFunctions, ptr: number): string {
  const mem = b.mem;
  let end = ptr;
  while (mem[end] !== 0) end++;
  const s = new TextDecoder().decode(mem.subarray(ptr, end));
  b.free(ptr);
  return s;
}

/**
 * The exact value of an MPFR number whose value is a binary64 value (any number rounded into one
 * of the four formats is), as a JS number.
 *
 * Special cases: NaN, ±Inf and ±0 (sign kept) come back as themselves.
 */
function readExact(b: GMPFunctions, x: number): number {
  if (b.mpfr_nan_p(x)) return NaN;
  const neg = b.mpfr_signbit(x) !== 0;
  if (b.mpfr_inf_p(x)) return neg ? -Infinity : Infinity;
  if (b.mpfr_zero_p(x)) return neg ? -0 : 0;
  const z = b.mpz_t();
  b.mpz_init(z);
  let e = b.mpfr_get_z_2exp(z, x);
  const text = takeCString(b, b.mpz_get_str(0, 16, z));
  b.mpz_clear(z);
  b.mpz_t_free(z);
  let m = BigInt('0x' + text.replace('-', ''));
  // strip trailing zeros so that m·2^e has the smallest |e| (keeps 2^e inside binary64's range)
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  if (m >= 1n << 53n) throw new RangeError(`readExact: ${text}·2^${e} is not a binary64 value`);
  // m < 2^53 and the value is a binary64 value, so e ≥ −1074 and m·2^e ≤ maxFinite: both factors
  // and the product are exact. 2^e is built from a bigint, whose conversion to number is exact
  // for powers of two in range.
  const scale = e >= 0 ? Number(1n << BigInt(e)) : 1 / Number(1n << BigInt(-e));
  // 1 / 2^k is exact for k ≤ 1022; below that split the scaling in two exact steps
  const mag =
    e >= -1022
      ? Number(m) * scale
      : Number(m) * (1 / Number(1n << 1000n)) * (1 / Number(1n << BigInt(-e - 1000)));
  return neg ? -mag : mag;
}

/**
 * Runs `body` with MPFR's exponent range narrowed to `fmt`'s and restores the previous range
 * afterwards (it is global state of the wasm instance).
 */
function withFormatRange<T>(b: GMPFunctions, fmt: FormatSpec, body: () => T): T {
  const oldMin = b.mpfr_get_emin();
  const oldMax = b.mpfr_get_emax();
  const { emin, emax } = mpfrExponentRange(fmt);
  b.mpfr_set_emin(emin);
  b.mpfr_set_emax(emax);
  try {
    return body();
  } finally {
    b.mpfr_set_emin(oldMin);
    b.mpfr_set_emax(oldMax);
  }
}

/**
 * A decimal string (`[-]digits[.digits][e[-]digits]`) rounded by MPFR directly into `fmt` with
 * rounding `rnd`: one correct rounding, gradual underflow by `mpfr_subnormalize`, overflow to
 * ±Inf (or to ±maxFinite under a directed rounding towards zero), as IEEE 754 specifies.
 */
export function mpfrRoundString(
  b: GMPFunctions,
  fmt: FormatSpec,
  s: string,
  rnd: MpfrRounding = RNDN,
): number {
  return withFormatRange(b, fmt, () => {
    const x = b.mpfr_t();
    b.mpfr_init2(x, fmt.precision);
    // mpfr_set_str says whether the whole string parsed (0) but not the ternary value that
    // mpfr_subnormalize needs; mpfr_strtofr returns the ternary, so parse with both.
    const cs = b.malloc_cstr(s);
    const parsed = b.mpfr_set_str(x, cs, 10, rnd);
    const t = b.mpfr_strtofr(x, cs, 0, 10, rnd);
    b.free(cs);
    if (parsed !== 0) throw new Error(`mpfr: cannot parse '${s}'`);
    b.mpfr_subnormalize(x, t, rnd);
    const v = readExact(b, x);
    b.mpfr_clear(x);
    b.mpfr_t_free(x);
    return v;
  });
}

/**
 * e^x for a binary64 value x, correctly rounded to nearest-even by MPFR directly into `fmt`
 * (gradual underflow, overflow to +Inf).
 */
export function mpfrExpInFormat(b: GMPFunctions, fmt: FormatSpec, x: number): number {
  // the argument is set at binary64 precision under the default range (exact), then exp rounds
  // once into the format's precision and range
  const arg = b.mpfr_t();
  b.mpfr_init2(arg, 53);
  if (b.mpfr_set_d(arg, x, RNDN) !== 0) throw new Error(`mpfr: ${x} not set exactly`);
  const v = withFormatRange(b, fmt, () => {
    const y = b.mpfr_t();
    b.mpfr_init2(y, fmt.precision);
    const t = b.mpfr_exp(y, arg, RNDN);
    b.mpfr_subnormalize(y, t, RNDN);
    const r = readExact(b, y);
    b.mpfr_clear(y);
    b.mpfr_t_free(y);
    return r;
  });
  b.mpfr_clear(arg);
  b.mpfr_t_free(arg);
  return v;
}
