import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { maskValues } from './maskValues.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `masked`: attention-style masked rows. The mask value m is one of `maskValues(format,
 * specials)`: −1e9 rounded into the format (the lowest finite value where −1e9 overflows, as in
 * f16), the lowest finite value, or −Inf (only when specials are allowed). Rows are partly
 * masked (a random subset, at least one entry masked and, when n ≥ 2, one not), causally masked
 * (a benign prefix, then m to the end; the prefix may be empty) or fully masked (every entry m,
 * or a mix of the mask values).
 *
 * Why it is dangerous: e^{m − max} must be exactly 0 without producing NaN; a fully masked row
 * is a row of equal logits whose softmax is the uniform 1/n (with −Inf it is NaN by policy),
 * yet kernels return NaN, 0 or garbage (tfjs#5394: WebGL softmax returned 3.4e38 for rows masked
 * with −1e9); m − max overflows to −Inf for m = −maxFinite and a positive max, and max − m
 * overflows to +Inf in a min-shifted formula; a cross-entropy label at a masked entry gives a
 * loss near |m|, at the top of the format's range.
 *
 * Shrinking: fewer elements (down to minLength), masked entries towards unmasked ones in the
 * partial mode, the causal prefix towards empty (fully masked), m towards the conventional −1e9,
 * benign values towards 0.
 */
export function maskedLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const masks = maskValues(fmt.name, r.specials);
  const mask = fc.constantFrom(...masks);
  const benign = benignValue(fmt);
  const partial = layout(mask, fc.tuple(benign, fc.boolean()), 2, lengthsFor(r, 2)).map(
    ({ params: m, fills, slots }): Shape => {
      const x = fills.map(([v, masked]) => (masked ? m : v));
      if (slots.length > 0) x[slots[0]] = m;
      if (slots.length > 1) x[slots[1]] = fills[slots[1]][0];
      return { x };
    },
  );
  const causal = layout(fc.tuple(mask, fc.nat()), benign, 0, lengthsFor(r, 1)).map(
    ({ params: [m, cut], fills }): Shape => {
      const prefix = fills.length ? cut % fills.length : 0;
      return { x: fills.map((v, i) => (i < prefix ? v : m)) };
    },
  );
  const full = layout(fc.tuple(mask, fc.boolean()), mask, 0, lengthsFor(r, 1)).map(
    ({ params: [m, mixed], fills }): Shape => ({ x: fills.map((f) => (mixed ? f : m)) }),
  );
  return finishCase(
    'masked',
    r,
    fc.oneof(
      { arbitrary: partial, weight: 2 },
      { arbitrary: causal, weight: 2 },
      { arbitrary: full, weight: 1 },
    ),
  );
}
