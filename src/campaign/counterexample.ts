import type { FormatName } from '../vocabulary/FormatName.js';
import type { FindingKind } from '../vocabulary/FindingKind.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { Counterexample } from './aggregate.js';
import type { FindingData, ImplOutcome, OracleAnswer } from './protocol.js';
import { shrinkCounterexample } from './shrink.js';

/** Runs the implementation on an input: its outcome (with its output when `keepOutput`) and the oracle's answer. */
export type Evaluator = (
  x: Float64Array,
  label: number | undefined,
  keepOutput: boolean,
) => Promise<{ readonly outcome: ImplOutcome | undefined; readonly reference: OracleAnswer | undefined }>;

/** A first counterexample after shrinking, run once more for its values. */
export interface MinimalCounterexample {
  /** The shrunk input and the finding it shows. */
  readonly small: Counterexample;
  /** The finding of the final run (the shrinker's own when the final run no longer shows it). */
  readonly finding: FindingData;
  /** The final run's output, when it gave one. */
  readonly output: Float64Array | undefined;
  /** The oracle's answer on the shrunk input. */
  readonly reference: OracleAnswer | undefined;
  readonly evaluations: number;
}

/**
 * The post-processing step shared by the campaign and the library's `vet`
 * (docs/design.md, "Post-process"): shrinks a finding kind's first counterexample to a minimal one that still shows
 * the kind (shrink.ts), then runs the implementation on it once more, keeping its output, for
 * the expected and actual values a report shows.
 *
 * A `wrong` counterexample shrinks to one where the kind is still wrong.
 *
 * Notes: a hang costs a full timeout per evaluation, so `timeout` counterexamples get at most 6.
 */
export async function minimalCounterexample(
  cex: Counterexample,
  kind: FindingKind,
  op: Op,
  format: FormatName,
  evaluate: Evaluator,
  shrinkEvals: number,
): Promise<MinimalCounterexample> {
  const budget = kind === 'timeout' ? Math.min(shrinkEvals, 6) : shrinkEvals;
  const { cex: small, evaluations } = await shrinkCounterexample(
    cex,
    format,
    op,
    needsLabel(op),
    // a wrong counterexample stays wrong while it shrinks: the kind alone could shrink it into an
    // input where the kind is only inaccurate
    async (x, label) =>
      (await evaluate(x, label, false)).outcome?.findings.find(
        (f) => f.kind === kind && (cex.finding.severity !== 'wrong' || f.severity === 'wrong'),
      ),
    budget,
  );
  const final = await evaluate(Float64Array.from(small.x), small.label, true);
  return {
    small,
    finding:
      final.outcome?.findings.find(
        (f) => f.kind === kind && (small.finding.severity !== 'wrong' || f.severity === 'wrong'),
      ) ?? small.finding,
    output: final.outcome?.output,
    reference: final.reference,
    evaluations,
  };
}
