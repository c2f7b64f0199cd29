import type { AnyImplementation } from '../impls/types.js';
import { crashFinding, type Finding } from '../metrics/findings.js';
import { failsAt } from '../vocabulary/Severity.js';
import { answersOf, judge } from '../metrics/judge.js';
import { failedOutcome, toFindingData } from './outcome.js';
import type { CaseInput, ImplOutcome, JudgeOptions, OracleAnswer } from './protocol.js';

/** What one call gave: the answer and the input as it was after the call, or a finding. */
type Call = { readonly answer: unknown; readonly inputAfter: Float64Array } | { readonly finding: Finding };

/** One call on one row, given a copy of the case's logits (so that a mutation is visible). */
async function callOnce(impl: AnyImplementation, c: CaseInput): Promise<Call> {
  const row = Float64Array.from(c.x);
  let result: unknown;
  try {
    result = await impl.run([row], c.label === undefined ? undefined : [c.label]);
  } catch (e) {
    return { finding: crashFinding(e) };
  }
  const answers = answersOf(result, 1);
  if (!Array.isArray(answers)) return { finding: answers as Finding };
  return { answer: answers[0], inputAfter: row };
}

/**
 * Runs one implementation on one case and judges it against the oracle's answer with `judge`
 * (docs/design.md, "Findings"): a thrown error is a `crash`; shape, mutation, nondeterminism
 * (a second call, with `checkDeterminism`) and every element are `judge`'s. Keeps the worst
 * finding of each kind. Never throws: every failure of the implementation is an outcome.
 */
export async function runCase(
  impl: AnyImplementation,
  c: CaseInput,
  oracle: OracleAnswer,
  opts: JudgeOptions,
  keepOutput = false,
): Promise<ImplOutcome> {
  const t0 = performance.now();
  const first = await callOnce(impl, c);
  if ('finding' in first) return failedOutcome(impl.name, first.finding, performance.now() - t0);
  const second = opts.checkDeterminism ? await callOnce(impl, c) : undefined;
  if (second !== undefined && 'finding' in second)
    return failedOutcome(impl.name, second.finding, performance.now() - t0);
  const ms = performance.now() - t0;
  const j = judge({
    op: c.op,
    format: c.format,
    x: c.x,
    label: c.label,
    actual: first.answer,
    inputAfter: first.inputAfter,
    ...(second !== undefined ? { second: second.answer } : {}),
    reference: oracle.values,
    budget: opts.budget,
    specials: opts.specials,
    close: opts.close,
    maxPerKind: 1,
  });
  let maxUlps = j.ulps ? 0 : Infinity;
  if (j.ulps) for (const u of j.ulps) maxUlps = Math.max(maxUlps, u !== u ? Infinity : u);
  return {
    impl: impl.name,
    findings: j.findings.map(toFindingData),
    maxUlps,
    maxBits: Math.log2(1 + maxUlps),
    pass: !j.findings.some((f) => failsAt('inaccurate', f.severity)),
    wrong: j.findings.some((f) => f.severity === 'wrong'),
    outOfFormat: j.outOfFormat,
    output: keepOutput && j.output ? j.output : undefined,
    ms,
  };
}
