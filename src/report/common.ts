/**
 * What every report (HTML, JUnit, Markdown, compare) says the same way: the meaning of each
 * finding kind, how an error in ULPs is written, which verdicts are unexpected, the order of the
 * ops. Pure functions of the record; no escaping here (each format escapes for itself).
 */
import { decodeNumber, type JsonNumber } from '../formats/jsonNumber.js';
import { failsVerdict } from '../metrics/findings.js';
import { FINDING_KINDS } from '../vocabulary/FindingKind.js';
import { OPS } from '../vocabulary/Op.js';
import type { ImplementationRecord, RunRecord } from './schema.js';

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
  'spurious-nan': 'gave NaN for finite logits, not explained by over- or underflow',
  ulp: 'a finite result further from the correctly rounded one than the error budget allows',
  sum: 'softmax outputs that do not sum to 1 within the rounding bound',
  argmax: 'the largest output is not at the largest logit',
  nondeterministic: 'two calls on the same input gave different answers',
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
  'spurious-nan': '#7b3fa0',
  ulp: '#ff7f0e',
  sum: '#e377c2',
  argmax: '#bcbd22',
  nondeterministic: '#17becf',
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
  'spurious-nan',
  'nan-swallowed',
  'sum',
  'argmax',
  'ulp',
  'special',
  'nondeterministic',
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

/** A verdict that differs from what the implementation is expected to do (the exit-1 condition of `run`). */
export function isUnexpected(i: Pick<ImplementationRecord, 'verdict' | 'expected'>): boolean {
  return i.verdict !== 'unavailable' && i.verdict !== i.expected;
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
