import { roundNumber } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import { ulpDistance } from '../formats/ulp.js';
import { type FindingKind } from '../vocabulary/FindingKind.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { isScalarOp, outputLength, type Op } from '../vocabulary/Op.js';
import type { Severity } from '../vocabulary/Severity.js';
import type { SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import { argmaxCheck } from './argmax.js';
import { budgetBreakdown, type BoundsMemo } from './budgets.js';
import {
  brief,
  overflowCause,
  show,
  ulpMechanism,
  underflowCause,
  type DiagnosisContext,
} from './diagnosis.js';
import { dyadicToNumber, sumMinusOne, sumMinusOneExceeds } from './exactSum.js';
import { ASSERT_CLOSE, isClose, type Closeness } from './closeness.js';
import { FindingCollector, type DraftFinding } from './findingCollector.js';
import { mutationFinding, shapeFinding, type Finding } from './findings.js';
import { regimes } from './regimes.js';
import { softmaxSumBound } from './softmaxSumBound.js';

/**
 * The one judging path (docs/design.md, "Findings"): every output logitfuzz scores — in a
 * campaign's worker, in `vet`, in the library API — goes through `judge`, which turns the input,
 * the input after the call, the first and second answers, the oracle's row and the budget into
 * findings. Callers add only what they alone can see: `crash` and `timeout`.
 */

/**
 * The answers of a call on `rows` rows, one per row, or why the call's result is not that: an
 * implementation's `run` resolves to an array with one answer per row (each answer is then
 * judged, shape included, by `judge`). Anything else is a `shape` finding for the whole call.
 */
export function answersOf(result: unknown, rows: number): readonly unknown[] | Finding {
  if (!Array.isArray(result))
    return shapeFinding(
      `run() returned ${result === null ? 'null' : typeof result}, expected ${rows} row(s)`,
    );
  if (result.length !== rows) return shapeFinding(`run() returned ${result.length} rows, expected ${rows}`);
  return result;
}

/** What `judge` compares. */
export interface JudgeArgs {
  readonly op: Op;
  readonly format: FormatName;
  /** The logits as passed to the implementation. */
  readonly x: ArrayLike<number>;
  readonly label?: number;
  /**
   * The implementation's answer: an array-like of numbers of the op's output length, or, for
   * scalar ops, a number or a length-1 array-like. Anything else is a `shape` finding.
   */
  readonly actual: unknown;
  /** The oracle's row for (op, format, x, label): `OracleResult.values`. */
  readonly reference: ArrayLike<number>;
  /** Budget in ULPs per element or one for all; default `budget(op, format, x, label)`. */
  readonly budget?: ArrayLike<number> | number;
  /** Default 'report'. */
  readonly specials?: SpecialsPolicy;
  /** The logits as they were after the call, to detect `mutation`. */
  readonly inputAfter?: ArrayLike<number>;
  /** A second call's answer on the same input, to detect `nondeterministic`. */
  readonly second?: unknown;
  /**
   * When `actual` is this row's answer within a batch [B, n]: the answer to the same row called
   * alone, to detect `batch` (docs/design.md, "The findings table").
   */
  readonly alone?: unknown;
  /** Keep at most this many findings per kind, the largest `ulps` first (counts stay complete). */
  readonly maxPerKind?: number;
  /** What counts as close for the `wrong` severity; default `assert_close`'s tolerances. */
  readonly close?: Closeness;
  /**
   * Bounds already derived for this row and format (budgets.ts BoundsMemo): pass the same Map for
   * every implementation judged on one row, and a new one for another row.
   */
  readonly boundsMemo?: BoundsMemo;
}

/** What `judge` found. */
export interface Judgement {
  readonly findings: readonly Finding[];
  /** How many findings of each kind, before any `maxPerKind` trimming. */
  readonly counts: Readonly<Record<FindingKind, number>>;
  /** Output values that were not values of the format and were rounded into it. */
  readonly outOfFormat: number;
  /** The output as scored (rounded into the format), or null after a `shape` finding. */
  readonly output: Float64Array | null;
  /** ULP distance per element, or null after a `shape` finding. */
  readonly ulps: Float64Array | null;
  /**
   * The budget per element that was applied (0 where the output equals the correctly rounded
   * value, which no budget can fail, when the budgets are derived), or null after a `shape` finding.
   */
  readonly budget: Float64Array | null;
}

/**
 * Whether |a − r| ≥ |r| for a normal reference r, decided exactly: with opposite signs or a = 0
 * the difference is |a| + |r|; with equal signs |a − r| ≥ |r| ⟺ |a| ≥ 2|r| (2|r| is exact).
 */
export function relativeErrorAtLeastOne(minNormal: number, a: number, r: number): boolean {
  if (!(Math.abs(r) >= minNormal) || !Number.isFinite(r) || !Number.isFinite(a)) return false;
  return a === 0 || Math.sign(a) !== Math.sign(r) || Math.abs(a) >= 2 * Math.abs(r);
}

/**
 * Judges one implementation output row against the oracle's row (docs/design.md, "The findings table").
 *
 * Case-level, decided first: `shape` (wrong type or length; nothing else is judged then),
 * `mutation` (when `inputAfter` differs from `x`, bit for bit with ±0 distinct and NaN equal).
 * `crash` and `timeout` are the caller's (`crashFinding`, `timeoutFinding`).
 *
 * Per element, after rounding the output into the format (`outOfFormat` counts the values that
 * needed it), the FIRST matching row wins, r being the reference:
 *   1. the input has a ±Inf logit → `special` if a differs from the policy result r (NaN-ness
 *      differs, or the ULP distance exceeds the budget of the limit, budgets.ts);
 *   2. r is NaN because a logit is NaN, a is a number → `nan-swallowed`;
 *   3. a is NaN, r a number → `overflow` in the overflow regime, else `underflow` in the
 *      underflow regime, else `spurious-nan` (regimes.ts);
 *   4. a is ±Inf, r finite → `overflow`;
 *   5. a is ±0, r ≠ 0, distance over budget → `underflow`;
 *   6. otherwise, distance over budget → `ulp` (±0 are equal; opposite infinities land here).
 * Under `specials: 'skip'` inputs with a NaN or ±Inf logit get no element findings (rows 1–2).
 *
 * Case-level after the elements: `sum` (softmax on inputs without NaN or +Inf and with finite
 * outputs: |Σa − 1|, summed exactly, over softmaxSumBound), `argmax` (softmax and log_softmax:
 * the largest output not at a largest logit, ties aside, argmax.ts), `nondeterministic` (when
 * `second` is given and differs from the first answer: ±0 equal, NaN equal), `batch` (when
 * `alone` is given and differs from the answer in the batch, compared the same way).
 *
 * Special cases: findings are values, never exceptions — but malformed arguments (an unknown
 * format, a missing label, a reference of the wrong length) are programming errors and throw a
 * RangeError.
 */
export function judge(args: JudgeArgs): Judgement {
  const { op, format, x, label, reference } = args;
  const fmt = formatSpec(format);
  const n = x.length;
  const outLen = outputLength(op, n);
  if (reference.length !== outLen)
    throw new RangeError(
      `judge: the reference has ${reference.length} values, ${op} of ${n} logits has ${outLen}`,
    );
  const specials = args.specials ?? 'report';
  const { rtol, atol } = (args.close ?? ASSERT_CLOSE).tolerances[format];
  const findings = new FindingCollector(args.maxPerKind);
  const push = (f: DraftFinding) => findings.push(f);

  const row = toRow(op, outLen, args.actual);
  if (typeof row === 'string') {
    push(shapeFinding(row));
    return finish(findings, 0, null, null, null);
  }
  if (args.inputAfter !== undefined) {
    const m = mutation(x, args.inputAfter);
    if (m) push(m);
  }

  let outOfFormat = 0;
  const output = new Float64Array(outLen);
  for (let i = 0; i < outLen; i++) {
    const v = roundNumber(fmt, row[i]);
    if (!Object.is(v, row[i]) && row[i] === row[i]) outOfFormat++;
    output[i] = v;
  }

  let hasNaN = false;
  let hasPosInf = false;
  let negInf = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] !== x[i]) hasNaN = true;
    else if (x[i] === Infinity) hasPosInf = true;
    else if (x[i] === -Infinity) negInf++;
  }
  // policy cases (docs/design.md, "Special values"): NaN or +Inf logits, or every logit −Inf; a row
  // with some −Inf (masked) and some finite logits is a row of values like any other
  const policyInf = hasPosInf || (negInf > 0 && negInf === n);
  // the severity of a value finding: wrong when the ecosystem's own check would also reject it
  const close = (a: number, r: number) => isClose(a, r, rtol, atol);
  const severityOf = (a: number, r: number): Severity => (close(a, r) ? 'inaccurate' : 'wrong');
  const rowClose = (out: ArrayLike<number>) => {
    for (let i = 0; i < outLen; i++) if (!close(out[i], reference[i])) return false;
    return true;
  };
  const reg = regimes(format, x);
  // the budgets and the sum check derive the same bounds: once per row, even without a caller's memo
  const memo: BoundsMemo = args.boundsMemo ?? new Map();
  // an element equal to the correctly rounded value (±0 equal, NaN equal) cannot exceed any
  // budget: only the others are budgeted (rows run to 2^18 elements)
  const differs = (i: number) =>
    !(output[i] === reference[i] || (output[i] !== output[i] && reference[i] !== reference[i]));
  const breakdown =
    args.budget === undefined ? budgetBreakdown(op, format, x, label, reference, differs, memo) : null;
  const budget = breakdown ? breakdown.ulps : toBudget(args.budget!, outLen);
  const ctx: DiagnosisContext = { op, fmt, x, regimes: reg, vacuous: breakdown?.vacuous ?? null };
  const ulps = new Float64Array(outLen);

  const atText = (i: number) => (isScalarOp(op) ? '' : ` at ${i}`);
  for (let i = 0; i < outLen; i++) {
    const a = output[i];
    const r = reference[i];
    const d = ulpDistance(fmt, a, r);
    ulps[i] = d;
    const b = budget[i];
    const an = a !== a;
    const rn = r !== r;
    if (policyInf || hasNaN) {
      if (specials === 'skip') continue;
      if (policyInf) {
        // row 1: the policy result
        if (an !== rn || (!an && d > b))
          push({
            kind: 'special',
            index: i,
            expected: r,
            actual: a,
            ulps: d,
            diagnosis: () => specialDiagnosis(x, r, a, b, d),
            severity: specials === 'strict' ? 'wrong' : null,
          });
        continue;
      }
      // row 2
      if (rn && !an) {
        push({
          kind: 'nan-swallowed',
          index: i,
          expected: r,
          actual: a,
          ulps: d,
          diagnosis: () =>
            `NaN logit at ${firstNaN(x)} ignored: output${atText(i)} is ${show(a)}, the policy gives NaN`,
          severity: 'wrong',
        });
      }
      continue;
    }
    if (rn) {
      // not reachable with the oracle: finite logits have numeric results
      if (!an)
        push({
          kind: 'ulp',
          index: i,
          expected: r,
          actual: a,
          ulps: d,
          diagnosis: () => `the reference is NaN for finite logits; output ${show(a)}`,
          severity: 'wrong',
        });
      continue;
    }
    if (an) {
      // row 3
      if (reg.overflow)
        push({
          kind: 'overflow',
          index: i,
          expected: r,
          actual: a,
          ulps: d,
          diagnosis: () => `NaN${atText(i)}: ${overflowCause(ctx)}`,
          severity: 'wrong',
        });
      else if (reg.underflow)
        push({
          kind: 'underflow',
          index: i,
          expected: r,
          actual: a,
          ulps: d,
          diagnosis: () => `NaN${atText(i)}: ${underflowCause(ctx)}, and the sum of exps can vanish (0/0)`,
          severity: 'wrong',
        });
      else
        push({
          kind: 'spurious-nan',
          index: i,
          expected: r,
          actual: a,
          ulps: d,
          diagnosis: () =>
            `NaN${atText(i)} for finite logits in neither exp regime (max ${brief(reg.max)}, min ${brief(reg.min)}): Inf − Inf or 0/0 inside`,
          severity: 'wrong',
        });
      continue;
    }
    if ((a === Infinity || a === -Infinity) && Number.isFinite(r)) {
      // row 4: an infinite result is an overflow, unless it is the log of an exp that underflowed
      // to 0 (−Inf from log_softmax or logsumexp, +Inf from cross_entropy's −log) with no logit
      // past the overflow threshold
      const logOfZero =
        reg.underflow &&
        reg.overflowBy !== 'logit' &&
        (((op === 'log_softmax' || op === 'logsumexp') && a === -Infinity) ||
          (op === 'cross_entropy' && a === Infinity));
      push({
        kind: logOfZero ? 'underflow' : 'overflow',
        index: i,
        expected: r,
        actual: a,
        ulps: d,
        diagnosis: () =>
          `${show(a)}${atText(i)} where ${show(r)} is expected: ${
            logOfZero ? `the log of 0: ${underflowCause(ctx)}` : overflowCause(ctx)
          }`,
        severity: 'wrong',
      });
      continue;
    }
    // docs/design.md, "The always-fail rule": a relative error of 1 or more always fails, whatever the budget
    // (an absolute
    // budget term, as at the label of cross_entropy_grad, can otherwise exceed |r|); normal
    // results only, so the subnormal floor still forgives a 1-ulp tie at the subnormal boundary.
    // Not for logsumexp: there a + log1p(s) cancels when LSE ≈ 0, an ill-conditioned result that
    // no algorithm in the format can give to relative accuracy, and which the absolute
    // cancellation term of the budget (docs/design.md, "Budgets") exists to allow.
    if (!(d > b) && (op === 'logsumexp' || !relativeErrorAtLeastOne(fmt.minNormal, a, r))) continue;
    if (a === 0 && r !== 0) {
      // row 5: a vanished result is an exp that underflowed (or was flushed), unless the result is
      // a log1p(s) or p − 1 whose small term s (|r| ≈ s) is a normal number: then no exp of the
      // recommended algorithm underflows, and an addition absorbed s (1 + s rounded to 1)
      const absorbed =
        Math.abs(r) >= fmt.minNormal && op !== 'softmax' && !(op === 'cross_entropy_grad' && i !== label);
      push({
        kind: absorbed ? 'cancellation' : 'underflow',
        index: i,
        expected: r,
        actual: a,
        ulps: d,
        diagnosis: () => (absorbed ? cancellationDiagnosis(ctx, i, r, b, d) : zeroDiagnosis(ctx, i, r, b, d)),
        severity: severityOf(a, r),
      });
      continue;
    }
    // row 6
    push({
      kind: 'ulp',
      index: i,
      expected: r,
      actual: a,
      ulps: d,
      diagnosis: () => {
        const mech = ulpMechanism(ctx, i, r);
        return `${show(a)}${atText(i)} is ${ulpsText(fmt, d, a, r)} from ${show(r)} (budget ${b})${mech ? `; ${mech}` : ''}`;
      },
      severity: severityOf(a, r),
    });
  }

  const allFinite = output.every(Number.isFinite);
  if (op === 'softmax' && allFinite && !hasNaN && !(policyInf && specials === 'skip') && n > 0) {
    const sb = softmaxSumBound(format, x, memo);
    if (sb.bound === sb.bound) {
      if (sumMinusOneExceeds(output, sb.bound)) {
        const dv = dyadicToNumber(sumMinusOne(output));
        const why =
          sb.vacuous ??
          (n * fmt.unitRoundoff >= 0.25 ? `long sum: n·u = ${brief(n * fmt.unitRoundoff)}` : '');
        push({
          kind: 'sum',
          index: -1,
          expected: 1,
          actual: 1 + dv,
          ulps: Math.abs(dv) / fmt.epsilon,
          diagnosis: `Σ outputs − 1 = ${brief(dv)} exceeds the bound ${brief(sb.bound)}${why ? `; ${why}` : ''}`,
          severity: rowClose(output) ? 'inaccurate' : 'wrong',
        });
      }
    }
  }
  if ((op === 'softmax' || op === 'log_softmax') && !hasNaN && !(policyInf && specials === 'skip')) {
    const am = argmaxCheck(x, output, reference);
    if (!am.ok) {
      const o = am.outputIndex;
      const k = am.logitIndex;
      push({
        kind: 'argmax',
        index: -1,
        expected: output[k],
        actual: output[o],
        ulps: ulpDistance(fmt, output[o], output[k]),
        diagnosis: `largest output ${show(output[o])} at ${o} (logit ${show(x[o])}), but the max logit ${show(x[k])} is at ${k} (output ${show(output[k])})`,
        // wrong when the exact row has one largest element and the output's largest is elsewhere
        severity: uniqueMax(reference) === k ? 'wrong' : 'inaccurate',
      });
    }
  }
  if (args.second !== undefined) {
    const nd = differingAnswer('nondeterministic', fmt, op, outLen, row, args.second, rowClose);
    if (nd) push(nd);
  }
  if (args.alone !== undefined) {
    const b = differingAnswer('batch', fmt, op, outLen, row, args.alone, rowClose);
    if (b) push(b);
  }
  return finish(findings, outOfFormat, output, ulps, budget);
}

