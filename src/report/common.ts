/**
 * What every report (HTML, JUnit, Markdown, compare) says the same way: the meaning of each
 * finding kind, how an error in ULPs is written, which verdicts are unexpected, the order of the
 * ops. Pure functions of the record; no escaping here (each format escapes for itself).
 */
import { decodeNumber, type JsonNumber } from '../formats/jsonNumber.js';
import { failsVerdict } from '../metrics/findings.js';
import { FINDING_KINDS } from '../vocabulary/FindingKind.js';
import { OPS } from '../vocabulary/Op.js';
import type { CounterexampleRecord, ImplementationRecord, RunRecord } from './schema.js';
import { gradeOf, meetsExpected, type Grade, type Severity } from '../vocabulary/Severity.js';

/** One line per finding kind, for a reader who has never seen logitfuzz. */
export const KIND_MEANING: Readonly<Record<string, string>> = {
  crash: 'threw an exception, or its process died',
  timeout: 'gave no answer within the time limit',
  shape: 'returned the wrong number or type of values',
  mutation: 'changed its input array',
  special: 'broke the policy for NaN or ±Inf logits',
  'nan-swallowed': 'a NaN logit did not give NaN',
  overflow: 'gave ±Inf or NaN where the exact result is finite (exp overflowed)',
  underflow: 'gave 0 (or NaN) where the exact result is nonzero (exp underflowed)',
  cancellation:
    'gave 0 where the exact result is small but nonzero: an addition absorbed it (1 + s rounded to 1)',
  'spurious-nan': 'gave NaN for finite logits, not explained by over- or underflow',
  ulp: 'a finite result further from the correctly rounded one than the error budget allows',
  sum: 'softmax outputs that do not sum to 1 within the rounding bound',
  argmax: 'the largest output is not at the largest logit',
  nondeterministic: 'two calls on the same input gave different answers',
  batch: 'a row of a batch came out differently from the same row alone',
};

/** Colours of the finding kinds (maps, charts, chips): the worse, the warmer. */
export const KIND_COLOUR: Readonly<Record<string, string>> = {
  crash: '#3b3b3b',
  timeout: '#5a5a5a',
  shape: '#6b4f3a',
  mutation: '#6b4f3a',
  special: '#8c564b',
  'nan-swallowed': '#9467bd',
  overflow: '#d62728',
  underflow: '#1f77b4',
  cancellation: '#00897b',
  'spurious-nan': '#7b3fa0',
  ulp: '#ff7f0e',
  sum: '#e377c2',
  argmax: '#bcbd22',
  nondeterministic: '#17becf',
  batch: '#2ca02c',
};
export const UNKNOWN_KIND_COLOUR = '#7f7f7f';

/** Precedence when a cell shows several kinds: the first present wins its colour. */
const KIND_PRECEDENCE: readonly string[] = [
  'crash',
  'timeout',
  'shape',
  'mutation',
  'overflow',
  'underflow',
  'cancellation',
  'spurious-nan',
  'nan-swallowed',
  'sum',
  'argmax',
  'ulp',
  'special',
  'nondeterministic',
  'batch',
];

/**
 * The kinds of a record in a stable order: the known ones as FINDING_KINDS lists them, then
 * unknown ones alphabetically.
 */
export function orderKinds(kinds: Iterable<string>): string[] {
  const set = new Set(kinds);
  const known = FINDING_KINDS.filter((k) => set.has(k));
  const unknown = [...set].filter((k) => !(FINDING_KINDS as readonly string[]).includes(k)).sort();
  return [...known, ...unknown];
}

/** The worst kind among `kinds` by KIND_PRECEDENCE (unknown kinds come last). */
export function worstKind(kinds: Iterable<string>): string | undefined {
  const list = [...kinds];
  if (!list.length) return undefined;
  const rank = (k: string) => {
    const r = KIND_PRECEDENCE.indexOf(k);
    return r < 0 ? KIND_PRECEDENCE.length : r;
  };
  return list.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))[0];
}

/** Whether a finding kind fails a verdict under the record's specials policy (unknown kinds do). */
export function kindFails(kind: string, r: Pick<RunRecord, 'config'>): boolean {
  return !(FINDING_KINDS as readonly string[]).includes(kind) || failsVerdict(kind, r.config.specials);
}

