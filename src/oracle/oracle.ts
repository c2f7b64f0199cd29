import { Decimal } from 'decimal.js';
import { exactDecimal } from '../formats/exact.js';
import { isRepresentable } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import type { FormatSpec } from '../formats/types.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { oracleCounters } from './counters.js';
import { fastEvaluate, type FastOutcome } from './fastpath.js';
import { arith, decide, exact, expInterval, log1pInterval, type Arith, type Interval } from './interval.js';
import { isOp, needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
import { OracleInputError, type OracleOptions, type OracleResult } from './types.js';

/** Default cap of the adaptive loop, in significant decimal digits (about 6600 bits). */
const DEFAULT_MAX_DIGITS = 2000;

/**
 * First working precision: 20 digits (66 bits) already exceed binary64's 53 bits by 13 bits of
 * margin for the rounding test, plus one digit per decade of n for the sum's accumulated width.
 */
function initialDigits(n: number): number {
  return 20 + Math.ceil(Math.log10(n + 1));
}

/**
 * Working precision at which the slow path takes over an element the fast path left undecided:
 * the fast path's enclosures are about 95 bits (29 digits) wide, so such an element lies close to
 * a rounding boundary and starting lower would be wasted work.
 */
const HANDOFF_DIGITS = 40;

/**
 * Differences x_j − max of two format values are formed exactly: binary64 values span decimal
 * positions 10^308 down to 10^−1074, so an exact difference has at most 1383 significant digits.
 */
const EXACT = Decimal.clone({ precision: 1600, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/**
 * The correctly rounded value of `op` at logits `x` in `format`.
 *
 * Definitions (docs/design.md, "Ops"): softmax(x)_i = e^(x_i) / Σ_j e^(x_j); log_softmax(x)_i = x_i − LSE(x);
 * logsumexp(x) = LSE(x) = ln Σ_j e^(x_j); cross_entropy(x, k) = LSE(x) − x_k;
 * cross_entropy_grad(x, k) = softmax(x) − onehot(k). Each element of the result is the exact
 * real value rounded to nearest, ties to even, directly into `format`, with gradual underflow and
 * IEEE overflow. Scalar ops return a length-1 `values`.
 *
 * Method (Ziv's strategy): a fast path first encloses every element in double-double arithmetic
 * with rigorous error bounds and decides what it can (fastpath.ts); the elements it leaves
 * undecided (near a rounding boundary, or outside its range) go to the slow path below, element
 * by element, starting at HANDOFF_DIGITS. Both paths decide with the same `decideWith`.
 *
 * Slow path (interval arithmetic): with m = max x at the first index k* and the
 * exact differences d_j = x_j − m ≤ 0, every op is written so that nothing cancels:
 * s = Σ_{j≠k*} e^(d_j) ≥ 0, softmax_i = e^(d_i)/(1 + s), L = ln(1 + s) (log1p, accurate for tiny
 * s), log_softmax_i = d_i − L (both ≤ 0), logsumexp = m + L, cross_entropy = L − d_k (both ≥ 0),
 * and at a label k with d_k = 0 the gradient is −s/(1 + s) instead of softmax_k − 1. Each quantity
 * is enclosed in an interval by directed rounding at D decimal digits (see interval.ts); an
 * element whose enclosure decides its rounding is final (`decide`), the others are recomputed at
 * 2D digits, up to `maxDigits`, past which they are returned as `undetermined` with the nearer
 * candidate. Only logsumexp = m + L can cancel (m < 0 < L); the widening loop handles it.
 *
 * Terms far below the max are never exponentiated: when d_j < −T with
 * T = (p − emin + 2)·ln 2 + ln(n + 1) + D·ln 10 + 2, e^(d_j) < e^(−T) is counted as the interval
 * (0, 10^(−⌊T/ln 10⌋)]. Their total is below half the format's smallest subnormal by a factor
 * 10^D, so it can decide nothing by itself but is still accounted for (this is how
 * log_softmax([0, −1000]) in f64 gets −0 at the max: −log1p(s) with 0 < s < e^−1000).
 * A softmax numerator below e^(−T) rounds to +0 outright for the same reason.
 *
 * Special cases (the special-values policy, docs/design.md, "Special values"):
 * - any NaN logit → every output NaN;
 * - −Inf logits contribute e^(−Inf) = 0: softmax 0, log_softmax −Inf; all −Inf (or, for
 *   cross_entropy(_grad), the limit is undefined) → softmax, log_softmax, cross_entropy and its
 *   gradient NaN, logsumexp −Inf; a −Inf label with finite logits elsewhere gives cross_entropy
 *   +Inf and gradient −1 at the label;
 * - +Inf logits: the limit as they grow together: the c entries at +Inf get 1/c each, the others 0;
 *   log_softmax −ln c at them and −Inf elsewhere; logsumexp +Inf; cross_entropy ln c when the
 *   label is at +Inf and +Inf otherwise; the gradient is that softmax minus onehot(k);
 * - empty x: softmax and log_softmax return an empty result, logsumexp −Inf (the empty sum is 0);
 *   cross entropy needs a label in [0, n), so an empty x is an input error there;
 * - a nonzero exact result that rounds to zero keeps its sign; an exact zero is +0;
 * - every finite logit equal (e.g. one logit): results are exact (1/c, −ln c, …), and decided
 *   exactly: softmax of one logit is exactly 1.
 *
 * Throws OracleInputError for an unknown op or format, a logit that is not a number or not
 * representable in `format`, and a missing, non-integer or out-of-range label.
 */
export function oracle(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
  options: OracleOptions = {},
): OracleResult {
  if (!isOp(op))
    throw new OracleInputError(
      `unknown op '${String(op)}': expected softmax, log_softmax, logsumexp, cross_entropy or cross_entropy_grad`,
    );
  let fmt: FormatSpec;
  try {
    fmt = formatSpec(format);
  } catch (e) {
    throw new OracleInputError((e as Error).message);
  }
  const maxDigits = options.maxDigits ?? DEFAULT_MAX_DIGITS;
  if (!Number.isInteger(maxDigits) || maxDigits < 20)
    throw new OracleInputError(`maxDigits must be an integer ≥ 20, got ${maxDigits}`);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new OracleInputError(`logit ${i} is not a number (${typeof v})`);
    if (!isRepresentable(fmt, v))
      throw new OracleInputError(
        `logit ${i} (${v}) is not representable in ${format}: give values of the format`,
      );
  }
  let k = -1;
  if (needsLabel(op)) {
    if (label === undefined || label === null)
      throw new OracleInputError(`${op} needs a label: an integer in [0, ${n})`);
    if (!Number.isInteger(label) || label < 0 || label >= n)
      throw new OracleInputError(`label ${label} is out of range: ${op} needs an integer in [0, ${n})`);
    k = label;
  }
  const outLen = outputLength(op, n);
  const nan = () => ({ values: new Float64Array(outLen).fill(NaN), undetermined: [] });

  let hasNaN = false;
  let posInf = 0;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) hasNaN = true;
    else if (v === Infinity) posInf++;
    else if (v !== -Infinity) finite++;
  }
  if (hasNaN) return nan();
  if (n === 0)
    return {
      values: op === 'logsumexp' ? Float64Array.of(-Infinity) : new Float64Array(0),
      undetermined: [],
    };
  if (posInf > 0) return infiniteLimit(op, fmt, x, k, posInf);
  if (finite === 0)
    return op === 'logsumexp' ? { values: Float64Array.of(-Infinity), undetermined: [] } : nan();
  const fast = options.fastPath === false ? null : fastEvaluate(op, fmt, x, k);
  if (fast === null) {
    oracleCounters.directSlowElements += outLen;
    if (outLen > 0) oracleCounters.slowEvaluations++;
    return evaluate(op, fmt, x, k, finite, maxDigits, null, Math.min(initialDigits(n), maxDigits));
  }
  const undecided = fast.pending.length;
  oracleCounters.fastElements += outLen - undecided;
  if (undecided === 0) return { values: fast.values, undetermined: [] };
  oracleCounters.slowElements += undecided;
  oracleCounters.slowEvaluations++;
  const digits = Math.min(Math.max(initialDigits(n), HANDOFF_DIGITS), maxDigits);
  return evaluate(op, fmt, x, k, finite, maxDigits, fast, digits);
}

