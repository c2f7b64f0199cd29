/**
 * The named input regions of the generators, in the order `logits` lists them.
 *
 * Each region is a family of logit vectors aimed at one way softmax and its relatives break;
 * every region has its own builder (`nearOverflowLogits`, `maskedLogits`, …) whose doc comment
 * says why that region is dangerous and how its cases shrink.
 */
export const REGION_NAMES = [
  'near-overflow',
  'near-underflow',
  'huge',
  'spread',
  'dominant',
  'near-ties',
  'equal',
  'long',
  'cancellation',
  'masked',
  'subnormal',
  'specials',
  'bits',
  'benign',
] as const;

/** One of `REGION_NAMES`. */
export type RegionName = (typeof REGION_NAMES)[number];

/** True when `name` is one of `REGION_NAMES`. */
export function isRegionName(name: string): name is RegionName {
  return (REGION_NAMES as readonly string[]).includes(name);
}