function finish(
  findings: FindingCollector,
  outOfFormat: number,
  output: Float64Array | null,
  ulps: Float64Array | null,
  budget: Float64Array | null,
): Judgement {
  return { findings: findings.findings(), counts: findings.counts, outOfFormat, output, ulps, budget };
}

/** The answer as an array of numbers of length outLen, or why it is not one. */
function toRow(op: Op, outLen: number, actual: unknown): ArrayLike<number> | string {
  const want = `${isScalarOp(op) ? 'a number or ' : ''}an array of ${outLen} number${outLen === 1 ? '' : 's'}`;
  if (typeof actual === 'number') {
    if (isScalarOp(op)) return [actual];
    return `returned a number, expected ${want}`;
  }
  if (
    actual === null ||
    typeof actual !== 'object' ||
    typeof (actual as { length?: unknown }).length !== 'number'
  ) {
    return `returned ${actual === null ? 'null' : typeof actual}, expected ${want}`;
  }
  const arr = actual as ArrayLike<unknown>;
  if (arr.length !== outLen) return `returned ${arr.length} values, expected ${outLen}`;
  for (let i = 0; i < outLen; i++) {
    const v = arr[i];
    if (typeof v !== 'number') return `value ${i} is ${v === null ? 'null' : typeof v}, not a number`;
  }
  return arr as ArrayLike<number>;
}

