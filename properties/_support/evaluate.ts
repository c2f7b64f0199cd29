import { encodeVector } from '../../src/formats/jsonNumber.js';
import type { FormatName } from '../../src/vocabulary/FormatName.js';
import type { Implementation } from '../../src/impls/types.js';
import { failsVerdict, type Finding } from '../../src/metrics/findings.js';
import { judge, type Judgement } from '../../src/metrics/judge.js';
import { type SpecialsPolicy } from '../../src/vocabulary/SpecialsPolicy.js';
import { oracle } from '../../src/oracle/oracle.js';
import { isScalarOp, needsLabel, type Op } from '../../src/vocabulary/Op.js';
import { showVector } from '../../src/api/formatVet.js';

/** One implementation's answer on one input, judged. */
export interface Evaluation {
  readonly op: Op;
  readonly format: FormatName;
  readonly x: readonly number[];
  readonly label: number | undefined;
  /** The oracle's correctly rounded row. */
  readonly reference: Float64Array;
  /** The implementation's row as returned. */
  readonly output: Float64Array;
  readonly judgement: Judgement;
  /** The findings that fail a verdict under the policy. */
  readonly failing: readonly Finding[];
}

const cache = new Map<string, Float64Array>();

/** The oracle's row, memoised per (op, format, x, label): properties judge many implementations on one input. */
export function reference(op: Op, format: FormatName, x: ArrayLike<number>, label?: number): Float64Array {
  const key = JSON.stringify([op, format, encodeVector(x), label ?? null]);
  let r = cache.get(key);
  if (!r) {
    if (cache.size > 20_000) cache.clear();
    r = oracle(op, format, x, label).values;
    cache.set(key, r);
  }
  return r;
}

/** Runs `impl` on one row (its label for the cross-entropy ops) and returns the output row. */
export async function call(
  impl: Implementation,
  x: ArrayLike<number>,
  label?: number,
): Promise<Float64Array> {
  const rows = await impl.run([Float64Array.from(x)], needsLabel(impl.op) ? [label!] : undefined);
  if (!Array.isArray(rows) || rows.length !== 1)
    throw new Error(
      `${impl.name}: run() returned ${Array.isArray(rows) ? rows.length : typeof rows} rows for 1`,
    );
  return Float64Array.from(rows[0]);
}

/** Runs and judges `impl` on `x` against the oracle (docs/design.md, "Findings", with derived budgets). */
export async function evaluate(
  impl: Implementation,
  x: readonly number[],
  label?: number,
  specials: SpecialsPolicy = 'report',
): Promise<Evaluation> {
  const ref = reference(impl.op, impl.format, x, label);
  const output = await call(impl, x, label);
  const judgement = judge({
    op: impl.op,
    format: impl.format,
    x,
    label,
    actual: output,
    reference: ref,
    specials,
  });
  return {
    op: impl.op,
    format: impl.format,
    x,
    label,
    reference: ref,
    output,
    judgement,
    failing: judgement.findings.filter((f) => failsVerdict(f.kind, specials)),
  };
}

/** The input of an evaluation, as a failure message shows it. */
export function showInput(x: readonly number[], label: number | undefined): string {
  return `${showVector(x, 16)}${label !== undefined ? ` label ${label}` : ''}`;
}

/**
 * A corpus entry (properties/corpus/*.json) for a counterexample, so that a failure message can
 * say how to keep it as a regression test.
 */
function corpusEntry(
  impl: Implementation,
  x: readonly number[],
  label: number | undefined,
  kind: string,
  note: string,
): string {
  return JSON.stringify({
    impl: impl.name,
    op: impl.op,
    format: impl.format,
    x: encodeVector(x),
    ...(label !== undefined ? { label } : {}),
    kind,
    note,
  });
}

/** A multi-line description of what went wrong on one evaluation, for a thrown Error. */
export function describe(
  impl: Implementation,
  e: Evaluation,
  findings: readonly Finding[] = e.failing,
): string {
  const lines = [`${impl.name} on ${showInput(e.x, e.label)}:`];
  const scalar = isScalarOp(e.op);
  lines.push(
    `  expected ${showVector(Array.from(e.reference), 16)}`,
    `  actual   ${showVector(Array.from(e.output), 16)}`,
  );
  for (const f of findings.slice(0, 4)) {
    const at = f.index >= 0 && !scalar ? ` at ${f.index}` : '';
    const b = f.index >= 0 && e.judgement.budget ? `, budget ${e.judgement.budget[f.index]}` : '';
    lines.push(`  ${f.kind}${at}: ${f.ulps} ULPs${b} — ${f.diagnosis}`);
  }
  if (findings.length > 4) lines.push(`  … ${findings.length - 4} more findings`);
  if (findings.length > 0)
    lines.push(
      `  keep it: save as properties/corpus/<name>.json: ${corpusEntry(impl, e.x, e.label, findings[0].kind, 'found by the property suite')}`,
    );
  return lines.join('\n');
}
