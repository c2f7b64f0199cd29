import fc, { type Arbitrary } from 'fast-check';

/** Context of a value that is one of the shrink targets itself (not drawn by the inner arbitrary). */
const TARGET = Symbol('shrink target');

/** Context of a value drawn by the inner arbitrary: the inner context, kept for its own shrinker. */
interface Inner {
  readonly inner: unknown;
}

/**
 * Integers from `inner`, which shrink first to the `targets` below them (smallest first), then as
 * `inner` shrinks them.
 *
 * Why: `long` generates only lengths above 256 when it can (shorter rows come from the other
 * regions), so its length arbitrary's own shrink target is 257 or 16,385; a counterexample should
 * still reach the shortest long length (63) when the failure survives there. fc.oneof's
 * withCrossShrink would do this only with a first arbitrary that also generates (a weight > 0).
 *
 * Special cases: a target shrinks only to the smaller targets; values equal to a target are
 * reached through `inner` as usual. Generation is exactly `inner`'s: the same random draws, the
 * same values.
 */
class ShrinkTowards extends fc.Arbitrary<number> {
  constructor(
    private readonly innerArb: Arbitrary<number>,
    private readonly targets: readonly number[],
  ) {
    super();
  }

  override generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<number> {
    const v = this.innerArb.generate(mrng, biasFactor);
    return new fc.Value(v.value_, { inner: v.context } satisfies Inner);
  }

  override canShrinkWithoutContext(value: unknown): value is number {
    return (
      (typeof value === 'number' && this.targets.includes(value)) ||
      this.innerArb.canShrinkWithoutContext(value)
    );
  }

  override shrink(value: number, context: unknown): fc.Stream<fc.Value<number>> {
    const below = fc.Stream.of(...this.targets.filter((t) => t < value).map((t) => new fc.Value(t, TARGET)));
    if (context === TARGET) return below;
    const inner = context === undefined ? undefined : (context as Inner).inner;
    if (context === undefined && !this.innerArb.canShrinkWithoutContext(value)) return below;
    return below.join(
      this.innerArb
        .shrink(value, inner)
        .map((v) => new fc.Value(v.value_, { inner: v.context } satisfies Inner)),
    );
  }
}

/** `inner`, shrinking first to each of `targets` below a value (see ShrinkTowards). */
export function shrinkTowards(inner: Arbitrary<number>, targets: readonly number[]): Arbitrary<number> {
  const sorted = [...new Set(targets)].sort((a, b) => a - b);
  return sorted.length === 0 ? inner : new ShrinkTowards(inner, sorted);
}
