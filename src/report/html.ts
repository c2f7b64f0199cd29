/**
 * The HTML report: one self-contained file a person opens offline to see which implementation
 * breaks where (docs/design.md, "Reports").
 *
 * - Pure function of the record: built from its bins (histogram, error map, length bins) and its
 *   shrunk counterexamples, never from per-case data, so the page for the default zoo stays far
 *   under 5 MB whatever the number of cases.
 * - No script and no network: charts are inline SVG, collapsible sections are <details>, and the
 *   Content-Security-Policy (`default-src 'none'`, the one inline <style> allowed by its hash)
 *   stops anything else from loading or running even if a string slipped through.
 * - Every string from the record (implementation names, formulas, module paths, diagnoses,
 *   environment values, commands) goes through `escapeHtml`, in text and attributes alike.
 * - Binning is the campaign's (aggregate.ts); this file only draws.
 * - It leads with severity (docs/design.md, "Severity"): the headline counts the implementations
 *   that give wrong answers and those that are only inaccurate, the summary shows the verdict at
 *   each level beside the expected grade, and every counterexample carries its severity badge and
 *   its relative and absolute error.
 */
import { createHash } from 'node:crypto';
import { expThresholds } from '../formats/thresholds.js';
import { isFormatName } from '../vocabulary/FormatName.js';
import type { JsonNumber } from '../formats/jsonNumber.js';
import { cdfSvg, chartDefs, errorMapSvg, histogramSvg, lengthSvg } from './charts.js';
import {
  closenessName,
  compactCount,
  counterexamplesBySeverity,
  errorText,
  expectedGrade,
  formatUlps,
  gradeTally,
  gradeText,
  groupByOp,
  isUnexpected,
  KIND_COLOUR,
  KIND_MEANING,
  kindFails,
  kindSeverity,
  orderKinds,
  severityMeaning,
  tally,
  toleranceText,
  unexpectedWhy,
  notStoredText,
} from './common.js';
import { elideVector } from './elide.js';
import { escapeHtml } from './escape.js';
import { renderStacksHtml, type StackComparison } from './stacks.js';
import type { CounterexampleRecord, ImplementationRecord, RunRecord } from './schema.js';
import type { Severity } from '../vocabulary/Severity.js';

const e = escapeHtml;

/** A safe token for a CSS class from a finding kind (unknown kinds share one class). */
const kindClass = (k: string): string => (Object.hasOwn(KIND_COLOUR, k) ? `k-${k}` : 'k-other');

const STYLE = `
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--bg:#fff;--soft:#f5f6f8;--pass:#1a7f37;--fail:#c62828;--warn:#b45309;--na:#6e7781}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:0 24px 48px;max-width:1280px}
h1{font-size:22px;margin:20px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}h4{font-size:13px;margin:16px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:6px 8px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
table{border-collapse:collapse;margin:4px 0}th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;background:var(--soft)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}.small{font-size:12px}
.banner{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.banner.ok{background:#e6f4ea;color:#0d5323}.banner.bad{background:#fde7e7;color:#8a1c1c}
.howto{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:12px 0}
.howto summary{font-weight:600;cursor:pointer}.howto li{margin:3px 0}.howto ul{margin:6px 0;padding-left:20px}
.kinds{columns:2 420px;column-gap:24px;margin:8px 0 4px}.kinds>div{break-inside:avoid;margin:2px 0}
.badge{display:inline-block;min-width:44px;text-align:center;padding:1px 6px;border-radius:10px;font-size:12px;font-weight:700;color:#fff}
.badge.pass{background:var(--pass)}.badge.fail,.badge.wrong{background:var(--fail)}.badge.unavailable{background:var(--na)}
.badge.inaccurate,.badge.fail.lv-inaccurate{background:var(--warn)}
.sev{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;font-weight:700;letter-spacing:.03em;border:1px solid;white-space:nowrap}
.sev.wrong{color:#fff;background:var(--fail);border-color:var(--fail)}.sev.inaccurate{color:#7c2d12;background:#ffedd5;border-color:#f0a35e}
.sev.none{color:var(--na);background:#fff;border-color:var(--line)}
.grades{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.grades>div{border:1px solid var(--line);border-left-width:5px;border-radius:6px;padding:6px 12px;flex:1 1 0;min-width:150px;max-width:240px}
.grades b{display:block;font-size:26px;line-height:1.15}.grades b.inline{display:inline;font-size:inherit;line-height:inherit}.grades .gl{font-weight:600}
.grades .wrong{border-left-color:var(--fail)}.grades .wrong b{color:var(--fail)}
.grades .inaccurate{border-left-color:var(--warn)}.grades .inaccurate b{color:var(--warn)}
.grades .pass{border-left-color:var(--pass)}.grades .pass b{color:var(--pass)}
.grades .unexpected{border-left-color:var(--fail);background:#fff4f4}.grades .unexpected b{color:var(--fail)}
.grades .expected{border-left-color:var(--pass)}.grades .na{border-left-color:var(--na)}
td.lv-off,tr.unexpected td.lv-off{background:#ffd0d0;box-shadow:inset 0 0 0 2px #e57373}.nw{white-space:nowrap}.attention li{margin:3px 0}.err{white-space:nowrap;color:var(--fg)}.broken-list{margin:2px 0 6px}
.exp{font-size:12px;font-weight:600;white-space:nowrap}table.summary td:first-child{white-space:nowrap}table.claims td:nth-child(2){white-space:nowrap}.exp.ok{color:var(--pass)}.exp.bad{color:var(--fail)}
tr.unexpected td{background:#fff4f4}
.chip{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;color:#fff;margin:1px 2px 1px 0;white-space:nowrap}
.chip.soft{opacity:.55}
.k-crash{background:#3b3b3b}.k-timeout{background:#5a5a5a}.k-shape,.k-mutation{background:#6b4f3a}.k-special{background:#8c564b}
.k-nan-swallowed{background:#9467bd}.k-overflow{background:#d62728}.k-underflow{background:#1f77b4}.k-spurious-nan{background:#7b3fa0}
.k-cancellation{background:#00897b}.k-ulp{background:#ff7f0e}.k-sum{background:#e377c2}.k-argmax{background:#bcbd22}.k-nondeterministic{background:#17becf}.k-batch{background:#2ca02c}.k-other{background:#7f7f7f}
details.impl{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:#fff}
details.impl>summary{padding:6px 10px;cursor:pointer;list-style-position:inside}
details.impl[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
details.impl>.body{padding:4px 14px 12px}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure{margin:4px 0}figcaption{font-size:12px;color:var(--muted);max-width:460px}
svg{display:block;background:#fff}
/* no ancestor in these selectors: they must also match inside the <use> copies of the shared axes */
text{font:10px system-ui,sans-serif;fill:#333;text-anchor:middle}text.ya{text-anchor:end}
.grid{stroke:#e3e5e8;stroke-width:1;fill:none}.axis{stroke:#888;stroke-width:1;fill:none}
svg.defs{position:absolute;width:0;height:0;overflow:hidden}.bar{fill:#4878a8}.bar.b0{fill:#1a7f37}.bar.bi{fill:#d62728}
.cdf{stroke:#174ea6;stroke-width:2;fill:none}text.ct{font-size:9px;fill:#111}text.ct.light{fill:#fff}
.claim-holds{color:var(--pass);font-weight:700}.claim-broken,.claim-wrong{color:var(--fail);font-weight:700}.claim-inaccurate{color:var(--warn);font-weight:700}.claim-untested,.claim-na{color:var(--na);font-weight:700}
.cex{border-left:3px solid var(--line);padding:2px 0 2px 10px;margin:10px 0}
.cex table th{width:80px}mark{background:#ffe08a;padding:0 1px}
.legend span{margin-right:10px;white-space:nowrap}.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:3px;vertical-align:-1px}
.toc a{margin-right:10px}.reason{display:inline-block;max-width:360px;text-align:left}.pass-sw{background:#a5d6a7}
`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** The Content-Security-Policy of the page: nothing may load or run; only the page's own <style>. */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'none'",
  "script-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The anchor id of the implementation at position `index` in the record (names are not safe ids). */
