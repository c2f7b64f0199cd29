import { pow2 } from '../../formats/pow2.js';
import type { FormatSpec } from '../../formats/types.js';

/** 2^i at index i + 1074 for i in [−1074, 1024]: every power of two binary64 holds, then +Inf. */
let table: Float64Array | undefined;

function powersOfTwo(): Float64Array {
  if (!table) {
    table = new Float64Array(1074 + 1025);
    for (let i = 0; i < table.length; i++) table[i] = pow2(i - 1074);
  }
  return table;
}

/**
 * `roundNumber(fmt, ·)` as a function for one format, for rounding every element of a long row:
 * the same result for every input (round to nearest, ties to even, gradual underflow, IEEE
 * overflow), but f16 and bf16 take their powers of two from a table instead of building each
 * from bits with BigInt, which made a 2^18-element row cost a quarter of a second.
 *
 * Special cases: as roundNumber (NaN, ±Inf, ±0 kept; f64 is the identity; f32 is Math.fround).
 */
export function fastRound(fmt: FormatSpec): (x: number) => number {
  if (fmt.precision === 53) return (x) => x;
  if (fmt.precision === 24 && fmt.emin === -126) return Math.fround;
  const p2 = powersOfTwo();
  const at = (e: number) => p2[e + 1074];
  const { emin, precision, maxFinite } = fmt;
  return (x) => {
    if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
    const a = Math.abs(x);
    // the steps of roundNumber, each exact for the same reasons
    let e = Math.floor(Math.log2(a));
    if (at(e) > a) e -= 1;
    else if (at(e + 1) <= a) e += 1;
    const qe = Math.max(e, emin) - (precision - 1);
    const q = a * at(-qe);
    let m = Math.floor(q);
    const frac = q - m;
    if (frac > 0.5 || (frac === 0.5 && m % 2 === 1)) m += 1;
    const r = m * at(qe);
    const out = r > maxFinite ? Infinity : r;
    return x < 0 ? -out : out;
  };
}
