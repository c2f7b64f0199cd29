import { judge } from '../metrics/findings.js';
import type { CaseInput, FindingData, JudgeOptions, OracleAnswer } from './protocol.js';

/**
 * Judges one output row against the oracle with the metrics (DESIGN.md's findings table, first
 * match wins per element), keeping the worst finding of each kind, and reports the case's max
 * ULP error over its elements (a NaN against a number counts as Infinity).
 */
export function judgeOutput(
  c: CaseInput,
  out: Float64Array,
  oracle: OracleAnswer,
  opts: JudgeOptions,
): { findings: FindingData[]; maxUlps: number; outOfFormat: number } {
  const j = judge({
    op: c.op,
    format: c.format,
    x: c.x,
    label: c.label,
    actual: out,
    reference: oracle.values,
    budget: opts.budget,
    specials: opts.specials,
    maxPerKind: 1,
  });
  let maxUlps = 0;
  if (j.ulps) for (const u of j.ulps) maxUlps = Math.max(maxUlps, u !== u ? Infinity : u);
  const findings: FindingData[] = j.findings.map((f) => ({
    kind: f.kind,
    index: f.index,
    expected: Number.isNaN(f.expected) && f.index < 0 ? null : f.expected,
    actual: Number.isNaN(f.actual) && f.index < 0 ? null : f.actual,
    ulps: Number.isNaN(f.ulps) ? null : f.ulps,
    diagnosis: f.diagnosis,
  }));
  return { findings, maxUlps, outOfFormat: j.outOfFormat };
}
