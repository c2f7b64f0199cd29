/**
 * An independent MPFR reference for the five ops (test-only): softmax, log_softmax, logsumexp,
 * cross_entropy and cross_entropy_grad of finite logits, correctly rounded (nearest, ties to even,
 * gradual underflow, IEEE overflow) into f64, f32, f16 or bf16.
 *
 * It shares nothing with src/oracle (decimal.js) but the op names: its own format table, its own
 * arithmetic (MPFR through gmp-wasm), its own rounding into the formats (MPFR with the format's
 * exponent range and `mpfr_subnormalize`), so the cross-check in test/oracle-vs-mpfr.test.ts
 * compares two implementations that can only agree by both being right.
 *
 * Method: rigorous interval arithmetic with MPFR's directed roundings, escalating precision.
 * Every real quantity q is enclosed as lo ≤ q ≤ hi, lo computed with MPFR_RNDD and hi with
 * MPFR_RNDU through monotone steps, at working precision P bits. An element is *decided* when
 * both ends of its enclosure round to the same value of the format (compared with Object.is, so
 * the sign of zero must agree too); that value is then the correctly rounded result whatever the
 * formulation's own accuracy, because the exact result lies between the two ends and rounding is
 * monotone. Undecided elements are recomputed at 2P bits, up to a cap past which evaluate()
 * throws: the reference never guesses. (This is the "two precisions must agree" test made
 * rigorous: agreement of two roundings of one proven enclosure instead of two approximations.)
 *
 * Each end also carries a *strict* flag: true when the exact value is known to differ from that
 * end (a rounding was inexact, or an operand end was strict and the step is strictly monotone).
 * It decides results that sit on a rounding midpoint up to a term too small for any working
 * precision: log_softmax([1, −2^53]) in f64 is (−2^53 − 1) − log1p(e^(−2^53 − 1)), a hair below
 * the midpoint −2^53 − 1, so it rounds to −2^53 − 2 (ties-to-even would give −2^53). A strict
 * upper end at a midpoint rounds to the lower neighbour, a strict lower end to the upper one, and
 * a strict end at 0 to −0 (upper) or +0 (lower). The same flags give the sign of results that
 * round to zero: log_softmax([0, −1000])[0] = −log1p(e^−1000) < 0 is −0.
 *
 * Formulation (Blanchard, Higham & Higham 2021, shifted; it only affects speed, not
 * correctness): a = max x at its first index k*, d_i = x_i − a ≤ 0, t_i = e^(d_i), s = Σ_{i≠k*} t_i,
 * S = 1 + s, L = log1p(s). softmax_i = t_i / S; log_softmax_i = d_i − L; logsumexp = a + L;
 * cross_entropy(x, l) = L − d_l; cross_entropy_grad_i = softmax_i for i ≠ l and −r/S at the label,
 * where r = Σ_{j≠l} t_j (= S − t_l, so no cancellation near −1 or near 0). During the computation
 * MPFR's exponent range is its widest (about ±2^30 in this wasm build), so e^(d_i) far below every
 * format's range still counts in the sums; below even that range MPFR_RNDD gives a strict 0 and
 * MPFR_RNDU the least positive MPFR number, which the strict flags carry.
 *
 * Exact results: the interval steps are exact (closed ends) exactly when the result is exact, e.g.
 * one logit (softmax 1, log_softmax 0, logsumexp x) or ties (1/n). An exact zero is +0 (the
 * oracle's convention, and IEEE's x − x). By the Lindemann–Weierstrass theorem the results for
 * n ≥ 2 are otherwise transcendental or non-dyadic, so enclosures shrink away from midpoints.
 */
import type { GMPFunctions } from 'gmp-wasm';
import type { FormatName } from '../../src/vocabulary/FormatName.js';
import type { Op } from '../../src/vocabulary/Op.js';
import { RNDD, RNDN, RNDU, RNDZ, getMpfr } from './rounding.js';

