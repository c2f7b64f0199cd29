/**
 * JUnit XML of a run record, for CI systems that show test results (GitHub, GitLab, Jenkins …).
 *
 * Layout: one <testsuite> per op (`logitfuzz.softmax`, …); in it, per implementation:
 * - one <testcase> per finding kind it showed (`softmax/naive/f64 › overflow`), with the kind's
 *   minimal counterexample and replay command;
 * - one `… › verdict` testcase when it passed (or, for a damaged record, when no kind testcase
 *   carries its failure);
 * - one skipped `… › available` testcase when it could not run (no GPU, library missing).
 *
 * What fails: exactly what makes `run` exit 1, a verdict that differs from `expected`.
 * - An implementation expected to pass: each finding kind that fails a verdict is a <failure>.
 * - A known-bad implementation (expected to fail, like the naive formulas kept to show failure
 *   modes) that fails is behaving as documented: its kind testcases PASS, with the properties
 *   `expected=fail` and `known-bad=true` and the counterexample in <system-out>. They are not
 *   <skipped>: they ran, and a dashboard should not count them as not run.
 * - A known-bad implementation that passed is a <failure> of its verdict testcase (the fuzzer
 *   did not expose the defect it exists to show: more cases are needed).
 * - A kind that does not fail a verdict (`special` under `--specials report`) passes, with the
 *   property `fails-verdict=false`.
 * So the file has a failure if and only if `run` exits 1 for a verdict.
 */
import { formatUlps, groupByOp, isUnexpected, KIND_MEANING, kindFails, orderKinds } from './common.js';
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
    `  input    ${vec(c.input)}${c.label !== undefined ? `  label ${c.label}` : ''}`,
    `  expected ${vec(c.expected)}  (correctly rounded)`,
    `  actual   ${vec(c.actual)}`,
  ];
  if (c.finding.ulps !== null)
    lines.push(
      `  error    ${formatUlps(c.finding.ulps)} ulps${c.finding.index >= 0 ? ` at element ${c.finding.index}` : ''}`,
    );
  lines.push(
    `  ${c.caseId >= 0 ? `found on case ${c.caseId}` : 'found by the error-maximising search'} (region ${c.region})`,
    `replay: ${c.replay}`,
  );
  return lines.join('\n');
}

function header(i: ImplementationRecord): string {
  const what = `op ${i.op}, format ${i.format}, backend ${i.backend}`;
  const verdict = `expected to ${i.expected}, verdict ${i.verdict}`;
  return `${i.name}: ${i.formula} (${what}; ${verdict}; ${i.cases} cases, worst error ${formatUlps(i.ulp.max)} ulps)`;
}

function casesOf(i: ImplementationRecord, r: RunRecord): Case[] {
  const base: [string, string][] = [
    ['expected', i.expected],
    ['verdict', i.verdict],
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
  const out: Case[] = [];
  const kinds = orderKinds(Object.keys(i.findingCounts));
  const failing = kinds.filter((k) => kindFails(k, r));
  for (const k of kinds) {
    const n = i.findingCounts[k];
    const c = i.counterexamples[k];
    const what = `${k} in ${n} of ${i.cases} cases: ${KIND_MEANING[k] ?? 'finding'}`;
    const text = `${header(i)}\n${what}\n${c ? cexText(c) : '(no counterexample recorded)'}`;
    const props: [string, string][] = [...base, ['cases', String(n)]];
    if (!kindFails(k, r)) {
      out.push({
        name: `${i.name} › ${k}`,
        time: 0,
        properties: [...props, ['fails-verdict', 'false']],
        result: { type: 'pass' },
        text: `${text}\n(reported only: ${k} findings fail a verdict only under --specials strict)`,
      });
    } else if (i.expected === 'fail') {
      out.push({
        name: `${i.name} › ${k}`,
        time: 0,
        properties: [...props, ['known-bad', 'true']],
        result: { type: 'pass' },
        text: `${text}\n(known-bad implementation, expected to fail: this finding is the documented behaviour)`,
      });
    } else {
      out.push({
        name: `${i.name} › ${k}`,
        time: 0,
        properties: props,
        result: {
          type: 'failure',
          kind: k,
          message: c ? `${k} in ${n} of ${i.cases} cases: ${c.finding.diagnosis}` : what,
        },
        text,
      });
    }
  }
  if (i.verdict === 'pass' || failing.length === 0) {
    const unexpected = isUnexpected(i);
    const message =
      i.verdict === 'pass'
        ? `expected to fail, but no finding in ${i.cases} cases exposed it (run more cases: --runs)`
        : `verdict fail, expected ${i.expected}`;
    out.push({
      name: `${i.name} › verdict`,
      time: 0,
      properties: base,
      result: unexpected ? { type: 'failure', kind: 'verdict', message } : { type: 'pass' },
      text: `${header(i)}${i.verdict === 'pass' ? `\nno finding that fails a verdict in ${i.cases} cases` : ''}`,
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