/** Results when some logits are +Inf: the limit as those logits grow together (see `oracle`). */
function infiniteLimit(op: Op, fmt: FormatSpec, x: ArrayLike<number>, k: number, c: number): OracleResult {
  const a = arith(40);
  // 1/c and ln c: 40 digits decide them (1/c is exact or not dyadic; ln c is irrational for c ≥ 2)
  const share = decideAtOnce(fmt, { lo: a.F.div(1, c), hi: a.C.div(1, c) });
  const lnc = c === 1 ? exact(new a.F(0)) : log1pInterval(a, exact(new a.F(c - 1)));
  const n = x.length;
  switch (op) {
    case 'logsumexp':
      return { values: Float64Array.of(Infinity), undetermined: [] };
    case 'cross_entropy':
      return {
        values: Float64Array.of(x[k] === Infinity ? decideAtOnce(fmt, lnc) : Infinity),
        undetermined: [],
      };
    case 'softmax':
    case 'cross_entropy_grad': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = x[i] === Infinity ? share : 0;
      if (op === 'cross_entropy_grad') {
        out[k] =
          x[k] === Infinity
            ? decideAtOnce(fmt, { lo: a.F.sub(a.F.div(1, c), 1), hi: a.C.sub(a.C.div(1, c), 1) })
            : -1;
      }
      return { values: out, undetermined: [] };
    }
    case 'log_softmax': {
      const v = decideAtOnce(fmt, { lo: lnc.hi.neg(), hi: lnc.lo.neg() });
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = x[i] === Infinity ? v : -Infinity;
      return { values: out, undetermined: [] };
    }
  }
}