const implId = (index: number) => `i${index}`;

/** A link to the section of the implementation at position `index`, showing its name. */
const implLink = (index: number, name: string) => `<a href="#${implId(index)}">${e(name)}</a>`;

/** The anchor id of the counterexample of finding kind `kind` of the implementation at `index`. */
const cexId = (index: number, kind: string) => `${implId(index)}-${kindAnchor(kind)}`;

/** The chip of a finding kind, without counts or tooltip. */
const kindChip = (k: string) => `<span class="chip ${kindClass(k)}">${e(k)}</span>`;

/** The anchor id of the summary of an op. */
const opAnchor = (op: string) => `op-${e(op.replace(/[^a-z0-9_-]/gi, '_'))}`;

const plural = (n: number) => (n === 1 ? '' : 's');

/** The verdict at one level (`level`: FAIL at the strict level only is amber, at the wrong level red). */
function verdictBadge(v: string, level?: Severity): string {
  const cls = v === 'pass' || v === 'fail' ? v : 'unavailable';
  const text = v === 'pass' ? 'PASS' : v === 'fail' ? 'FAIL' : 'N/A';
  return `<span class="badge ${cls}${level ? ` lv-${level}` : ''}">${text}</span>`;
}

const GRADE_BADGE: Readonly<Record<string, string>> = {
  wrong: 'WRONG',
  inaccurate: 'INACCURATE',
  pass: 'PASS',
  unavailable: 'N/A',
};

/** The grade of an implementation: WRONG, INACCURATE, PASS or N/A ("How to read this report" says what they mean). */
function gradeBadge(i: ImplementationRecord): string {
  const g = gradeText(i);
  return `<span class="badge ${g === 'unavailable' ? 'unavailable' : g}">${GRADE_BADGE[g] ?? e(g)}</span>`;
}

/**
 * The severity badge of a finding: WRONG, INACCURATE, or NO VERDICT (reported only); with a
 * tooltip (its meaning and the format's tolerances) where `explain`, which the page keeps to the
 * counterexamples themselves to stay light.
 */
function severityBadge(
  severity: Severity | null | undefined,
  r: RunRecord,
  format: string,
  explain = false,
): string {
  const known = severity === 'wrong' || severity === 'inaccurate';
  const cls = known ? severity : 'none';
  const text = known ? severity.toUpperCase() : 'NO VERDICT';
  if (!explain) return `<span class="sev ${cls}">${text}</span>`;
  const tol = toleranceText(r, format);
  const tip = known
    ? `${severityMeaning(severity, closenessName(r))}${tol ? ` (${format}: ${tol})` : ''}`
    : 'reported without a verdict: this kind of finding fails no verdict under the run’s --specials policy';
  return `<span class="sev ${cls}" title="${e(tip)}">${text}</span>`;
}

function expectation(i: ImplementationRecord): string {
  const grade = e(expectedGrade(i));
  if (i.verdict === 'unavailable') return `<span class="exp muted">not run (expected ${grade})</span>`;
  if (isUnexpected(i)) return `<span class="exp bad">✗ expected ${grade}</span>`;
  return `<span class="exp ok">✓ expected ${grade}</span>`;
}

/** How many of the cases of kind `k` were wrong, as text: "2 wrong", "none wrong", or '' for a kind without a verdict. */
function wrongOf(i: ImplementationRecord, k: string, r: RunRecord): string {
  if (!kindFails(k, r)) return '';
  const w = i.wrongCounts?.[k] ?? 0;
  return w ? `${w} wrong` : 'none wrong';
}

function chips(i: ImplementationRecord, r: RunRecord, compact = false): string {
  return orderKinds(Object.keys(i.findingCounts))
    .map((k) => {
      const fails = kindFails(k, r);
      const cls = `chip ${kindClass(k)}${fails ? '' : ' soft'}`;
      let title = '';
      if (!compact) {
        const soft = fails ? '' : ` (does not fail the verdict under --specials ${r.config.specials})`;
        const wrong = wrongOf(i, k, r);
        const tip = `${k}: ${KIND_MEANING[k] ?? 'finding'} — in ${i.findingCounts[k]} of ${i.cases} cases${wrong ? `, ${wrong}` : ''}${soft}`;
        title = ` title="${e(tip)}"`;
      }
      return `<span class="${cls}"${title}>${e(k)} ${e(compactCount(i.findingCounts[k]))}</span>`;
    })
    .join('');
}

