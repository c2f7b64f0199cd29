/**
 * JUnit XML of a run record, for CI systems that show test results (GitHub, GitLab, Jenkins …).
 *
 * Layout: one <testsuite> per op (`logitfuzz.softmax`, …); in it, per implementation:
 * - one <testcase> per finding kind it showed (`softmax/naive/f64 › overflow`), with the kind's
 *   minimal counterexample and replay command, and its severity (`severity`: `wrong` when some
 *   case of the kind was wrong, `inaccurate` when none was, `none` when it fails no verdict);
 * - one `… › verdict` testcase with its grade, unless a kind testcase carries its failure;
 * - one skipped `… › available` testcase when it could not run (no GPU, library missing).
 * Every testcase has the properties `expected` (the expected grade), `grade` (pass, inaccurate,
 * wrong), `verdict` (at `--fail-on`) and `verdict-inaccurate`, `verdict-wrong`.
 *
 * What fails: exactly what makes `run` exit 1, a grade that differs from the expected one at
 * either level (`isUnexpected`).
 * - A finding kind fails where it is what was not expected: it was wrong in some case and the
 *   implementation was expected not to be wrong, or it fails a verdict and the implementation
 *   was expected to pass.
 * - A known-bad implementation (expected wrong or inaccurate, like the naive formulas kept to show
 *   failure modes) that earns its expected grade is behaving as documented: its kind testcases
 *   PASS, with the property `known-bad=true` and the counterexample in <system-out>. They are not
 *   <skipped>: they ran, and a dashboard should not count them as not run.
 * - One that earned a better grade than expected (only inaccurate where wrong answers were
 *   expected, or none at all) is a <failure> of its verdict testcase: the fuzzer did not expose
 *   the defect it exists to show, and more cases are needed (or the expectation is stale).
 * - A kind that does not fail a verdict (`special` under `--specials report`) passes, with the
 *   property `fails-verdict=false`.
 * So the file has a failure if and only if `run` exits 1 for a verdict.
 */
import {
  closenessName,
  errorText,
  expectedGrade,
  formatUlps,
  gradeText,
  groupByOp,
  isUnexpected,
  KIND_MEANING,
  kindSeverity,
  orderKinds,
  unexpectedWhy,
  notStoredText,
} from './common.js';
import { escapeXml as x, escapeXmlText as xt } from './escape.js';
import type { CounterexampleRecord, ImplementationRecord, RunRecord } from './schema.js';

interface Case {
  readonly name: string;
  readonly time: number;
  readonly properties: readonly [string, string][];
  readonly result:
    | { readonly type: 'pass' }
    | { readonly type: 'failure'; readonly kind: string; readonly message: string }
    | { readonly type: 'skipped'; readonly message: string };
  readonly text: string;
}

const VEC_MAX = 64;
const vec = (v: readonly unknown[] | null): string =>
  v === null
    ? 'no answer'
    : v.length <= VEC_MAX
      ? JSON.stringify(v)
      : `${JSON.stringify(v.slice(0, VEC_MAX)).slice(0, -1)}, … ${v.length - VEC_MAX} more]`;

function cexText(c: CounterexampleRecord): string {
  const lines = [
    `counterexample (shrunk): ${c.finding.diagnosis}`,
    ...(c.input
      ? [
          `  input    ${vec(c.input)}${c.label !== undefined ? `  label ${c.label}` : ''}`,
          `  expected ${vec(c.expected)}  (correctly rounded)`,
          `  actual   ${vec(c.actual)}`,
        ]
      : [`  input    ${notStoredText(c)}${c.label !== undefined ? `  label ${c.label}` : ''}`]),
  ];
  const err = errorText(c.finding);
  if (c.finding.ulps !== null || err) {
    const ulps = c.finding.ulps !== null ? `${formatUlps(c.finding.ulps)} ulps` : '';
    const at = c.finding.index >= 0 ? ` at element ${c.finding.index}` : '';
    lines.push(`  error    ${[ulps, err].filter(Boolean).join(', ')}${at}`);
  }
  lines.push(`  severity ${c.finding.severity ?? 'none (reported without a verdict)'}`);
  lines.push(
    `  ${c.caseId >= 0 ? `found on case ${c.caseId}` : 'found by the error-maximising search'} (region ${c.region})`,
    `replay: ${c.replay}`,
  );
  return lines.join('\n');
}

