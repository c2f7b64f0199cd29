import type { FindingKind } from '../vocabulary/FindingKind.js';
import type { Severity } from '../vocabulary/Severity.js';
import type { SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
import { show } from './diagnosis.js';

/** One finding: a value, never an exception. */
export interface Finding {
  readonly kind: FindingKind;
  /** The output element, or −1 for a case-level finding. */
  readonly index: number;
  /**
   * The correctly rounded reference of the element (case-level: `sum` 1, `argmax` the output at
   * the max logit, `nondeterministic` the first call's value, `batch` the value in the batch,
   * `mutation` the logit before the call; NaN where nothing applies).
   */
  readonly expected: number;
  /**
   * The output as scored, rounded into the format (case-level: `sum` the exact Σ rounded to
   * binary64, `argmax` the largest output, `nondeterministic` the second call's value, `batch`
   * the row's value alone, `mutation` the logit after the call; NaN where nothing applies).
   */
  readonly actual: number;
  /**
   * ULP distance of actual from expected in the format (Infinity for NaN against a number; NaN
   * for `crash`, `timeout` and `shape`, where no distance applies).
   */
  readonly ulps: number;
  /** The likely mechanism in one line, with numbers. */
  readonly diagnosis: string;
  /**
   * `wrong` when the output would also fail the ecosystem's check (docs/design.md, "Severity"),
   * `inaccurate` when it is only beyond the strict budget, null when it is reported without a
   * verdict (`special` under `--specials report`).
   */
  readonly severity: Severity | null;
}

/**
 * A case-level finding about the call rather than a value (`crash`, `timeout`, `shape`): no
 * element, no values and no distance apply (index −1, NaN each), the diagnosis on one line.
 */
export function callFinding(kind: 'crash' | 'timeout' | 'shape', diagnosis: string): Finding {
  return {
    kind,
    index: -1,
    expected: NaN,
    actual: NaN,
    ulps: NaN,
    diagnosis: oneLine(diagnosis),
    severity: 'wrong',
  };
}

/** A `crash` finding: the implementation threw (its message on one line, at most 300 characters). */
export function crashFinding(error: unknown): Finding {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return callFinding('crash', `threw ${oneLine(message).slice(0, 300)}`);
}

/** A `timeout` finding: no answer within `ms` milliseconds. */
export function timeoutFinding(ms: number): Finding {
  return callFinding('timeout', `no answer within ${ms} ms`);
}

/** A `shape` finding: the answer has the wrong length or type. */
export function shapeFinding(reason: string): Finding {
  return callFinding('shape', reason);
}

/** A `mutation` finding: the call changed logit `index` from `before` to `after`. */
export function mutationFinding(index: number, before: number, after: number, changed = 1): Finding {
  const more = changed > 1 ? ` (${changed} logits changed)` : '';
  return {
    kind: 'mutation',
    index: -1,
    expected: before,
    actual: after,
    ulps: 0,
    diagnosis: `input changed: logit ${index} was ${show(before)}, is ${show(after)} after the call${more}`,
    severity: 'wrong',
  };
}

/**
 * Whether a finding fails a verdict under the `--specials` policy: `special` findings fail only
 * under 'strict' (docs/design.md, "Which findings fail a verdict"); every other kind always fails,
 * including a kind this version does not know (a record written by a newer one), hence a string.
 */
export function failsVerdict(kind: FindingKind | (string & {}), specials: SpecialsPolicy): boolean {
  return kind !== 'special' || specials === 'strict';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