function legend(kinds: readonly string[]): string {
  const items = kinds.map((k) => `<span><i class="sw ${kindClass(k)}"></i>${e(k)}</span>`).join('');
  const pass =
    '<span><i class="sw pass-sw"></i>no failing case (darker green: a larger error, still within budget)</span>';
  return `<div class="legend small">Colours in the maps: ${items}${pass}</div>`;
}

// ---------------------------------------------------------------------------------------------
// claims

/**
 * What a check of a claim found: it holds; it is broken by wrong answers, or only by inaccurate
 * ones (beyond the strict budget but close); broken by findings reported without a verdict
 * (`special` under --specials report); not tested; not applicable.
 */
type ClaimVerdict = 'holds' | 'wrong' | 'inaccurate' | 'broken' | 'untested' | 'na';
interface Claim {
  readonly claim: string;
  readonly verdict: ClaimVerdict;
  /** Evidence, already HTML. */
  readonly evidence: string;
}

const EXTREME_REGIONS = [
  'near-overflow',
  'near-underflow',
  'huge',
  'spread',
  'masked',
  'subnormal',
  'dominant',
];

function countsText(i: ImplementationRecord, kinds: readonly string[], r: RunRecord): string {
  const parts = kinds
    .filter((k) => (i.findingCounts[k] ?? 0) > 0)
    .map((k) => {
      const wrong = wrongOf(i, k, r);
      return `${e(k)} in ${i.findingCounts[k]} of ${i.cases} cases${wrong ? ` (${wrong})` : ''}`;
    });
  if (parts.length) return parts.join('; ');
  const names = kinds.map(e);
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `no ${list} finding in ${i.cases} cases`;
}

/** A link to the counterexample of the first of `kinds` that has one, the worst severity first. */
function cexLink(i: ImplementationRecord, index: number, kinds: readonly string[], r: RunRecord): string {
  const present = kinds.filter((q) => i.counterexamples[q]);
  const k = present.find((q) => i.counterexamples[q].finding.severity === 'wrong') ?? present[0];
  if (!k) return '';
  const c = i.counterexamples[k];
  const badge = severityBadge(c.finding.severity, r, i.format);
  return ` — e.g. <a href="#${cexId(index, k)}">${e(k)}</a> ${badge}: ${e(cut(c.finding.diagnosis, 140))}`;
}

const kindAnchor = (k: string) => k.replace(/[^a-z0-9-]/gi, '_');

/** How the findings of `kinds` break a claim: by a wrong answer, only inaccurate ones, or reported ones only. */
function brokenBy(i: ImplementationRecord, kinds: readonly string[], r: RunRecord): ClaimVerdict {
  const present = kinds.filter((k) => (i.findingCounts[k] ?? 0) > 0);
  if (!present.length) return 'holds';
  const severities = present.map((k) => kindSeverity(i, k, r));
  return severities.includes('wrong') ? 'wrong' : severities.includes('inaccurate') ? 'inaccurate' : 'broken';
}

/** A claim checked by an implementation's grade (the cross-entropy gradient). */
const byGrade = (g: string): ClaimVerdict =>
  g === 'wrong' ? 'wrong' : g === 'inaccurate' ? 'inaccurate' : g === 'pass' ? 'holds' : 'untested';

function claimsOf(i: ImplementationRecord, index: number, r: RunRecord): Claim[] {
  const out: Claim[] = [];
  const untested = i.cases === 0;
  const mk = (claim: string, kinds: readonly string[], extra = ''): Claim => ({
    claim,
    verdict: untested ? 'untested' : brokenBy(i, kinds, r),
    evidence: untested ? 'no cases ran' : `${countsText(i, kinds, r)}${cexLink(i, index, kinds, r)}${extra}`,
  });
  out.push(
    mk(
      'Accurate: every output is a number within its error budget of the correctly rounded result',
      ['ulp', 'overflow', 'underflow', 'cancellation', 'spurious-nan'],
      ` (worst error ${e(formatUlps(i.ulp.max))} ulps; 99% of cases within ${e(formatUlps(i.ulp.p99))})`,
    ),
  );
  if (i.op === 'softmax')
    out.push(
      mk('Outputs are probabilities: finite, in [0, 1], summing to 1 within the rounding bound', [
        'sum',
        'overflow',
        'spurious-nan',
      ]),
    );
  if (i.op === 'softmax' || i.op === 'log_softmax')
    out.push(mk('The largest output is at the largest logit (argmax preserved)', ['argmax']));
  // extreme logits: overflow and underflow, with the regions that aim at them
  const regions = EXTREME_REGIONS.filter((g) => i.regions[g]).map(
    (g) => `${e(g)} ${i.regions[g].failures}/${i.regions[g].cases} failing`,
  );
  const extremeCases = EXTREME_REGIONS.reduce((a, g) => a + (i.regions[g]?.cases ?? 0), 0);
  const ext = mk('No overflow or underflow on extreme logits', ['overflow', 'underflow']);
  const regionsText = regions.length
    ? `. Extreme regions: ${regions.join(', ')}`
    : '. No case from the extreme regions ran';
  out.push({
    ...ext,
    verdict: ext.verdict === 'holds' && extremeCases === 0 ? 'untested' : ext.verdict,
    evidence: `${ext.evidence}${regionsText}`,
  });
  // the cross-entropy gradient, checked by the cross_entropy_grad implementation of the same
  // formulation and format
  if (i.op === 'cross_entropy_grad') {
    const grade = gradeText(i);
    out.push({
      claim: 'The cross-entropy gradient softmax(x) − onehot(k) is accurate',
      verdict: untested ? 'untested' : byGrade(grade),
      evidence: `this implementation’s grade: ${e(grade)} (worst error ${e(formatUlps(i.ulp.max))} ulps)`,
    });
  } else if (i.op === 'softmax' || i.op === 'cross_entropy' || i.op === 'log_softmax') {
    const parts = i.name.split('/');
    const twinName = parts.length === 3 ? `cross_entropy_grad/${parts[1]}/${parts[2]}` : '';
    const twinIndex = r.implementations.findIndex((q) => q.name === twinName);
    const twin = twinIndex >= 0 ? r.implementations[twinIndex] : undefined;
    const claim = 'Its cross-entropy gradient softmax(x) − onehot(k) is accurate';
    if (twin && twin.verdict !== 'unavailable') {
      const link = implLink(twinIndex, twin.name);
      const worst = e(formatUlps(twin.ulp.max));
      const grade = gradeText(twin);
      out.push({
        claim,
        verdict: twin.cases === 0 ? 'untested' : byGrade(grade),
        evidence: `checked by ${link} (same formulation and format): ${e(grade)}, worst error ${worst} ulps`,
      });
    } else {
      const named = twinName ? ` (${e(twinName)})` : '';
      out.push({
        claim,
        verdict: 'untested',
        evidence: `no cross_entropy_grad implementation of the same formulation and format in this run${named}`,
      });
    }
  }
  const spec = mk('NaN and ±Inf logits follow the special-values policy', ['special', 'nan-swallowed']);
  const reportedOnly =
    r.config.specials === 'report' && (i.findingCounts.special ?? 0) > 0
      ? ' (reported; special findings fail a verdict only under --specials strict)'
      : '';
  out.push({
    ...spec,
    verdict:
      spec.verdict === 'holds' && !(i.regions.specials?.cases > 0) && r.config.specials !== 'skip'
        ? 'untested'
        : r.config.specials === 'skip'
          ? 'na'
          : spec.verdict,
    evidence:
      r.config.specials === 'skip'
        ? 'not checked: the run used --specials skip'
        : `${spec.evidence}${reportedOnly}`,
  });
  return out;
}

