/**
 * The regression gate: compares a HEAD run record with a stored BASE (baseline) record.
 *
 * Per implementation present in BASE (matched by name), HEAD regresses when it:
 * - is missing from HEAD, or unavailable there while BASE measured it (unless `allowMissing`);
 * - newly fails (BASE verdict pass, HEAD fail);
 * - gains a finding kind (a kind with cases in HEAD and none in BASE);
 * - has a max ULP error that grew by more than `tolerance` ULPs (finite → non-finite always does).
 * These rules hold for every implementation, known-bad ones included: with the same seed and
 * options the cases are identical, so any change comes from the code.
 * Improvements (a kind gone, a smaller max error, fail → pass) and notes (new implementations,
 * different options, fewer cases) are reported but never fail the gate.
 * Pure: no file access and no re-running (`run --baseline` replays the baseline's
 * counterexamples separately).
 */
import { formatUlps, num, orderKinds } from './common.js';
import { escapeMarkdown as md, markdownCode as code } from './escape.js';
import { RUN_SCHEMA_V1, type ImplementationRecord, type RunRecord } from './schema.js';
import { gradeOf, type Severity } from '../vocabulary/Severity.js';

export interface CompareOptions {
  /** Growth of the max ULP error allowed before it counts as a regression. @defaultValue 0 */
  readonly tolerance?: number;
  /**
   * The level the gate fails on (`--fail-on`): at `inaccurate` every rule; at `wrong` only what
   * makes answers wrong (a verdict that becomes wrong, a kind that is newly wrong), while a new
   * inaccurate kind or a larger ULP error is a note. @defaultValue 'inaccurate'
   */
  readonly failOn?: Severity;
  /**
   * An implementation of BASE missing (or unavailable) in HEAD is a note, not a regression.
   * @defaultValue false
   */
  readonly allowMissing?: boolean;
}

type ChangeKind =
  | 'missing'
  | 'unavailable'
  | 'newly-fails'
  | 'newly-wrong'
  | 'new-wrong-finding'
  | 'new-finding'
  | 'ulp-growth'
  | 'fixed'
  | 'finding-gone'
  | 'ulp-improved'
  | 'new-implementation'
  | 'now-available'
  | 'options-differ';

interface Change {
  readonly impl: string;
  readonly kind: ChangeKind;
  /** One line, plain text (escape it for the output format). */
  readonly message: string;
}

export interface Comparison {
  /** True when HEAD has no regression: the gate passes. */
  readonly ok: boolean;
  readonly regressions: readonly Change[];
  readonly improvements: readonly Change[];
  /** Neither: new implementations, allowed missing ones, differing options. */
  readonly notes: readonly Change[];
  /** Implementations compared (present and measured in both). */
  readonly compared: number;
}

/** ULP values for comparison: NaN (never written, but possible in a damaged file) counts as ∞. */
const ulpsOf = (i: ImplementationRecord): number => {
  const u = num(i.ulp.max);
  return Number.isNaN(u) ? Infinity : u;
};

/** Options that make the cases differ between two records when they differ. */
function optionDifferences(base: RunRecord, head: RunRecord): string[] {
  const out: string[] = [];
  if (base.seed !== head.seed) out.push(`seed ${base.seed} → ${head.seed}`);
  const b = base.config;
  const h = head.config;
  const keys = ['runs', 'timeLimitS', 'specials', 'budget', 'minLength', 'maxLength'] as const;
  for (const k of keys) if (b[k] !== h[k]) out.push(`${k} ${String(b[k])} → ${String(h[k])}`);
  // what counts as wrong is decided when the record is made: severities judged under another
  // closeness are not comparable level for level
  if (b.close?.name !== h.close?.name) out.push(`close ${b.close?.name} → ${h.close?.name}`);
  const shard = (s: RunRecord['config']['shard']) => (s ? `${s.index}/${s.count}` : 'none');
  if (JSON.stringify(b.shard) !== JSON.stringify(h.shard))
    out.push(`shard ${shard(b.shard)} → ${shard(h.shard)}`);
  return out;
}

