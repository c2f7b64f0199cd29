/**
 * Long logit rows with one element within a chosen distance of a rounding midpoint of a format,
 * built with MPFR (test-only): neither phase of the oracle's fast path can decide such an element,
 * so the row's shared sum has to be enclosed again at a higher precision (the escalation of
 * src/oracle/oracle.ts), on a row long enough for that to cost something.
 *
 * Construction, with the max x_0 = 0 and s = Σ_{j≥1} e^(x_j):
 * 1. n − 1 "padding" logits x_1 … x_(n−1), pseudo-random in [−10, −1/64] (values of the format,
 *    seeded), give s₀.
 * 2. The target quantity is q(s) = log1p(s) (`'L'`: log_softmax at index 0 is −q, logsumexp and
 *    cross_entropy with label 0 are q) or q(s) = 1/(1 + s) (`'softmax'`: softmax at index 0,
 *    and the gradient there when the label is elsewhere). A midpoint μ of the format's grid is
 *    chosen next to q(s₀), on the side that needs s* = q⁻¹(μ) > s₀.
 * 3. The remainder r = s* − s₀ is filled greedily: x = the format's largest value ≤ ln r (MPFR
 *    rounds ln r downwards), then r −= e^x, so r stays positive and shrinks by about the
 *    format's relative spacing at x each step; it stops once q(s* − r) is within 2^−bits
 *    (relative) of μ. Those `fill` logits go at the end of the row (n + fill logits in all).
 * Everything runs at 512 bits, far below every distance asked for; the result is checked by the
 * MPFR reference anyway, the construction only makes the element hard.
 */
import type { GMPFunctions } from 'gmp-wasm';
import { RNDD, RNDN } from './rounding.js';

/** Working precision of the construction, in bits. */
const PREC = 512;

/** What the construction gives back. */
export interface HardRow {
  /** The logits, n + fill of them: x[0] = 0 is the max. */
  readonly x: number[];
  /** log2 of |q − μ|/μ for the row's exact q: how close to the midpoint (below −bits). */
  readonly log2Distance: number;
  /** Logits added by the greedy fill. */
  readonly fill: number;
}

/**
 * A row of n + fill logits, values of a format with `precision` significand bits, whose `target`
 * quantity lies within 2^−bits (relative) of a midpoint of that format's grid (see the module
 * comment). `seed` picks the padding. Preconditions: n ≥ 2, bits ≤ 300, and a format whose values
 * reach below −1000 with a spacing of at most 1 there (f64, f32, bf16; f16 too, to −65504).
 * Notes: the fill takes about bits/(p − 6) logits for a p-bit format near |x| ≈ 50.
 */
export function hardRow(
  b: GMPFunctions,
  precision: number,
  n: number,
  seed: number,
  target: 'L' | 'softmax',
  bits: number,
): HardRow {
  const vars: number[] = [];
  const make = (prec = PREC) => {
    const v = b.mpfr_t();
    b.mpfr_init2(v, prec);
    vars.push(v);
    return v;
  };
  const s = make();
  const t = make();
  const u = make();
  const r = make();
  const mu = make();
  const fv = make(precision);
  const fw = make(precision);
  try {
    // a value of the format: RN at `precision` bits (exact as a binary64 number)
    const inFormat = (v: number, rnd = RNDN) => {
      b.mpfr_set_d(fv, v, rnd);
      return b.mpfr_get_d(fv, RNDN);
    };
    // 1. padding (a 32-bit LCG: deterministic and independent of the project's generators)
    let state = seed >>> 0 || 1;
    const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const x: number[] = [0];
    b.mpfr_set_ui(s, 0, RNDN);
    for (let j = 1; j < n; j++) {
      const v = inFormat(-1 / 64 - (10 - 1 / 64) * rand());
      x.push(v);
      b.mpfr_set_d(t, v, RNDN);
      b.mpfr_exp(t, t, RNDN);
      b.mpfr_add(s, s, t, RNDN);
    }
    // 2. q(s₀) and the midpoint μ beside it: format values a = RD(q), a⁺ = next above; for 'L'
    // μ > q(s₀) (q increases with s), for 'softmax' μ < q(s₀) (q decreases)
    const q = (out: number, sum: number) => {
      if (target === 'L') b.mpfr_log1p(out, sum, RNDN);
      else {
        b.mpfr_add_ui(out, sum, 1, RNDN);
        b.mpfr_ui_div(out, 1, out, RNDN);
      }
    };
    q(u, s);
    b.mpfr_set(fv, u, RNDD); // a
    b.mpfr_set(fw, fv, RNDN);
    b.mpfr_nextabove(fw); // a⁺
    b.mpfr_add(mu, fv, fw, RNDN);
    b.mpfr_div_2ui(mu, mu, 1, RNDN); // (a + a⁺)/2, exact at PREC bits
    if (target === 'L' && b.mpfr_lessequal_p(mu, u)) {
      b.mpfr_set(fv, fw, RNDN);
      b.mpfr_nextabove(fw);
      b.mpfr_add(mu, fv, fw, RNDN);
      b.mpfr_div_2ui(mu, mu, 1, RNDN);
    } else if (target === 'softmax' && b.mpfr_greaterequal_p(mu, u)) {
      b.mpfr_set(fw, fv, RNDN);
      b.mpfr_nextbelow(fv);
      b.mpfr_add(mu, fv, fw, RNDN);
      b.mpfr_div_2ui(mu, mu, 1, RNDN);
    }
    // s* = q⁻¹(μ): expm1(μ), or 1/μ − 1; r = s* − s₀ > 0
    if (target === 'L') b.mpfr_expm1(r, mu, RNDN);
    else {
      b.mpfr_ui_div(r, 1, mu, RNDN);
      b.mpfr_sub_ui(r, r, 1, RNDN);
    }
    b.mpfr_sub(r, r, s, RNDN);
    if (b.mpfr_sgn(r) <= 0) throw new Error('hardRow: the midpoint is on the wrong side');
    // 3. greedy fill until q(s) is within 2^−bits of μ
    const distance = () => {
      q(u, s);
      b.mpfr_sub(u, u, mu, RNDN);
      b.mpfr_div(u, u, mu, RNDN);
      if (b.mpfr_zero_p(u)) return -Infinity;
      b.mpfr_abs(u, u, RNDN);
      b.mpfr_log2(u, u, RNDN);
      return b.mpfr_get_d(u, RNDN);
    };
    let fill = 0;
    let d = distance();
    while (d > -bits) {
      if (fill > 1000) throw new Error('hardRow: the fill does not converge');
      b.mpfr_log(t, r, RNDD);
      b.mpfr_set(fv, t, RNDD); // the format's largest value ≤ ln r
      const v = b.mpfr_get_d(fv, RNDN);
      x.push(v);
      fill++;
      b.mpfr_set_d(t, v, RNDN);
      b.mpfr_exp(t, t, RNDN);
      b.mpfr_sub(r, r, t, RNDN);
      b.mpfr_add(s, s, t, RNDN);
      d = distance();
    }
    return { x, log2Distance: d, fill };
  } finally {
    for (const v of vars) {
      b.mpfr_clear(v);
      b.mpfr_t_free(v);
    }
  }
}