const CLAIM_TEXT: Record<ClaimVerdict, string> = {
  holds: '✓ holds',
  wrong: '✗ broken: wrong answers',
  inaccurate: '✗ broken: only inaccurate',
  broken: '✗ broken (reported, no verdict)',
  untested: '? not tested',
  na: '– n/a',
};

/** One line above the table: how many claims wrong answers break, and how many only inaccurate ones do. */
function claimsSummary(claims: readonly Claim[], r: RunRecord): string {
  const wrong = claims.filter((c) => c.verdict === 'wrong').length;
  const inaccurate = claims.filter((c) => c.verdict === 'inaccurate').length;
  if (!wrong && !inaccurate) return '';
  const close = e(closenessName(r));
  const claimsN = (n: number) => `${n} claim${plural(n)}`;
  const parts: string[] = [];
  if (wrong)
    parts.push(
      `<span class="claim-wrong">${claimsN(wrong)} broken by wrong answers</span> (outputs that fail ${close})`,
    );
  if (inaccurate)
    parts.push(
      `<span class="claim-inaccurate">${claimsN(inaccurate)} broken only by inaccurate answers</span> (beyond the strict budget, but close)`,
    );
  return `<p class="small broken-list">${parts.join('; ')}.</p>`;
}

function claimsTable(claims: readonly Claim[], r: RunRecord): string {
  const head = '<tr><th>claim</th><th>verdict</th><th>evidence</th></tr>';
  const rows = claims.map((c) => {
    const verdict = `<td class="claim-${c.verdict}">${CLAIM_TEXT[c.verdict]}</td>`;
    return `<tr><td>${e(c.claim)}</td>${verdict}<td class="small">${c.evidence}</td></tr>`;
  });
  return `${claimsSummary(claims, r)}<table class="claims">${head}${rows.join('')}</table>`;
}

// ---------------------------------------------------------------------------------------------
// counterexamples

/**
 * A vector with the finding's element marked. A long one is elided (`elideVector`: `[0 ×4096]`, or
 * the first and last few around `… 4,090 more …`), and its marked element shown after it; the
 * replay command has all of it.
 */
function vectorHtml(v: readonly JsonNumber[] | null, mark: number, max: number): string {
  if (v === null) return '<span class="muted">no answer</span>';
  if (v.length <= max) {
    const items = v.map((x, k) => (k === mark ? `<mark>${e(String(x))}</mark>` : e(String(x))));
    return `<code>[${items.join(', ')}]</code>`;
  }
  const whole = `<code>${e(elideVector(v, max))}</code>`;
  if (mark < 0 || mark >= v.length) return whole;
  return `${whole} <span class="muted small">element ${mark}:</span> <code><mark>${e(String(v[mark]))}</mark></code>`;
}

const MAX_REPLAY = 16384;
/** Counterexamples shown in full per implementation on a compact page. */
const COMPACT_CEX = 4;
const cut = (t: string, n: number) => (t.length > n ? `${t.slice(0, n)}…` : t);

