import {
  counterexamplesWorstFirst,
  gradeText,
  groupByOp,
  isUnexpected,
  notStoredText,
} from '../report/common.js';
import { elideVector } from '../report/elide.js';
import type { CounterexampleRecord, ImplementationRecord, RunRecord } from '../report/schema.js';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { gradeOf, type Grade } from '../vocabulary/Severity.js';
import { formatTable } from './formatTable.js';

export interface SummaryOptions {
  /**
   * Every implementation's row and counterexamples with whole vectors, instead of the grouped
   * table and the counterexamples of the implementations not graded as expected.
   * @defaultValue false
   */
  readonly verbose?: boolean;
}

/**
 * Most lines the default summary takes, so that `logitfuzz run` on the whole zoo fits on a screen
 * with the lines around it (the header on stderr, the files written, the exit reason): the
 * counterexamples get what the table leaves, and the implementations they cannot all fit are
 * still named.
 */
export const SUMMARY_MAX_LINES = 130;

/** Width to which the list of implementations without room for counterexamples is wrapped. */
const WRAP = 100;

/** A replay command longer than this is shown with its input as `@FILE` (`--verbose` prints it whole). */
const REPLAY_MAX = 240;

/**
 * The console summary of a run. By default: a table with one row per op and formulation and one
 * column per format, each cell the grade (`ok`, `inaccurate`, `WRONG`, `n/a`) with `!` where it is
 * not the expected one; then the minimal counterexamples of the implementations graded otherwise
 * than expected (of the only implementation, for a one-implementation record such as vet's), with
 * vectors elided; then the counts. With `verbose`, every implementation's row and counterexamples
 * with whole vectors. Plain text (no colour), whatever the terminal.
 */
export function formatSummary(r: RunRecord, options: SummaryOptions = {}): string {
  return options.verbose ? verboseSummary(r) : compactSummary(r);
}

const GRADE_RANK: Readonly<Record<Grade, number>> = { pass: 0, inaccurate: 1, wrong: 2 };

/** A grade as a table cell: `ok`, `inaccurate`, `WRONG`, `n/a`. */
function gradeMark(i: ImplementationRecord): string {
  const g = gradeText(i);
  return g === 'unavailable' ? 'n/a' : g === 'pass' ? 'ok' : g === 'wrong' ? 'WRONG' : g;
}

/** A grade in a sentence: `ok`, `inaccurate`, `wrong`. */
function gradeWord(g: Grade): string {
  return g === 'pass' ? 'ok' : g;
}

/** The severity of a counterexample's finding as written before its kind. */
function severityMark(c: CounterexampleRecord): string {
  const s = c.finding.severity;
  return s === 'wrong' ? 'WRONG' : s === 'inaccurate' ? 'inaccurate' : 'reported';
}

/**
 * An implementation's counterexamples, the wrong ones first, then those of kinds that were wrong in
 * some case (the stored counterexample, shrunk from the kind's first case, may be only inaccurate),
 * then by error (worst first).
 */
function orderedCounterexamples(i: ImplementationRecord): { kind: string; cex: CounterexampleRecord }[] {
  const rank = (kind: string, c: CounterexampleRecord) =>
    c.finding.severity === 'wrong'
      ? 0
      : (i.wrongCounts?.[kind] ?? 0) > 0
        ? 1
        : c.finding.severity === 'inaccurate'
          ? 2
          : 3;
  return counterexamplesWorstFirst(i)
    .map((e, pos) => ({ ...e, pos }))
    .sort((a, b) => rank(a.kind, a.cex) - rank(b.kind, b.cex) || a.pos - b.pos);
}

/** `op/formulation` of `op/formulation/format`; the whole name when it is not of that shape. */
function rowOf(i: ImplementationRecord): string {
  const prefix = `${i.op}/`;
  const suffix = `/${i.format}`;
  if (i.name.startsWith(prefix) && i.name.endsWith(suffix) && i.name.length > prefix.length + suffix.length)
    return i.name.slice(0, i.name.length - suffix.length);
  return i.name;
}

function gradeTable(r: RunRecord): { text: string; gaps: boolean } {
  const present = new Set(r.implementations.map((i) => i.format));
  const formats = [
    ...(FORMAT_NAMES as readonly string[]).filter((f) => present.has(f)),
    ...[...present].filter((f) => !(FORMAT_NAMES as readonly string[]).includes(f)).sort(),
  ];
  const rows: string[][] = [];
  let gaps = false;
  for (const { impls } of groupByOp(r)) {
    const cells = new Map<string, Map<string, string>>();
    for (const { impl } of impls) {
      const row = rowOf(impl);
      const cellsOfRow = cells.get(row) ?? new Map<string, string>();
      cells.set(row, cellsOfRow);
      if (!cellsOfRow.has(impl.format))
        cellsOfRow.set(impl.format, gradeMark(impl) + (isUnexpected(impl) ? '!' : ''));
    }
    for (const [row, byFormat] of cells) {
      gaps ||= byFormat.size < formats.length;
      rows.push([row, ...formats.map((f) => byFormat.get(f) ?? '·')]);
    }
  }
  return { text: formatTable(['', ...formats], rows), gaps };
}