function decideAtOnce(fmt: FormatSpec, iv: Interval): number {
  const d = decide(fmt, iv);
  if (!d.decided) throw new Error('internal: a small exact case was not decided at 40 digits');
  return d.value;
}

/** Shared state of one evaluation across the precision levels. */
interface Shared {
  readonly op: Op;
  readonly fmt: FormatSpec;
  readonly x: ArrayLike<number>;
  readonly n: number;
  /** Label index or −1. */
  readonly k: number;
  /** First index of the max finite logit. */
  readonly kStar: number;
  /** The max finite logit, exactly. */
  readonly m: Decimal;
  /** Exact x_j − m for finite j (undefined at ±Inf entries). */
  readonly d: (Decimal | undefined)[];
  /** Number of finite logits. */
  readonly finite: number;
}

/**
 * The slow path: the adaptive loop over the elements `fast` left pending (all of them when
 * `fast` is null), from `startDigits` up to `maxDigits`.
 */
function evaluate(
  op: Op,
  fmt: FormatSpec,
  x: ArrayLike<number>,
  k: number,
  finite: number,
  maxDigits: number,
  fast: FastOutcome | null,
  startDigits: number,
): OracleResult {
  const n = x.length;
  let kStar = -1;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] > max) {
      max = x[i];
      kStar = i;
    }
  }
  const m = exactDecimal(max);
  const d: (Decimal | undefined)[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (v === -Infinity) continue;
    d[j] = v === max ? new EXACT(0) : EXACT.sub(exactDecimal(v), m);
  }
  const sh: Shared = { op, fmt, x, n, k, kStar, m, d, finite };

  const outLen = outputLength(op, n);
  const values = fast ? fast.values : new Float64Array(outLen);
  let pending: number[] = [];
  if (fast) pending = fast.pending.slice();
  else for (let i = 0; i < outLen; i++) pending.push(i);
  let digits = startDigits;
  for (;;) {
    const ivs = level(sh, arith(digits), pending);
    const still: number[] = [];
    for (let t = 0; t < pending.length; t++) {
      const i = pending[t];
      const r = ivs[t];
      if (typeof r === 'number') {
        values[i] = r;
        continue;
      }
      const dec = decide(fmt, r);
      if (dec.decided) values[i] = dec.value;
      else {
        values[i] = dec.nearer;
        still.push(i);
      }
    }
    pending = still;
    if (pending.length === 0 || digits >= maxDigits) break;
    digits = Math.min(maxDigits, digits * 2);
  }
  return { values, undetermined: pending };
}