function counterexampleHtml(
  i: ImplementationRecord,
  index: number,
  kind: string,
  c: CounterexampleRecord,
  r: RunRecord,
  compact: boolean,
): string {
  const vmax = compact ? 6 : 12;
  const f = c.finding;
  const mark = f.index;
  const count = i.findingCounts[kind] ?? 0;
  const wrong = wrongOf(i, kind, r);
  const err = errorText(f);
  const errSpan = err ? ` <span class="err">(${e(err)})</span>` : '';
  const ulps =
    f.ulps === null ? (err ? ` · error${errSpan}` : '') : ` · error ${e(formatUlps(f.ulps))} ulps${errSpan}`;
  const inRow = f.row !== undefined ? ` of row ${e(f.row + 1)}` : '';
  const at =
    f.index >= 0
      ? ` · at element ${f.index}${inRow}`
      : f.row !== undefined
        ? ` · row ${e(f.row + 1)}`
        : ' · whole case';
  const label = c.label !== undefined ? ` <span class="muted">label</span> <code>${e(c.label)}</code>` : '';
  const rounded = '<span class="muted small">(correctly rounded)</span>';
  const rows = [
    ...(c.input
      ? [
          `<tr><th>input</th><td>${vectorHtml(c.input, -1, vmax)}${label}</td></tr>`,
          `<tr><th>expected</th><td>${vectorHtml(c.expected, mark, vmax)} ${rounded}</td></tr>`,
          `<tr><th>actual</th><td>${vectorHtml(c.actual, mark, vmax)}</td></tr>`,
        ]
      : [`<tr><th>input</th><td class="muted">${e(notStoredText(c))}${label}</td></tr>`]),
  ];
  // a batch [B, n]: every further row with its own expected and actual values
  (c.batch ?? []).forEach((b, k) => {
    const bl = b.label !== undefined ? ` <span class="muted">label</span> <code>${e(b.label)}</code>` : '';
    const m = f.row === k + 1 ? mark : -1;
    rows.push(
      `<tr><th>row ${k + 2}</th><td>${vectorHtml(b.input, -1, vmax)}${bl}</td></tr>`,
      `<tr><th>expected</th><td>${vectorHtml(b.expected, m, vmax)} ${rounded}</td></tr>`,
      `<tr><th>actual</th><td>${vectorHtml(b.actual, m, vmax)}</td></tr>`,
    );
  });
  if (f.index < 0 && (f.expected !== null || f.actual !== null)) {
    const actual = `<code>${e(String(f.actual))}</code>`;
    const expected = `<code>${e(String(f.expected))}</code>`;
    const where = '<span class="muted small">where</span>';
    const due = '<span class="muted small">was due</span>';
    rows.push(`<tr><th>checked</th><td>${actual} ${where} ${expected} ${due}</td></tr>`);
  }
  const len = c.replay.length;
  let replay: string;
  if (len > (compact ? 400 : MAX_REPLAY)) {
    const path = `implementations[${index}].counterexamples[${e(JSON.stringify(kind))}].replay`;
    const intro = `Replay: the command is ${len} characters long`;
    replay = `<p class="small muted">${intro}; copy it from results.json, ${path}</p>`;
  } else if (len > 400) {
    const summary = `<summary class="small">Replay command (${len} characters)</summary>`;
    replay = `<details class="replay">${summary}<pre><code>${e(c.replay)}</code></pre></details>`;
  } else
    replay = `<div class="small muted">Replay:</div><pre class="replay"><code>${e(c.replay)}</code></pre>`;
  const origShape = c.originalShape;
  const origLen = origShape ? origShape[1] : c.original?.length;
  const found = c.caseId >= 0 ? `first seen on case ${e(c.caseId)}` : 'found by the error-maximising search';
  const batchOf = (b: number) => (b > 1 ? ` in a batch of ${e(b)} rows` : '');
  const region = `(region ${e(c.region)}${origLen !== undefined ? `, ${e(origLen)} logits${batchOf(origShape?.[0] ?? 1)}` : ''})`;
  const shrunk = c.input
    ? `shrunk to ${c.input.length} logit${plural(c.input.length)}${batchOf(1 + (c.batch?.length ?? 0))}`
    : 'kept whole (no window of it shows the kind)';
  const sev = severityBadge(f.severity, r, i.format, true);
  const cases = `${count} of ${i.cases} cases${wrong ? ` (${wrong})` : ''}`;
  return `<div class="cex" id="${cexId(index, kind)}"><div>${sev} ${kindChip(kind)} <b>${e(f.diagnosis)}</b></div>
<div class="small muted">${cases}${at}${ulps} · ${found} ${region}, ${shrunk}</div>
<table>${rows.join('')}</table>${replay}</div>`;
}

// ---------------------------------------------------------------------------------------------
// environment

function kvTable(o: Readonly<Record<string, string | number>>): string {
  const keys = Object.keys(o);
  if (!keys.length) return '<p class="muted">none recorded</p>';
  const rows = keys.map((k) => `<tr><th>${e(k)}</th><td>${e(o[k])}</td></tr>`);
  return `<table class="kv">${rows.join('')}</table>`;
}

function thresholdNote(format: string): string {
  if (!isFormatName(format)) return '';
  const t = expThresholds(format);
  const over = e(Number(t.overflow.toPrecision(6)));
  const under = e(Number(t.underflow.toPrecision(6)));
  return ` (in ${e(format)}, exp overflows above ${over} and underflows to 0 below ${under})`;
}

const figure = (svg: string, caption: string) => `<figure>${svg}<figcaption>${caption}</figcaption></figure>`;

const HIST_CAPTION =
  'How many cases had each size of error (the largest over the outputs of a case). Green: exact; red: NaN or Inf where a number was due.';
const CDF_CAPTION =
  'Share of cases whose error is at most x ulps: the further left the line reaches 100%, the more accurate.';
const LENGTH_CAPTION =
  'Worst error by vector length: long vectors stress summation, lengths just past a GPU workgroup size stress reductions.';
const RESULTS_NOTE = '<span class="muted">(input and replay command in results.json)</span>';

