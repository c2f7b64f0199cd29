import { formatSpec, isRepresentable } from '../formats/index.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import type { Counterexample } from './aggregate.js';
import type { FindingData } from './protocol.js';

/** Evaluates an input: the finding of the kind being shrunk, if the implementation still shows it. */
export type Probe = (x: Float64Array, label: number | undefined) => Promise<FindingData | undefined>;

/** Candidate replacements of one value, simplest first, all representable in the format. */
function simpler(v: number, format: FormatName): number[] {
  if (!Number.isFinite(v)) return [];
  const fmt = formatSpec(format);
  const cands = [
    0,
    Math.sign(v),
    Math.trunc(v),
    Math.round(v / 2),
    v / 2,
    Math.sign(v) * 2 ** Math.round(Math.log2(Math.abs(v) || 1)),
  ];
  // fewer significant bits: keep the top k bits of the significand
  for (const bits of [1, 2, 4, 8, 16, 24]) {
    if (v === 0) break;
    const e = Math.floor(Math.log2(Math.abs(v)));
    const q = 2 ** (e - bits + 1);
    // truncated, not rounded: rounding up can carry past maxFinite into Infinity
    cands.push(Math.trunc(v / q) * q);
  }
  const out: number[] = [];
  for (const c of cands) {
    if (!Number.isFinite(c) || Object.is(c, v) || c === v || out.includes(c)) continue;
    if (!isRepresentable(fmt, c)) continue;
    // simpler means: smaller magnitude, or as large with a shorter decimal form
    if (Math.abs(c) > Math.abs(v) || (Math.abs(c) === Math.abs(v) && String(c).length >= String(v).length))
      continue;
    out.push(c);
  }
  return out;
}

/**
 * Greedy shrinker for a failing vector: repeatedly tries to delete chunks of elements (halves,
 * then smaller, down to single elements), then to replace each value by a simpler one (0, ±1, an
 * integer, half, a power of two, fewer significand bits), keeping any change after which the
 * implementation still shows the same finding kind. Ends at a local minimum or after `maxEvals`
 * evaluations. Deterministic for a deterministic implementation.
 *
 * Notes: the label of the cross-entropy ops moves with its element and is never deleted.
 */
export async function shrinkCounterexample(
  cex: Counterexample,
  format: FormatName,
  op: Op,
  needsLabel: boolean,
  probe: Probe,
  maxEvals: number,
): Promise<{ cex: Counterexample; evaluations: number }> {
  let x = cex.x.slice();
  let label = cex.label;
  let finding = cex.finding;
  let evals = 0;
  const attempt = async (nx: number[], nl: number | undefined): Promise<boolean> => {
    if (evals >= maxEvals) return false;
    if (nx.length === 0 && (needsLabel || op !== 'logsumexp')) return false;
    evals++;
    const f = await probe(Float64Array.from(nx), nl);
    if (!f) return false;
    x = nx;
    label = nl;
    finding = f;
    return true;
  };
  let progress = true;
  while (progress && evals < maxEvals) {
    progress = false;
    // deletions, large chunks first
    for (
      let size = Math.max(1, Math.floor(x.length / 2));
      size >= 1 && evals < maxEvals;
      size = Math.floor(size / 2)
    ) {
      for (let start = 0; start + size <= x.length && evals < maxEvals;) {
        if (label !== undefined && label >= start && label < start + size) {
          start += size;
          continue;
        }
        const nx = [...x.slice(0, start), ...x.slice(start + size)];
        const nl = label !== undefined && label >= start + size ? label - size : label;
        if (await attempt(nx, nl)) progress = true;
        else start += size;
      }
      if (size === 1) break;
    }
    // simplifications, element by element
    for (let i = 0; i < x.length && evals < maxEvals; i++) {
      for (const c of simpler(x[i], format)) {
        const nx = x.slice();
        nx[i] = c;
        if (await attempt(nx, label)) {
          progress = true;
          break;
        }
      }
    }
  }
  return { cex: { ...cex, x, ...(label !== undefined ? { label } : {}), finding }, evaluations: evals };
}

/** Evaluates a batch: the finding of the kind being shrunk, if the implementation still shows it. */
export type BatchProbe = (
  c: Pick<Counterexample, 'x' | 'label' | 'batch'>,
) => Promise<FindingData | undefined>;

/**
 * Greedy shrinker for a failing batch [B, n]: first drops rows (the last first), keeping any drop
 * after which the implementation still shows the finding kind, then deletes the same chunk of
 * columns from every row (halves, then smaller), never a column holding a label. Ends with one
 * row when the kind does not need a batch — the caller then shrinks that row element by element —
 * or with the fewest rows and columns that still show it (a `batch` finding needs two rows at
 * least). At most `maxEvals` evaluations; deterministic for a deterministic implementation.
 */
