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