function toBudget(b: ArrayLike<number> | number, outLen: number): Float64Array {
  if (typeof b === 'number') return new Float64Array(outLen).fill(b);
  if (b.length !== outLen) throw new RangeError(`judge: budget has ${b.length} values, the output ${outLen}`);
  return Float64Array.from(b);
}

function mutation(x: ArrayLike<number>, after: ArrayLike<number>): Finding | null {
  if (after.length !== x.length) {
    return {
      kind: 'mutation',
      index: -1,
      expected: NaN,
      actual: NaN,
      ulps: 0,
      diagnosis: `input changed: length ${x.length} became ${after.length}`,
      severity: 'wrong',
    };
  }
  let first = -1;
  let changed = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Object.is(x[i], after[i])) {
      changed++;
      if (first < 0) first = i;
    }
  }
  return first < 0 ? null : mutationFinding(first, x[first], after[first], changed);
}

/** What the two answers `differingAnswer` compares are, for its diagnoses. */
const COMPARED = {
  nondeterministic: { other: "the second call's answer", pair: 'two calls on one input differ' },
  batch: { other: 'the answer alone', pair: 'the row in the batch and alone differ' },
} as const;

/**
 * `nondeterministic` (a second call) or `batch` (the row called alone) when `other` differs from
 * the first answer `first`: ±0 equal, NaN equal. `expected` is the first answer's value,
 * `actual` the other's. Wrong when either answer would fail the ecosystem's check.
 */
