import fc, { type Arbitrary } from 'fast-check';

/**
 * The raw material of a structured vector: region parameters, one fill draw per element (the
 * array's length is the case's length) and up to `plants` distinct slot indices where the region
 * plants its defining values (the max, the far element, the mask, …).
 */
export interface Layout<P, F> {
  readonly params: P;
  readonly fills: readonly F[];
  /** Distinct indices in [0, fills.length); min(plants, fills.length) of them. */
  readonly slots: readonly number[];
}

/**
 * A slot pick: a natural number taken modulo the length, or −1 for the last free index (so the
 * last position is common at any length). Cross-shrinks: a "last" pick shrinks to index 0 too.
 */
const slotPick: Arbitrary<number> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.nat(), weight: 3 },
  { arbitrary: fc.constant(-1), weight: 1 },
);

/** Distinct positions in [0, n) from slot picks; collisions move to the next free index. */
function placeSlots(picks: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (const p of picks) {
    if (out.length >= n) break;
    let pos = p < 0 ? n - 1 : p % n;
    while (out.includes(pos)) pos = (pos + 1) % n;
    out.push(pos);
  }
  return out;
}

/**
 * Builds a layout with fast-check combinators, so it shrinks as they do: the fill array loses
 * elements (never below `len.min`) and each fill draw simplifies, the parameters simplify, and
 * slot picks move towards index 0.
 */
export function layout<P, F>(
  params: Arbitrary<P>,
  fill: Arbitrary<F>,
  plants: number,
  len: { readonly min: number; readonly max: number },
): Arbitrary<Layout<P, F>> {
  return fc
    .tuple(
      params,
      fc.array(fill, { minLength: len.min, maxLength: len.max, size: 'max' }),
      fc.array(slotPick, { minLength: plants, maxLength: plants }),
    )
    .map(([p, fills, picks]) => ({ params: p, fills, slots: placeSlots(picks, fills.length) }));
}