/** One binary format, described independently of src/formats. */
interface Fmt {
  readonly name: FormatName;
  /** Significand bits, hidden bit included. */
  readonly p: number;
  /** IEEE exponent of the smallest normal, 2^emin. */
  readonly emin: number;
  /** IEEE exponent of the largest binade. */
  readonly emax: number;
  /** MPFR's exponent range emulating the format: E_min = emin − p + 2, E_max = emax + 1. */
  readonly mpEmin: number;
  readonly mpEmax: number;
  readonly maxFinite: number;
}

function fmtOf(name: FormatName, p: number, emax: number): Fmt {
  const emin = 1 - emax;
  // (2 − 2^(1−p))·2^emax: exact in binary64 (both factors are, and so is the product)
  const maxFinite = (2 - 2 ** (1 - p)) * 2 ** emax;
  return { name, p, emin, emax, mpEmin: emin - p + 2, mpEmax: emax + 1, maxFinite };
}

const FMTS: Readonly<Record<FormatName, Fmt>> = {
  f64: fmtOf('f64', 53, 1023),
  f32: fmtOf('f32', 24, 127),
  f16: fmtOf('f16', 11, 15),
  bf16: fmtOf('bf16', 8, 127),
};

function fmtByName(name: FormatName): Fmt {
  const f = (FMTS as Record<string, Fmt | undefined>)[name];
  if (!f) throw new RangeError(`reference: unknown format '${String(name)}'`);
  return f;
}

/** Options of one reference evaluation. */
interface ReferenceOptions {
  /** First working precision in bits (default: format precision + 40 + log2(n + 1)). */
  readonly startPrecision?: number;
  /** Precision cap in bits (default 1 << 17); an element still undecided there throws. */
  readonly maxPrecision?: number;
}

/** The reference's answer. */
interface ReferenceResult {
  /** Correctly rounded elements (length 1 for logsumexp and cross_entropy). */
  readonly values: Float64Array;
  /** The working precision, in bits, at which the last element was decided. */
  readonly precision: number;
}

/** Where an element's exact value lies relative to the nearest rounding midpoint of the format. */
interface MidpointDistance {
  /** The correctly rounded value. */
  readonly value: number;
  /** The nearest midpoint, as an exact decimal string (MPFR, base 10, all digits needed). */
  readonly midpoint: string;
  /**
   * (exact − midpoint) / g, where g is the gap between the two format values the midpoint
   * separates (the ULP at the result), to 6 significant digits: "-3.21748e-31".
   */
  readonly ulps: string;
  /** log2 of |ulps| (a JS number: fine even when |ulps| underflows binary64). */
  readonly log2: number;
}

/** An independent correctly rounded reference built on MPFR. */
export interface MpfrReference {
  /**
   * `op` at finite logits `x` (values of `format`), correctly rounded into `format`.
   *
   * Special cases: empty x → softmax and log_softmax empty, logsumexp −Inf (the empty sum is 0);
   * results that are exactly zero are +0; nonzero results that round to zero keep their sign.
   * Throws a RangeError for a non-finite logit (the special-value policy is not this module's
   * business), a logit not representable in the format, a bad label, or an element undecided at
   * `maxPrecision`.
   *
   * Notes: decided by proven enclosures (see the module comment), never by agreement of two
   * approximations; `precision` says how far it had to go (most inputs: the first level).
   */
  evaluate(
    op: Op,
    format: FormatName,
    x: ArrayLike<number>,
    label?: number,
    options?: ReferenceOptions,
  ): ReferenceResult;
  /**
   * The exact value of element `index` of `op` to `digits` significant decimal digits, rounded
   * to nearest ("9.85967654375977e-305" style, MPFR's digits). Notes: digits are those of an
   * enclosure whose two ends print alike, so they are correct (up to a decimal midpoint tie).
   */
  decimal(
    op: Op,
    format: FormatName,
    x: ArrayLike<number>,
    label: number | undefined,
    index: number,
    digits: number,
  ): string;
  /** How far element `index` lies from the nearest rounding midpoint of `format` (see MidpointDistance). */
  midpointDistance(
    op: Op,
    format: FormatName,
    x: ArrayLike<number>,
    label: number | undefined,
    index: number,
  ): MidpointDistance;
  /** RN_format(e^x) for a binary64 x, by MPFR directly (for known-answer derivations). */
  expInFormat(format: FormatName, x: number): number;
}