/**
 * Verdicts that differ from what the implementation is expected to earn, at either level (the
 * exit-1 condition of `run`).
 */
export function isUnexpected(i: Pick<ImplementationRecord, 'verdict' | 'verdicts' | 'expected'>): boolean {
  return i.verdict !== 'unavailable' && !meetsExpected(i.verdicts, i.expected);
}

/** The grade an implementation earned ('pass', 'inaccurate', 'wrong'), or 'unavailable'. */
export function gradeText(i: Pick<ImplementationRecord, 'verdict' | 'verdicts'>): string {
  return i.verdict === 'unavailable' ? 'unavailable' : gradeOf(i.verdicts);
}

/** Decodes a JSON number, NaN for anything malformed (reports never throw on odd values). */
export function num(v: JsonNumber | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  try {
    return decodeNumber(v);
  } catch {
    return NaN;
  }
}

/** An error in ULPs as people read it: 0, 7, 1234, 4.6e18, ∞ (non-finite: NaN or ±Inf where a number was due). */
export function formatUlps(v: JsonNumber | number | null | undefined): string {
  const u = typeof v === 'number' ? v : num(v);
  if (Number.isNaN(u)) return v === null || v === undefined ? '—' : '∞';
  if (u === Infinity) return '∞';
  if (u < 1e6) return String(Number.isInteger(u) ? u : Number(u.toPrecision(3)));
  return u.toExponential(1).replace('e+', 'e');
}

/** Bits of error, log2(1 + ulps) as Herbie counts them; 64 for a non-finite error. */
export function bitsOf(v: JsonNumber | number): number {
  const u = typeof v === 'number' ? v : num(v);
  if (!Number.isFinite(u)) return 64;
  return Math.min(64, Math.log2(1 + Math.max(0, u)));
}

/** A number compactly: 1234 → "1234", 12345 → "12.3k", 2500000 → "2.5M". */
export function compactCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1e6) return `${Number((n / 1e3).toPrecision(3))}k`;
  return `${Number((n / 1e6).toPrecision(3))}M`;
}

/** An edge of a bin as text: 0, 1, 16, 1e3, 65536, 2^20, 1e38, ∞. */
export function edgeText(e: JsonNumber): string {
  const v = num(e);
  if (v === Infinity) return '∞';
  if (Number.isNaN(v)) return '?';
  if (v >= 1000) {
    const d = Math.log10(v);
    if (Number.isInteger(d) && 10 ** d === v) return `1e${d}`;
  }
  if (v >= 1e5) {
    const k = Math.log2(v);
    if (Number.isInteger(k)) return `2^${k}`;
    return v.toExponential(1).replace('e+', 'e');
  }
  return String(v);
}

/** The ops present in a record, in OPS order then any others, each with its implementations in record order. */
export function groupByOp(
  r: RunRecord,
): { op: string; impls: { impl: ImplementationRecord; index: number }[] }[] {
  const groups = new Map<string, { impl: ImplementationRecord; index: number }[]>();
  r.implementations.forEach((impl, index) => {
    const list = groups.get(impl.op) ?? [];
    list.push({ impl, index });
    groups.set(impl.op, list);
  });
  const order = [
    ...(OPS as readonly string[]).filter((o) => groups.has(o)),
    ...[...groups.keys()].filter((o) => !(OPS as readonly string[]).includes(o)).sort(),
  ];
  return order.map((op) => ({ op, impls: groups.get(op)! }));
}

/** Counts for a headline: measured, unexpected, unavailable. */
export function tally(r: RunRecord): {
  total: number;
  measured: number;
  unexpected: ImplementationRecord[];
  unavailable: ImplementationRecord[];
  failing: number;
  passing: number;
} {
  const unavailable = r.implementations.filter((i) => i.verdict === 'unavailable');
  const measured = r.implementations.length - unavailable.length;
  return {
    total: r.implementations.length,
    measured,
    unexpected: r.implementations.filter(isUnexpected),
    unavailable,
    failing: r.implementations.filter((i) => i.verdict === 'fail').length,
    passing: r.implementations.filter((i) => i.verdict === 'pass').length,
  };
}

