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
 */
import { createHash } from 'node:crypto';
import { expThresholds } from '../formats/thresholds.js';
import { isFormatName } from '../vocabulary/FormatName.js';
import type { JsonNumber } from '../formats/jsonNumber.js';
import { cdfSvg, chartDefs, errorMapSvg, histogramSvg, lengthSvg } from './charts.js';
import {
  compactCount,
  counterexamplesWorstFirst,
  formatUlps,
  groupByOp,
  isUnexpected,
  KIND_COLOUR,
  KIND_MEANING,
  kindFails,
  orderKinds,
  tally,
} from './common.js';
import { escapeHtml } from './escape.js';
import type { CounterexampleRecord, ImplementationRecord, RunRecord } from './schema.js';

const e = escapeHtml;

/** A safe token for a CSS class from a finding kind (unknown kinds share one class). */
const kindClass = (k: string): string => (Object.hasOwn(KIND_COLOUR, k) ? `k-${k}` : 'k-other');

const STYLE = `
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--bg:#fff;--soft:#f5f6f8;--pass:#1a7f37;--fail:#c62828;--na:#6e7781}
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
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.unavailable{background:var(--na)}
.exp{font-size:12px;font-weight:600;white-space:nowrap}table.summary td:first-child{white-space:nowrap}table.claims td:nth-child(2){white-space:nowrap}.exp.ok{color:var(--pass)}.exp.bad{color:var(--fail)}
tr.unexpected td{background:#fff4f4}
.chip{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;color:#fff;margin:1px 2px 1px 0;white-space:nowrap}
.chip.soft{opacity:.55}
.k-crash{background:#3b3b3b}.k-timeout{background:#5a5a5a}.k-shape,.k-mutation{background:#6b4f3a}.k-special{background:#8c564b}
.k-nan-swallowed{background:#9467bd}.k-overflow{background:#d62728}.k-underflow{background:#1f77b4}.k-spurious-nan{background:#7b3fa0}
.k-ulp{background:#ff7f0e}.k-sum{background:#e377c2}.k-argmax{background:#bcbd22}.k-nondeterministic{background:#17becf}.k-other{background:#7f7f7f}
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
.claim-holds{color:var(--pass);font-weight:700}.claim-broken{color:var(--fail);font-weight:700}.claim-untested,.claim-na{color:var(--na);font-weight:700}
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

function verdictBadge(v: string): string {
  const cls = v === 'pass' || v === 'fail' ? v : 'unavailable';
  const text = v === 'pass' ? 'PASS' : v === 'fail' ? 'FAIL' : 'N/A';
  return `<span class="badge ${cls}">${text}</span>`;
}

function expectation(i: ImplementationRecord): string {
  if (i.verdict === 'unavailable') return `<span class="exp muted">not run</span>`;
  if (isUnexpected(i)) return `<span class="exp bad">✗ expected to ${e(i.expected)}</span>`;
  return i.expected === 'fail'
    ? `<span class="exp ok">✓ known bad, as expected</span>`
    : `<span class="exp ok">✓ as expected</span>`;
}

function chips(i: ImplementationRecord, r: RunRecord, compact = false): string {
  return orderKinds(Object.keys(i.findingCounts))
    .map((k) => {
      const fails = kindFails(k, r);
      const cls = `chip ${kindClass(k)}${fails ? '' : ' soft'}`;
      let title = '';
      if (!compact) {
        const soft = fails ? '' : ` (does not fail the verdict under --specials ${r.config.specials})`;
        const tip = `${k}: ${KIND_MEANING[k] ?? 'finding'} — in ${i.findingCounts[k]} of ${i.cases} cases${soft}`;
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

type ClaimVerdict = 'holds' | 'broken' | 'untested' | 'na';
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

function countsText(i: ImplementationRecord, kinds: readonly string[]): string {
  const parts = kinds
    .filter((k) => (i.findingCounts[k] ?? 0) > 0)
    .map((k) => `${e(k)} in ${i.findingCounts[k]} of ${i.cases} cases`);
  if (parts.length) return parts.join('; ');
  const names = kinds.map(e);
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `no ${list} finding in ${i.cases} cases`;
}

function cexLink(i: ImplementationRecord, index: number, kinds: readonly string[]): string {
  const k = kinds.find((q) => i.counterexamples[q]);
  if (!k) return '';
  const c = i.counterexamples[k];
  return ` — e.g. <a href="#${cexId(index, k)}">${e(k)}</a>: ${e(cut(c.finding.diagnosis, 140))}`;
}

const kindAnchor = (k: string) => k.replace(/[^a-z0-9-]/gi, '_');

function claimsOf(i: ImplementationRecord, index: number, r: RunRecord): Claim[] {
  const out: Claim[] = [];
  const has = (kinds: readonly string[]) => kinds.some((k) => (i.findingCounts[k] ?? 0) > 0);
  const untested = i.cases === 0;
  const mk = (claim: string, kinds: readonly string[], extra = ''): Claim => ({
    claim,
    verdict: untested ? 'untested' : has(kinds) ? 'broken' : 'holds',
    evidence: untested ? 'no cases ran' : `${countsText(i, kinds)}${cexLink(i, index, kinds)}${extra}`,
  });
  out.push(
    mk(
      'Accurate: every output is a number within its error budget of the correctly rounded result',
      ['ulp', 'overflow', 'underflow', 'spurious-nan'],
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
    out.push({
      claim: 'The cross-entropy gradient softmax(x) − onehot(k) is accurate',
      verdict: untested ? 'untested' : i.verdict === 'pass' ? 'holds' : 'broken',
      evidence: `this implementation’s verdict: ${e(i.verdict)} (worst error ${e(formatUlps(i.ulp.max))} ulps)`,
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
      out.push({
        claim,
        verdict: twin.verdict === 'pass' ? 'holds' : 'broken',
        evidence: `checked by ${link} (same formulation and format): ${e(twin.verdict)}, worst error ${worst} ulps`,
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
  broken: '✗ broken',
  untested: '? not tested',
  na: '– n/a',
};

function claimsTable(claims: readonly Claim[]): string {
  const head = '<tr><th>claim</th><th>verdict</th><th>evidence</th></tr>';
  const rows = claims.map((c) => {
    const verdict = `<td class="claim-${c.verdict}">${CLAIM_TEXT[c.verdict]}</td>`;
    return `<tr><td>${e(c.claim)}</td>${verdict}<td class="small">${c.evidence}</td></tr>`;
  });
  return `<table class="claims">${head}${rows.join('')}</table>`;
}

// ---------------------------------------------------------------------------------------------
// counterexamples

/** A vector with the finding's element marked; long vectors are cut (the replay command has all of it). */
function vectorHtml(v: readonly JsonNumber[] | null, mark: number, max: number): string {
  if (v === null) return '<span class="muted">no answer</span>';
  const shown = v.length <= max ? v : v.slice(0, max);
  const items = shown.map((x, k) =>
    k === mark ? `<mark>${e(JSON.stringify(x))}</mark>` : e(JSON.stringify(x)),
  );
  const more = v.length > max ? `, … ${v.length - max} more` : '';
  return `<code>[${items.join(', ')}${more}]</code>`;
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
  compact: boolean,
): string {
  const vmax = compact ? 6 : 12;
  const f = c.finding;
  const mark = f.index;
  const count = i.findingCounts[kind] ?? 0;
  const ulps = f.ulps === null ? '' : ` · error ${e(formatUlps(f.ulps))} ulps`;
  const at = f.index >= 0 ? ` · at element ${f.index}` : ' · whole case';
  const label = c.label !== undefined ? ` <span class="muted">label</span> <code>${e(c.label)}</code>` : '';
  const rounded = '<span class="muted small">(correctly rounded)</span>';
  const rows = [
    `<tr><th>input</th><td>${vectorHtml(c.input, -1, vmax)}${label}</td></tr>`,
    `<tr><th>expected</th><td>${vectorHtml(c.expected, mark, vmax)} ${rounded}</td></tr>`,
    `<tr><th>actual</th><td>${vectorHtml(c.actual, mark, vmax)}</td></tr>`,
  ];
  if (f.index < 0 && (f.expected !== null || f.actual !== null)) {
    const actual = `<code>${e(JSON.stringify(f.actual))}</code>`;
    const expected = `<code>${e(JSON.stringify(f.expected))}</code>`;
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
  const origLen = c.original?.length;
  const found = c.caseId >= 0 ? `first seen on case ${e(c.caseId)}` : 'found by the error-maximising search';
  const region = `(region ${e(c.region)}${origLen !== undefined ? `, ${origLen} logits` : ''})`;
  const shrunk = `shrunk to ${c.input.length} logit${plural(c.input.length)}`;
  return `<div class="cex" id="${cexId(index, kind)}"><div>${kindChip(kind)} <b>${e(f.diagnosis)}</b></div>