let shared: Promise<MpfrReference> | undefined;

/**
 * The MPFR reference, created once per process.
 *
 * Special cases: none; the returned object's methods throw RangeErrors as documented on
 * MpfrReference.
 *
 * Notes: it shares the gmp-wasm instance of test/mpfr/rounding.ts. MPFR's exponent range is
 * global state of that instance: every method sets the widest range for its computation and
 * restores the caller's range afterwards, so it can be mixed freely with rounding.ts's helpers.
 */
export function getMpfrReference(): Promise<MpfrReference> {
  shared ??= getMpfr().then((b) => new Reference(b));
  return shared;
}

/** An MPFR variable handle (a pointer into the wasm heap). */
type V = number;

/** An enclosure lo ≤ q ≤ hi; `loStrict`: lo < q is known, `hiStrict`: q < hi is known. */
interface Iv {
  lo: V;
  hi: V;
  loStrict: boolean;
  hiStrict: boolean;
}

/**
 * MPFR variables reused across evaluations: acquire() hands out the next one at the arena's
 * precision; reset() makes all of them available again (their memory is kept).
 */
class Arena {
  private readonly vars: V[] = [];
  private readonly precs: number[] = [];
  private used = 0;
  prec = 64;

  constructor(private readonly b: GMPFunctions) {}

  acquire(): V {
    const b = this.b;
    if (this.used === this.vars.length) {
      const v = b.mpfr_t();
      b.mpfr_init2(v, this.prec);
      this.vars.push(v);
      this.precs.push(this.prec);
    } else if (this.precs[this.used] !== this.prec) {
      b.mpfr_set_prec(this.vars[this.used], this.prec);
      this.precs[this.used] = this.prec;
    }
    return this.vars[this.used++];
  }

  reset(prec: number): void {
    this.used = 0;
    this.prec = prec;
  }
}

/** Whether an enclosure decides its rounding, and the value when it does. */
type Decision = { decided: true; value: number } | { decided: false };

class Reference implements MpfrReference {
  private readonly arena: Arena;
  /** Scratch variables of fixed precision for the rounding into a format. */
  private readonly out: V;
  private readonly mid: V;
  private readonly half: V;
  private readonly wideEmin: number;
  private readonly wideEmax: number;

  constructor(private readonly b: GMPFunctions) {
    this.arena = new Arena(b);
    this.out = b.mpfr_t();
    b.mpfr_init2(this.out, 53);
    // a format value plus half its quantum needs at most 54 bits
    this.mid = b.mpfr_t();
    b.mpfr_init2(this.mid, 64);
    this.half = b.mpfr_t();
    b.mpfr_init2(this.half, 8);
    this.wideEmin = b.mpfr_get_emin_min();
    this.wideEmax = b.mpfr_get_emax_max();
  }

  // ---------------------------------------------------------------- public API

  evaluate(
    op: Op,
    format: FormatName,
    x: ArrayLike<number>,
    label?: number,
    options: ReferenceOptions = {},
  ): ReferenceResult {
    const F = fmtByName(format);
    const l = this.validate(op, F, x, label);
    const n = x.length;
    const outLen = op === 'logsumexp' || op === 'cross_entropy' ? 1 : n;
    if (n === 0)
      return { values: op === 'logsumexp' ? Float64Array.of(-Infinity) : new Float64Array(0), precision: 0 };
    const values = new Float64Array(outLen);
    let pending = Array.from({ length: outLen }, (_, i) => i);
    // at least 64 bits: the logits are set exactly (binary64 needs 53)
    let P = Math.max(64, options.startPrecision ?? F.p + 40 + Math.ceil(Math.log2(n + 1)));
    const cap = options.maxPrecision ?? 1 << 17;
    let lastP = P;
    return this.withWideRange(() => {
      for (;;) {
        const ivs = this.level(op, F, x, l, P, pending);
        const still: number[] = [];
        for (let t = 0; t < pending.length; t++) {
          const d = this.decide(F, ivs[t]);
          if (d.decided) {
            values[pending[t]] = d.value;
            lastP = P;
          } else still.push(pending[t]);
        }
        pending = still;
        if (pending.length === 0) return { values, precision: lastP };
        if (P >= cap) {
          throw new RangeError(
            `reference: ${op}/${format} elements [${pending.join(', ')}] undecided at ${P} bits for x = [${Array.from(x).join(', ')}]`,
          );
        }
        P = Math.min(cap, P * 2);
      }
    });
  }