export async function shrinkBatch(
  cex: Counterexample,
  op: Op,
  probe: BatchProbe,
  maxEvals: number,
): Promise<{ cex: Counterexample; evaluations: number }> {
  let rows: { x: number[]; label?: number }[] = [
    { x: cex.x, ...(cex.label !== undefined ? { label: cex.label } : {}) },
    ...(cex.batch ?? []).map((b) => ({ x: b.x, ...(b.label !== undefined ? { label: b.label } : {}) })),
  ];
  let finding = cex.finding;
  let evals = 0;
  const asCex = (rs: typeof rows) => ({
    x: rs[0].x,
    ...(rs[0].label !== undefined ? { label: rs[0].label } : {}),
    ...(rs.length > 1 ? { batch: rs.slice(1) } : {}),
  });
  const attempt = async (rs: typeof rows): Promise<boolean> => {
    if (evals >= maxEvals) return false;
    if (rs[0].x.length === 0 && (rs[0].label !== undefined || op !== 'logsumexp')) return false;
    evals++;
    const f = await probe(asCex(rs));
    if (!f) return false;
    rows = rs;
    finding = f;
    return true;
  };
  for (let progress = true; progress && rows.length > 1 && evals < maxEvals;) {
    progress = false;
    for (let r = rows.length - 1; r >= 0 && rows.length > 1 && evals < maxEvals; r--)
      if (await attempt(rows.filter((_, k) => k !== r))) progress = true;
  }
  if (rows.length > 1)
    for (let size = Math.max(1, Math.floor(rows[0].x.length / 2)); size >= 1 && evals < maxEvals;) {
      for (let start = 0; start + size <= rows[0].x.length && evals < maxEvals;) {
        if (rows.some((rw) => rw.label !== undefined && rw.label >= start && rw.label < start + size)) {
          start += size;
          continue;
        }
        const cut = rows.map((rw) => ({
          x: [...rw.x.slice(0, start), ...rw.x.slice(start + size)],
          ...(rw.label !== undefined ? { label: rw.label >= start + size ? rw.label - size : rw.label } : {}),
        }));
        if (!(await attempt(cut))) start += size;
      }
      if (size === 1) break;
      size = Math.floor(size / 2);
    }
  return { cex: { caseId: cex.caseId, region: cex.region, ...asCex(rows), finding }, evaluations: evals };
}

/**
 * The lengths a long row is first cut to, shortest first: a defect that lives in a few elements
 * (an overflow, a dominant logit in a partial last tile) shows on a short window of the row, and
 * the element shrinker then works on that window in milliseconds rather than on 2^18 logits.
 */
export const WINDOW_LENGTHS: readonly number[] = [64, 512, 4096];

/**
 * Cuts a long single row to a contiguous window that still shows the finding kind: for each
 * length of WINDOW_LENGTHS below n, the window centred on the finding's element (when it names
 * one), the one at the end and the one at the start, in that order; the first that shows the kind
 * wins. With a label (the cross-entropy ops) only windows holding it are tried, and the label moves
 * with its element. Returns the counterexample unchanged when no window shows the kind (a defect
 * that needs the length: a sum that stagnates or drifts). At most `maxEvals` evaluations.
 */
export async function shrinkToWindow(
  cex: Counterexample,
  probe: Probe,
  maxEvals: number,
): Promise<{ cex: Counterexample; evaluations: number }> {
  const n = cex.x.length;
  const label = cex.label;
  let evals = 0;
  const anchor = cex.finding.index >= 0 && cex.finding.index < n ? cex.finding.index : -1;
  for (const L of WINDOW_LENGTHS) {
    if (L >= n) break;
    const clamp = (s: number) => Math.max(0, Math.min(n - L, s));
    const starts: number[] = [];
    for (const s of [anchor >= 0 ? clamp(anchor - L / 2) : -1, n - L, 0])
      if (s >= 0 && !starts.includes(s) && (label === undefined || (label >= s && label < s + L)))
        starts.push(s);
    if (label !== undefined && !starts.length) starts.push(clamp(label - L / 2));
    for (const s of starts) {
      if (evals >= maxEvals) return { cex, evaluations: evals };
      evals++;
      const x = cex.x.slice(s, s + L);
      const nl = label === undefined ? undefined : label - s;
      const f = await probe(Float64Array.from(x), nl);
      if (f)
        return {
          cex: { ...cex, x, ...(nl !== undefined ? { label: nl } : {}), finding: f },
          evaluations: evals,
        };
    }
  }
  return { cex, evaluations: evals };
}
