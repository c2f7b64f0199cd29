import { expThresholds } from '../../formats/thresholds.js';
import type { FormatSpec } from '../../formats/types.js';
import { nextDown, nextUp } from '../../formats/ulp.js';
import { maskValues } from '../maskValues.js';
import type { Shape } from './finishCase.js';
import { fastRound } from './fastRound.js';
import { lnMinNormal, maxSubnormal, NEAR_DISTANCE, NEAR_ULPS } from './formatValues.js';
import { dominantMinGap } from './gaps.js';
import { longPosition, type LongPlace } from './longPosition.js';
import { mulberry32 } from './mulberry32.js';
import type { Resolved } from './resolveConstraints.js';

/**
 * What fills a long row, in the order a case shrinks through them (`specials` only when specials
 * are allowed). "At k" is the row's interesting position (see `longPosition`):
 * - `equal`: all zeros (a running sum of ones stagnates at 2^p);
 * - `benign`: uniform in [−10, 10], the max 10 at k;
 * - `dominant`: benign, one logit at k above the rest by the dominant gap + ln n;
 * - `masked`: benign with a mask value (`maskValues`: finite, and −Inf only with specials) from k
 *   to the end (causal) or on a random half of the row and at k;
 * - `near-overflow`: one logit at k within 4 ULPs above the exp-overflow threshold T, the rest
 *   benign, or every logit near T (within 4 ULPs or 1 in value) and that one at k;
 * - `near-underflow`: a spread at the underflow threshold U: the max a (0 or benign) at k, a + U'
 *   (U' near U) elsewhere, the others between, half of them within 1 of a + U';
 * - `huge`: every logit beyond the overflow threshold (log-uniform magnitude, either sign) and
 *   +maxFinite at k, or benign with a huge logit at k and −maxFinite elsewhere;
 * - `spread`: a wide spread: the max a at k, the others a − g with g in the subnormal band
 *   [|ln minNormal|, |U|], in [|U|, 4|U|] (underflowing) or [0, |ln minNormal|], one 1.25–4·|U| below;
 * - `subnormal`: subnormal logits and signed zeros, the smallest normal at k;
 * - `specials`: benign with NaN, +Inf or −Inf at k.
 */
export const LONG_PATTERNS = [
  'equal',
  'benign',
  'dominant',
  'masked',
  'near-overflow',
  'near-underflow',
  'huge',
  'spread',
  'subnormal',
  'specials',
] as const;

/** One of `LONG_PATTERNS`. */
export type LongPattern = (typeof LONG_PATTERNS)[number];

/** The patterns `long` draws from under these constraints: `specials` only with specials allowed. */
export function longPatterns(r: Resolved): LongPattern[] {
  return LONG_PATTERNS.filter((p) => p !== 'specials' || r.specials);
}

/** A uniform integer in [0, m) from the generator (m ≥ 1). */
function below(m: number, rand: () => number): number {
  return Math.floor(rand() * m);
}

/** The format values within `ulps` positions of t, ascending. */
function ulpNeighbours(fmt: FormatSpec, t: number, ulps: number): number[] {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0, a = t, b = t; i < ulps; i++) {
    a = nextDown(fmt, a);
    b = nextUp(fmt, b);
    if (Number.isFinite(a)) lo.unshift(a);
    if (Number.isFinite(b)) hi.push(b);
  }
  return [...lo, t, ...hi];
}

/**
 * Builds a long row of n ≥ 1 elements: `pattern` filled from the generator seeded with `seed`,
 * its interesting element at `place`. Deterministic: the same arguments give the same row. Every
 * value is exactly representable in the format (rounded as `roundNumber` does, clamped between
 * format values, or a format constant); NaN and ±Inf only in `specials`, and −Inf in `masked`
 * when specials are allowed. `focus` (the label's target) is the interesting element, none for
 * `equal`.
 *
 * Cost: one or two generator draws and one rounding per element, so 2^18 elements take
 * milliseconds.
 */