  decimal(
    op: Op,
    format: FormatName,
    x: ArrayLike<number>,
    label: number | undefined,
    index: number,
    digits: number,
  ): string {
    const F = fmtByName(format);
    const l = this.validate(op, F, x, label);
    return this.withWideRange(() => {
      for (let P = 64 + 4 * digits; P <= 1 << 18; P *= 2) {
        const iv = this.level(op, F, x, l, P, [index])[0];
        const a = this.sci(iv.lo, digits);
        if (a === this.sci(iv.hi, digits)) return a;
      }
      throw new RangeError(`reference: ${digits} digits of ${op}/${format} element ${index} undecided`);
    });
  }

  midpointDistance(
    op: Op,
    format: FormatName,
    x: ArrayLike<number>,
    label: number | undefined,
    index: number,
  ): MidpointDistance {
    const F = fmtByName(format);
    const value = this.evaluate(op, format, x, label).values[index];
    const l = this.validate(op, F, x, label);
    if (!Number.isFinite(value)) throw new RangeError('midpointDistance: the result is not finite');
    const b = this.b;
    // the two midpoints around |value|: above at |value| + g/2 (g = its quantum), below at
    // |value| − g/4 when |value| is a power of two above the subnormal range (the spacing halves
    // below it), else |value| − g/2; 0 has only the one above, minSub/2
    const mag = Math.abs(value);
    const qe = this.quantumExp(F, mag);
    const sides: { offExp: number; gapExp: number; sign: 1 | -1 }[] = [
      { offExp: qe - 1, gapExp: qe, sign: 1 },
    ];
    if (mag !== 0) {
      const pow2 =
        mag >= 2 ** F.emin &&
        2 ** Math.floor(Math.log2(mag)) === mag &&
        this.quantumExp(F, mag / 2) === qe - 1;
      sides.push(
        pow2 ? { offExp: qe - 2, gapExp: qe - 1, sign: -1 } : { offExp: qe - 1, gapExp: qe, sign: -1 },
      );
    }
    return this.withWideRange(() => {
      const l2 = (v: V): number => {
        // log2|v| from MPFR's exponent and a double significand: fine for any exponent
        const e = b.mpfr_get_exp(v);
        const m = Math.abs(b.mpfr_get_d_2exp(this.scratchLong(), v, RNDN));
        return e + Math.log2(m);
      };
      for (let P = F.p + 64; P <= 1 << 20; P *= 2) {
        const iv = this.level(op, F, x, l, P, [index])[0];
        this.arena.prec = P + 64;
        // work on |exact|: when value < 0 the enclosure of |q| is [−hi, −lo]
        const lo = this.arena.acquire();
        const hi = this.arena.acquire();
        if (value < 0 || Object.is(value, -0)) {
          b.mpfr_neg(lo, iv.hi, RNDD);
          b.mpfr_neg(hi, iv.lo, RNDU);
        } else {
          b.mpfr_set(lo, iv.lo, RNDD);
          b.mpfr_set(hi, iv.hi, RNDU);
        }
        let best: { d: MidpointDistance; l2: number } | undefined;
        let ok = true;
        for (const s of sides) {
          const mu = this.arena.acquire();
          b.mpfr_set_d(mu, mag, RNDN);
          b.mpfr_set_ui_2exp(this.half, 1, s.offExp, RNDN);
          if (s.sign > 0) b.mpfr_add(mu, mu, this.half, RNDN);
          else b.mpfr_sub(mu, mu, this.half, RNDN);
          // dist = (|q| − mu)/2^gapExp, enclosed by [lo − mu, hi − mu] (exact at P + 64 bits)
          const dlo = this.arena.acquire();
          const dhi = this.arena.acquire();
          b.mpfr_sub(dlo, lo, mu, RNDD);
          b.mpfr_sub(dhi, hi, mu, RNDU);
          b.mpfr_mul_2si(dlo, dlo, -s.gapExp, RNDD);
          b.mpfr_mul_2si(dhi, dhi, -s.gapExp, RNDU);
          if (b.mpfr_sgn(dlo) !== b.mpfr_sgn(dhi) || b.mpfr_zero_p(dlo)) {
            ok = false; // the enclosure still contains this midpoint: need more precision
            break;
          }
          const lLo = l2(dlo);
          const lHi = l2(dhi);
          if (Math.abs(lLo - lHi) > 1e-6) {
            ok = false;
            break;
          }
          // the sign is that of (exact − midpoint) for the signed value
          const signFlip = value < 0 || Object.is(value, -0) ? -1 : 1;
          const mid = this.arena.acquire();
          b.mpfr_set(mid, dlo, RNDN);
          if (signFlip < 0) b.mpfr_neg(mid, mid, RNDN);
          const ulps = this.sci(mid, 6);
          const muSigned = this.arena.acquire();
          b.mpfr_set(muSigned, mu, RNDN);
          if (signFlip < 0) b.mpfr_neg(muSigned, muSigned, RNDN);
          const d: MidpointDistance = { value, midpoint: this.exactDecimal(muSigned), ulps, log2: lLo };
          if (!best || lLo < best.l2) best = { d, l2: lLo };
        }
        if (ok && best) return best.d;
      }
      throw new RangeError(`midpointDistance: ${op}/${format} element ${index} not resolved`);
    });
  }

