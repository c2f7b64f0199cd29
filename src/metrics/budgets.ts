import { formatSpec } from '../formats/specs.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { ulpOf } from '../formats/ulp.js';
import { needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
import { algorithmBounds, type BoundParts } from './algorithmBounds.js';
import { boundToUlps, ulpCap, type ErrorBound } from './boundToUlps.js';
import { down, up } from './directed.js';

/** How the input was treated under the special-values policy (docs/design.md, "Special values"). */
type SpecialInput = 'none' | 'empty' | 'nan' | 'posinf' | 'neginf';

/** A budget with the derivation behind it, per output element. */
export interface BudgetBreakdown {
  /** Budget in ULPs per output element (length 1 for scalar ops). */
  readonly ulps: Float64Array;
  /** The error bound behind each element; `null` where the policy or the algorithm is exact. */
  readonly bounds: readonly (ErrorBound | null)[];
  /** Why no a-priori bound exists, e.g. "sum stagnates: n·u = 1.02 ≥ 1 in f16"; else null. */
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
 * `x` (Blanchard, Higham & Higham 2021: shifted softmax with division, logsumexp = a + log1p(s);
 * see algorithmBounds.ts for the derivation and boundToUlps.ts for the conversion to ULPs) —
 * whatever formula the implementation under test uses.
 *
 * Contract: an implementation of that algorithm in `format` (exp and log1p within 1 ULP, other
 * operations correctly rounded, sums in any order) is within budget of the correctly rounded
 * result at every element, except where the bound is vacuous (n·u ≥ 1), where the budget is
 * ulpCap = 2^(p−1) − 1 so that a relative error ≥ 1 still fails.
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

/** `budget` with its derivation: bounds, vacuity, the policy case and the intermediate parts. */
export function budgetBreakdown(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
  reference?: ArrayLike<number>,
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
  // the finite logits; −Inf contributes an exact 0
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (xr[i] !== -Infinity) keep.push(i);
  if (keep.length === 0) return { ...exactAll(special), special };
  const sub = keep.length === n ? xr : keep.map((i) => xr[i]);
  let subOp: Op = op;
  let subLabel: number | undefined;
  if (label !== undefined && needsLabel(op)) {
    const at = keep.indexOf(label);
    if (at < 0) {
      // the label's logit is −Inf: cross_entropy is +Inf exactly; the gradient is −1 there
      if (op === 'cross_entropy') return { ...exactAll(special), special };
      subOp = 'softmax';
    } else subLabel = at;
  }
  const ab = algorithmBounds(subOp, format, sub, subLabel);
  const bounds: (ErrorBound | null)[] = new Array<ErrorBound | null>(outLen).fill(null);
  if (outLen === 1) bounds[0] = ab.elements[0];
  else keep.forEach((i, t) => (bounds[i] = ab.elements[t]));
  if (label !== undefined && subOp === 'softmax' && op === 'cross_entropy_grad') bounds[label] = null;

  const bounded = new Uint8Array(outLen);
  if (outLen === 1) bounded[0] = 1;
  else for (const i of keep) bounded[i] = 1;
  if (label !== undefined && subOp === 'softmax' && op === 'cross_entropy_grad') bounded[label] = 0;
  const ulps = new Float64Array(outLen);
  for (let i = 0; i < outLen; i++) {
    const b = bounds[i];
    if (ab.vacuous !== null && bounded[i]) {
      ulps[i] = cap;
      continue;
    }
    if (b === null) continue;
    ulps[i] = boundToUlps(fmt, reference ? narrowed(fmt, b, reference[i]) : b);
  }
  return { ulps, bounds, vacuous: ab.vacuous, cap, special, parts: ab.parts };
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
  return {
    ...b,
    magnitudeLow: Math.max(b.magnitudeLow, Math.max(0, lo)),
    magnitudeHigh: Math.min(b.magnitudeHigh, hi),
  };
}

function checkLabel(op: Op, n: number, label: number | undefined): void {
  if (!needsLabel(op)) return;
  if (label === undefined || !Number.isInteger(label) || label < 0 || label >= n) {
    throw new RangeError(`${op} needs a label: an integer in [0, ${n}), got ${label}`);
  }
}
