import type { FormatSpec } from '../formats/types.js';
import type { Op } from '../vocabulary/Op.js';
import type { Regimes } from './regimes.js';

/** A value as a message shows it: shortest round-trip text, with -0, NaN, Inf and -Inf. */
export function show(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** A value shortened to 6 significant digits for context (thresholds, spreads). */
export function brief(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return show(v);
  return show(Number(v.toPrecision(6)));
}

/** What a diagnosis may draw on. */
export interface DiagnosisContext {
  readonly op: Op;
  readonly fmt: FormatSpec;
  readonly x: ArrayLike<number>;
  readonly regimes: Regimes;
  /** The budget's vacuity reason ("sum stagnates: …"), if any. */
  readonly vacuous: string | null;
}

/** Why a NaN or ±Inf output is an `overflow`: the logit or spread past the threshold. */
export function overflowCause(c: DiagnosisContext): string {
  const r = c.regimes;
  if (r.overflowBy === 'logit')
    return `exp overflows: max logit ${brief(r.max)} > ${brief(r.overflowThreshold)}`;
  if (r.overflowBy === 'spread')
    return `exp overflows: spread max − min = ${brief(r.spread)} > ${brief(r.overflowThreshold)}`;
  if (r.underflowBy !== null) return `${underflowCause(c)}, and a division by the vanished sum gives Inf`;
  return `an intermediate overflowed with no logit or spread above ${brief(r.overflowThreshold)} (max ${brief(r.max)}, min ${brief(r.min)})`;
}

/** Why a NaN output is an `underflow`: the logit or min − max below the threshold. */
export function underflowCause(c: DiagnosisContext): string {
  const r = c.regimes;
  if (r.underflowBy === 'logit')
    return `exp underflows: min logit ${brief(r.min)} < ${brief(r.underflowThreshold)}`;
  return `e^(x_i − max) underflows: min − max = ${brief(-r.spread)} < ${brief(r.underflowThreshold)}`;
}

/** A likely mechanism behind an over-budget finite element, or '' when none stands out. */
export function ulpMechanism(c: DiagnosisContext, index: number, expected: number): string {
  const n = c.x.length;
  const nu = n * c.fmt.unitRoundoff;
  if (c.vacuous !== null) return c.vacuous;
  if (nu >= 1) return `sum stagnates: n·u = ${brief(nu)} ≥ 1 in ${c.fmt.name}`;
  if (nu >= 0.25) return `long sum: n·u = ${brief(nu)} in ${c.fmt.name}`;
  const r = c.regimes;
  const big = Math.max(Math.abs(r.max), Math.abs(r.min));
  if (
    (c.op === 'logsumexp' || c.op === 'cross_entropy' || c.op === 'log_softmax') &&
    Number.isFinite(big) &&
    Math.abs(expected) < big * 2 ** -10
  ) {
    return `cancellation: result ${brief(expected)} is small next to logits up to ${brief(big)} (e.g. x_i − LSE, LSE − x_k)`;
  }
  if (c.op === 'cross_entropy_grad' && Math.abs(expected) < 0.5 && index >= 0 && expected < 0) {
    return `softmax − 1 cancels at the label: expected ${brief(expected)}`;
  }
  if (
    (c.op === 'softmax' || c.op === 'cross_entropy_grad') &&
    index >= 0 &&
    index < n &&
    Number.isFinite(r.max)
  ) {
    const d = c.x[index] - r.max;
    if (d < -64)
      return `x_i − max = ${brief(d)}: error grows with |x_i − max| in unshifted or division-free formulas`;
  }
  return '';
}
