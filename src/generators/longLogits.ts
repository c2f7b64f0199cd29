import fc, { type Arbitrary } from 'fast-check';
import { roundNumber } from '../formats/roundNumber.js';
import type { FormatSpec } from '../formats/types.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { longLengths, WORKGROUP_SIZES } from './longLengths.js';
import { maskValues } from './maskValues.js';
import { dominantMinGap } from './_internals/gaps.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { mulberry32 } from './_internals/mulberry32.js';
import {
  LONG_MIN_LENGTH,
  longCap,
  longUnavailable,
  resolveConstraints,
  type Resolved,
} from './_internals/resolveConstraints.js';

/** What fills a long row (see `longLogits`). */
const PATTERNS = ['equal', 'benign', 'dominant', 'masked'] as const;
type Pattern = (typeof PATTERNS)[number];

/** A benign value from the generator: uniform in [−10, 10], rounded into the format. */
function benign(fmt: FormatSpec, rand: () => number): number {
  return roundNumber(fmt, -10 + 20 * rand());
}

/** Positions where a long row's interesting element goes: the ends and both sides of a workgroup boundary. */
function position(n: number, rand: () => number): number {
  const wg = WORKGROUP_SIZES.filter((w) => w < n);
  const choice = Math.floor(rand() * 4);
  if (choice === 0) return n - 1;
  if (choice === 1 || wg.length === 0) return Math.floor(rand() * n);
  const w = wg[Math.floor(rand() * wg.length)];
  const k = 1 + Math.floor(rand() * Math.floor((n - 1) / w));
  const at = k * w - (choice === 2 ? 1 : 0);
  return Math.min(at, n - 1);
}

function build(r: Resolved, n: number, pattern: Pattern, seed: number): Shape {
  const { fmt } = r;
  const rand = mulberry32(seed);
  const x = new Array<number>(n);
  if (pattern === 'equal') return { x: x.fill(0) };
  for (let i = 0; i < n; i++) x[i] = benign(fmt, rand);
  if (pattern === 'dominant') {
    const k = position(n, rand);
    // 10 is the benign maximum; add a gap that makes every other probability negligible
    x[k] = roundNumber(fmt, 10 + dominantMinGap(r) + Math.log(n));
    return { x, focus: k };
  }
  if (pattern === 'masked') {
    const masks = maskValues(fmt.name, false); // finite masks only: −Inf belongs to the masked and specials regions
    const m = masks[Math.floor(rand() * masks.length)];
    if (rand() < 0.5) {
      const from = position(n, rand); // causal: a benign prefix, masked to the end
      for (let i = from; i < n; i++) x[i] = m;
    } else {
      for (let i = 0; i < n; i++) if (rand() < 0.5) x[i] = m;
    }
  }
  return { x };
}

/**
 * Region `long`: long rows, lengths from `longLengths` (around powers of two and the GPU
 * workgroup sizes 64/256/1024, ± 1, and 10^4/10^5/10^6 ± 1) or uniform over the range, within
 * [max(minLength, 63), min(maxLength, longMaxLength)]. Available only when that cap is at least
 * 256: with the defaults (maxLength 64) `logits` leaves it out, and asking for it explicitly
 * throws naming the field that is too small. Rows are all zeros (`equal`), benign, benign with
 * one dominant logit at the end or either side of a workgroup boundary (`dominant`), or benign
 * with a causal or random mask (`masked`).
 *
 * Why it is dangerous: error bounds grow with n (γ_{n−1} for the sum: Blanchard, Higham & Higham
 * 2021) and a running sum of ones stagnates at 2^p (2048 in f16, 256 in bf16); GPU kernels
 * break at lengths just past a workgroup size or not a power of two (pytorch#147284: rows that do
 * not sum to 1 for odd widths between 512 and 1024; pytorch#143644: wrong log_softmax at dim
 * 517); a max reduction that drops a partial maximum (llama.cpp#24451) shows when the max sits
 * at a boundary or in the tail.
 *
 * Values are derived from one drawn seed with a small deterministic generator, not one
 * fast-check value per element, so a row of 10^5 costs milliseconds. Shrinking: the length
 * towards the smallest favoured length (63 or minLength), the pattern towards all zeros, the
 * seed towards 0; elements do not shrink individually.
 */
export function longLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const bad = longUnavailable(r);
  if (bad) throw bad;
  const cap = longCap(r);
  const lo = Math.max(r.minLength, LONG_MIN_LENGTH);
  const favoured = longLengths(lo, cap);
  const uniform = fc.integer({ min: lo, max: cap });
  const length = favoured.length
    ? fc.oneof({ arbitrary: fc.constantFrom(...favoured), weight: 3 }, { arbitrary: uniform, weight: 1 })
    : uniform;
  const shape = fc
    .tuple(length, fc.constantFrom(...PATTERNS), fc.nat())
    .map(([n, pattern, seed]) => build(r, n, pattern, seed));
  return finishCase('long', r, shape, 'either');
}