  expInFormat(format: FormatName, x: number): number {
    const F = fmtByName(format);
    if (!Number.isFinite(x)) throw new RangeError(`expInFormat: ${x} is not finite`);
    return this.withWideRange(() => {
      const b = this.b;
      for (let P = F.p + 64; P <= 1 << 16; P *= 2) {
        this.arena.reset(P);
        const lo2 = this.arena.acquire();
        const hi2 = this.arena.acquire();
        const xb = this.arena.acquire();
        b.mpfr_set_d(xb, x, RNDN); // exact: P ≥ 53
        const tl = b.mpfr_exp(lo2, xb, RNDD);
        const th = b.mpfr_exp(hi2, xb, RNDU);
        const d = this.decide(F, { lo: lo2, hi: hi2, loStrict: tl !== 0, hiStrict: th !== 0 });
        if (d.decided) return d.value;
      }
      throw new RangeError(`expInFormat: e^${x} undecided`);
    });
  }

  // ---------------------------------------------------------------- evaluation

  /** Checks the logits and the label; returns the label (or −1). */
  private validate(op: Op, F: Fmt, x: ArrayLike<number>, label: number | undefined): number {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new RangeError(`reference: logit ${i} (${v}) is not finite`);
      if (!Object.is(this.roundValue(F, v), v))
        throw new RangeError(`reference: logit ${i} (${v}) is not a ${F.name} value`);
    }
    if (op === 'cross_entropy' || op === 'cross_entropy_grad') {
      if (label === undefined || !Number.isInteger(label) || label < 0 || label >= x.length) {
        throw new RangeError(`reference: ${op} needs a label in [0, ${x.length}), got ${label}`);
      }
      return label;
    }
    return -1;
  }

  private withWideRange<T>(body: () => T): T {
    const b = this.b;
    const oldMin = b.mpfr_get_emin();
    const oldMax = b.mpfr_get_emax();
    b.mpfr_set_emin(this.wideEmin);
    b.mpfr_set_emax(this.wideEmax);
    try {
      return body();
    } finally {
      b.mpfr_set_emin(oldMin);
      b.mpfr_set_emax(oldMax);
    }
  }

  /** Enclosures of the wanted output elements at precision P (see the module comment). */
  private level(
    op: Op,
    F: Fmt,
    x: ArrayLike<number>,
    label: number,
    P: number,
    want: readonly number[],
  ): Iv[] {
    const b = this.b;
    const A = this.arena;
    A.reset(P);
    const n = x.length;
    let kStar = 0;
    for (let i = 1; i < n; i++) if (x[i] > x[kStar]) kStar = i;
    const aVal = x[kStar];
    const a = A.acquire();
    b.mpfr_set_d(a, aVal, RNDN); // exact: P ≥ 53

    const exact = (v: number): Iv => {
      const w = A.acquire();
      b.mpfr_set_d(w, v, RNDN);
      return { lo: w, hi: w, loStrict: false, hiStrict: false };
    };
    const zero = exact(0);
    const one = exact(1);

    // d_i = x_i − a and t_i = e^(d_i)
    const dI: Iv[] = new Array(n);
    const tI: Iv[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (x[i] === aVal) {
        dI[i] = zero;
        tI[i] = one;
        continue;
      }
      const lo = A.acquire();
      const hi = A.acquire();
      const xi = A.acquire();
      b.mpfr_set_d(xi, x[i], RNDN);
      const tl = b.mpfr_sub(lo, xi, a, RNDD);
      const th = b.mpfr_sub(hi, xi, a, RNDU);
      dI[i] = { lo, hi, loStrict: tl !== 0, hiStrict: th !== 0 };
      tI[i] = this.exp(dI[i]);
    }
    const sumExcept = (skip: number): Iv => {
      let acc = zero;
      for (let j = 0; j < n; j++) if (j !== skip) acc = this.add(acc, tI[j]);
      return acc;
    };
    const s = sumExcept(kStar);
    const S = this.add(one, s);
    let L: Iv | undefined;
    const getL = (): Iv => (L ??= this.log1p(s));

    const out: Iv[] = [];
    for (const i of want) {
      switch (op) {
        case 'softmax':
          out.push(this.div(tI[i], S));
          break;
        case 'log_softmax':
          out.push(this.sub(dI[i], getL()));
          break;
        case 'logsumexp':
          out.push(this.add({ lo: a, hi: a, loStrict: false, hiStrict: false }, getL()));
          break;
        case 'cross_entropy':
          out.push(this.sub(getL(), dI[label]));
          break;
        case 'cross_entropy_grad':
          out.push(i === label ? this.neg(this.div(sumExcept(label), S)) : this.div(tI[i], S));
          break;
      }
    }
    return out;
  }

  // ------------------------------------------------ interval steps (all monotone, directed)

  private exp(u: Iv): Iv {
    const A = this.arena;
    const lo = A.acquire();
    const hi = A.acquire();
    const tl = this.b.mpfr_exp(lo, u.lo, RNDD);
    const th = this.b.mpfr_exp(hi, u.hi, RNDU);
    return { lo, hi, loStrict: u.loStrict || tl !== 0, hiStrict: u.hiStrict || th !== 0 };
  }

  /** log1p of a nonnegative enclosure. */
  private log1p(u: Iv): Iv {
    if (u.lo === u.hi && !u.loStrict && !u.hiStrict && this.b.mpfr_zero_p(u.lo)) return u;
    const A = this.arena;
    const lo = A.acquire();
    const hi = A.acquire();
    const tl = this.b.mpfr_log1p(lo, u.lo, RNDD);
    const th = this.b.mpfr_log1p(hi, u.hi, RNDU);
    return { lo, hi, loStrict: u.loStrict || tl !== 0, hiStrict: u.hiStrict || th !== 0 };
  }

  private add(u: Iv, v: Iv): Iv {
    const A = this.arena;
    const lo = A.acquire();
    const hi = A.acquire();
    const tl = this.b.mpfr_add(lo, u.lo, v.lo, RNDD);
    const th = this.b.mpfr_add(hi, u.hi, v.hi, RNDU);
    return {
      lo,
      hi,
      loStrict: u.loStrict || v.loStrict || tl !== 0,
      hiStrict: u.hiStrict || v.hiStrict || th !== 0,
    };
  }

  private sub(u: Iv, v: Iv): Iv {
    const A = this.arena;
    const lo = A.acquire();
    const hi = A.acquire();
    const tl = this.b.mpfr_sub(lo, u.lo, v.hi, RNDD);
    const th = this.b.mpfr_sub(hi, u.hi, v.lo, RNDU);
    return {
      lo,
      hi,
      loStrict: u.loStrict || v.hiStrict || tl !== 0,
      hiStrict: u.hiStrict || v.loStrict || th !== 0,
    };
  }

  /**
   * u / v for u ≥ 0 and v > 0. A closed zero numerator gives a closed zero (0/v is 0 whatever
   * v is), so the divisor's strictness only counts for a nonzero numerator end.
   */
  private div(u: Iv, v: Iv): Iv {
    const b = this.b;
    const A = this.arena;
    const lo = A.acquire();
    const hi = A.acquire();
    const tl = b.mpfr_div(lo, u.lo, v.hi, RNDD);
    const th = b.mpfr_div(hi, u.hi, v.lo, RNDU);
    return {
      lo,
      hi,
      loStrict: u.loStrict || (v.hiStrict && !b.mpfr_zero_p(u.lo)) || tl !== 0,
      hiStrict: u.hiStrict || (v.loStrict && !b.mpfr_zero_p(u.hi)) || th !== 0,
    };
  }

  private neg(u: Iv): Iv {
    const A = this.arena;
    const lo = A.acquire();
    const hi = A.acquire();
    this.b.mpfr_neg(lo, u.hi, RNDN);
    this.b.mpfr_neg(hi, u.lo, RNDN);
    return { lo, hi, loStrict: u.hiStrict, hiStrict: u.loStrict };
  }

  // ---------------------------------------------------------------- rounding into the format

  /** Whether an enclosure decides the rounding, and the value if so. */
  private decide(F: Fmt, iv: Iv): Decision {
    const vLo = this.roundEnd(F, iv.lo, iv.loStrict, -1);
    const vHi = this.roundEnd(F, iv.hi, iv.hiStrict, +1);
    return Object.is(vLo, vHi) ? { decided: true, value: vLo } : { decided: false };
  }

  /**
   * The rounding of the exact value q when all that is known near end e is: q = e (closed), or q
   * a hair above e (strict lower end, side −1) or below e (strict upper end, side +1).
   * A closed zero is the exact zero: +0.
   */
  private roundEnd(F: Fmt, e: V, strict: boolean, side: -1 | 1): number {
    const b = this.b;
    if (b.mpfr_zero_p(e)) return strict ? (side < 0 ? 0 : -0) : 0;
    const r = this.roundMpfr(F, e, RNDN);
    if (!strict) return r;
    // q is infinitesimally off e: the rounding differs from RN(e) only when e is a midpoint
    const neg = b.mpfr_signbit(e) !== 0;
    const rz = Math.abs(this.roundMpfr(F, e, RNDZ));
    const qe = this.quantumExp(F, rz);
    b.mpfr_set_d(this.mid, rz, RNDN);
    b.mpfr_set_ui_2exp(this.half, 1, qe - 1, RNDN);
    b.mpfr_add(this.mid, this.mid, this.half, RNDN); // exact: ≤ 54 significant bits
    if (b.mpfr_cmpabs(e, this.mid) !== 0) return r;
    // q moves away from zero when (side < 0) === neg … e.g. a strict upper end (q < e) of a
    // negative e means |q| > |e|
    const away = side > 0 === neg;
    const m = away ? (rz === F.maxFinite ? Infinity : rz + 2 ** qe) : rz;
    return neg ? -m : m;
  }

  /** The exponent of the quantum (spacing) of the format at the magnitude `m` (a format value). */
  private quantumExp(F: Fmt, m: number): number {
    if (m < 2 ** F.emin) return F.emin - F.p + 1;
    let e = Math.floor(Math.log2(m));
    if (2 ** e > m) e -= 1;
    else if (2 ** (e + 1) <= m) e += 1;
    return e - F.p + 1;
  }

  /**
   * RN or RZ of an MPFR number into the format, with MPFR's exponent range set to the format's
   * and mpfr_subnormalize. The argument must lie in the current range for mpfr_set, so the
   * magnitudes outside it are settled first: above 2^(E_max) (MPFR convention) it overflows;
   * below 2^(E_min − 2) = minSub/2 it is under half the least subnormal and rounds to ±0; in
   * [minSub/2, minSub) it rounds to nearest between 0 and minSub (the tie to 0, the even one).
   */
  private roundMpfr(F: Fmt, e: V, rnd: typeof RNDN | typeof RNDZ): number {
    const b = this.b;
    const neg = b.mpfr_signbit(e) !== 0;
    const sgn = (m: number) => (neg ? -m : m);
    if (b.mpfr_zero_p(e)) return sgn(0);
    const E = b.mpfr_get_exp(e);
    if (E > F.mpEmax) return sgn(rnd === RNDN ? Infinity : F.maxFinite);
    if (E < F.mpEmin - 1) return sgn(0);
    const minSub = 2 ** (F.emin - F.p + 1);
    if (E === F.mpEmin - 1) {
      if (rnd === RNDZ) return sgn(0);
      b.mpfr_set_ui_2exp(this.half, 1, F.mpEmin - 2, RNDN); // minSub/2, exactly
      return sgn(b.mpfr_cmpabs(e, this.half) === 0 ? 0 : minSub);
    }
    const oldMin = b.mpfr_get_emin();
    const oldMax = b.mpfr_get_emax();
    b.mpfr_set_emin(F.mpEmin);
    b.mpfr_set_emax(F.mpEmax);
    b.mpfr_set_prec(this.out, F.p);
    const t = b.mpfr_set(this.out, e, rnd);
    b.mpfr_subnormalize(this.out, t, rnd);
    b.mpfr_set_emin(oldMin);
    b.mpfr_set_emax(oldMax);
    // a value of the format is a binary64 value, so mpfr_get_d returns it exactly
    return b.mpfr_get_d(this.out, RNDN);
  }

  /** RN of a binary64 value into the format (used to check that logits are format values). */
  private roundValue(F: Fmt, v: number): number {
    if (v === 0) return v;
    return this.withWideRange(() => {
      const b = this.b;
      this.arena.reset(64);
      const w = this.arena.acquire();
      b.mpfr_set_d(w, v, RNDN);
      return this.roundMpfr(F, w, RNDN);
    });
  }

  // ---------------------------------------------------------------- printing

  private longPtr: number | undefined;
  private scratchLong(): number {
    this.longPtr ??= this.b.malloc(8);
    return this.longPtr;
  }

  /** `digits` significant decimal digits of v (round to nearest) as "d.ddde±x". */
  private sci(v: V, digits: number): string {
    const b = this.b;
    if (b.mpfr_zero_p(v)) return b.mpfr_signbit(v) ? '-0' : '0';
    const ep = this.scratchLong();
    const sp = b.mpfr_get_str(0, ep, 10, digits, v, RNDN);
    const raw = readCString(b, sp);
    b.mpfr_free_str(sp);
    const e10 = b.memView.getInt32(ep, true);
    const neg = raw.startsWith('-');
    const ds = neg ? raw.slice(1) : raw;
    const mant = ds.length > 1 ? `${ds[0]}.${ds.slice(1)}` : ds;
    return `${neg ? '-' : ''}${mant}e${e10 - 1}`;
  }

  /** All the decimal digits of a number with a finite binary expansion (≤ 64 bits). */
  private exactDecimal(v: V): string {
    const b = this.b;
    // m·2^(E−bits) with m < 2^bits: an integer part of at most 0.302·max(E, bits) digits, and each
    // of the (bits − E) fraction bits adds a digit to m·5^(bits−E)'s 0.7 per bit; ask for enough
    // and strip the trailing zeros
    const bits = b.mpfr_min_prec(v);
    const E = b.mpfr_get_exp(v);
    const digits = Math.ceil(0.302 * Math.max(E, bits) + 0.7 * Math.max(0, bits - E)) + 3;
    const s = this.sci(v, digits);
    const [m, ex] = s.split('e');
    const trimmed = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    return `${trimmed}e${ex}`;
  }
}

function readCString(b: GMPFunctions, ptr: number): string {
  const mem = b.mem;
  let end = ptr;
  while (mem[end] !== 0) end++;
  return new TextDecoder().decode(mem.subarray(ptr, end));
}