/** Compares HEAD with BASE (see the file comment for the rules). */
export function compareRecords(base: RunRecord, head: RunRecord, opts: CompareOptions = {}): Comparison {
  const tolerance = opts.tolerance ?? 0;
  const regressions: Change[] = [];
  const improvements: Change[] = [];
  const notes: Change[] = [];
  const headBy = new Map(head.implementations.map((i) => [i.name, i]));
  const baseNames = new Set(base.implementations.map((i) => i.name));
  let compared = 0;
  const failOn = opts.failOn ?? 'inaccurate';
  // run@1 records have no severities: they are compared at the strict level only
  const severities = base.schema !== RUN_SCHEMA_V1 && head.schema !== RUN_SCHEMA_V1;
  if (!severities)
    notes.push({
      impl: '',
      kind: 'options-differ',
      message: `a record is ${RUN_SCHEMA_V1}, without severities: compared at the strict level only (new kinds, verdicts, max error)`,
    });
  const diffs = optionDifferences(base, head);
  if (diffs.length)
    notes.push({
      impl: '',
      kind: 'options-differ',
      message:
        `the records were made with different options (${diffs.join(', ')}): ` +
        'differences may come from the cases, not the code',
    });
  const allowed = opts.allowMissing ? ' (allowed by --allow-missing)' : '';
  for (const b of base.implementations) {
    const h = headBy.get(b.name);
    const name = b.name;
    if (!h) {
      (opts.allowMissing ? notes : regressions).push({
        impl: name,
        kind: 'missing',
        message: `${name}: in the baseline but missing from HEAD${allowed}`,
      });
      continue;
    }
    if (b.verdict === 'unavailable') {
      if (h.verdict !== 'unavailable')
        notes.push({
          impl: name,
          kind: 'now-available',
          message:
            `${name}: unavailable in the baseline, now measured (${h.verdict}, worst ${formatUlps(h.ulp.max)} ulps); ` +
            'update the baseline to gate it',
        });
      continue;
    }
    if (h.verdict === 'unavailable') {
      const reason = h.unavailableReason ?? 'no reason given';
      (opts.allowMissing ? notes : regressions).push({
        impl: name,
        kind: 'unavailable',
        message: `${name}: measured in the baseline but unavailable in HEAD (${reason})${allowed}`,
      });
      continue;
    }
    compared++;
    const strict = failOn === 'inaccurate' || !severities;
    if (b.verdicts.inaccurate === 'pass' && h.verdicts.inaccurate === 'fail')
      (strict ? regressions : notes).push({
        impl: name,
        kind: 'newly-fails',
        message: `${name}: newly fails (baseline pass, HEAD fail)`,
      });
    // answers that become wrong regress at both levels, whether or not the finding kinds changed
    if (severities && b.verdicts.wrong === 'pass' && h.verdicts.wrong === 'fail')
      regressions.push({
        impl: name,
        kind: 'newly-wrong',
        message: `${name}: now gives wrong answers (baseline: ${gradeOf(b.verdicts)})`,
      });
    const newlyWrong = Object.keys(h.wrongCounts).filter((q) => !b.wrongCounts[q] && b.findingCounts[q]);
    if (severities)
      for (const k of orderKinds(newlyWrong)) {
        const c = h.counterexamples[k];
        regressions.push({
          impl: name,
          kind: 'new-wrong-finding',
          message: `${name}: ${k} is now wrong in ${h.wrongCounts[k]} of ${h.cases} cases${c ? `; replay: ${c.replay}` : ''}`,
        });
      }
    if (b.verdicts.inaccurate === 'fail' && h.verdicts.inaccurate === 'pass') {
      const missed =
        h.expected.inaccurate === 'fail'
          ? '; it is expected to fail, so the fuzzer may simply have missed its defect'
          : '';
      improvements.push({
        impl: name,
        kind: 'fixed',
        message: `${name}: now passes (baseline fail)${missed}`,
      });
    }
    const bk = new Set(Object.keys(b.findingCounts).filter((k) => b.findingCounts[k] > 0));
    const hk = new Set(Object.keys(h.findingCounts).filter((k) => h.findingCounts[k] > 0));
    for (const k of orderKinds(hk)) {
      if (bk.has(k)) continue;
      // at the wrong level a new kind regresses only when it is wrong (or severities are unknown)
      if (!strict && severities && !h.wrongCounts[k]) continue;
      const c = h.counterexamples[k];
      const example = c ? ` — ${c.finding.diagnosis}; replay: ${c.replay}` : '';
      regressions.push({
        impl: name,
        kind: 'new-finding',
        message: `${name}: new finding kind ${k} in ${h.findingCounts[k]} of ${h.cases} cases${example}`,
      });
    }
    for (const k of orderKinds(bk))
      if (!hk.has(k))
        improvements.push({
          impl: name,
          kind: 'finding-gone',
          message: `${name}: no more ${k} findings (baseline: ${b.findingCounts[k]} cases)`,
        });
    const ub = ulpsOf(b);
    const uh = ulpsOf(h);
    if (uh > ub && (ub === Infinity || uh === Infinity || uh - ub > tolerance)) {
      const tolerated = tolerance ? ` (tolerance ${tolerance})` : '';
      (strict ? regressions : notes).push({
        impl: name,
        kind: 'ulp-growth',
        message: `${name}: max error grew from ${formatUlps(ub)} to ${formatUlps(uh)} ulps${tolerated}`,
      });
    } else if (uh < ub)
      improvements.push({
        impl: name,
        kind: 'ulp-improved',
        message: `${name}: max error fell from ${formatUlps(ub)} to ${formatUlps(uh)} ulps`,
      });
  }
  for (const h of head.implementations) {
    if (!baseNames.has(h.name))
      notes.push({
        impl: h.name,
        kind: 'new-implementation',
        message: `${h.name}: not in the baseline (${h.verdict}); update the baseline to gate it`,
      });
  }
  return { ok: regressions.length === 0, regressions, improvements, notes, compared };
}

