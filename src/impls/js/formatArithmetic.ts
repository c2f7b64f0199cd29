import { roundNumber } from '../../formats/roundNumber.js';
import { formatSpec } from '../../formats/specs.js';
import type { FormatSpec } from '../../formats/types.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import type { Arithmetic } from './Arithmetic.js';

/** binary64 needs no rounding: JS numbers are its values and its arithmetic is IEEE 754's. */
function binary64(fmt: FormatSpec): Arithmetic<number> {
  return {
    format: fmt,
    zero: 0,
    one: 1,
    input: (x) => x,
    value: (a) => a,
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    neg: (a) => -a,
    exp: Math.exp,
    log: Math.log,
    log1p: Math.log1p,
    max: Math.max,
    store: (a, into) => roundNumber(into, a),
  };
}

/** A narrower format: every binary64 result rounded once into `fmt`. */
function narrow(fmt: FormatSpec): Arithmetic<number> {
  const r = (x: number): number => roundNumber(fmt, x);
  return {
    format: fmt,
    zero: 0,
    one: 1,
    input: (x) => x,
    value: (a) => a,
    add: (a, b) => r(a + b),
    sub: (a, b) => r(a - b),
    mul: (a, b) => r(a * b),
    div: (a, b) => r(a / b),
    neg: (a) => -a,
    exp: (a) => r(Math.exp(a)),
    log: (a) => r(Math.log(a)),
    log1p: (a) => r(Math.log1p(a)),
    max: Math.max,
    store: (a, into) => roundNumber(into, a),
  };
}

const CACHE = new Map<FormatName, Arithmetic<number>>();

/**
 * The arithmetic of `format` on JS numbers: an emulation of computing in that format throughout.
 *
 * - f64: plain JS arithmetic (IEEE binary64, round to nearest even) and V8's Math.exp / log /
 *   log1p, which are fdlibm ports documented as "< 1 ulp" (REFERENCES.md: fdlibm).
 * - f32, f16, bf16: each operation evaluated in binary64, then rounded once to nearest even into
 *   the format (`roundNumber`: gradual underflow, IEEE overflow). For +, −, ×, ÷ of two values of
 *   a format with precision p ≤ 24 this *is* the format's correctly rounded IEEE operation,
 *   because double rounding through binary64 is innocuous when 53 ≥ 2p + 2 (Figueroa, "When is
 *   double rounding innocuous?", 1995). For exp, log and log1p it models a nearly correctly
 *   rounded libm: the binary64 result (error < 2^−52 relative) rounded once, so within
 *   u + 2^−52 relative of the exact value; it is not a model of any particular f16 or bf16
 *   hardware, whose transcendental functions are usually less accurate.
 *
 * Special cases: NaN, ±Inf and ±0 flow through as IEEE 754 says (Inf − Inf = NaN, log(0) = −Inf,
 * exp(−Inf) = 0); values beyond the format's range overflow to ±Inf; nothing is special-cased.
 */
export function formatArithmetic(format: FormatName): Arithmetic<number> {
  let a = CACHE.get(format);
  if (!a) {
    const fmt = formatSpec(format);
    a = fmt.precision === 53 ? binary64(fmt) : narrow(fmt);
    CACHE.set(format, a);
  }
  return a;
}
