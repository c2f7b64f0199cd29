import { Decimal } from 'decimal.js';
import { exactDecimal } from '../formats/exact.js';
import { isRepresentable } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import type { FormatSpec } from '../formats/types.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { oracleCounters } from './counters.js';
import { fastEvaluate, type FastOutcome } from './fastpath.js';
import { arith, decide, exact, log1pInterval, type Arith, type Interval } from './interval.js';
import { fixedBase, type FixedBase } from './fixedExp.js';
import { fixedBits, sharedSum, summarizeRow, termInterval, type RowSummary } from './sharedSum.js';
import { isOp, needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
import { OracleInputError, type OracleOptions, type OracleResult } from './types.js';

/** Default cap of the adaptive loop, in significant decimal digits (about 6600 bits). */
const DEFAULT_MAX_DIGITS = 2000;

/**
 * First working precision when the fast path is skipped (equal logits, or `fastPath: false`): 20
 * digits (66 bits) already exceed binary64's 53 bits by 13 bits of margin for the rounding test,
 * plus one digit per decade of n, a margin kept from when this path summed in decimal (the
 * fixed-point sum now carries 48 guard bits of its own, sharedSum.ts).
 */
function initialDigits(n: number): number {
  return 20 + Math.ceil(Math.log10(n + 1));
}

/**
 * Working precision at which the slow path takes over the elements the fast path left undecided:
 * the fast path's enclosures are about 2^−98 wide relative to the value (30 digits), so such an
 * element lies close to a rounding boundary and starting lower would be wasted work.
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
 * Method (Ziv's strategy, docs/design.md, "Oracle"): a fast path first encloses every element in
 * double-double arithmetic with rigorous error bounds and decides what it can (fastpath.ts; its
 * sum is pairwise, so its error bound grows like log n, and on rows of 10^6 benign logits it
 * decides every element); the elements it leaves undecided (near a rounding boundary, or outside
 * its range) are escalated together, starting at HANDOFF_DIGITS. Both paths decide with the same
 * `decideWith`.
 *
 * Escalation (the slow path, interval arithmetic): with m = max x at the first index k* and the
 * exact differences d_j = x_j − m ≤ 0, every op is written so that nothing cancels:
 * s = Σ_{j≠k*} e^(d_j) ≥ 0, softmax_i = e^(d_i)/(1 + s), L = ln(1 + s) (log1p, accurate for tiny
 * s), log_softmax_i = d_i − L (both ≤ 0), logsumexp = m + L, cross_entropy = L − d_k (both ≥ 0),
 * and at a label k with d_k = 0 the gradient is −s/(1 + s) instead of softmax_k − 1. At each
 * precision level of D decimal digits, what the row shares is enclosed once for every pending
 * element (`rowLevel`): s in binary fixed point at about 3.32·D + 48 bits (sharedSum.ts,
 * fixedExp.ts: each distinct logit value exponentiated once and weighted by its count, summed
 * exactly), then 1 + s and L in decimal.js by directed rounding at D digits (interval.ts). Then
 * each group of pending elements with equal logits is enclosed once (`elementAt`) and decided
 * (`decide`); the undecided ones go to the next level at 2D digits, up to `maxDigits`, past which
 * they are returned as `undetermined` with the nearer candidate. So a hard element costs
 * O(distinct logits) fixed-point exponentials per level, shared with every other pending element,
 * and a row of equal logits (exact results, which skip the fast path) O(n) plain work. Only
 * logsumexp = m + L can cancel (m < 0 < L); the widening loop handles it.
 *
 * Terms far below the max are never exponentiated: when d_j < −T with
 * T = (p − emin + 2)·ln 2 + ln(n + 1) + D·ln 10 + 2, e^(d_j) < e^(−T) is counted as the interval
 * (0, 10^(−⌊T/ln 10⌋)] (a term is cut when its binary64 difference is at or below −T − 1, which
 * proves d_j < −T). Their total is below half the format's smallest subnormal by a factor
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
  options?: OracleOptions,
): OracleResult {
  return run(op, format, x, label, options, null);
}

/**
 * `oracle`, with the output indices in `escalate` handed to the slow path as if the fast path had
 * left them undecided (indices out of range are ignored). The results must be `oracle`'s: this is
 * for cross-checks of the escalation on long rows, whose elements the fast path nearly always
 * decides (test/oracle-vs-mpfr.test.ts, scripts/fuzz-oracle-fastpath.ts).
 */
export function oracleEscalating(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label: number | undefined,
  escalate: readonly number[],
  options?: OracleOptions,
): OracleResult {
  return run(op, format, x, label, options, escalate);
}

function run(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label: number | undefined,
  options: OracleOptions | undefined,
  escalate: readonly number[] | null,
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
  const maxDigits = options?.maxDigits ?? DEFAULT_MAX_DIGITS;
  if (!Number.isInteger(maxDigits) || maxDigits < 20)
    throw new OracleInputError(`maxDigits must be an integer ≥ 20, got ${maxDigits}`);
  const n = x.length;
  // one pass checks and counts the logits (per-call overhead that shows at n = 16)
  let hasNaN = false;
  let posInf = 0;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new OracleInputError(`logit ${i} is not a number (${typeof v})`);
    if (!isRepresentable(fmt, v))
      throw new OracleInputError(
        `logit ${i} (${v}) is not representable in ${format}: give values of the format`,
      );
    if (v !== v) hasNaN = true;
    else if (v === Infinity) posInf++;
    else if (v !== -Infinity) finite++;
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
  if (hasNaN) return allNaN(outLen);
  if (n === 0)
    return {
      values: op === 'logsumexp' ? Float64Array.of(-Infinity) : new Float64Array(0),
      undetermined: [],
    };
  if (posInf > 0) return infiniteLimit(op, fmt, x, k, posInf);
  if (finite === 0)
    return op === 'logsumexp' ? { values: Float64Array.of(-Infinity), undetermined: [] } : allNaN(outLen);
  const fast = options?.fastPath === false ? null : fastEvaluate(op, fmt, x, k);
  if (fast === null) {
    oracleCounters.directSlowElements += outLen;
    if (outLen > 0) oracleCounters.slowEvaluations++;
    return evaluate(op, fmt, x, k, maxDigits, null, Math.min(initialDigits(n), maxDigits));
  }
  let handed = fast;
  if (escalate !== null) {
    const set = new Set(fast.pending);
    for (const i of escalate) if (Number.isInteger(i) && i >= 0 && i < outLen) set.add(i);
    handed = { values: fast.values, pending: [...set].sort((p, q) => p - q) };
  }
  const undecided = handed.pending.length;
  oracleCounters.fastElements += outLen - undecided;
  if (undecided === 0) return { values: handed.values, undetermined: handed.pending }; // a fresh []
  oracleCounters.slowElements += undecided;
  oracleCounters.slowEvaluations++;
  const digits = Math.min(Math.max(initialDigits(n), HANDOFF_DIGITS), maxDigits);
  return evaluate(op, fmt, x, k, maxDigits, handed, digits);
}

function allNaN(outLen: number): OracleResult {
  return { values: new Float64Array(outLen).fill(NaN), undetermined: [] };
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

/**
 * Pending output elements whose exact values are the same function of the row (equal logits give
 * equal softmax, log_softmax and gradient elements, the gradient's label apart): enclosed and
 * decided once per precision level for all of them.
 */
interface Group {
  /** A representative output index. */
  readonly i: number;
  /** Every output index of the group, `i` included. */
  readonly members: number[];
  /** The exact difference x_i − m, computed when first needed. */
  d?: Decimal;
}

/** Groups the pending output indices (all of them when `pending` is null) by logit value. */
function groupPending(
  op: Op,
  x: ArrayLike<number>,
  k: number,
  pending: readonly number[] | null,
  outLen: number,
): Group[] {
  const out: Group[] = [];
  // scalar ops have one output element; the key is then irrelevant
  const byValue = new Map<number, Group>(); // SameValueZero: ±0 are one key, like their results
  const add = (i: number) => {
    if (op === 'cross_entropy_grad' && i === k) {
      out.push({ i, members: [i] });
      return;
    }
    const v = x[i];
    let g = byValue.get(v);
    if (!g) {
      g = { i, members: [] };
      byValue.set(v, g);
      out.push(g);
    }
    g.members.push(i);
  };
  if (pending) for (const i of pending) add(i);
  else for (let i = 0; i < outLen; i++) add(i);
  return out;
}

/**
 * The escalation (slow path): the adaptive loop over the elements `fast` left pending (all of
 * them when `fast` is null), from `startDigits` up to `maxDigits`. Per precision level, what the
 * row shares (s, 1 + s, L) is enclosed once (`rowLevel`), then each group of pending elements.
 */
function evaluate(
  op: Op,
  fmt: FormatSpec,
  x: ArrayLike<number>,
  k: number,
  maxDigits: number,
  fast: FastOutcome | null,
  startDigits: number,
): OracleResult {
  const n = x.length;
  const row = summarizeRow(x);
  const m = exactDecimal(row.max);
  const outLen = outputLength(op, n);
  const values = fast ? fast.values : new Float64Array(outLen);
  let groups = groupPending(op, x, k, fast ? fast.pending : null, outLen);
  let digits = startDigits;
  for (;;) {
    const lv = rowLevel(op, fmt, row, n, arith(digits));
    const still: Group[] = [];
    for (const g of groups) {
      const r = elementAt(op, lv, x, k, m, g);
      let v: number;
      if (typeof r === 'number') v = r;
      else {
        const dec = decide(fmt, r);
        if (dec.decided) v = dec.value;
        else {
          v = dec.nearer;
          still.push(g);
        }
      }
      for (const i of g.members) values[i] = v;
    }
    groups = still;
    if (groups.length === 0 || digits >= maxDigits) break;
    digits = Math.min(maxDigits, digits * 2);
  }
  const undetermined = groups.flatMap((g) => g.members).sort((p, q) => p - q);
  return { values, undetermined };
}

/** What every element of the row shares at one precision level. */
interface Level {
  readonly a: Arith;
  /** The row's max; its exact value is `m` of `evaluate`. */
  readonly max: number;
  /** Terms with x_j − max below −T are cut (see `oracle`). */
  readonly T: number;
  /** 10^(−⌊T/ln 10⌋) ≥ e^(−T): the bound of one cut term. */
  readonly cutBound: Decimal;
  /** The fixed-point base of the row's exponentials at this level. */
  readonly base: FixedBase;
  readonly s: Interval;
  readonly onePlusS: Interval;
  /** L = log1p(s), for the ops that need it. */
  readonly L: Interval | undefined;
  /** s = 0 exactly: one finite logit. */
  readonly sIsZero: boolean;
}

function rowLevel(op: Op, fmt: FormatSpec, row: RowSummary, n: number, a: Arith): Level {
  const T = (fmt.precision - fmt.emin + 2) * Math.LN2 + Math.log(n + 1) + a.digits * Math.LN10 + 2;
  const cutBound = new a.C(`1e-${Math.floor(T / Math.LN10)}`);
  const base = fixedBase(row.max, fixedBits(a.digits));
  const sum = sharedSum(a, row, base, T);
  oracleCounters.sharedSums++;
  oracleCounters.slowExponentials += sum.exponentials;
  const s: Interval =
    sum.cut > 0 ? { lo: sum.s.lo, hi: a.C.add(sum.s.hi, a.C.mul(cutBound, sum.cut)) } : sum.s;
  const onePlusS: Interval = { lo: a.F.add(1, s.lo), hi: a.C.add(1, s.hi) };
  const sIsZero = row.atMax === 1 && row.values.length === 0;
  const needL = op === 'log_softmax' || op === 'logsumexp' || op === 'cross_entropy';
  const L = needL ? (sIsZero ? exact(new a.F(0)) : log1pInterval(a, s)) : undefined;
  return { a, max: row.max, T, cutBound, base, s, onePlusS, L, sIsZero };
}

/** The exact x_i − m of a group's logit, computed once. */
function groupD(g: Group, xi: number, max: number, m: Decimal): Decimal {
  g.d ??= xi === max ? new EXACT(0) : EXACT.sub(exactDecimal(xi), m);
  return g.d;
}

/**
 * softmax_i = e^(d_i)/(1 + s) enclosed, or a final number: 0 for a −Inf logit, and +0 when
 * d_i < −T (below e^−T, see `oracle`).
 */
function softmaxAt(lv: Level, xi: number): Interval | number {
  const { a, onePlusS } = lv;
  if (xi === -Infinity) return 0;
  // x_i − max rounded to binary64 is within an ulp of the exact difference (or −∞ when that
  // overflows): at or below −T − 1, the exact difference is below −T
  if (!(xi - lv.max > -lv.T - 1)) return 0;
  const t = termInterval(a, lv.base, xi);
  return { lo: a.F.div(t.lo, onePlusS.hi), hi: a.C.div(t.hi, onePlusS.lo) };
}

/** Encloses the value of a group's elements at one level, or returns it when it is final. */
function elementAt(
  op: Op,
  lv: Level,
  x: ArrayLike<number>,
  k: number,
  m: Decimal,
  g: Group,
): Interval | number {
  const { a, L, s } = lv;
  const i = g.i;
  switch (op) {
    case 'softmax':
      return softmaxAt(lv, x[i]);
    case 'log_softmax': {
      if (x[i] === -Infinity) return -Infinity;
      const di = groupD(g, x[i], lv.max, m);
      return { lo: a.F.sub(di, L!.hi), hi: a.C.sub(di, L!.lo) };
    }
    case 'logsumexp':
      // L = 0 exactly when one logit is finite: the result is m itself, exactly
      return lv.sIsZero ? exact(m) : { lo: a.F.add(m, L!.lo), hi: a.C.add(m, L!.hi) };
    case 'cross_entropy': {
      if (x[k] === -Infinity) return Infinity;
      const dk = groupD(g, x[k], lv.max, m);
      return { lo: a.F.sub(L!.lo, dk), hi: a.C.sub(L!.hi, dk) };
    }
    case 'cross_entropy_grad': {
      if (i !== k) return softmaxAt(lv, x[i]);
      if (x[k] === -Infinity) return -1;
      if (x[k] === lv.max) {
        // softmax_k − 1 = −s/(1 + s): no cancellation; s/(1+s) increases with s
        if (lv.sIsZero) return exact(new a.F(0));
        const up = a.C.div(s.hi, a.F.add(1, s.hi));
        const down = a.F.div(s.lo, a.C.add(1, s.lo));
        return { lo: up.neg(), hi: down.neg() };
      }
      const sm = softmaxAt(lv, x[k]);
      // a cut label has 0 < softmax_k < e^−T: the gradient lies in (−1, −1 + e^−T)
      if (typeof sm === 'number') return { lo: new a.F(-1), hi: a.C.add(-1, lv.cutBound) };
      return { lo: a.F.sub(sm.lo, 1), hi: a.C.sub(sm.hi, 1) };
    }
  }
}