/** The counterexamples of an implementation, worst first (largest ULP error, then kind order). */
export function counterexamplesWorstFirst(
  i: ImplementationRecord,
): { kind: string; cex: ImplementationRecord['counterexamples'][string] }[] {
  const kinds = orderKinds(Object.keys(i.counterexamples));
  const key = (k: string) => {
    const u = num(i.counterexamples[k].finding.ulps);
    return Number.isNaN(u) ? -1 : u;
  };
  return kinds
    .map((kind, pos) => ({ kind, cex: i.counterexamples[kind], pos }))
    .sort((a, b) => {
      const ua = key(a.kind);
      const ub = key(b.kind);
      if (ua !== ub) return ub - ua;
      return a.pos - b.pos;
    })
    .map(({ kind, cex }) => ({ kind, cex }));
}

// ---------------------------------------------------------------------------------------------
// severity (docs/design.md, "Severity")

/** What each severity means, in one line for a reader (`close` from `closenessName`). */
export function severityMeaning(severity: Severity, close: string): string {
  return severity === 'wrong'
    ? `a wrong answer: it would also fail ${close}`
    : `inaccurate: beyond the error bound of the best algorithm, but close by ${close}`;
}

/** The closeness of a record as people know it: torch.testing.assert_close, numpy.allclose, or the profile's name. */
export function closenessName(r: Pick<RunRecord, 'config'>): string {
  const name = r.config.close?.name ?? 'assert_close';
  if (name === 'assert_close') return 'torch.testing.assert_close';
  if (name === 'allclose') return 'numpy.allclose';
  return `closeness ${name}`;
}

/** The closeness tolerances of a format in a record, as text ("rtol 1.3e-6, atol 1e-5"), or '' if unknown. */
export function toleranceText(r: Pick<RunRecord, 'config'>, format: string): string {
  const t = (
    r.config.close?.tolerances as Readonly<Record<string, { rtol: number; atol: number }>> | undefined
  )?.[format];
  if (!t) return '';
  const g = (v: number) => (v !== 0 && v < 1e-3 ? v.toExponential() : String(v)).replace('e+', 'e');
  return `rtol ${g(t.rtol)}, atol ${g(t.atol)}`;
}

/** The grade an implementation is expected to earn. */
export function expectedGrade(i: Pick<ImplementationRecord, 'expected'>): Grade {
  return gradeOf(i.expected);
}

/** The measured implementations of a record by grade, and the unexpected ones among them. */
export function gradeTally(r: RunRecord): {
  readonly wrong: number;
  readonly inaccurate: number;
  readonly pass: number;
  readonly unexpected: number;
  readonly unavailable: number;
} {
  const grades = r.implementations.map(gradeText);
  const n = (g: string) => grades.filter((x) => x === g).length;
  return {
    wrong: n('wrong'),
    inaccurate: n('inaccurate'),
    pass: n('pass'),
    unexpected: r.implementations.filter(isUnexpected).length,
    unavailable: n('unavailable'),
  };
}

/**
 * The worst severity among the cases of finding kind `kind`: `wrong` when it was wrong in some case,
 * `inaccurate` when it fails a verdict, null when it is only reported (`special` under --specials report).
 */
export function kindSeverity(
  i: ImplementationRecord,
  kind: string,
  r: Pick<RunRecord, 'config'>,
): Severity | null {
  if ((i.wrongCounts?.[kind] ?? 0) > 0) return 'wrong';
  return kindFails(kind, r) ? 'inaccurate' : null;
}

/** The counterexamples of an implementation, wrong ones first, then inaccurate, then unjudged; worst first within. */
export function counterexamplesBySeverity(
  i: ImplementationRecord,
): { kind: string; cex: ImplementationRecord['counterexamples'][string] }[] {
  const rank = (s: Severity | null | undefined) => (s === 'wrong' ? 0 : s === 'inaccurate' ? 1 : 2);
  return counterexamplesWorstFirst(i)
    .map((x, pos) => ({ ...x, pos }))
    .sort((a, b) => rank(a.cex.finding.severity) - rank(b.cex.finding.severity) || a.pos - b.pos)
    .map(({ kind, cex }) => ({ kind, cex }));
}

/**
 * The absolute and relative error of a finding, |actual − expected| and that over |expected|
 * (relative ∞ where the expected value is 0), or null where either value is missing or not finite
 * (the ULP count and the diagnosis say NaN or ±Inf).
 */
