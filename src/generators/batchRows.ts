import { roundNumber } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import { EXP_THRESHOLDS } from '../formats/thresholds.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import { maskValues } from './maskValues.js';
import { mulberry32 } from './_internals/mulberry32.js';

/** The batch sizes B a batch case draws from: the smallest batches, an odd one, a workgroup's worth. */
export const BATCH_SIZES: readonly number[] = [2, 3, 5, 7, 16, 64];

/** The most elements (B·n) one batch case holds, so that a case stays cheap. */
export const BATCH_MAX_ELEMENTS = 2 ** 20;

/** The share of cases that are batches, when batches are allowed. */
export const BATCH_SHARE = 1 / 4;

/** What a further row of a batch is like, beside the case's first row. */
const ROW_CHARACTERS = ['benign', 'near-overflow', 'masked', 'scaled', 'shifted', 'copy', 'equal'] as const;
type RowCharacter = (typeof ROW_CHARACTERS)[number];

/** A further row of a batch. */
export interface GeneratedRow {
  readonly x: number[];
  readonly label?: number;
  readonly character: RowCharacter;
}

/** Constraints of `batchRows`. */
export interface BatchRowsConstraints {
  readonly format: FormatName;
  readonly op: Op;
  /**
   * The largest batch B (1: single rows only).
   * @defaultValue 64
   */
  readonly maxBatch?: number;
  /**
   * Whether rows may hold NaN or ±Inf (a fully −Inf-masked row).
   * @defaultValue false
   */
  readonly specials?: boolean;
}

/**
 * The further rows that make a case's first row `first` a batch [B, n], derived from `seed`: a
 * quarter of cases (BATCH_SHARE) become batches of B from BATCH_SIZES (at most `maxBatch`, and
 * B·n ≤ BATCH_MAX_ELEMENTS); the others get no further rows (an empty array).
 *
 * Why: a batch kernel can share state between rows (a running max or sum not reset), read rows at
 * a wrong stride, or reduce along the wrong axis — defects no single row shows. So the rows differ
 * in character from the first: benign logits, a row near the exp-overflow threshold, a fully
 * masked row (the format's conventional mask value, or −Inf with specials), the first row scaled
 * by a power of two or shifted by a constant (same length, different scale), an exact copy, and
 * equal logits. Labels (label-taking ops) are uniform in [0, n). Every value is exactly
 * representable in the format.
 *
 * Throws a RangeError naming `maxBatch` when it is not a positive integer.
 */
export function batchRows(first: readonly number[], seed: number, c: BatchRowsConstraints): GeneratedRow[] {
  const maxBatch = c.maxBatch ?? 64;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch: must be a positive integer, got ${String(maxBatch)}`);
  const n = first.length;
  const rand = mulberry32(seed);
  if (n === 0 || rand() >= BATCH_SHARE) return [];
  const cap = Math.min(maxBatch, Math.floor(BATCH_MAX_ELEMENTS / n));
  const B = Math.min(cap, BATCH_SIZES[Math.floor(rand() * BATCH_SIZES.length)]);
  if (B < 2) return [];
  const fmt = formatSpec(c.format);
  const r = (v: number) => roundNumber(fmt, v);
  const labelled = c.op === 'cross_entropy' || c.op === 'cross_entropy_grad';
  const out: GeneratedRow[] = [];
  for (let k = 1; k < B; k++) {
    const character = ROW_CHARACTERS[Math.floor(rand() * ROW_CHARACTERS.length)];
    const x = new Array<number>(n);
    switch (character) {
      case 'benign':
        for (let i = 0; i < n; i++) x[i] = r(-10 + 20 * rand());
        break;
      case 'near-overflow': {
        const t = EXP_THRESHOLDS[c.format].overflow;
        for (let i = 0; i < n; i++) x[i] = r(t - 2 * rand());
        break;
      }
      case 'masked': {
        const masks = maskValues(c.format, c.specials ?? false);
        x.fill(masks[Math.floor(rand() * masks.length)]);
        break;
      }
      case 'scaled': {
        const s = 2 ** (Math.floor(rand() * 9) - 4);
        for (let i = 0; i < n; i++) {
          const v = r(first[i] * s);
          x[i] = Number.isFinite(v) || !Number.isFinite(first[i]) ? v : first[i];
        }
        break;
      }
      case 'shifted': {
        const d = [1, 100, -100, 1000][Math.floor(rand() * 4)];
        for (let i = 0; i < n; i++) {
          const v = r(first[i] + d);
          x[i] = Number.isFinite(v) || !Number.isFinite(first[i]) ? v : first[i];
        }
        break;
      }
      case 'copy':
        for (let i = 0; i < n; i++) x[i] = first[i];
        break;
      case 'equal':
        x.fill(r(-10 + 20 * rand()));
        break;
    }
    out.push({ x, character, ...(labelled ? { label: Math.floor(rand() * n) } : {}) });
  }
  return out;
}
