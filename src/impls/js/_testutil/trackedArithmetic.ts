import { roundNumber } from '../../../formats/roundNumber.js';
import { F64, formatSpec } from '../../../formats/specs.js';
import type { FormatSpec } from '../../../formats/types.js';
import type { FormatName } from '../../../vocabulary/FormatName.js';
import type { Arithmetic } from '../Arithmetic.js';

/**
 * A value computed exactly as the format arithmetic computes it (`v`), with a rigorous bound
 * `e` on its distance to the exact real value of the same expression (every operation done
 * exactly, on the same exact inputs, along the same branches).
 */
export interface Tracked {
  readonly v: number;
  readonly e: number;
}

/** 2^−52: V8's Math.exp, log and log1p are fdlibm ports, documented as "< 1 ulp" (≤ 2^−52 relative). */
const LIBM_REL = 2 ** -52;
/** Slack for the bound's own binary64 evaluation: ≲ 10³ operations of relative error 2^−53 each. */
const SLACK = 1 + 2 ** -40;

/**
 * Local error of one correctly rounded operation whose rounded result is `fl`:
 * |fl − x| ≤ u|fl| when fl is normal (half the spacing of fl's binade is 2^(e−p) ≤ u|fl|, and
 * just below a power of two the spacing is smaller still), ≤ minSubnormal/2 otherwise
 * (Higham, Accuracy and Stability, Thm 2.3 and §2.1 for gradual underflow).
 */
function roundBound(fmt: FormatSpec, fl: number): number {
  const a = Math.abs(fl);
  if (!Number.isFinite(a)) return Infinity;
  return a >= fmt.minNormal ? fmt.unitRoundoff * a : fmt.minSubnormal / 2;
}

/**
 * Local error of exp/log/log1p: in f64 the libm's < 1 ulp, i.e. ≤ 2^−52|f| ≤ 2^−52|fl|/(1 − 2^−52)
 * (plus one subnormal quantum); in a narrower format the libm's binary64 result y, rounded once:
 * |fl − f| ≤ |fl − y| + |y − f| ≤ roundBound(fl) + 2^−52(|fl| + roundBound(fl)) (+ 2^−1074).
 */
function libmBound(fmt: FormatSpec, fl: number): number {
  const a = Math.abs(fl);
  if (!Number.isFinite(a)) return Infinity;
  if (fmt.precision === 53) return LIBM_REL * (1 + 2 ** -50) * a + F64.minSubnormal;
  const r = roundBound(fmt, fl);
  return r + LIBM_REL * (1 + 2 ** -50) * (a + r) + F64.minSubnormal;
}

/**
 * Higham's running error analysis ("Accuracy and Stability of Numerical Algorithms", 2nd ed.,
 * §3.3) as an `Arithmetic`: each operation computes its value with the format arithmetic's
 * rounding (so `v` equals what the implementation returns) and propagates a first-order-free,
 * rigorous absolute error bound:
 * - a ± b: e_a + e_b + local; a·b: |a|e_b + |b|e_a + e_a e_b + local;
 * - a / b: (e_a|b| + |a|e_b) / (|b|(|b| − e_b)) + local (∞ when e_b ≥ |b|);
 * - exp a: e^a·expm1(e_a) + libm; log a: −log1p(−e_a/a) + libm (∞ when e_a ≥ a); log1p likewise
 *   with 1 + a;
 * - max, neg and inputs are exact.
 * `computeFormat` is the format the arithmetic rounds into; `store` rounds into another one.
 * The final bound carries a slack factor for its own binary64 evaluation.
 */
export function trackedArithmetic(computeFormat: FormatName): Arithmetic<Tracked> {
  const fmt = formatSpec(computeFormat);
  const r = (x: number): number => roundNumber(fmt, x);
  const t = (v: number, e: number): Tracked => ({ v, e: e * SLACK });
  // ±Inf from an exact infinite operand (−Inf − m, m = −Inf at the start of a running max) is exact
  const sumBound = (v: number, a: Tracked, b: Tracked): number =>
    !Number.isFinite(v) && a.e === 0 && b.e === 0 && (!Number.isFinite(a.v) || !Number.isFinite(b.v))
      ? 0
      : a.e + b.e + roundBound(fmt, v);
  const libmPropagated = (fx: number, e: number, growth: number): number =>
    e === 0 ? 0 : Math.abs(fx) * growth;
  return {
    format: fmt,
    zero: { v: 0, e: 0 },
    one: { v: 1, e: 0 },
    input: (x) => ({ v: x, e: 0 }),
    value: (a) => a.v,
    add: (a, b) => {
      const v = r(a.v + b.v);
      return t(v, sumBound(v, a, b));
    },
    sub: (a, b) => {
      const v = r(a.v - b.v);
      return t(v, sumBound(v, a, b));
    },
    mul: (a, b) => {
      const v = r(a.v * b.v);
      return t(v, Math.abs(a.v) * b.e + Math.abs(b.v) * a.e + a.e * b.e + roundBound(fmt, v));
    },
    div: (a, b) => {
      const v = r(a.v / b.v);
      const bb = Math.abs(b.v);
      const prop =
        b.e >= bb
          ? Infinity
          : a.e === 0 && b.e === 0
            ? 0
            : (a.e * bb + Math.abs(a.v) * b.e) / (bb * (bb - b.e));
      return t(v, prop + roundBound(fmt, v));
    },
    neg: (a) => ({ v: -a.v, e: a.e }),
    exp: (a) => {
      const v = r(Math.exp(a.v));
      return t(v, libmPropagated(Math.exp(a.v) * (1 + 2 ** -50), a.e, Math.expm1(a.e)) + libmBound(fmt, v));
    },
    log: (a) => {
      const v = r(Math.log(a.v));
      const prop = a.e === 0 ? 0 : a.e >= a.v ? Infinity : -Math.log1p(-a.e / a.v);
      return t(v, prop + libmBound(fmt, v));
    },
    log1p: (a) => {
      const v = r(Math.log1p(a.v));
      const prop = a.e === 0 ? 0 : a.e >= 1 + a.v ? Infinity : -Math.log1p(-a.e / (1 + a.v));
      return t(v, prop + libmBound(fmt, v));
    },
    max: (a, b) => ({ v: Math.max(a.v, b.v), e: Math.max(a.e, b.e) }),
    store: (a, into) => {
      const v = roundNumber(into, a.v);
      return t(v, a.e + roundBound(into, v));
    },
  };
}
