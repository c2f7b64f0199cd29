import { WORKGROUP_SIZES } from '../longLengths.js';

/**
 * Where a long row's interesting element (the max, a huge logit, the start of a masked run, a
 * NaN) goes, in the order a case shrinks through them:
 * - `last`: n − 1, where a reduction's tail loop or a partial last tile begins and ends;
 * - `first`: 0, where an online max or a running sum starts;
 * - `tile-end`: k·w − 1, the last element of a tile of a workgroup size w (64, 128, 256, 1024);
 * - `tile-start`: k·w, the first element of a tile (k ≥ 1);
 * - `partial`: inside the partial last tile, between ⌊n/w⌋·w and n − 1 (a tile size that does not
 *   divide n);
 * - `anywhere`: uniform over [0, n).
 */
export const LONG_PLACES = ['last', 'first', 'tile-end', 'tile-start', 'partial', 'anywhere'] as const;

/** One of `LONG_PLACES`. */
export type LongPlace = (typeof LONG_PLACES)[number];

/** A uniform integer in [0, m) from the generator (m ≥ 1). */
function below(m: number, rand: () => number): number {
  return Math.floor(rand() * m);
}

/**
 * The index for `place` in a row of n ≥ 1 elements; the tile size w and the tile k come from
 * `rand`. Special cases: with no tile size that fits (`tile-end`: w ≤ n; `tile-start`: w < n), the
 * place falls back to n − 1 and 0; with no tile size that leaves a partial last tile (n a
 * multiple of every w < n, or n ≤ 64), `partial` falls back to n − 1.
 */
export function longPosition(n: number, place: LongPlace, rand: () => number): number {
  switch (place) {
    case 'last':
      return n - 1;
    case 'first':
      return 0;
    case 'tile-end': {
      const ws = WORKGROUP_SIZES.filter((w) => w <= n);
      if (ws.length === 0) return n - 1;
      const w = ws[below(ws.length, rand)];
      return (1 + below(Math.floor(n / w), rand)) * w - 1;
    }
    case 'tile-start': {
      const ws = WORKGROUP_SIZES.filter((w) => w < n);
      if (ws.length === 0) return 0;
      const w = ws[below(ws.length, rand)];
      return (1 + below(Math.floor((n - 1) / w), rand)) * w;
    }
    case 'partial': {
      const ws = WORKGROUP_SIZES.filter((w) => w < n && n % w !== 0);
      if (ws.length === 0) return n - 1;
      const w = ws[below(ws.length, rand)];
      const start = Math.floor(n / w) * w;
      return start + below(n - start, rand);
    }
    case 'anywhere':
      return below(n, rand);
  }
}