/** What the marks mean: the grades always, n/a, ! and · where the table has them. */
function legend(r: RunRecord, gaps: boolean): string {
  const close = r.config.close?.name ?? 'assert_close';
  const parts = [
    'ok: no finding',
    `inaccurate: beyond logitfuzz's error budget, within ${close}`,
    `WRONG: fails ${close}`,
  ];
  if (r.implementations.some((i) => i.verdict === 'unavailable')) parts.push('n/a: could not run');
  if (r.implementations.some(isUnexpected)) parts.push('!: not the grade expected');
  if (gaps) parts.push('·: no such implementation');
  return parts.join(' · ') + '\n';
}

/** `lead` then the names joined by ", ", wrapped to WRAP columns, each line after the first indented. */
function wrapNames(lead: string, names: readonly string[]): string[] {
  const lines: string[] = [];
  let line = lead;
  let inLine = 0;
  names.forEach((n, k) => {
    const piece = n + (k < names.length - 1 ? ',' : '');
    if (inLine > 0 && line.length + 1 + piece.length > WRAP) {
      lines.push(line);
      line = '  ' + piece;
    } else line += ' ' + piece;
    inLine++;
  });
  lines.push(line);
  return lines;
}

/** The line that names the implementations without room for their counterexamples. */
function restLead(shown: number): string {
  return shown
    ? 'also not as expected (counterexamples: --verbose):'
    : 'not as expected (counterexamples: --verbose):';
}

/** A replay command short enough for a screen: a long `--x '[…]'` becomes `--x @FILE`. */
function shortReplay(replay: string, length: number): string {
  if (replay.length <= REPLAY_MAX) return replay;
  const m = /--x '[^']*'/.exec(replay);
  if (m)
    return `${replay.slice(0, m.index)}--x @FILE${replay.slice(m.index + m[0].length)}  (FILE: the ${length} logits as a JSON array; --verbose prints the whole command)`;
  return `${replay.slice(0, REPLAY_MAX)}…  (--verbose prints the whole command)`;
}

/** One counterexample in five lines, vectors elided. */
function counterexampleLines(kind: string, c: CounterexampleRecord): string[] {
  const label = c.label !== undefined ? ` label ${c.label}` : '';
  if (!c.input)
    return [
      `  ${severityMark(c)} ${kind}: ${c.finding.diagnosis}`,
      `    input    ${notStoredText(c)}${label}`,
      `    replay   ${shortReplay(c.replay, 0)}`,
    ];
  return [
    `  ${severityMark(c)} ${kind}: ${c.finding.diagnosis}`,
    `    input    ${elideVector(c.input)}${label}`,
    `    expected ${elideVector(c.expected)}`,
    `    actual   ${c.actual ? elideVector(c.actual) : '(no output)'}`,
    `    replay   ${shortReplay(c.replay, c.input.length)}`,
  ];
}

function findingsText(i: ImplementationRecord): string {
  const f = Object.entries(i.findingCounts);
  const wrong = (k: string) => (i.wrongCounts?.[k] ? ` (${i.wrongCounts[k]} wrong)` : '');
  return f.length
    ? `; findings in ${i.cases} cases: ${f.map(([k, n]) => `${k} ${n}${wrong(k)}`).join(', ')}`
    : '';
}

function closingLines(r: RunRecord): string {
  const count = (g: string) => r.implementations.filter((i) => gradeText(i) === g).length;
  const unexpected = r.implementations.filter(isUnexpected);
  const worse = unexpected.filter((i) => GRADE_RANK[gradeOf(i.verdicts)] > GRADE_RANK[gradeOf(i.expected)]);
  const n = r.implementations.length;
  const parts = [`${count('wrong')} wrong`, `${count('inaccurate')} only inaccurate`, `${count('pass')} ok`];
  const unavailable = count('unavailable');
  if (unavailable) parts.push(`${unavailable} n/a`);
  const differ = unexpected.length
    ? `${unexpected.length} not as expected (${worse.length} worse, ${unexpected.length - worse.length} better)`
    : 'all as expected';
  const undetermined = r.totals.oracleUndetermined
    ? `, ${r.totals.oracleUndetermined} case(s) with undetermined oracle elements`
    : '';
  return (
    `${n} implementation${n === 1 ? '' : 's'}: ${parts.join(', ')}; ${differ}\n` +
    `${r.totals.cases} case(s), ${(r.timing.wallMs / 1000).toFixed(1)} s, seed ${r.seed}${undetermined}\n`
  );
}

/** The unavailable implementations, one line per reason. */
function unavailableLines(r: RunRecord): string[] {
  const byReason = new Map<string, string[]>();
  for (const i of r.implementations) {
    if (i.verdict !== 'unavailable') continue;
    const reason = i.unavailableReason ?? 'no reason recorded';
    byReason.set(reason, [...(byReason.get(reason) ?? []), i.name]);
  }
  return [...byReason].map(([reason, names]) => `n/a: ${names.join(', ')} — ${reason}`);
}