export function longRow(r: Resolved, n: number, pattern: LongPattern, place: LongPlace, seed: number): Shape {
  const { fmt } = r;
  const max = fmt.maxFinite;
  const th = expThresholds(fmt.name);
  const round = fastRound(fmt);
  /** v clamped to [lo, hi] (format values) and rounded: stays within them, as rounding is monotone. */
  const roundInto = (v: number, lo: number, hi: number): number => round(v < lo ? lo : v > hi ? hi : v);
  const rand = mulberry32(seed);
  const k = longPosition(n, place, rand);
  /** Another index than k (k itself when n is 1). */
  const other = (): number => {
    if (n < 2) return k;
    const j = below(n - 1, rand);
    return j >= k ? j + 1 : j;
  };
  const benign = (): number => round(-10 + 20 * rand());
  const x = new Array<number>(n);
  const fill = (f: () => number): void => {
    for (let i = 0; i < n; i++) x[i] = f();
  };
  /** A value near t: within NEAR_ULPS positions (half the draws) or within NEAR_DISTANCE in value. */
  const nearOf = (t: number): (() => number) => {
    const table = ulpNeighbours(fmt, t, NEAR_ULPS);
    return () =>
      rand() < 0.5
        ? table[below(table.length, rand)]
        : roundInto(t + (2 * rand() - 1) * NEAR_DISTANCE, -max, max);
  };

  switch (pattern) {
    case 'equal':
      return { x: x.fill(0) };
    case 'benign':
      fill(benign);
      x[k] = 10;
      return { x, focus: k };
    case 'dominant':
      fill(benign);
      // 10 is the benign maximum; the gap makes every other probability negligible
      x[k] = round(10 + dominantMinGap(r) + Math.log(n));
      return { x, focus: k };
    case 'masked': {
      const masks = maskValues(fmt.name, r.specials);
      const m = masks[below(masks.length, rand)];
      fill(benign);
      if (rand() < 0.5) for (let i = k; i < n; i++) x[i] = m;
      else for (let i = 0; i < n; i++) if (i === k || rand() < 0.5) x[i] = m;
      return { x, focus: k };
    }
    case 'near-overflow': {
      const above = ulpNeighbours(fmt, th.overflow, NEAR_ULPS).filter((v) => v >= th.overflow);
      fill(rand() < 0.5 ? benign : nearOf(th.overflow));
      x[k] = above[below(above.length, rand)];
      return { x, focus: k };
    }
    case 'near-underflow': {
      const a = rand() < 1 / 3 ? 0 : benign();
      const lo = roundInto(a + nearOf(th.underflow)(), -max, a);
      fill(() =>
        rand() < 0.5
          ? roundInto(lo + rand() * NEAR_DISTANCE, lo, a)
          : roundInto(lo + rand() * (a - lo), lo, a),
      );
      x[k] = a;
      x[other()] = lo;
      return { x, focus: k };
    }
    case 'huge': {
      const lo = nextUp(fmt, th.overflow);
      const [lnLo, lnHi] = [Math.log(lo), Math.log(max)];
      const huge = () => roundInto(Math.exp(lnLo + rand() * (lnHi - lnLo)), lo, max);
      if (rand() < 0.5) {
        fill(() => (rand() < 0.5 ? -huge() : huge()));
        x[k] = max;
      } else {
        fill(benign);
        x[k] = huge();
        x[other()] = -max;
      }
      return { x, focus: k };
    }
    case 'spread': {
      const u = -th.underflow;
      const sub = -lnMinNormal(fmt);
      const a = rand() < 1 / 3 ? 0 : benign();
      const gap = (): number => {
        const band = rand();
        if (band < 0.5) return sub + rand() * (u - sub);
        if (band < 0.75) return u + rand() * 3 * u;
        return rand() * sub;
      };
      fill(() => roundInto(a - gap(), -max, a));
      x[k] = a;
      x[other()] = roundInto(a - (1.25 + 2.75 * rand()) * u, -max, a);
      return { x, focus: k };
    }
    case 'subnormal': {
      // k·minSubnormal for an integer k < 2^(p−1): exactly the subnormals (and zero)
      const steps = Math.floor(maxSubnormal(fmt) / fmt.minSubnormal) + 1;
      fill(() => {
        const v = below(steps, rand) * fmt.minSubnormal;
        return rand() < 0.5 ? -v : v;
      });
      x[k] = fmt.minNormal;
      return { x, focus: k };
    }
    case 'specials':
      fill(benign);
      x[k] = [Number.NaN, Infinity, -Infinity][below(3, rand)];
      return { x, focus: k };
  }
}
