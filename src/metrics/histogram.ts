import { pow2 } from '../formats/pow2.js';

/** `schema` of a serialised histogram. */
export const HISTOGRAM_SCHEMA = 'logitfuzz/ulp-histogram@1';

/**
 * Number of bins: 0, 1, 2, then (2^(k−1), 2^k] for k = 2..64 (3–4, 5–8, …, up to 2^64, which
 * bounds every finite ULP distance: the whole of binary64 spans fewer than 2^64 positions), and
 * one for Infinity (a NaN against a number).
 */
export const BIN_COUNT = 67;
/** The bin of Infinity. */
const INF_BIN = BIN_COUNT - 1;
/** Bits of error counted for an infinite distance: more than log2(1 + 2^64) of any finite one. */
const INFINITE_BITS = 65;
/** Bits of error are summed in fixed point, units of 2^−32, so that merging is exact. */
const BITS_SCALE = 2 ** 32;

/** JSON form of an UlpHistogram. */
export interface UlpHistogramJSON {
  readonly schema: typeof HISTOGRAM_SCHEMA;
  /** Counts per bin, BIN_COUNT of them. */
  readonly bins: readonly number[];
  readonly count: number;
  /** The exact largest distance added ("inf" for Infinity, as the oracle's JSON writes it). */
  readonly max: number | 'inf';
  /** Σ bits of error in units of 2^−32, as a decimal integer string. */
  readonly sumBits: string;
}

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

/** Fixed-point bits of error of one distance (deterministic, so sums merge exactly). */
function fixedBits(ulps: number): bigint {
  const bits = ulps === Infinity ? INFINITE_BITS : Math.log2(1 + ulps);
  return BigInt(Math.round(bits * BITS_SCALE));
}

/**
 * A mergeable fixed-bin histogram of ULP errors: log-scale bins (0, 1, 2, 3–4, 5–8, … 2^64,
 * Infinity), the count, the exact max, and the sum of bits of error log2(1 + ulps).
 *
 * Quantiles come from the bins (nearest rank; the bin's upper edge, never above the exact max),
 * so p50/p90/p99 are upper bounds within a factor 2. Merging two histograms gives exactly the
 * histogram of the union (bins and counts add, max is the max, and bits are summed in fixed
 * point, 2^−32 units, so the order of additions does not matter). JSON-serialisable via toJSON /
 * fromJSON.
 *
 * Special cases: Infinity counts in its own bin and as INFINITE_BITS = 65 bits; quantiles and
 * mean of an empty histogram are NaN, its max 0.
 */
export class UlpHistogram {
  readonly #bins: number[] = new Array<number>(BIN_COUNT).fill(0);
  #count = 0;
  #max = 0;
  #sumBits = 0n;

  /** Adds one ULP distance (≥ 0 or Infinity). */
  add(ulps: number): this {
    this.#bins[binOf(ulps)]++;
    this.#count++;
    if (ulps > this.#max) this.#max = ulps;
    this.#sumBits += fixedBits(ulps);
    return this;
  }

  /** Adds every distance of `values`. */
  addAll(values: Iterable<number>): this {
    for (const v of values) this.add(v);
    return this;
  }

  /** A new histogram of the union of this one's and `other`'s values. */
  merge(other: UlpHistogram): UlpHistogram {
    const h = new UlpHistogram();
    for (let i = 0; i < BIN_COUNT; i++) h.#bins[i] = this.#bins[i] + other.#bins[i];
    h.#count = this.#count + other.#count;
    h.#max = Math.max(this.#max, other.#max);
    h.#sumBits = this.#sumBits + other.#sumBits;
    return h;
  }

  get count(): number {
    return this.#count;
  }

  /** The exact largest distance added (0 when empty). */
  get max(): number {
    return this.#max;
  }

  /** Counts per bin (a copy). */
  get bins(): number[] {
    return this.#bins.slice();
  }

  /** Mean bits of error, Σ log2(1 + ulps) / count (to 2^−32 per value); NaN when empty. */
  get meanBits(): number {
    if (this.#count === 0) return NaN;
    return Number(this.#sumBits) / BITS_SCALE / this.#count;
  }

  /**
   * The q-quantile (0 < q ≤ 1) by nearest rank, as the upper edge of the bin holding that rank,
   * capped at the exact max. NaN when empty.
   */
  quantile(q: number): number {
    if (!(q > 0 && q <= 1)) throw new RangeError(`quantile: q must be in (0, 1], got ${q}`);
    if (this.#count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < BIN_COUNT; i++) {
      seen += this.#bins[i];
      if (seen >= rank) return Math.min(binUpperEdge(i), this.#max);
    }
    return this.#max;
  }

  get p50(): number {
    return this.quantile(0.5);
  }
  get p90(): number {
    return this.quantile(0.9);
  }
  get p99(): number {
    return this.quantile(0.99);
  }

  toJSON(): UlpHistogramJSON {
    return {
      schema: HISTOGRAM_SCHEMA,
      bins: this.#bins.slice(),
      count: this.#count,
      max: this.#max === Infinity ? 'inf' : this.#max,
      sumBits: this.#sumBits.toString(),
    };
  }

  /** Rebuilds a histogram from toJSON's output; throws a RangeError naming what is malformed. */
  static fromJSON(json: unknown): UlpHistogram {
    const j = json as Partial<Record<keyof UlpHistogramJSON, unknown>> | null;
    if (j === null || typeof j !== 'object') throw new RangeError('histogram JSON: not an object');
    if (j.schema !== HISTOGRAM_SCHEMA)
      throw new RangeError(`histogram JSON: schema must be '${HISTOGRAM_SCHEMA}', got ${String(j.schema)}`);
    const bins = j.bins;
    if (
      !Array.isArray(bins) ||
      bins.length !== BIN_COUNT ||
      !bins.every((b) => Number.isSafeInteger(b) && b >= 0)
    ) {
      throw new RangeError(`histogram JSON: bins must be ${BIN_COUNT} counts`);
    }
    const count = (bins as number[]).reduce((s, b) => s + b, 0);
    if (j.count !== count)
      throw new RangeError(`histogram JSON: count ${String(j.count)} differs from the bins' total ${count}`);
    const max = j.max === 'inf' ? Infinity : j.max;
    if (typeof max !== 'number' || !(max >= 0))
      throw new RangeError('histogram JSON: max must be a number ≥ 0 or "inf"');
    if (typeof j.sumBits !== 'string' || !/^[0-9]+$/.test(j.sumBits))
      throw new RangeError('histogram JSON: sumBits must be a decimal integer string');
    const h = new UlpHistogram();
    for (let i = 0; i < BIN_COUNT; i++) h.#bins[i] = bins[i] as number;
    h.#count = count;
    h.#max = max;
    h.#sumBits = BigInt(j.sumBits);
    return h;
  }
}