function header(i: ImplementationRecord): string {
  const what = `op ${i.op}, format ${i.format}, backend ${i.backend}`;
  const verdict = `grade ${gradeText(i)}, expected ${expectedGrade(i)}`;
  return `${i.name}: ${i.formula} (${what}; ${verdict}; ${i.cases} cases, worst error ${formatUlps(i.ulp.max)} ulps)`;
}

function casesOf(i: ImplementationRecord, r: RunRecord): Case[] {
  const base: [string, string][] = [
    ['expected', expectedGrade(i)],
    ['grade', gradeText(i)],
    ['verdict', i.verdict],
    ['verdict-inaccurate', i.verdicts.inaccurate],
    ['verdict-wrong', i.verdicts.wrong],
  ];
  if (i.verdict === 'unavailable') {
    return [
      {
        name: `${i.name} › available`,
        time: 0,
        properties: base,
        result: { type: 'skipped', message: `unavailable: ${i.unavailableReason ?? 'not started'}` },
        text: header(i),
      },
    ];
  }
  const unexpected = isUnexpected(i);
  const knownBad = expectedGrade(i) !== 'pass';
  const close = closenessName(r);
  const out: Case[] = [];
  const kinds = orderKinds(Object.keys(i.findingCounts));
  for (const k of kinds) {
    const n = i.findingCounts[k];
    const w = i.wrongCounts?.[k] ?? 0;
    const c = i.counterexamples[k];
    const severity = kindSeverity(i, k, r);
    const wrongText = severity === null ? '' : w ? `, wrong in ${w}` : ', none wrong';
    const what = `${k} in ${n} of ${i.cases} cases${wrongText}: ${KIND_MEANING[k] ?? 'finding'}`;
    const text = `${header(i)}\n${what}\n${c ? cexText(c) : '(no counterexample recorded)'}`;
    const props: [string, string][] = [...base, ['cases', String(n)], ['wrong-cases', String(w)]];
    props.push(['severity', severity ?? 'none']);
    // the kind is what was not expected: a wrong answer where none was expected, or any failing
    // finding where the implementation was expected to pass
    const culprit =
      unexpected &&
      ((severity === 'wrong' && i.expected.wrong === 'pass') ||
        (severity !== null && i.expected.inaccurate === 'pass'));
    if (severity === null) {
      out.push({
        name: `${i.name} › ${k}`,
        time: 0,
        properties: [...props, ['fails-verdict', 'false']],
        result: { type: 'pass' },
        text: `${text}\n(reported only: ${k} findings fail a verdict only under --specials strict)`,
      });
    } else if (culprit) {
      const how =
        severity === 'wrong'
          ? `wrong in ${w} of ${i.cases} cases (fails ${close})`
          : `in ${n} of ${i.cases} cases, beyond the strict budget`;
      out.push({
        name: `${i.name} › ${k}`,
        time: 0,
        properties: props,
        result: {
          type: 'failure',
          kind: k,
          message: `${k} ${how}, expected ${expectedGrade(i)}${c ? `: ${c.finding.diagnosis}` : ''}`,
        },
        text,
      });
    } else {
      out.push({
        name: `${i.name} › ${k}`,
        time: 0,
        properties: knownBad ? [...props, ['known-bad', 'true']] : props,
        result: { type: 'pass' },
        text: knownBad
          ? `${text}\n(known-bad implementation, expected ${expectedGrade(i)}: this finding is the documented behaviour)`
          : text,
      });
    }
  }
  if (!out.some((c) => c.result.type === 'failure')) {
    const why = unexpectedWhy(i, r);
    out.push({
      name: `${i.name} › verdict`,
      time: 0,
      properties: base,
      result: unexpected
        ? {
            type: 'failure',
            kind: 'verdict',
            message: why?.text ?? `grade ${gradeText(i)}, expected ${expectedGrade(i)}`,
          }
        : { type: 'pass' },
      text: `${header(i)}\ngrade ${gradeText(i)}: ${i.severityCounts?.wrong ?? 0} cases wrong, ${i.severityCounts?.inaccurate ?? 0} only inaccurate, of ${i.cases}`,
    });
  }
  // spread the implementation's time over its testcases, so the suite's total is right
  const each = (i.timing?.ms ?? 0) / 1000 / out.length;
  return out.map((c) => ({ ...c, time: each }));
}

