import { formatSpec } from '../formats/specs.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { ulpOf } from '../formats/ulp.js';
import { needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
import { algorithmBounds, type AlgorithmBounds, type BoundParts } from './algorithmBounds.js';
import { boundToUlps, ulpCap, type ErrorBound } from './boundToUlps.js';
import { down, up } from './directed.js';

/**
 * The algorithm's bounds already derived for one input row in one format, by op and label: the
 * derivation costs O(n) exponentials, and a campaign judges a row once per implementation.
 */
export type BoundsMemo = Map<string, AlgorithmBounds>;

/**
 * `algorithmBounds(op, format, x, label)`, looked up in `memo` first and kept there (no memo:
 * derived afresh). `x` must be the row's finite logits as the special-values policy leaves them,
 * the same for every caller of one memo: the key is only the op and the label.
 */
export function memoizedBounds(
  memo: BoundsMemo | undefined,
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
): AlgorithmBounds {
  const key = `${op}|${label ?? ''}`;
  let ab = memo?.get(key);
  if (!ab) {
    ab = algorithmBounds(op, format, x, label);
    memo?.set(key, ab);
  }
  return ab;
}

/** How the input was treated under the special-values policy (docs/design.md, "Special values"). */
type SpecialInput = 'none' | 'empty' | 'nan' | 'posinf' | 'neginf';

/** A budget with the derivation behind it, per output element. */
export interface BudgetBreakdown {
  /** Budget in ULPs per output element (length 1 for scalar ops). */
  readonly ulps: Float64Array;
  /** The error bound behind each element; `null` where the policy or the algorithm is exact. */
  readonly bounds: readonly (ErrorBound | null)[];
  /** Why no a-priori bound exists (Θ ≥ 1 or z* ≥ 1, see algorithmBounds.ts); else null. */
  readonly vacuous: string | null;
  /** ulpCap of the format: the budget when the bound is vacuous. */
  readonly cap: number;
  /** The policy case of the input. */
  readonly special: SpecialInput;
  /** The derivation's intermediate quantities on the finite logits, when any were bounded. */
  readonly parts: BoundParts | null;
}

/**
 * The per-element budget, in ULPs of `format`, of the recommended stable algorithm for `op` on
 * `x` (Blanchard, Higham & Higham 2021: shifted softmax with division, logsumexp = a + log1p(s),
 * the sums pairwise; see algorithmBounds.ts for the derivation and boundToUlps.ts for the
 * conversion to ULPs) — whatever formula the implementation under test uses.
 *
 * Contract: an implementation of that algorithm in `format` (exp and log1p within 1 ULP, other
 * operations correctly rounded, s = Σ_{j≠max} exp(x_j − max) summed pairwise and S = 1 + s, or
 * S summed blocked-pairwise over all n terms: a summation tree of depth ≤ ⌈log₂ n⌉ + 1, see
 * summationDepth.ts) is within budget of the correctly rounded result at every element. The
 * sum's error grows as γ_{⌈log₂ n⌉+1}, so a long row still gets a budget of a few dozen ULPs
 * (softmax, n = 2^18: 42 ULPs at the max, about 2(23 + |x_i − max|) elsewhere), and a recursive
 * sum that stagnates or drifts on it fails. Where the bound is vacuous (Θ ≥ 1 or z* ≥ 1, out of
 * reach of real rows) the budget is ulpCap = 2^(p−1) − 1 so that a relative error ≥ 1 still
 * fails.
 *
 * `overrideUlps` (`--budget ULPS`) replaces it by that constant for every element.
 * `reference` (the oracle's row for this input and format, if the caller has it) narrows the
 * enclosure of each exact result to within half an ULP of the reference, which only matters
 * where the result is near zero (logsumexp's cancellation); without it binary64 enclosures are
 * used.
 *
 * Special cases (the policy's results are limits the algorithm does not compute; they are
 * budgeted as the algorithm would do on the reduced input):
 * - empty x: every element (logsumexp's −Inf) is exact: 0;
 * - a NaN logit: every output is NaN: 0;
 * - +Inf logits: logsumexp is +Inf: 0; otherwise the limit equals the op on x with the +Inf
 *   logits replaced by 0 and every other logit by −Inf (softmax 1/c, log_softmax −ln c,
 *   cross_entropy ln c or +Inf): budgeted as that input;
 * - −Inf logits contribute e^−Inf = 0 exactly: their own outputs are exact (0, −Inf; −1 at a
 *   cross_entropy_grad label, +Inf for a cross_entropy label) and the rest is budgeted on the
 *   finite logits alone; all −Inf: exact (NaN or −Inf).
 * Throws a RangeError for a missing or out-of-range label of the cross-entropy ops or a negative
 * or non-numeric override.
 */
export function budget(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
  overrideUlps?: number,
  reference?: ArrayLike<number>,
): Float64Array {
  if (overrideUlps !== undefined) {
    if (!(overrideUlps >= 0))
      throw new RangeError(`--budget must be a number of ULPs ≥ 0, got ${overrideUlps}`);
    checkLabel(op, x.length, label);
    return new Float64Array(outputLength(op, x.length)).fill(overrideUlps);
  }
  return budgetBreakdown(op, format, x, label, reference).ulps;
}

/**
 * `budget` with its derivation: bounds, vacuity, the policy case and the intermediate parts.
 * With `need`, only the elements it accepts are budgeted (the others read 0): a judge needs a
 * budget only where the output differs from the correctly rounded value, and rows run to 2^18.
 * With `memo` (one per input row and format, the caller's promise; an empty Map to start), the
 * algorithm's bounds are derived once and shared by every implementation judged on that row.
 */
export function budgetBreakdown(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
  reference?: ArrayLike<number>,
  need?: (i: number) => boolean,
  memo?: BoundsMemo,
): BudgetBreakdown {
  const fmt = formatSpec(format);
  const n = x.length;
  checkLabel(op, n, label);
  const outLen = outputLength(op, n);
  const cap = ulpCap(fmt);
  const exactAll = (special: SpecialInput): BudgetBreakdown => ({
    ulps: new Float64Array(outLen),
    bounds: new Array<ErrorBound | null>(outLen).fill(null),
    vacuous: null,
    cap,
    special,
    parts: null,
  });
  if (n === 0) return exactAll('empty');
  let hasNaN = false;
  let hasPosInf = false;
  let hasNegInf = false;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) hasNaN = true;
    else if (v === Infinity) hasPosInf = true;
    else if (v === -Infinity) hasNegInf = true;
  }
  if (hasNaN) return exactAll('nan');
  let xr: ArrayLike<number> = x;
  let special: SpecialInput = hasNegInf ? 'neginf' : 'none';
  if (hasPosInf) {
    if (op === 'logsumexp') return exactAll('posinf');
    xr = Array.from(x, (v) => (v === Infinity ? 0 : -Infinity));
    special = 'posinf';
  }
  // the finite logits; −Inf contributes an exact 0 (no copy when every logit is finite: rows run to 2^18)
  let finite = 0;
  for (let i = 0; i < n; i++) if (xr[i] !== -Infinity) finite++;
  if (finite === 0) return { ...exactAll(special), special };
  const keep: Int32Array | null = finite === n ? null : new Int32Array(finite);
  let sub: ArrayLike<number> = xr;
  if (keep) {
    const xs = new Float64Array(finite);
    for (let i = 0, t = 0; i < n; i++)
      if (xr[i] !== -Infinity) {
        keep[t] = i;
        xs[t++] = xr[i];
      }
    sub = xs;
  }
  /** Position of output element i among the finite logits, or −1. */
  const at = (i: number): number => {
    if (!keep) return i;
    let lo = 0;
    let hi = keep.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (keep[mid] === i) return mid;
      if (keep[mid] < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  let subOp: Op = op;
  let subLabel: number | undefined;
  if (label !== undefined && needsLabel(op)) {
    const t = at(label);
    if (t < 0) {
      // the label's logit is −Inf: cross_entropy is +Inf exactly; the gradient is −1 there
      if (op === 'cross_entropy') return { ...exactAll(special), special };
      subOp = 'softmax';
    } else subLabel = t;
  }
  const ab = memoizedBounds(memo, subOp, format, sub, subLabel);
  const gradAtMaskedLabel = label !== undefined && subOp === 'softmax' && op === 'cross_entropy_grad';
  const boundAt = (i: number): ErrorBound | null => {
    if (gradAtMaskedLabel && i === label) return null;
    if (outLen === 1) return ab.at(0);
    const t = at(i);
    return t < 0 ? null : ab.at(t);
  };
  const ulps = new Float64Array(outLen);
  for (let i = 0; i < outLen; i++) {
    if (need && !need(i)) continue;
    const bounded = (outLen === 1 || at(i) >= 0) && !(gradAtMaskedLabel && i === label);
    if (ab.vacuous !== null && bounded) {
      ulps[i] = cap;
      continue;
    }
    const b = boundAt(i);
    if (b === null) continue;
    ulps[i] = boundToUlps(fmt, reference ? narrowed(fmt, b, reference[i]) : b);
  }
  let bounds: (ErrorBound | null)[] | undefined;
  return {
    ulps,
    get bounds() {
      return (bounds ??= Array.from({ length: outLen }, (_, i) => boundAt(i)));
    },
    vacuous: ab.vacuous,
    cap,
    special,
    parts: ab.parts,
  };
}

/**
 * The bound with |y| enclosed by the correctly rounded reference r: y lies within half a
 * spacing of r, |r − y| ≤ ulpOf(r)/2 (ulpOf gives the spacing above |r|, at least the one below),
 * so |y| ≥ |r| − ulpOf(r)/2 and |y| ≤ |r| + ulpOf(r)/2. Non-finite or NaN references narrow
 * nothing.
 */
function narrowed(fmt: ReturnType<typeof formatSpec>, b: ErrorBound, r: number | undefined): ErrorBound {
  if (r === undefined || !Number.isFinite(r)) return b;
  const h = ulpOf(fmt, r) / 2;
  const lo = down(Math.abs(r) - h);
  const hi = up(Math.abs(r) + h);
  // one scratch object, not a copy per element (rows run to 2^18 elements)
  SCRATCH.relative = b.relative;
  SCRATCH.absolute = b.absolute;
  SCRATCH.magnitudeLow = Math.max(b.magnitudeLow, Math.max(0, lo));
  SCRATCH.magnitudeHigh = Math.min(b.magnitudeHigh, hi);
  return SCRATCH;
}
const SCRATCH: { -readonly [K in keyof ErrorBound]: ErrorBound[K] } = {
  relative: 0,
  absolute: 0,
  magnitudeLow: 0,
  magnitudeHigh: 0,
};

function checkLabel(op: Op, n: number, label: number | undefined): void {
  if (!needsLabel(op)) return;
  if (label === undefined || !Number.isInteger(label) || label < 0 || label >= n) {
    throw new RangeError(`${op} needs a label: an integer in [0, ${n}), got ${label}`);
  }
}