function differingAnswer(
  kind: 'nondeterministic' | 'batch',
  fmt: ReturnType<typeof formatSpec>,
  op: Op,
  outLen: number,
  first: ArrayLike<number>,
  other: unknown,
  rowClose: (out: ArrayLike<number>) => boolean,
): Finding | null {
  const words = COMPARED[kind];
  const row2 = toRow(op, outLen, other);
  if (typeof row2 === 'string') {
    return {
      kind,
      index: -1,
      expected: NaN,
      actual: NaN,
      ulps: Infinity,
      diagnosis: `${words.other} differs in shape: ${row2}`,
      severity: 'wrong',
    };
  }
  for (let i = 0; i < outLen; i++) {
    const p = first[i];
    const q = row2[i];
    const same = p === q || (p !== p && q !== q);
    if (!same) {
      const a = roundNumber(fmt, p);
      const b = roundNumber(fmt, q);
      const second = Float64Array.from({ length: outLen }, (_, k) => roundNumber(fmt, row2[k]));
      const firstRounded = Float64Array.from({ length: outLen }, (_, k) => roundNumber(fmt, first[k]));
      return {
        kind,
        index: -1,
        expected: p,
        actual: q,
        ulps: ulpDistance(fmt, a, b),
        diagnosis: `${words.pair} at ${i}: ${show(p)} then ${show(q)}`,
        severity: rowClose(firstRounded) && rowClose(second) ? 'inaccurate' : 'wrong',
      };
    }
  }
  return null;
}

