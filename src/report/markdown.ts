/**
 * A one-screen Markdown summary of a run record: for a pull request comment or the GitHub step
 * summary ($GITHUB_STEP_SUMMARY). The headline says whether every verdict is as expected; one
 * table row per op; then the implementations that are not as expected (at most ten, with a
 * counterexample and its replay command); then how to reproduce. Everything from the record is
 * escaped (`escapeMarkdown`, `markdownCode`), so a hostile implementation name or message can
 * neither break the tables nor inject links, mentions or HTML.
 */
import {
  counterexamplesWorstFirst,
  formatUlps,
  groupByOp,
  isUnexpected,
  num,
  orderKinds,
  tally,
} from './common.js';
import { escapeMarkdown as md, markdownCode as code } from './escape.js';
import type { RunRecord } from './schema.js';

const MAX_LISTED = 10;
const MAX_CODE = 300;
const cut = (s: string, n = MAX_CODE) => (s.length <= n ? s : `${s.slice(0, n)} …`);

/** The Markdown summary (see the file comment). Pure. */
export function renderMarkdown(record: RunRecord): string {
  const r = record;
  const t = tally(r);
  const lines: string[] = [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const only = r.implementations.length === 1 ? r.implementations[0] : undefined;
  if (only && only.verdict !== 'unavailable' && only.expected === 'pass') {
    // one implementation vetted: say its verdict
    lines.push(
      only.verdict === 'pass'
        ? `### ✅ logitfuzz: ${code(only.name, false)} passes`
        : `### ❌ logitfuzz: ${code(only.name, false)} fails`,
    );
  } else if (t.unexpected.length)
    lines.push(
      `### ❌ logitfuzz: ${t.unexpected.length} of ${plural(t.measured, 'implementation')} not as expected`,
    );
  else if (t.measured === 0) lines.push('### ❌ logitfuzz: no implementation could run');
  else lines.push(`### ✅ logitfuzz: all ${plural(t.measured, 'implementation')} as expected`);
  lines.push('');
  const meta = [
    `${r.totals.cases} cases`,
    `seed ${code(r.seed)}`,
    plural(t.total, 'implementation') +
      (t.unavailable.length ? ` (${t.unavailable.length} unavailable)` : ''),
    `logitfuzz ${md(r.logitfuzzVersion)}`,
  ];
  if (r.commit) meta.push(`commit ${code(r.commit.slice(0, 12))}`);
  lines.push(meta.join(' · '), '');
  lines.push(
    '| op | pass | fail, known bad | not as expected | unavailable | worst error of those expected to pass (ulps) |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const g of groupByOp(r)) {
    const impls = g.impls.map((x) => x.impl);
    const good = impls.filter((i) => i.expected === 'pass' && i.verdict !== 'unavailable');
    let worst = -1;
    let worstText = '—';
    for (const i of good) {
      const u = num(i.ulp.max);
      const v = Number.isNaN(u) ? Infinity : u;
      if (v > worst) {
        worst = v;
        worstText = formatUlps(i.ulp.max);
      }
    }
    const unexpected = impls.filter(isUnexpected).length;
    const cells = [
      md(g.op),
      impls.filter((i) => i.verdict === 'pass').length,
      impls.filter((i) => i.verdict === 'fail' && i.expected === 'fail').length,
      unexpected ? `**${unexpected}**` : '0',
      impls.filter((i) => i.verdict === 'unavailable').length,
      md(worstText),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (t.unexpected.length) {
    lines.push(
      '',
      `**Not as expected**${t.unexpected.length > MAX_LISTED ? ` (the first ${MAX_LISTED})` : ''}:`,
      '',
    );
    lines.push(
      '| implementation | verdict | expected | worst error (ulps) | findings (cases) | why |',
      '|---|---|---|---:|---|---|',
    );
    const listed = t.unexpected.slice(0, MAX_LISTED);
    for (const i of listed) {
      const first = counterexamplesWorstFirst(i)[0];
      const why =
        i.verdict === 'pass'
          ? `no case in ${i.cases} exposed the defect; more --runs may`
          : first
            ? `${md(first.kind)}: ${md(cut(first.cex.finding.diagnosis, 160))}`
            : '';
      const findings = orderKinds(Object.keys(i.findingCounts))
        .map((k) => `${md(k)} ${i.findingCounts[k]}`)
        .join(', ');
      const verdict = i.verdict === 'fail' ? '**FAIL**' : 'pass';
      const cells = [code(i.name), verdict, i.expected, md(formatUlps(i.ulp.max)), findings || '—', why];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    if (t.unexpected.length > MAX_LISTED)
      lines.push('', `… and ${t.unexpected.length - MAX_LISTED} more: see the HTML report.`);
    const firstFail = listed.find((i) => i.verdict === 'fail' && counterexamplesWorstFirst(i).length);
    if (firstFail) {
      const c = counterexamplesWorstFirst(firstFail)[0].cex;
      lines.push(
        '',
        `Replay ${code(firstFail.name, false)}’s worst counterexample: ${code(cut(c.replay), false)}`,
      );
    }
  }
  lines.push('', `Reproduce: ${code(cut(r.command, 4000), false)}`, '');
  return lines.join('\n');
}
