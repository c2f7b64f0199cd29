import fc, { type Arbitrary } from 'fast-check';
import { isRepresentable } from '../../src/formats/roundNumber.js';
import type { FormatSpec } from '../../src/formats/types.js';
import { ulpOf } from '../../src/formats/ulp.js';

/** How a shift is picked (fast-check draws it; `exactShift` turns it into a value). */
export interface ShiftPick {
  /** Which candidate to try first: a small integer, a power of two, minus a logit, minus the max. */
  readonly kind: 'integer' | 'power' | 'element' | 'max';
  /** The integer (kind 'integer') or the exponent (kind 'power'), with its sign. */
  readonly k: number;
  /** The logit index (kind 'element'), taken modulo n. */
  readonly j: number;
}

/** Shift picks: integers in ±64, ±2^k for k in [−17, 47], minus a logit, minus the max. */
export const shiftPick: Arbitrary<ShiftPick> = fc.record({
  kind: fc.constantFrom<ShiftPick['kind']>('integer', 'power', 'element', 'max'),
  k: fc.integer({ min: -64, max: 64 }),
  j: fc.nat(),
});

/** Whether a + b is exact in binary64 (Knuth's TwoSum error is 0) and finite. */
function exactSum(a: number, b: number): boolean {
  const s = a + b;
  if (!Number.isFinite(s)) return false;
  const bv = s - a;
  const err = a - (s - bv) + (b - bv);
  return err === 0;
}

/** Whether every x_i + c is exact and a value of `fmt` (non-finite logits are unchanged by a finite shift). */
function isExactShift(fmt: FormatSpec, x: readonly number[], c: number): boolean {
  if (!Number.isFinite(c) || !isRepresentable(fmt, c)) return false;
  for (const v of x) {
    if (!Number.isFinite(v)) continue;
    if (!exactSum(v, c) || !isRepresentable(fmt, v + c)) return false;
  }
  return true;
}

/**
 * A shift c of the format such that every x_i + c is exactly representable (so the shifted input
 * is a valid input whose exact softmax equals that of x): the picked candidate if it is exact,
 * else the first exact one of the others (integers, powers of two, minus a logit or the max, and
 * multiples of the coarsest spacing among the logits), else 0 — the trivial shift, which is all
 * there is when the logits span more binades than the precision (e.g. [1e30, 1e-30] in f32:
 * 1e30 + c needs c to be a multiple of 2^76, 1e-30 + c needs |c| < 2^-75).
 */
export function exactShift(fmt: FormatSpec, x: readonly number[], pick: ShiftPick): number {
  const finite = x.filter(Number.isFinite);
  const max = finite.length ? Math.max(...finite) : 0;
  const integer = pick.k === 0 ? 1 : pick.k;
  const power = Math.sign(pick.k || 1) * 2 ** Math.round(pick.k / 2 + 15);
  const element = finite.length ? -finite[pick.j % finite.length] : 0;
  // the coarsest spacing among the logits: a multiple of it keeps the large ones on their grid
  const quantum = finite.reduce((q, v) => Math.max(q, ulpOf(fmt, v)), 0);
  const grid = quantum * (pick.k === 0 ? 1 : pick.k);
  const byKind = { integer, power, element, max: -max };
  const candidates = [
    byKind[pick.kind],
    integer,
    -integer,
    power,
    element,
    -max,
    grid,
    -grid,
    quantum,
    -quantum,
    1,
    -1,
    0.5,
  ];
  for (const c of candidates) if (c !== 0 && isExactShift(fmt, x, c)) return c;
  return 0;
}

/** x + c, element by element (exact by construction when c comes from `exactShift`). */
export function shifted(x: readonly number[], c: number): number[] {
  return x.map((v) => v + c);
}