/** The index of the one largest element of a row, or −1 when it is tied, empty or NaN. */
function uniqueMax(r: ArrayLike<number>): number {
  let k = -1;
  let ties = 0;
  for (let i = 0; i < r.length; i++) {
    if (r[i] !== r[i]) return -1;
    if (k < 0 || r[i] > r[k]) {
      k = i;
      ties = 0;
    } else if (r[i] === r[k]) ties++;
  }
  return ties === 0 ? k : -1;
}

/**
 * A ULP distance as text, with the relative and absolute errors beside it where the count exceeds
 * 2^p of the format: past that, a count of ulps says less than "rel 1.0, abs 4.2e−18" does.
 */
function ulpsText(fmt: ReturnType<typeof formatSpec>, d: number, a: number, r: number): string {
  if (!(d > 2 ** fmt.precision) || !Number.isFinite(a) || !Number.isFinite(r)) return `${d} ulps`;
  const abs = Math.abs(a - r);
  return `${d} ulps (rel ${r === 0 ? 'inf' : brief(abs / Math.abs(r))}, abs ${brief(abs)})`;
}

function firstNaN(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) return i;
  return -1;
}

function specialDiagnosis(x: ArrayLike<number>, r: number, a: number, b: number, d: number): string {
  const pos: number[] = [];
  const neg: number[] = [];
  let nan = -1;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === Infinity) pos.push(i);
    else if (x[i] === -Infinity) neg.push(i);
    else if (x[i] !== x[i] && nan < 0) nan = i;
  }
  const got = r === r && a === a ? `${show(a)} (${d} ulps, budget ${b})` : show(a);
  if (nan >= 0) return `NaN logit at ${nan} (with ±Inf logits): the policy gives NaN, got ${got}`;
  if (pos.length > 0) {
    return `+Inf logit${pos.length > 1 ? 's' : ''} at ${list(pos)}: the limit gives ${show(r)} (c = ${pos.length}), got ${got}`;
  }
  if (neg.length === x.length) return `every logit is -Inf: the policy gives ${show(r)}, got ${got}`;
  return `-Inf logit${neg.length > 1 ? 's' : ''} at ${list(neg)} contribute e^-Inf = 0: expected ${show(r)}, got ${got}`;
}

