import { OPS } from '../../vocabulary/Op.js';
import type { Implementation } from '../types.js';
import { BHH } from './bhh.js';
import { COMPENSATED } from './compensated.js';
import { formulationImplementations } from './formulationImplementations.js';
import type { JsFormulation } from './JsFormulation.js';
import { LSE } from './lse.js';
import { MAX_SHIFTED } from './maxShifted.js';
import { MAX_SHIFTED_F32ARRAY } from './maxShiftedF32Array.js';
import { NAIVE } from './naive.js';
import { ONLINE } from './online.js';
import { PAIRWISE } from './pairwise.js';

export type { JsFormulation } from './JsFormulation.js';
/** Every pure-JS formulation, in the order the zoo lists them within an op. */
export const JS_FORMULATIONS: readonly JsFormulation[] = [
  NAIVE,
  MAX_SHIFTED,
  MAX_SHIFTED_F32ARRAY,
  LSE,
  BHH,
  PAIRWISE,
  ONLINE,
  COMPENSATED,
];

/**
 * The pure-JS zoo (backend 'js'): every formulation of `JS_FORMULATIONS` for every op it
 * defines and format it offers, ordered by op (as `OPS`), then formulation, then format
 * (f64, f32, f16, bf16). Names are `op/formulation/format`. Construction is cheap and none
 * needs `setup`.
 */
export function jsImplementations(): Implementation[] {
  const all = JS_FORMULATIONS.flatMap((f) => formulationImplementations(f));
  // Array.prototype.sort is stable, so within an op the formulation-then-format order stays
  return all.sort((a, b) => OPS.indexOf(a.op) - OPS.indexOf(b.op));
}
