import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from '../LogitCase.js';
import type { RegionName } from '../RegionName.js';
import type { Resolved } from './resolveConstraints.js';

/** A region's vector before labelling; `focus` is the index a label should point at, if any. */
export interface Shape {
  readonly x: number[];
  readonly focus?: number;
}

/**
 * How a region labels its cases (label-taking ops only):
 * - `random`: uniform over [0, n) (a natural number modulo n; shrinks to 0);
 * - `focus`: at the shape's focus (the dominant logit), random when it has none;
 * - `either`: half at the focus, half random (a random label shrinks towards the focus).
 */
export type LabelMode = 'random' | 'focus' | 'either';

/** Turns a region's shapes into cases, adding a label when the op takes one. */
export function finishCase(
  region: RegionName,
  r: Resolved,
  shape: Arbitrary<Shape>,
  mode: LabelMode = 'random',
): Arbitrary<LogitCase> {
  if (!r.labelled) return shape.map((s): LogitCase => ({ region, x: s.x }));
  const pick: Arbitrary<number> =
    mode === 'focus'
      ? fc.constant(-1)
      : mode === 'either'
        ? fc.oneof({ withCrossShrink: true }, fc.constant(-1), fc.nat())
        : fc.nat();
  return fc.tuple(shape, pick).map(([s, k]): LogitCase => {
    const n = s.x.length;
    const label = k < 0 && s.focus !== undefined ? s.focus : Math.max(k, 0) % n;
    return { region, x: s.x, label };
  });
}