function list(ix: readonly number[]): string {
  return ix.length <= 4 ? ix.join(', ') : `${ix.slice(0, 3).join(', ')}, … (${ix.length})`;
}

function zeroDiagnosis(c: DiagnosisContext, i: number, r: number, b: number, d: number): string {
  const fmt = c.fmt;
  const at = isScalarOp(c.op) ? '' : ` at ${i}`;
  const head = `0${at} where ${show(r)} is expected (${ulpsText(fmt, d, 0, r)}, budget ${b})`;
  if (Math.abs(r) < fmt.minNormal)
    return `${head}: flushed, the result is subnormal (below ${brief(fmt.minNormal)})`;
  const reg = c.regimes;
  if ((c.op === 'softmax' || c.op === 'cross_entropy_grad') && i < c.x.length) {
    const xi = c.x[i];
    if (xi < reg.underflowThreshold)
      return `${head}: exp underflows: x_i = ${brief(xi)} < ${brief(reg.underflowThreshold)} (unshifted exp)`;
    const dmax = xi - reg.max;
    if (dmax < reg.underflowThreshold)
      return `${head}: e^(x_i − max) underflows: x_i − max = ${brief(dmax)} < ${brief(reg.underflowThreshold)}`;
  }
  if (c.op === 'log_softmax' || c.op === 'logsumexp' || c.op === 'cross_entropy') {
    return `${head}: cancellation, e.g. x_i − LSE or LSE − x_k with the log1p(s) part rounded away`;
  }
  return head;
}

/**
 * The diagnosis of a `cancellation`: a result log1p(s) or p − 1 came back 0 because an addition
 * absorbed its small term s (normal in the format, so no exp underflowed).
 */
function cancellationDiagnosis(c: DiagnosisContext, i: number, r: number, b: number, d: number): string {
  const at = isScalarOp(c.op) ? '' : ` at ${i}`;
  const head = `0${at} where ${show(r)} is expected (${ulpsText(c.fmt, d, 0, r)}, budget ${b})`;
  if (c.op === 'cross_entropy_grad') return `${head}: softmax − 1 cancels at the label: p rounds to 1`;
  if (c.op === 'logsumexp')
    return `${head}: max + log(1 + s) with 1 + s rounded to 1 (s ≈ ${brief(Math.abs(r))})`;
  return `${head}: log(1 + s) with 1 + s rounded to 1 (s ≈ ${brief(Math.abs(r))}): use log1p(s)`;
}
