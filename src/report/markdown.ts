/**
 * A one-screen Markdown summary of a run record: for a pull request comment or the GitHub step
 * summary ($GITHUB_STEP_SUMMARY). The headline says whether every grade is as expected and how
 * many implementations give wrong answers and how many are only inaccurate
 * (docs/design.md, "Severity"); one table row per op, with its implementations per grade; then the
 * implementations that are not as expected (at most ten, with their verdict at each level, a
 * counterexample and its replay command); then how to reproduce. Everything from the record is
 * escaped (`escapeMarkdown`, `markdownCode`), so a hostile implementation name or message can
 * neither break the tables nor inject links, mentions or HTML.
 */
import {
  closenessName,
  errorText,
  expectedGrade,
  formatUlps,
  gradeTally,
  gradeText,
  groupByOp,
  isUnexpected,
  num,
  orderKinds,
  tally,
  unexpectedWhy,
} from './common.js';
import { escapeMarkdown as md, markdownCode as code } from './escape.js';
import type { ImplementationRecord, RunRecord } from './schema.js';
import type { Severity } from '../vocabulary/Severity.js';

const MAX_LISTED = 10;
const MAX_CODE = 300;
const cut = (s: string, n = MAX_CODE) => (s.length <= n ? s : `${s.slice(0, n)} …`);

/** The verdict at one level, in bold where it differs from the expected one. */
function level(i: ImplementationRecord, lv: Severity): string {
  const v = i.verdicts[lv];
  return v === i.expected[lv] ? v : `**${v}** (expected ${i.expected[lv]})`;
}

/** ", rel 1.0, abs 4.2e-18" for a finding with finite values, or ''. */
function errorPart(f: Parameters<typeof errorText>[0]): string {
  const t = errorText(f);
  return t ? `, ${md(t)}` : '';
}

/** The Markdown summary (see the file comment). Pure. */
export function renderMarkdown(record: RunRecord): string {
  const r = record;
  const t = tally(r);
  const lines: string[] = [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const g = gradeTally(r);
  const close = closenessName(r);
  const grades = `${g.wrong} ${g.wrong === 1 ? 'gives' : 'give'} wrong answers, ${g.inaccurate} only inaccurate, ${g.pass} pass`;
  const only = r.implementations.length === 1 ? r.implementations[0] : undefined;
  if (only && only.verdict !== 'unavailable' && expectedGrade(only) === 'pass') {
    // one implementation vetted: say its grade, and its verdict at --fail-on
    const name = code(only.name, false);
    const grade = gradeText(only);
    lines.push(
      grade === 'wrong'
        ? `### ❌ logitfuzz: ${name} fails: it gives wrong answers`
        : grade === 'inaccurate'
          ? only.verdict === 'fail'
            ? `### ❌ logitfuzz: ${name} fails: it is inaccurate (but close by ${md(close)})`
            : `### ✅ logitfuzz: ${name} passes at --fail-on ${r.config.failOn} (inaccurate, but close by ${md(close)})`
          : `### ✅ logitfuzz: ${name} passes`,
    );
  } else if (t.unexpected.length)
    lines.push(
      `### ❌ logitfuzz: ${t.unexpected.length} of ${plural(t.measured, 'implementation')} not as expected · ${grades}`,
    );
  else if (t.measured === 0) lines.push('### ❌ logitfuzz: no implementation could run');
  else lines.push(`### ✅ logitfuzz: all ${plural(t.measured, 'implementation')} as expected · ${grades}`);
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
    `_Wrong_: an output would also fail ${md(close)}; _only inaccurate_: beyond the error bound of the best algorithm, but close.`,
    '',
  );
  lines.push(
    '| op | pass | only inaccurate | wrong | not as expected | unavailable | worst error of those expected to pass (ulps) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const group of groupByOp(r)) {
    const impls = group.impls.map((x) => x.impl);
    const good = impls.filter((i) => expectedGrade(i) === 'pass' && i.verdict !== 'unavailable');
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
    const graded = (grade: string) => impls.filter((i) => gradeText(i) === grade).length;
    const cells = [
      md(group.op),
      graded('pass'),
      graded('inaccurate'),
      graded('wrong'),
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
      '| implementation | inaccurate | wrong | expected | worst error (ulps) | findings (cases) | why |',
      '|---|---|---|---|---:|---|---|',
    );
    const listed = t.unexpected.slice(0, MAX_LISTED);
    for (const i of listed) {
      const why = unexpectedWhy(i, r);
      const c = why?.cex;
      const example = c
        ? ` — ${md(c.kind)} (${c.cex.finding.severity ?? 'no verdict'}${errorPart(c.cex.finding)}): ${md(cut(c.cex.finding.diagnosis, 160))}`
        : '';
      const findings = orderKinds(Object.keys(i.findingCounts))
        .map(
          (k) => `${md(k)} ${i.findingCounts[k]}${i.wrongCounts?.[k] ? ` (${i.wrongCounts[k]} wrong)` : ''}`,
        )
        .join(', ');
      const cells = [
        code(i.name),
        level(i, 'inaccurate'),
        level(i, 'wrong'),
        expectedGrade(i),
        md(formatUlps(i.ulp.max)),
        findings || '—',
        `${md(why?.text ?? '')}${example}`,
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    if (t.unexpected.length > MAX_LISTED)
      lines.push('', `… and ${t.unexpected.length - MAX_LISTED} more: see the HTML report.`);
    const shown = listed.find((i) => unexpectedWhy(i, r)?.cex);
    if (shown) {
      const c = unexpectedWhy(shown, r)!.cex!;
      lines.push(
        '',
        `Replay ${code(shown.name, false)}’s ${md(c.kind)} counterexample: ${code(cut(c.cex.replay), false)}`,
      );
    }
  }
  lines.push('', `Reproduce: ${code(cut(r.command, 4000), false)}`, '');
  return lines.join('\n');
}
