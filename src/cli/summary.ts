import type { RunRecord } from '../report/schema.js';
import { formatTable } from './formatTable.js';

/** The console summary of a run: one row per implementation, then each failing one's minimal counterexamples. */
export function formatSummary(r: RunRecord): string {
  const rows = r.implementations.map((i) => [
    i.name,
    i.verdict === 'unavailable' ? 'n/a' : i.verdict.toUpperCase(),
    i.expected,
    String(i.cases),
    i.verdict === 'unavailable' ? '' : String(i.ulp.max),
    Object.entries(i.findingCounts)
      .map(([k, n]) => `${k}:${n}`)
      .join(' '),
  ]);
  let out =
    formatTable(['implementation', 'verdict', 'expected', 'cases', 'max ulps', 'findings (cases)'], rows) +
    '\n';
  const unavailable = r.implementations.filter((i) => i.verdict === 'unavailable');
  for (const i of unavailable) out += `\n${i.name}: unavailable — ${i.unavailableReason}`;
  if (unavailable.length) out += '\n';
  for (const i of r.implementations) {
    const kinds = Object.keys(i.counterexamples);
    if (!kinds.length) continue;
    out += `\n${i.name}:\n`;
    for (const k of kinds) {
      const c = i.counterexamples[k];
      const label = c.label !== undefined ? ` label ${c.label}` : '';
      out += `  ${k}: ${c.finding.diagnosis}\n`;
      out += `    input ${JSON.stringify(c.input)}${label}\n`;
      out += `    expected ${JSON.stringify(c.expected)}\n`;
      out += `    actual   ${JSON.stringify(c.actual)}\n`;
      out += `    replay:  ${c.replay}\n`;
    }
  }
  const undetermined = r.totals.oracleUndetermined
    ? `, ${r.totals.oracleUndetermined} case(s) with undetermined oracle elements`
    : '';
  out += `\n${r.totals.cases} case(s), ${(r.timing.wallMs / 1000).toFixed(1)} s, seed ${r.seed}${undetermined}\n`;
  return out;
}
