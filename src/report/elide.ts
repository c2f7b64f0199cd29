/**
 * Vectors shortened for people to read (the console summary, `expectSoftmax`'s message, the
 * reports). Records keep vectors whole; only what is shown is elided.
 */
import type { JsonNumber } from '../formats/jsonNumber.js';

/** Runs at least this long are written once with their length, `0 ×4096` (in long vectors only). */
const MIN_RUN = 3;

/** 4090 → "4,090". */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A vector in the JSON codec's encoding (NaN, ±Inf and −0 as `nan`, `inf`, `-inf`, `-0`),
 * shortened when it has more than `max` elements: runs of one repeated value are written once
 * with their length (`[0 ×4096]`, `[709, 0 ×4095]`); if that is still more than `max` items, the
 * first and last few are kept around `… 4,090 more …`. Vectors of at most `max` elements are
 * written in full.
 */
export function elideVector(values: readonly JsonNumber[], max = 16): string {
  const text = (v: JsonNumber) => String(v);
  if (values.length <= max) return `[${values.map(text).join(', ')}]`;
  const items: { text: string; count: number }[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    const run = j - i;
    if (run >= MIN_RUN) items.push({ text: `${text(values[i])} ×${run}`, count: run });
    else for (let k = i; k < j; k++) items.push({ text: text(values[k]), count: 1 });
    i = j;
  }
  if (items.length <= max) return `[${items.map((t) => t.text).join(', ')}]`;
  const keep = Math.max(1, Math.min(3, Math.floor((max - 1) / 2)));
  const head = items.slice(0, keep);
  const tail = items.slice(items.length - keep);
  const shown = [...head, ...tail].reduce((n, t) => n + t.count, 0);
  const middle = `… ${grouped(values.length - shown)} more …`;
  return `[${[...head.map((t) => t.text), middle, ...tail.map((t) => t.text)].join(', ')}]`;
}