<div class="small muted">${count} of ${i.cases} cases${at}${ulps} · ${found} ${region}, ${shrunk}</div>
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
    `<summary>${verdictBadge(i.verdict)}`,
    `<b>${e(i.name)}</b>`,
    expectation(i),
    `<span class="muted small">· ${stats}</span>`,
    `${chips(i, r, compact)}</summary>`,
  ].join(' ');
  const knownBad = i.expected === 'fail' ? ' (a known-bad formulation kept to show the failure modes)' : '';
  const facts = [
    `op ${e(i.op)}`,
    `format ${e(i.format)}`,
    `backend ${e(i.backend)}`,
    `expected to ${e(i.expected)}${knownBad}`,
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
  b += kvTable({
    cases: i.cases,
    'passing cases': i.passes,
    'worst error (ulps)': formatUlps(i.ulp.max),
    'median / p90 / p99 (ulps, bin upper edges)': quantiles,
    'mean bits of error': i.ulp.meanBits.toFixed(2),
    'outputs outside the format (rounded in)': i.outOfFormat,
    'time in calls': `${i.timing?.ms ?? 0} ms`,
  });
  b += `<h4>The textbook claims, checked</h4>${claimsTable(claimsOf(i, index, r))}`;
  const hist = figure(histogramSvg(i.ulp.histogram, r.histogramEdges, !compact), HIST_CAPTION);
  const cdf = figure(cdfSvg(i.ulp.histogram, r.histogramEdges), CDF_CAPTION);
  b += `<h4>How large the errors are</h4><div class="charts">${hist}${cdf}</div>`;
  const mapCaption =
    'Each cell collects the cases whose largest |logit| (row) and spread (column) fall in its bins' +
    `${thresholdNote(i.format)}. Colour: the worst failing finding kind; green: no failing case.`;
  const map = figure(errorMapSvg(i.errorMap, r.mapEdges, r, !compact), mapCaption);
  const lengths = figure(lengthSvg(i.byLength, r.lengthEdges, r, !compact), LENGTH_CAPTION);
  b += `<h4>Where it breaks</h4><div class="charts">${map}${lengths}</div>`;
  const cexs = counterexamplesWorstFirst(i);
  // a compact page shows the worst few in full and the others in one line each
  const full = compact ? cexs.slice(0, COMPACT_CEX) : cexs;
  const brief = cexs.slice(full.length).map(({ kind, cex }) => {
    const diagnosis = e(cut(cex.finding.diagnosis, 140));
    return `<div class="cex small" id="${cexId(index, kind)}">${kindChip(kind)} ${diagnosis} ${RESULTS_NOTE}</div>`;
  });
  if (cexs.length) {
    const shown = full.map(({ kind, cex }) => counterexampleHtml(i, index, kind, cex, compact));
    b += `<h4>Counterexamples, worst first (shrunk; one per finding kind)</h4>${shown.join('')}${brief.join('')}`;
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
      const cells = [
        `<td>${implLink(index, i.name)}</td><td>${e(i.format)}</td><td>${e(i.backend)}</td>`,
        `<td>${verdictBadge(i.verdict)}</td><td>${expectation(i)}</td><td class="n">${worst}</td>`,
        `<td>${chips(i, r, compact)}</td><td class="n">${i.cases}</td>`,
      ];
      return `${tr}${cells.join('')}</tr>`;
    })
    .join('');
  const head =
    '<tr><th>implementation</th><th>format</th><th>backend</th><th>verdict</th><th>vs expected</th>' +
    '<th class="n">worst error (ulps)</th><th>findings (cases)</th><th class="n">cases</th></tr>';
  return `<table class="summary">${head}${body}</table>`;
}

