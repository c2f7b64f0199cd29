import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { isRegionName, REGION_NAMES, type RegionName } from './RegionName.js';
import { regionArbitrary } from './regionArbitrary.js';
import { configError, longUnavailable, resolveConstraints } from './_internals/resolveConstraints.js';

/** Without weights, `long` takes 1 case in this many (docs/design.md, "Cases"). */
const LONG_ONE_IN = 8;

/** Constraints of `logits`: the shared region constraints plus the mix. */
export interface LogitsConstraints extends RegionConstraints {
  /**
   * The regions to mix (no duplicates). `specials` requires `specials: true`; `long` requires
   * min(maxLength, longMaxLength) ≥ 256 and ≥ minLength.
   * @defaultValue every region except `specials` (included when `specials` is true) and except
   * `long` when the length constraints leave it no room (maxLength below 256, as with
   * `maxLength: 64`)
   */
  readonly regions?: readonly RegionName[];
  /**
   * Relative weights of the regions (non-negative integers, as fc.oneof takes them); a region
   * missing here weighs 1; weight 0 leaves a region out. Weights of regions not in the mix are
   * ignored. At least one region in the mix must weigh more than 0. Given weights are taken as
   * they are: `long` weighs 1 like any region unless weighted otherwise.
   * @defaultValue `long` (when in the mix) takes 1 case in 8 and every other region of the mix
   * an equal share of the rest: with the default maxLength 262,144, 1 case in 8 is above 256
   * elements and 1 in 64 above 16,384
   */
  readonly weights?: Readonly<Partial<Record<RegionName, number>>>;
}

/** The regions `logits` mixes when none are given, under these constraints. */
export function defaultRegions(constraints: RegionConstraints = {}): RegionName[] {
  const r = resolveConstraints(constraints);
  return REGION_NAMES.filter((n) =>
    n === 'specials' ? r.specials : n === 'long' ? longUnavailable(r) === undefined : true,
  );
}

/**
 * Extreme logits for one op and format: a weighted mix (fc.oneof) of the named regions. Every
 * case's logits are exactly representable in `format`, its length within [minLength,
 * maxLength], its label (label-taking ops only) in [0, n). The same seed gives the same cases.
 * Shrinking happens within the region a case came from (no shrinking across regions).
 *
 * Lengths: the default maxLength is 262,144. Every region but `long` stays at or below 256
 * (element-per-element generation), so 7 cases in 8 are short; `long` makes every longer case (docs/design.md, "Cases"). With maxLength below 256 `long` is left out and
 * the cases are exactly those of earlier versions (`maxLength: 64` was the default).
 *
 * Throws a RangeError naming the field at fault: `format`, `op`, `minLength`, `maxLength`,
 * `longMaxLength`, `specials`, `regions` or `weights.<region>`.
 */
export function logits(constraints: LogitsConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  let regions: readonly RegionName[];
  if (constraints.regions === undefined) regions = defaultRegions(constraints);
  else {
    if (!Array.isArray(constraints.regions) || constraints.regions.length === 0) {
      throw configError('regions', 'must be a non-empty array of region names');
    }
    const seen = new Set<string>();
    for (const name of constraints.regions as readonly unknown[]) {
      if (typeof name !== 'string' || !isRegionName(name)) {
        throw configError(
          'regions',
          `unknown region '${String(name)}': expected one of ${REGION_NAMES.join(', ')}`,
        );
      }
      if (seen.has(name)) throw configError('regions', `region '${name}' is listed twice`);
      seen.add(name);
    }
    regions = constraints.regions;
  }
  const weights = constraints.weights ?? {};
  if (weights === null || typeof weights !== 'object')
    throw configError('weights', 'must be an object of region weights');
  for (const [name, w] of Object.entries(weights)) {
    if (!isRegionName(name)) throw configError(`weights.${name}`, `unknown region '${name}'`);
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) {
      throw configError(`weights.${name}`, `must be a non-negative integer, got ${String(w)}`);
    }
  }
  const weightOf = (n: RegionName): number => weights[n] ?? 1;
  const mix = regions.filter((n) => weightOf(n) > 0);
  if (mix.length === 0) throw configError('weights', 'every region in the mix has weight 0');
  const base: RegionConstraints = {
    format: r.fmt.name,
    op: r.op,
    minLength: r.minLength,
    maxLength: r.maxLength,
    longMaxLength: r.longMaxLength,
    specials: r.specials,
  };
  const arbs = mix.map((n) => ({ arbitrary: regionArbitrary(n, base), weight: weightOf(n) }));
  if (arbs.length === 1) return arbs[0].arbitrary;
  if (constraints.weights !== undefined || !mix.includes('long')) return fc.oneof(...arbs);
  // no weights given: `long` (every case above 256) takes 1 case in 8, the others share the rest
  const others = arbs.filter((_, i) => mix[i] !== 'long');
  const long = arbs[mix.indexOf('long')].arbitrary;
  return fc.oneof(
    { arbitrary: others.length === 1 ? others[0].arbitrary : fc.oneof(...others), weight: LONG_ONE_IN - 1 },
    { arbitrary: long, weight: 1 },
  );
}