function implSection(i: ImplementationRecord, index: number, r: RunRecord, compact: boolean): string {
  const open = isUnexpected(i) ? ' open' : '';
  const stats =
    i.verdict === 'unavailable' ? 'unavailable' : `worst ${e(formatUlps(i.ulp.max))} ulps · ${i.cases} cases`;
  const head = [
    `<summary>${gradeBadge(i)}`,
    `<b>${e(i.name)}</b>`,
    expectation(i),
    `<span class="muted small">· ${stats}</span>`,
    `${chips(i, r, compact)}</summary>`,
  ].join(' ');
  const expected = expectedGrade(i);
  const knownBad =
    expected === 'wrong'
      ? ' (a known-bad formulation kept to show the failure modes)'
      : expected === 'inaccurate'
        ? ' (known to lose accuracy, within what assert_close-style checks forgive)'
        : '';
  const facts = [
    `op ${e(i.op)}`,
    `format ${e(i.format)}`,
    `backend ${e(i.backend)}`,
    `expected ${e(expected)}${knownBad}`,
  ].join(' · ');
  let b = `<p><code>${e(i.formula)}</code><br><span class="small muted">${facts}</span></p>`;
  if (i.verdict === 'unavailable') {
    b += `<p><b>Not run:</b> ${e(i.unavailableReason ?? 'unavailable')}</p>`;
    if (i.environment) b += `<h4>Environment</h4>${kvTable(i.environment)}`;
    return `<details class="impl" id="${implId(index)}"${open}>${head}<div class="body">${b}</div></details>`;
  }
  if (i.trippedAfter !== undefined)
    b += `<p><b>Stopped early</b> after ${e(i.trippedAfter)} cases: it timed out repeatedly (circuit breaker).</p>`;
  const quantiles = [i.ulp.p50, i.ulp.p90, i.ulp.p99].map((u) => formatUlps(u)).join(' / ');
  const close = closenessName(r);
  const tol = toleranceText(r, i.format);
  b += kvTable({
    grade: `${gradeText(i)} (verdict at the inaccurate level: ${i.verdicts.inaccurate}; at the wrong level: ${i.verdicts.wrong})`,
    cases: i.cases,
    'passing cases': i.passes,
    [`cases with a wrong answer (fails ${close}${tol ? `, ${tol}` : ''})`]: i.severityCounts?.wrong ?? 0,
    'cases only inaccurate (beyond the strict budget, but close)': i.severityCounts?.inaccurate ?? 0,
    'worst error (ulps)': formatUlps(i.ulp.max),
    'median / p90 / p99 (ulps, bin upper edges)': quantiles,
    'mean bits of error': i.ulp.meanBits.toFixed(2),
    'outputs outside the format (rounded in)': i.outOfFormat,
    'time in calls': `${i.timing?.ms ?? 0} ms`,
  });
  b += `<h4>The textbook claims, checked</h4>${claimsTable(claimsOf(i, index, r), r)}`;
  const hist = figure(histogramSvg(i.ulp.histogram, r.histogramEdges, !compact), HIST_CAPTION);
  const cdf = figure(cdfSvg(i.ulp.histogram, r.histogramEdges), CDF_CAPTION);
  b += `<h4>How large the errors are</h4><div class="charts">${hist}${cdf}</div>`;
  const mapCaption =
    'Each cell collects the cases whose largest |logit| (row) and spread (column) fall in its bins' +
    `${thresholdNote(i.format)}. Colour: the worst failing finding kind; green: no failing case.`;
  const map = figure(errorMapSvg(i.errorMap, r.mapEdges, r, !compact), mapCaption);
  const lengths = figure(lengthSvg(i.byLength, r.lengthEdges, r, !compact), LENGTH_CAPTION);
  b += `<h4>Where it breaks</h4><div class="charts">${map}${lengths}</div>`;
  const cexs = counterexamplesBySeverity(i);
  // a compact page shows the worst few in full and the others in one line each
  const full = compact ? cexs.slice(0, COMPACT_CEX) : cexs;
  const brief = cexs.slice(full.length).map(({ kind, cex }) => {
    const diagnosis = e(cut(cex.finding.diagnosis, 140));
    const sev = severityBadge(cex.finding.severity, r, i.format);
    return `<div class="cex small" id="${cexId(index, kind)}">${sev} ${kindChip(kind)} ${diagnosis} ${RESULTS_NOTE}</div>`;
  });
  if (cexs.length) {
    const shown = full.map(({ kind, cex }) => counterexampleHtml(i, index, kind, cex, r, compact));
    const title =
      'Counterexamples, wrong answers first, then the largest error (shrunk; one per finding kind)';
    b += `<h4>${title}</h4>${shown.join('')}${brief.join('')}`;
  } else b += `<h4>Counterexamples</h4><p class="muted">none: no finding in ${i.cases} cases</p>`;
  if (i.environment) b += `<h4>Environment</h4>${kvTable(i.environment)}`;
  return `<details class="impl" id="${implId(index)}"${open}>${head}<div class="body">${b}</div></details>`;
}

function summaryTable(
  r: RunRecord,
  rows: { impl: ImplementationRecord; index: number }[],
  compact: boolean,
): string {
  const body = rows
    .map(({ impl: i, index }) => {
      const worst =
        i.verdict === 'unavailable'
          ? `<span class="muted small reason">${e(i.unavailableReason ?? '')}</span>`
          : e(formatUlps(i.ulp.max));
      const tr = isUnexpected(i) ? '<tr class="unexpected">' : '<tr>';
      // the verdict at each level, marked where it differs from the expected one
      const level = (lv: Severity) => {
        const v = i.verdicts[lv];
        if (i.verdict === 'unavailable' || v === i.expected[lv]) return `<td>${verdictBadge(v, lv)}</td>`;
        const tip = `expected ${i.expected[lv]} at the ${lv} level`;
        return `<td class="lv-off" title="${e(tip)}">${verdictBadge(v, lv)}</td>`;
      };
      const cells = [
        `<td>${implLink(index, i.name)}</td><td>${e(i.format)}</td><td>${e(i.backend)}</td>`,
        `${level('inaccurate')}${level('wrong')}<td>${expectation(i)}</td><td class="n">${worst}</td>`,
        `<td>${chips(i, r, compact)}</td><td class="n">${i.cases}</td>`,
      ];
      return `${tr}${cells.join('')}</tr>`;
    })
    .join('');
  const close = e(closenessName(r).replace(/^torch\.testing\.|^numpy\./, ''));
  const failOn = (lv: Severity) =>
    r.config.failOn === lv ? '<br><span class="muted small nw">(--fail-on)</span>' : '';
  const levelHead = (lv: Severity, note: string, tip: string) =>
    `<th title="${e(tip)}">${lv}<br><span class="muted small">${note}</span>${failOn(lv)}</th>`;
  const head =
    '<tr><th>implementation</th><th>format</th><th>backend</th>' +
    levelHead(
      'inaccurate',
      'strict budget',
      'FAIL: some finding is beyond the error bound of the best algorithm',
    ) +
    levelHead('wrong', close, `FAIL: some output would also fail ${closenessName(r)}`) +
    '<th>expected grade</th>' +
    '<th class="n">worst error (ulps)</th><th>findings (cases)</th><th class="n">cases</th></tr>';
  return `<table class="summary">${head}${body}</table>`;
}