/** The items of "How to read this report", one line of the page each. */
const HOW_TO_READ = [
  '<li>Each implementation of softmax or a relative was fed extreme logits (huge, tiny, masked, nearly tied, very long …), and every output was compared with the <b>correctly rounded</b> exact result.</li>',
  '<li>Errors are in <b>ulps</b> (units in the last place): 0 is the exact result correctly rounded, 1 the neighbouring floating-point number, <b>∞</b> NaN or ±Inf where a number was due. Each implementation is held to the error budget of the recommended stable algorithm for its op, length and format.</li>',
  '<li><b>Verdict</b> PASS: no case failed. Some textbook formulas (such as the naive <code>exp(x_i)/Σexp(x_j)</code>) are kept <b>on purpose</b> and are expected to FAIL: only a verdict that differs from the expected one (a red row, marked ✗) is a problem.</li>',
  '<li>Click an implementation for its detail: the claims a textbook makes about it, checked, with evidence; charts of its errors (hover a bar or a cell for the numbers); where in input space it breaks; minimal counterexamples with a command that replays them.</li>',
];

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
${HOW_TO_READ.join('\n')}</ul>
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
}

/** Size above which `renderHtml` falls back to the compact page (the default zoo's page must stay under 5 MB). */
const HTML_BUDGET_BYTES = 4.5 * 1024 * 1024;

