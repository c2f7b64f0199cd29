import { LONG_MIN_LENGTH } from './_internals/resolveConstraints.js';

/** GPU workgroup sizes a kernel's reduction is commonly tiled by. */
export const WORKGROUP_SIZES: readonly number[] = [64, 256, 1024];

/**
 * The lengths `long` favours within [lo, hi] (lo ≥ 63 is raised to 63), ascending: every power
 * of two 2^k (k ≥ 6) and 2^k ± 1 (so 64/256/1024 ± 1, one past and one short of a workgroup or
 * of a tree reduction's level), 3·2^k ± 1 (a partial last workgroup), and 10^4, 10^5, 10^6 with
 * their ± 1 neighbours.
 */
export function longLengths(lo: number, hi: number): number[] {
  const from = Math.max(lo, LONG_MIN_LENGTH);
  const set = new Set<number>();
  for (let p = 64; p / 2 <= hi + 1; p *= 2) {
    for (const n of [p - 1, p, p + 1, 3 * (p / 2) - 1, 3 * (p / 2), 3 * (p / 2) + 1]) set.add(n);
  }
  for (const d of [1e4, 1e5, 1e6]) for (const n of [d - 1, d, d + 1]) set.add(n);
  return [...set].filter((n) => n >= from && n <= hi).sort((a, b) => a - b);
}