/** The comparison as plain text for the console. */
export function formatComparison(c: Comparison): string {
  const lines: string[] = [];
  const compared = `${c.compared} implementations compared`;
  lines.push(
    c.ok
      ? `no regression against the baseline (${compared})`
      : `${plural(c.regressions.length, 'regression')} against the baseline (${compared}):`,
  );
  for (const ch of c.regressions) lines.push(`  ✗ ${oneLine(ch.message)}`);
  if (c.improvements.length) {
    lines.push(`${plural(c.improvements.length, 'improvement')} (update the baseline to keep them):`);
    for (const ch of c.improvements) lines.push(`  ✓ ${oneLine(ch.message)}`);
  }
  for (const ch of c.notes) lines.push(`  note: ${oneLine(ch.message)}`);
  return `${lines.join('\n')}\n`;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

const oneLine = (s: string) => s.replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ');

/** The comparison as Markdown (for a pull request or the step summary); everything escaped. */
export function comparisonMarkdown(c: Comparison): string {
  const lines: string[] = [];
  lines.push(
    c.ok
      ? `### ✅ logitfuzz compare: no regression (${c.compared} implementations)`
      : `### ❌ logitfuzz compare: ${plural(c.regressions.length, 'regression')} (${c.compared} implementations)`,
    '',
  );
  const table = (title: string, list: readonly Change[]) => {
    if (!list.length) return;
    lines.push(`**${title}**`, '', '| implementation | change | details |', '|---|---|---|');
    for (const ch of list.slice(0, 30))
      lines.push(
        `| ${ch.impl ? code(ch.impl) : '—'} | ${md(ch.kind)} | ${md(oneLine(ch.message).slice(0, 400))} |`,
      );
    if (list.length > 30) lines.push(`| … | | ${list.length - 30} more |`);
    lines.push('');
  };
  table('Regressions', c.regressions);
  table('Improvements', c.improvements);
  table('Notes', c.notes);
  return `${lines.join('\n')}\n`;
}