/**
 * Renders a run record (`logitfuzz/run@1`, from `run` or `vet`) as one self-contained HTML page.
 * Pure: the same record (and options) give the same page.
 */
export function renderHtml(record: RunRecord, options: HtmlOptions = {}): string {
  if (options.compact !== undefined) return renderPage(record, options.compact);
  const full = renderPage(record, false);
  return Buffer.byteLength(full, 'utf8') <= HTML_BUDGET_BYTES ? full : renderPage(record, true);
}

function renderPage(record: RunRecord, compact: boolean): string {
  const r = record;
  const t = tally(r);
  const title =
    r.implementations.length === 1 ? `logitfuzz report: ${r.implementations[0].name}` : 'logitfuzz report';
  const measured = `${t.measured} implementation${plural(t.measured)}`;
  const knownBad = t.failing ? `, ${t.failing} known-bad fail as expected` : '';
  const banner = t.unexpected.length
    ? `<div class="banner bad">✗ ${t.unexpected.length} of ${measured} did not behave as expected.</div>`
    : t.measured === 0
      ? `<div class="banner bad">No implementation could run.</div>`
      : `<div class="banner ok">✓ All ${t.measured} measured implementation${plural(t.measured)} ` +
        `behaved as expected (${t.passing} pass${knownBad}).</div>`;
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
  const sections = '<a href="#environment">environment</a><a href="#reproduce">reproduce</a>';
  const toc = `<p class="toc small">${opLinks.join('')}${sections}</p>`;
  let attention = '';
  if (t.unexpected.length) {
    attention = `<h2>Needs attention</h2><ul>${t.unexpected
      .map((i) => {
        const index = r.implementations.indexOf(i);
        const first = counterexamplesWorstFirst(i)[0];
        const why =
          i.verdict === 'fail'
            ? first
              ? `fails: ${e(first.kind)} — ${e(first.cex.finding.diagnosis)}`
              : 'fails'
            : `expected to fail, but no case in ${i.cases} exposed it (more --runs may)`;
        return `<li>${implLink(index, i.name)}: ${why}</li>`;
      })
      .join('')}</ul>`;
  }
  const legendKinds = orderKinds(new Set(r.implementations.flatMap((i) => Object.keys(i.findingCounts))));
  const note = compact
    ? `<p class="small muted">This page is large, so it leaves out the hover details of the charts and shortens long inputs and replay commands: results.json holds them all.</p>`
    : '';
  let body = `<h1>${e(title)}</h1>${meta}${banner}${note}${howToRead(r)}${toc}${attention}<h2>Summary</h2>`;
  for (const g of groups)
    body += `<h3 id="${opAnchor(g.op)}">${e(g.op)}</h3>${summaryTable(r, g.impls, compact)}`;
  body += `<h2>Implementations</h2>${chartDefs(r)}${legend(legendKinds)}`;
  for (const g of groups)
    body += `<h3>${e(g.op)}</h3>${g.impls.map(({ impl, index }) => implSection(impl, index, r, compact)).join('\n')}`;
  body += envSection(r) + reproduceSection(r);
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
