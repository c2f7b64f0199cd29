import type { AnyImplementation } from '../impls/types.js';
import { crashFinding, type Finding } from '../metrics/findings.js';
import { failsAt, type Severity } from '../vocabulary/Severity.js';
import { answersOf, judge, type Judgement } from '../metrics/judge.js';
import type { BoundsMemo } from '../metrics/budgets.js';
import { failedOutcome, toFindingData } from './outcome.js';
import {
  rowsOf,
  type BatchRow,
  type CaseInput,
  type FindingData,
  type ImplOutcome,
  type JudgeOptions,
  type OracleAnswer,
} from './protocol.js';

/** What one call gave: an answer per row and the rows as they were after the call, or a finding. */
type Call =
  | { readonly answers: readonly unknown[]; readonly inputsAfter: readonly Float64Array[] }
  | { readonly finding: Finding };

/** One call on `rows` (one batch), given copies of the logits (so that a mutation is visible). */
async function callOnce(impl: AnyImplementation, rows: readonly BatchRow[]): Promise<Call> {
  const xs = rows.map((r) => Float64Array.from(r.x));
  const labels = rows[0].label === undefined ? undefined : rows.map((r) => r.label!);
  let result: unknown;
  try {
    result = await impl.run(xs, labels);
  } catch (e) {
    return { finding: crashFinding(e) };
  }
  const answers = answersOf(result, rows.length);
  if (!Array.isArray(answers)) return { finding: answers as Finding };
  return { answers, inputsAfter: xs };
}

/**
 * The rows of a batch of B that runCase also calls alone: the first, the second, the middle one
 * and the last. State carried from one row to the next, a wrong row stride or offset, or a
 * reduction tile that straddles two rows shows from the second row on, and on the last row most of
 * all; calling every row of a 64-row batch alone would double the cost of every batch case for
 * little more. The campaign draws each further row's character at random (generators/batchRows.ts),
 * so over many cases every character is called alone.
 */
export function aloneRows(B: number): number[] {
  return [...new Set([0, 1, Math.floor(B / 2), B - 1])].filter((r) => r >= 0 && r < B).sort((a, b) => a - b);
}

const rank = (s: Severity | null): number => (s === 'wrong' ? 2 : s === 'inaccurate' ? 1 : 0);

/** Whether finding `a` (of some row) is worse than `b` of the same kind: severity, then distance. */
function worse(a: FindingData, b: FindingData): boolean {
  const d = rank(a.severity) - rank(b.severity);
  if (d !== 0) return d > 0;
  const ua = a.ulps === null ? -1 : a.ulps !== a.ulps ? Infinity : a.ulps;
  const ub = b.ulps === null ? -1 : b.ulps !== b.ulps ? Infinity : b.ulps;
  return ua > ub;
}

/**
 * Runs one implementation on one case and judges it against the oracle's answer with `judge`
 * (docs/design.md, "Findings"): a thrown error is a `crash`; shape, mutation, nondeterminism
 * (a second call, with `checkDeterminism`) and every element are `judge`'s. A batch [B, n] goes
 * to the implementation in one call; each of its rows is judged against its own oracle row, and
 * rows `aloneRows` names are also called alone, so that a row whose answer in the batch differs from its answer
 * alone is a `batch` finding (judge's `alone`). Keeps the worst finding of each kind over the
 * rows (wrong before inaccurate, then the larger distance), tagged with its row. `memos` (one
 * per row, shared by every implementation run on this case) lets them share the budget's
 * derivation. Never throws:
 * every failure of the implementation is an outcome.
 */
export async function runCase(
  impl: AnyImplementation,
  c: CaseInput,
  oracle: OracleAnswer,
  opts: JudgeOptions,
  keepOutput = false,
  memos?: readonly BoundsMemo[],
): Promise<ImplOutcome> {
  const t0 = performance.now();
  const rows = rowsOf(c);
  const B = rows.length;
  const first = await callOnce(impl, rows);
  if ('finding' in first) return failedOutcome(impl.name, first.finding, performance.now() - t0);
  const second = opts.checkDeterminism ? await callOnce(impl, rows) : undefined;
  if (second !== undefined && 'finding' in second)
    return failedOutcome(impl.name, second.finding, performance.now() - t0);
  const alone: (unknown | undefined)[] = new Array<unknown>(B).fill(undefined);
  const called = B > 1 && opts.checkBatch !== false ? aloneRows(B) : [];
  for (const r of called) {
    const a = await callOnce(impl, [rows[r]]);
    if ('finding' in a)
      return failedOutcome(
        impl.name,
        { ...a.finding, diagnosis: `row ${r} alone: ${a.finding.diagnosis}` },
        performance.now() - t0,
      );
    alone[r] = a.answers[0];
  }
  const ms = performance.now() - t0;
  const references = [oracle.values, ...(oracle.batch ?? []).map((b) => b.values)];
  const worst = new Map<string, FindingData>();
  const judgements: Judgement[] = [];
  let maxUlps = 0;
  let outOfFormat = 0;
  for (let r = 0; r < B; r++) {
    const j = judge({
      op: c.op,
      format: c.format,
      x: rows[r].x,
      label: rows[r].label,
      actual: first.answers[r],
      inputAfter: first.inputsAfter[r],
      ...(second !== undefined ? { second: second.answers[r] } : {}),
      ...(called.includes(r) ? { alone: alone[r] } : {}),
      reference: references[r],
      budget: opts.budget,
      specials: opts.specials,
      close: opts.close,
      maxPerKind: 1,
      ...(memos?.[r] ? { boundsMemo: memos[r] } : {}),
    });
    judgements.push(j);
    outOfFormat += j.outOfFormat;
    if (j.ulps) for (const u of j.ulps) maxUlps = Math.max(maxUlps, u !== u ? Infinity : u);
    else maxUlps = Infinity;
    for (const f of j.findings) {
      const d = toFindingData(f);
      const tagged = B > 1 ? { ...d, row: r } : d;
      const prev = worst.get(f.kind);
      if (!prev || worse(tagged, prev)) worst.set(f.kind, tagged);
    }
  }
  const findings = [...worst.values()];
  const outputs = judgements.map((j) => j.output);
  return {
    impl: impl.name,
    findings,
    maxUlps,
    maxBits: Math.log2(1 + maxUlps),
    pass: !findings.some((f) => failsAt('inaccurate', f.severity)),
    wrong: findings.some((f) => f.severity === 'wrong'),
    outOfFormat,
    output: keepOutput && outputs[0] ? outputs[0] : undefined,
    ...(keepOutput && B > 1 && outputs.every((o) => o !== null)
      ? { batchOutput: outputs.slice(1) as Float64Array[] }
      : {}),
    ms,
  };
}