/** The items of "How to read this report", one line of the page each. */
function howToReadItems(r: RunRecord): string[] {
  const close = e(closenessName(r));
  const formats = [...new Set(r.implementations.map((i) => i.format))].filter((f) => toleranceText(r, f));
  const tolerances = formats.map((f) => `${e(f)}: ${e(toleranceText(r, f))}`).join('; ');
  const profile =
    r.config.close?.name === 'assert_close'
      ? ' with its default tolerances per dtype'
      : ` (--close ${e(r.config.close?.name ?? '')})`;
  return [
    '<li>Each implementation of softmax or a relative was fed extreme logits (huge, tiny, masked, nearly tied, very long …), and every output was compared with the <b>correctly rounded</b> exact result.</li>',
    '<li>Errors are in <b>ulps</b> (units in the last place): 0 is the exact result correctly rounded, 1 the neighbouring floating-point number, <b>∞</b> NaN or ±Inf where a number was due; beside a counterexample’s ulps, <b>rel</b> and <b>abs</b> are |actual − expected| over |expected| and |actual − expected|. Each implementation is held to the error budget of the recommended stable algorithm for its op, length and format.</li>',
    `<li><b>Severity</b> of a finding: <span class="sev wrong">WRONG</span> when the output would also fail <code>${close}</code>${profile}${tolerances ? ` (${tolerances})` : ''}; <span class="sev inaccurate">INACCURATE</span> when it is beyond that error budget but still close. An implementation has a verdict at each level (<b>inaccurate</b>: FAIL on any finding; <b>wrong</b>: FAIL only on wrong ones) and a grade, its worst: WRONG, INACCURATE or PASS.</li>`,
    '<li>Some textbook formulas (such as the naive <code>exp(x_i)/Σexp(x_j)</code>) are kept <b>on purpose</b> and are expected to be WRONG; others are expected to be only INACCURATE. Only a grade that differs from the expected one at either level (a red row, marked ✗) is a problem.</li>',
    '<li>Click an implementation for its detail: the claims a textbook makes about it, checked, with evidence; charts of its errors (hover a bar or a cell for the numbers); where in input space it breaks; minimal counterexamples with a command that replays them.</li>',
  ];
}

function howToRead(r: RunRecord): string {
  const kinds = orderKinds([
    ...Object.keys(KIND_MEANING),
    ...r.implementations.flatMap((i) => Object.keys(i.findingCounts)),
  ]);
  const meanings = kinds.map(
    (k) =>
      `<div>${kindChip(k)} ${e(KIND_MEANING[k] ?? 'a finding kind this report does not describe')}</div>`,
  );
  return `<details class="howto" open><summary>How to read this report</summary><ul>
${howToReadItems(r).join('\n')}</ul>
<div class="kinds small">${meanings.join('')}</div></details>`;
}

const ENV_INTRO =
  'GPU adapters, library versions, modules: each distinct environment once, with the implementations that reported it.';

function envSection(r: RunRecord): string {
  const byEnv = new Map<
    string,
    { env: Readonly<Record<string, string>>; names: { name: string; index: number }[] }
  >();
  r.implementations.forEach((i, index) => {
    if (!i.environment || !Object.keys(i.environment).length) return;
    const key = JSON.stringify(Object.entries(i.environment).sort(([a], [b]) => (a < b ? -1 : 1)));
    const g = byEnv.get(key) ?? { env: i.environment, names: [] };
    g.names.push({ name: i.name, index });
    byEnv.set(key, g);
  });
  let s = `<h2 id="environment">Environment</h2><h3>Machine</h3>${kvTable(r.environment)}`;
  if (byEnv.size) {
    s += '<h3>What the implementations ran on</h3>';
    s += `<p class="small muted">${ENV_INTRO}</p>`;
    for (const g of byEnv.values()) {
      const links = g.names.map((n) => implLink(n.index, n.name)).join(', ');
      s += `<div class="cex"><div class="small">${links}</div>${kvTable(g.env)}</div>`;
    }
  }
  return s;
}

function reproduceSection(r: RunRecord): string {
  const c = r.config;
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const conf: Record<string, string | number> = {
    seed: r.seed,
    'logitfuzz version': r.logitfuzzVersion,
    commit: r.commit ?? 'not recorded (not a git checkout)',
    runs: c.runs === null ? 'none (time limit)' : c.runs,
    'time limit': c.timeLimitS === null ? 'none' : `${c.timeLimitS} s`,
    shard: c.shard ? `${c.shard.index}/${c.shard.count}` : 'none',
    'special values policy': c.specials,
    budget: c.budget === null ? 'derived per op, length and format' : `${c.budget} ulps`,
    'vector lengths': `${c.minLength} to ${c.maxLength}`,
    'time limit per call': `${c.timeoutMs} ms`,
    started: r.timing.startedAt,
    'wall time': `${secs(r.timing.wallMs)} (oracle ${secs(r.timing.oracleMs)}, ${r.timing.workers} workers)`,
  };
  const version = r.commit ? `commit <code>${e(r.commit)}</code>` : 'the same version';
  const intro = `<p>Check out ${version} and run (the seed makes the cases identical; timing may differ):</p>`;
  const command = `<pre><code>${e(r.command)}</code></pre>`;
  const undetermined = r.totals.oracleUndetermined
    ? `<p><b>Note:</b> in ${r.totals.oracleUndetermined} case(s) the oracle could not decide the rounding of ` +
      'some element within its precision cap (those elements hold the nearer candidate).</p>'
    : '';
  return `<h2 id="reproduce">How to reproduce</h2>${intro}${command}${kvTable(conf)}${undetermined}`;
}

/** Options of `renderHtml`. */
export interface HtmlOptions {
  /**
   * Leave out hover details and shorten long vectors and replay commands (results.json keeps
   * them all). By default the page is compact only when the full page would exceed
   * HTML_BUDGET_BYTES.
   */
  readonly compact?: boolean;
  /** The run's WebGPU stacks compared case by case (cli/stacks.ts), shown in a section of their own. */
  readonly stacks?: readonly StackComparison[];
}