/**
 * Encloses the requested output elements at one working precision. An element is either an
 * interval or an already-final number (structural zeros, −Inf entries).
 */
function level(sh: Shared, a: Arith, want: readonly number[]): (Interval | number)[] {
  const { op, fmt, n, k, kStar, d } = sh;
  const LN2 = Math.LN2;
  const T = (fmt.precision - fmt.emin + 2) * LN2 + Math.log(n + 1) + a.digits * Math.LN10 + 2;
  const cutExp10 = Math.floor(T / Math.LN10);
  const cutBound = new a.C(`1e-${cutExp10}`);
  const negT = -T;

  // e^(d_j) for the finite j ≠ k*, or 'cut' when d_j < −T
  const terms: (Interval | 'cut' | undefined)[] = new Array(n);
  let sLo = new a.F(0);
  let sHi = new a.C(0);
  let cut = 0;
  for (let j = 0; j < n; j++) {
    const dj = d[j];
    if (dj === undefined || j === kStar) continue;
    if (dj.lt(negT)) {
      terms[j] = 'cut';
      cut++;
      continue;
    }
    const t = expInterval(a, dj);
    terms[j] = t;
    sLo = a.F.add(sLo, t.lo);
    sHi = a.C.add(sHi, t.hi);
  }
  if (cut > 0) sHi = a.C.add(sHi, a.C.mul(cutBound, cut));
  const s: Interval = { lo: sLo, hi: sHi };
  const onePlusS: Interval = { lo: a.F.add(1, s.lo), hi: a.C.add(1, s.hi) };
  const sIsZero = sh.finite === 1;
  const needL = op === 'log_softmax' || op === 'logsumexp' || op === 'cross_entropy';
  const L = needL ? (sIsZero ? exact(new a.F(0)) : log1pInterval(a, s)) : undefined;

  const softmaxAt = (i: number): Interval | number => {
    const di = d[i];
    if (di === undefined) return 0; // −Inf logit
    const t = i === kStar ? exact(new a.F(1)) : terms[i];
    if (t === 'cut' || t === undefined) return 0; // below e^−T: rounds to +0 (see oracle())
    return { lo: a.F.div(t.lo, onePlusS.hi), hi: a.C.div(t.hi, onePlusS.lo) };
  };

  const out: (Interval | number)[] = [];
  for (const i of want) {
    switch (op) {
      case 'softmax':
        out.push(softmaxAt(i));
        break;
      case 'log_softmax': {
        const di = d[i];
        out.push(di === undefined ? -Infinity : { lo: a.F.sub(di, L!.hi), hi: a.C.sub(di, L!.lo) });
        break;
      }
      case 'logsumexp':
        // L = 0 exactly when one logit is finite: the result is m itself, exactly
        out.push(sIsZero ? exact(sh.m) : { lo: a.F.add(sh.m, L!.lo), hi: a.C.add(sh.m, L!.hi) });
        break;
      case 'cross_entropy': {
        const dk = d[k];
        out.push(dk === undefined ? Infinity : { lo: a.F.sub(L!.lo, dk), hi: a.C.sub(L!.hi, dk) });
        break;
      }
      case 'cross_entropy_grad': {
        if (i !== k) {
          out.push(softmaxAt(i));
          break;
        }
        const dk = d[k];
        if (dk === undefined) out.push(-1);
        else if (dk.isZero()) {
          // softmax_k − 1 = −s/(1 + s): no cancellation; s/(1+s) increases with s
          if (sIsZero) out.push(exact(new a.F(0)));
          else {
            const up = a.C.div(s.hi, a.F.add(1, s.hi));
            const down = a.F.div(s.lo, a.C.add(1, s.lo));
            out.push({ lo: up.neg(), hi: down.neg() });
          }
        } else {
          const sm = softmaxAt(k);
          // a cut label has 0 < softmax_k < e^−T: the gradient lies in (−1, −1 + e^−T)
          if (typeof sm === 'number') out.push({ lo: new a.F(-1), hi: a.C.add(-1, cutBound) });
          else out.push({ lo: a.F.sub(sm.lo, 1), hi: a.C.sub(sm.hi, 1) });
        }
        break;
      }
    }
  }
  return out;
}