export function findingError(f: {
  readonly expected: JsonNumber | null;
  readonly actual: JsonNumber | null;
}): { readonly abs: number; readonly rel: number } | null {
  const x = num(f.expected);
  const a = num(f.actual);
  if (!Number.isFinite(x) || !Number.isFinite(a)) return null;
  const abs = Math.abs(a - x);
  return { abs, rel: abs === 0 ? 0 : x === 0 ? Infinity : abs / Math.abs(x) };
}

/** A magnitude with two significant digits: 0, 1.0, 0.50, 120, 4.2e-18, 1.3e+5 written 1.3e5, ∞. */
export function magnitudeText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === 0) return '0';
  if (v >= 1e4 || v < 1e-3) return v.toExponential(1).replace('e+', 'e');
  const p = v.toPrecision(2);
  return p.includes('e') ? String(Number(p)) : p;
}

/** The error of a finding as "rel 1.0, abs 4.2e-18", or '' where it has none (findingError). */
export function errorText(f: {
  readonly expected: JsonNumber | null;
  readonly actual: JsonNumber | null;
}): string {
  const err = findingError(f);
  return err ? `rel ${magnitudeText(err.rel)}, abs ${magnitudeText(err.abs)}` : '';
}

/**
 * How an implementation differs from what it is expected to earn, in words (no markup): a
 * `category` the same for every implementation that differs the same way ("Only inaccurate,
 * expected wrong answers"), the `detail` of this one ("no finding in 43 cases fails …"), both in
 * one sentence as `text`, and the counterexample that shows it best: for a worse grade the worst
 * counterexample at the severity it was not expected to reach, for a better one its worst
 * counterexample, if any. Undefined when it is as expected (or unavailable).
 */
export function unexpectedWhy(
  i: ImplementationRecord,
  r: Pick<RunRecord, 'config'>,
):
  | {
      readonly category: string;
      readonly detail: string;
      readonly text: string;
      readonly cex?: { kind: string; cex: ImplementationRecord['counterexamples'][string] };
    }
  | undefined {
  if (!isUnexpected(i)) return undefined;
  const close = closenessName(r);
  const cexs = counterexamplesBySeverity(i);
  const expected = expectedGrade(i);
  const more = '(more --runs may expose it)';
  const wrongCases = i.severityCounts?.wrong ?? 0;
  const failing = (i.severityCounts?.wrong ?? 0) + (i.severityCounts?.inaccurate ?? 0);
  let category: string;
  let detail: string;
  let cex = cexs[0];
  if (i.expected.wrong === 'pass' && i.verdicts.wrong === 'fail') {
    category = `Gives wrong answers, expected ${expected === 'pass' ? 'to pass' : 'to be only inaccurate'}`;
    detail = `wrong in ${wrongCases} of ${i.cases} cases (fails ${close})`;
    cex = cexs.find((c) => c.cex.finding.severity === 'wrong') ?? cex;
  } else if (i.expected.inaccurate === 'pass' && i.verdicts.inaccurate === 'fail') {
    category = 'Inaccurate, expected to pass';
    detail = `beyond the strict budget in ${failing} of ${i.cases} cases, though close by ${close}`;
    cex = cexs.find((c) => c.cex.finding.severity === 'inaccurate') ?? cex;
  } else if (i.expected.wrong === 'fail' && i.verdicts.wrong === 'pass' && i.verdicts.inaccurate === 'fail') {
    category = 'Only inaccurate, expected wrong answers';
    detail = `no finding in ${i.cases} cases fails ${close} ${more}`;
  } else {
    category = `Passes, expected ${expected === 'wrong' ? 'wrong answers' : 'to be inaccurate'}`;
    detail = `no finding in ${i.cases} cases ${more}`;
  }
  return { category, detail, text: `${category}: ${detail}`, cex };
}

/**
 * What a report shows for a counterexample kept as a whole long case, whose input the record does
 * not store (CounterexampleRecord.input absent): the case and its shape, and how to get it back.
 */
export function notStoredText(c: Pick<CounterexampleRecord, 'caseId' | 'originalShape'>): string {
  const [B, n] = c.originalShape ?? [1, 0];
  const shape = B > 1 ? `[${B}, ${n}]` : `${n} logits`;
  return `case ${c.caseId} (${shape}), whole: not stored, replay --from regenerates it`;
}
