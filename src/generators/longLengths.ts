import fc, { type Arbitrary } from 'fast-check';
import { LONG_MIN_LENGTH, ORDINARY_MAX_LENGTH } from './_internals/resolveConstraints.js';
import { shrinkTowards } from './_internals/shrinkTowards.js';

/** GPU workgroup (tile) sizes a kernel's reduction is commonly tiled by. */
export const WORKGROUP_SIZES: readonly number[] = [64, 128, 256, 1024];

/**
 * Vocabulary sizes of current language models, the length of a logit row at the output layer:
 * Llama 2 and Mistral 32,000; GPT-2 50,257; Llama 3 128,256; Qwen2 151,936; Gemma 256,000.
 */
export const VOCABULARY_SIZES: readonly number[] = [32_000, 50_257, 128_256, 151_936, 256_000];

/**
 * The first length of the very long tier: `long` draws 1 length in 8 above 16,384 (a long
 * attention row, a vocabulary) and the rest in (256, 16,384] (docs/design.md, "Cases").
 */
const VERY_LONG_FROM = 16_385;

/**
 * The lengths `long` favours within [lo, hi] (lo below 63 is raised to 63), ascending: every
 * power of two 2^k (k ≥ 6) and 2^k ± 1 (one past and one short of a workgroup or of a tree
 * reduction's level), 3·2^k ± 1 (a partial last workgroup), the vocabulary sizes
 * (`VOCABULARY_SIZES`) and 10^4, 10^5, 10^6, each with its ± 1 neighbours.
 */
export function longLengths(lo: number, hi: number): number[] {
  const from = Math.max(lo, LONG_MIN_LENGTH);
  const set = new Set<number>();
  for (let p = 64; p / 2 <= hi + 1; p *= 2) {
    for (const n of [p - 1, p, p + 1, 3 * (p / 2) - 1, 3 * (p / 2), 3 * (p / 2) + 1]) set.add(n);
  }
  for (const d of [...VOCABULARY_SIZES, 1e4, 1e5, 1e6]) for (const n of [d - 1, d, d + 1]) set.add(n);
  return [...set].filter((n) => n >= from && n <= hi).sort((a, b) => a - b);
}

/** True when n is k·w − 1, k·w or k·w + 1 for a workgroup size w (k ≥ 1). */
export function nearWorkgroupMultiple(n: number): boolean {
  return WORKGROUP_SIZES.some((w) => n >= w - 1 && [0, 1, w - 1].includes(n % w));
}

/** Steps of the log-uniform draw's fraction: fine enough for distinct lengths up to 2^18. */
const LOG_STEPS = 1 << 16;

/** n clamped to [lo, hi]. */
function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/**
 * The multiple of w nearest m, plus d, moved by whole w into [lo, hi]; m itself when no such
 * length fits (a range narrower than w).
 */
function snap(m: number, w: number, d: number, lo: number, hi: number): number {
  let n = Math.max(1, Math.round(m / w)) * w + d;
  while (n > hi && n - w >= lo) n -= w;
  while (n < lo && n + w <= hi) n += w;
  return n >= lo && n <= hi ? n : m;
}

/**
 * Lengths in one tier [lo, hi]: a favoured length (weight 4), a multiple of a workgroup size
 * ± 1 (weight 2), uniform (weight 1) or log-uniform (weight 1). Each shrinks towards lo or the
 * tier's smallest favoured length.
 */
function tierLengths(lo: number, hi: number): Arbitrary<number> {
  const uniform = fc.integer({ min: lo, max: hi });
  const logUniform = fc
    .integer({ min: 0, max: LOG_STEPS })
    .map((k) => clamp(Math.round(lo * (hi / lo) ** (k / LOG_STEPS)), lo, hi));
  const multiple = fc
    .tuple(uniform, fc.constantFrom(...WORKGROUP_SIZES), fc.constantFrom(0, -1, 1))
    .map(([m, w, d]) => snap(m, w, d, lo, hi));
  const favoured = longLengths(lo, hi);
  return fc.oneof(
    ...(favoured.length ? [{ arbitrary: fc.constantFrom(...favoured), weight: 4 }] : []),
    { arbitrary: multiple, weight: 2 },
    { arbitrary: uniform, weight: 1 },
    { arbitrary: logUniform, weight: 1 },
  );
}

/**
 * The lengths of `long` within [lo, cap] (lo ≥ 63, cap ≥ lo). When cap is above 256 (the other
 * regions' cap) `long` generates only lengths above 256 — 7 in 8 in (256, 16,384], 1 in 8 in
 * [16,385, cap] — because the shorter rows are the other regions' (tiers left empty by lo or cap
 * drop out); otherwise lengths in [lo, cap]. Within a tier: `tierLengths`.
 *
 * Shrinking: first to the shortest favoured length (63 by default, else lo) and the tiers' first
 * lengths (257, 16,385) below the value, then within the tier towards its start.
 */
export function longLengthArbitrary(lo: number, cap: number): Arbitrary<number> {
  const shortest = longLengths(lo, cap)[0] ?? lo;
  if (cap <= ORDINARY_MAX_LENGTH) return shrinkTowards(tierLengths(lo, cap), [shortest]);
  const mid = { lo: Math.max(lo, ORDINARY_MAX_LENGTH + 1), hi: Math.min(cap, VERY_LONG_FROM - 1), weight: 7 };
  const far = { lo: Math.max(lo, VERY_LONG_FROM), hi: cap, weight: 1 };
  const tiers = [mid, far].filter((t) => t.lo <= t.hi);
  const arb =
    tiers.length === 1
      ? tierLengths(tiers[0].lo, tiers[0].hi)
      : fc.oneof(...tiers.map((t) => ({ arbitrary: tierLengths(t.lo, t.hi), weight: t.weight })));
  return shrinkTowards(arb, [shortest, ...tiers.map((t) => t.lo)]);
}