function compactSummary(r: RunRecord): string {
  const table = gradeTable(r);
  const head = [table.text.trimEnd(), legend(r, table.gaps).trimEnd(), ...unavailableLines(r)];
  const closing = closingLines(r);
  const single = r.implementations.length === 1;
  // whose counterexamples to show: those not graded as expected, or the only implementation
  const featured = r.implementations.filter((i) => (single ? i.verdict !== 'unavailable' : isUnexpected(i)));
  // worse than expected first: those are the regressions
  const rank = (i: ImplementationRecord) =>
    GRADE_RANK[gradeOf(i.verdicts)] > GRADE_RANK[gradeOf(i.expected)] ? 0 : 1;
  const entries = featured
    .map((impl, pos) => ({ impl, pos }))
    .sort((a, b) => rank(a.impl) - rank(b.impl) || a.pos - b.pos)
    .map(({ impl }) => ({
      impl,
      header: single
        ? `${impl.name}: ${gradeWord(gradeOf(impl.verdicts))}${findingsText(impl)}`
        : `${impl.name}: ${gradeWord(gradeOf(impl.verdicts))}, expected ${gradeWord(gradeOf(impl.expected))}${findingsText(impl)}`,
      blocks: orderedCounterexamples(impl).map(({ kind, cex }) => counterexampleLines(kind, cex)),
    }))
    .filter((e) => e.blocks.length > 0 || !single);
  const lineCount = (s: string) => s.split('\n').length;
  const title = single ? 'Counterexamples:' : 'Not graded as expected (all counterexamples: --verbose):';
  let out = head.join('\n') + '\n';
  if (entries.length) {
    const budget = SUMMARY_MAX_LINES - lineCount(head.join('\n')) - lineCount(closing.trimEnd()) - 3; // blank, title, blank
    const rest = (k: number) =>
      k < entries.length
        ? wrapNames(
            restLead(k),
            entries.slice(k).map((e) => e.impl.name),
          ).length
        : 0;
    const cost = (k: number) =>
      entries.slice(0, k).reduce((n, e) => n + 1 + (e.blocks[0]?.length ?? 0), 0) + rest(k);
    let shownImpls = entries.length;
    while (shownImpls > 0 && cost(shownImpls) > budget) shownImpls--;
    const shown = entries.slice(0, shownImpls).map(() => 1);
    let used = cost(shownImpls);
    // then the further counterexamples, round by round, while they fit
    for (let round = 1; ; round++) {
      let any = false;
      entries.slice(0, shownImpls).forEach((e, k) => {
        const b = e.blocks[round];
        if (!b || shown[k] !== round || used + b.length > budget) return;
        shown[k]++;
        used += b.length;
        any = true;
      });
      if (!any) break;
    }
    out += `\n${title}\n`;
    entries.slice(0, shownImpls).forEach((e, k) => {
      const hidden = e.blocks.length - shown[k];
      out += `${e.header}${hidden > 0 ? ` (showing ${shown[k]} of ${e.blocks.length} kinds)` : ''}\n`;
      for (const b of e.blocks.slice(0, shown[k])) out += b.join('\n') + '\n';
    });
    if (shownImpls < entries.length)
      out +=
        wrapNames(
          restLead(shownImpls),
          entries.slice(shownImpls).map((e) => e.impl.name),
        ).join('\n') + '\n';
  }
  return out + '\n' + closing;
}

/** Everything: one row per implementation, then every implementation's counterexamples with whole vectors. */
function verboseSummary(r: RunRecord): string {
  const rows = r.implementations.map((i) => [
    i.name,
    gradeMark(i) + (isUnexpected(i) ? '!' : ''),
    gradeWord(gradeOf(i.expected)),
    String(i.cases),
    i.verdict === 'unavailable' ? '' : String(i.ulp.max),
    Object.entries(i.findingCounts)
      .map(([k, n]) => `${k}:${n}`)
      .join(' '),
  ]);
  let out =
    formatTable(['implementation', 'grade', 'expected', 'cases', 'max ulps', 'findings (cases)'], rows) +
    legend(r, false);
  const unavailable = r.implementations.filter((i) => i.verdict === 'unavailable');
  for (const i of unavailable) out += `\n${i.name}: unavailable — ${i.unavailableReason}`;
  if (unavailable.length) out += '\n';
  for (const i of r.implementations) {
    const kinds = Object.keys(i.counterexamples);
    if (!kinds.length) continue;
    out += `\n${i.name}:\n`;
    for (const { kind: k, cex: c } of orderedCounterexamples(i)) {
      const label = c.label !== undefined ? ` label ${c.label}` : '';
      out += `  ${severityMark(c)} ${k}: ${c.finding.diagnosis}\n`;
      out += `    input ${c.input ? JSON.stringify(c.input) : notStoredText(c)}${label}\n`;
      out += `    expected ${JSON.stringify(c.expected)}\n`;
      out += `    actual   ${JSON.stringify(c.actual)}\n`;
      out += `    replay:  ${c.replay}\n`;
    }
  }
  return out + '\n' + closingLines(r);
}
