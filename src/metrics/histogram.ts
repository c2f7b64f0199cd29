import { pow2 } from '../formats/pow2.js';

/**
 * The one ULP-error histogram of logitfuzz (docs/design.md, "Records"): per-case max errors in
 * log-scale bins, the record's `ulp.histogram` and the report's error charts.
 *
 * Bins: 0, 1, 2, then (2^(k−1), 2^k] for k = 2..64 (3–4, 5–8, …, up to 2^64, which bounds every
 * finite ULP distance: the whole of binary64 spans fewer than 2^64 positions), and one for
 * Infinity (a NaN against a number, or no answer at all).
 */
export const BIN_COUNT = 67;
/** The bin of Infinity. */
const INF_BIN = BIN_COUNT - 1;
/**
 * Bits of error counted for an infinite distance: 65, more than log2(1 + d) < 64 of any finite
 * distance d < 2^64, so that no answer is always worse than any answer.
 */
const INFINITE_BITS = 65;

/** The bin of a ULP distance (see BIN_COUNT). Throws a RangeError for NaN or a negative value. */
export function binOf(ulps: number): number {
  if (!(ulps >= 0)) throw new RangeError(`histogram: a ULP distance is ≥ 0, got ${ulps}`);
  if (ulps === Infinity) return INF_BIN;
  if (ulps === 0) return 0;
  if (ulps <= 1) return 1;
  if (ulps <= 2) return 2;
  // smallest k ≥ 2 with ulps ≤ 2^k; pow2 is exact, unlike Math.log2 near powers of two
  let lo = 2;
  let hi = 64;
  if (ulps > pow2(64)) return INF_BIN - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ulps <= pow2(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** The largest distance of a bin: 0, 1, 2, 4, 8, …, 2^64, Infinity. */
export function binUpperEdge(bin: number): number {
  if (bin <= 2) return bin;
  if (bin >= INF_BIN) return Infinity;
  return pow2(bin - 1);
}

/** Every bin's upper edge, in order: the record's `histogramEdges`. */
export const HIST_EDGES: readonly number[] = Array.from({ length: BIN_COUNT }, (_, b) => binUpperEdge(b));

/** Bits of error of a distance, log2(1 + ulps); INFINITE_BITS for Infinity. */
export function errorBits(ulps: number): number {
  return ulps === Infinity ? INFINITE_BITS : Math.log2(1 + ulps);
}

/**
 * The q-quantile (0 < q ≤ 1) of the distances counted in `bins`, by nearest rank, as the upper
 * edge of the bin holding that rank capped at the exact `max`: an upper bound within a factor 2.
 *
 * Special cases: 0 for an empty histogram (the record writes no NaN).
 */
export function quantile(bins: readonly number[], max: number, q: number): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile: q must be in (0, 1], got ${q}`);
  const count = bins.reduce((s, v) => s + v, 0);
  if (count === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b];
    if (seen >= rank) return Math.min(binUpperEdge(b), max);
  }
  return max;
}