const secs = (t: number) => (Number.isFinite(t) ? t : 0).toFixed(3);

/** A <properties> element of name/value pairs. */
function propertiesXml(props: readonly (readonly [string, string])[]): string {
  const items = props.map(([n, v]) => `<property name="${x(n)}" value="${x(v)}"/>`);
  return `<properties>${items.join('')}</properties>`;
}

/** The count attributes of a <testsuite> or <testsuites>. */
function countsXml(t: { tests: number; failures: number; skipped: number; time: number }): string {
  return `tests="${t.tests}" failures="${t.failures}" errors="0" skipped="${t.skipped}" time="${secs(t.time)}"`;
}

function testcaseXml(classname: string, c: Case): string {
  const props = c.properties.length ? propertiesXml(c.properties) : '';
  let inner = props;
  if (c.result.type === 'failure')
    inner += `<failure message="${x(c.result.message)}" type="${x(c.result.kind)}">${xt(c.text)}</failure>`;
  else if (c.result.type === 'skipped') inner += `<skipped message="${x(c.result.message)}"/>`;
  if (c.result.type !== 'failure') inner += `<system-out>${xt(c.text)}</system-out>`;
  return `    <testcase classname="${x(classname)}" name="${x(c.name)}" time="${secs(c.time)}">${inner}</testcase>\n`;
}

/** The run record as JUnit XML (see the file comment for what fails). Pure. */
export function renderJunit(record: RunRecord): string {
  const r = record;
  const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(r.timing.startedAt)?.[0];
  const props: [string, string][] = [
    ['seed', String(r.seed)],
    ['command', r.command],
    ['logitfuzz-version', r.logitfuzzVersion],
    ['specials', r.config.specials],
    ['fail-on', r.config.failOn],
    ['close', r.config.close?.name ?? 'assert_close'],
  ];
  if (r.commit) props.push(['commit', r.commit]);
  const propsXml = `    ${propertiesXml(props)}\n`;
  const stamp = timestamp ? ` timestamp="${x(timestamp)}"` : '';
  let suites = '';
  let all = { tests: 0, failures: 0, skipped: 0, time: 0 };
  for (const g of groupByOp(r)) {
    const classname = `logitfuzz.${g.op}`;
    const cases = g.impls.flatMap(({ impl }) => casesOf(impl, r));
    const t = {
      tests: cases.length,
      failures: cases.filter((c) => c.result.type === 'failure').length,
      skipped: cases.filter((c) => c.result.type === 'skipped').length,
      time: cases.reduce((a, c) => a + c.time, 0),
    };
    all = {
      tests: all.tests + t.tests,
      failures: all.failures + t.failures,
      skipped: all.skipped + t.skipped,
      time: all.time + t.time,
    };
    const testcases = cases.map((c) => testcaseXml(classname, c)).join('');
    suites += `  <testsuite name="${x(classname)}" ${countsXml(t)}${stamp}>\n${propsXml}${testcases}  </testsuite>\n`;
  }
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="logitfuzz" ${countsXml(all)}>\n`;
  return `${head}${suites}</testsuites>\n`;
}