/** Size above which `renderHtml` falls back to the compact page (the default zoo's page must stay under 5 MB). */
const HTML_BUDGET_BYTES = 4.5 * 1024 * 1024;

/**
 * Renders a run record (`logitfuzz/run@2`, or a run@1 record read back by load.ts) as one
 * self-contained HTML page. Pure: the same record (and options) give the same page.
 */
export function renderHtml(record: RunRecord, options: HtmlOptions = {}): string {
  const stacks = renderStacksHtml(options.stacks ?? []);
  if (options.compact !== undefined) return renderPage(record, options.compact, stacks);
  const full = renderPage(record, false, stacks);
  return Buffer.byteLength(full, 'utf8') <= HTML_BUDGET_BYTES ? full : renderPage(record, true, stacks);
}

/**
 * The headline: how many implementations give wrong answers, how many are only inaccurate, how
 * many pass, and how many are not as expected.
 */
function gradeCards(r: RunRecord): string {
  const g = gradeTally(r);
  const close = e(closenessName(r));
  const off = (grade: string) => {
    const n = r.implementations.filter((i) => gradeText(i) === grade && isUnexpected(i)).length;
    return n ? `<b class="inline">${n}</b> not as expected` : 'all as expected';
  };
  const card = (cls: string, n: number, label: string, note: string) =>
    `<div class="${cls}"><b>${n}</b><span class="gl">${label}</span><br><span class="small muted">${note}</span></div>`;
  const cards = [
    card(
      'wrong',
      g.wrong,
      `give${g.wrong === 1 ? 's' : ''} wrong answers`,
      `fail ${close} · ${off('wrong')}`,
    ),
    card(
      'inaccurate',
      g.inaccurate,
      'only inaccurate',
      `beyond the strict budget, but close · ${off('inaccurate')}`,
    ),
    card('pass', g.pass, 'pass', `within the strict budget · ${off('pass')}`),
    g.unexpected
      ? card('unexpected', g.unexpected, 'not as expected', 'the grade differs from the expected one')
      : card('expected', 0, 'not as expected', 'every grade is the expected one'),
  ];
  if (g.unavailable)
    cards.push(card('na', g.unavailable, 'unavailable here', 'not run: see the summary for why'));
  return `<div class="grades">${cards.join('')}</div>`;
}

function renderPage(record: RunRecord, compact: boolean, stacks = ''): string {
  const r = record;
  const t = tally(r);
  const title =
    r.implementations.length === 1 ? `logitfuzz report: ${r.implementations[0].name}` : 'logitfuzz report';
  const measured = `${t.measured} implementation${plural(t.measured)}`;
  const banner = t.unexpected.length
    ? `<div class="banner bad">✗ ${t.unexpected.length} of ${measured} did not behave as expected ` +
      '(the grade differs from the expected one at either level).</div>'
    : t.measured === 0
      ? `<div class="banner bad">No implementation could run.</div>`
      : `<div class="banner ok">✓ All ${t.measured} measured implementation${plural(t.measured)} ` +
        `behaved as expected.</div>`;
  const unavailable = t.unavailable.length ? ` (${t.unavailable.length} unavailable here)` : '';
  const facts = [
    `${e(r.totals.cases)} cases`,
    `${t.total} implementation${plural(t.total)}${unavailable}`,
    `seed ${e(r.seed)}`,
    e(r.timing.startedAt),
    `logitfuzz ${e(r.logitfuzzVersion)}`,
  ];
  const meta = `<p class="muted">${facts.join(' · ')}</p>`;
  const groups = groupByOp(r);
  const opLinks = groups.map((g) => `<a href="#${opAnchor(g.op)}">${e(g.op)} (${g.impls.length})</a>`);
  const sections =
    (stacks ? '<a href="#stacks">WebGPU stacks</a>' : '') +
    '<a href="#environment">environment</a><a href="#reproduce">reproduce</a>';
  const toc = `<p class="toc small">${opLinks.join('')}${sections}</p>`;
  let attention = '';
  if (t.unexpected.length) {
    // grouped by how they differ from what is expected, each with its telling counterexample
    const groups = new Map<string, string[]>();
    for (const i of t.unexpected) {
      const index = r.implementations.indexOf(i);
      const why = unexpectedWhy(i, r);
      const c = why?.cex;
      const example = c
        ? ` — ${severityBadge(c.cex.finding.severity, r, i.format)} <a href="#${cexId(index, c.kind)}">${e(c.kind)}</a>: ${e(cut(c.cex.finding.diagnosis, 140))}`
        : '';
      const category = why?.category ?? 'Not as expected';
      const items = groups.get(category) ?? [];
      items.push(`<li>${gradeBadge(i)} ${implLink(index, i.name)}: ${e(why?.detail ?? '')}${example}</li>`);
      groups.set(category, items);
    }
    attention = '<h2>Needs attention</h2>';
    for (const [category, items] of groups)
      attention += `<h3>${e(category)} (${items.length})</h3><ul class="attention">${items.join('')}</ul>`;
  }
  const legendKinds = orderKinds(new Set(r.implementations.flatMap((i) => Object.keys(i.findingCounts))));
  const note = compact
    ? `<p class="small muted">This page is large, so it leaves out the hover details of the charts and shortens long inputs and replay commands: results.json holds them all.</p>`
    : '';
  let body = `<h1>${e(title)}</h1>${meta}${gradeCards(r)}${banner}${note}${howToRead(r)}${toc}${attention}<h2>Summary</h2>`;
  for (const g of groups)
    body += `<h3 id="${opAnchor(g.op)}">${e(g.op)}</h3>${summaryTable(r, g.impls, compact)}`;
  body += `<h2>Implementations</h2>${chartDefs(r)}${legend(legendKinds)}`;
  for (const g of groups)
    body += `<h3>${e(g.op)}</h3>${g.impls.map(({ impl, index }) => implSection(impl, index, r, compact)).join('\n')}`;
  body += stacks + envSection(r) + reproduceSection(r);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head><body>
${body}
</body></html>
`;
}
