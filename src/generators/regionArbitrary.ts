import type { Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { isRegionName, REGION_NAMES, type RegionName } from './RegionName.js';
import { benignLogits } from './benignLogits.js';
import { bitsLogits } from './bitsLogits.js';
import { cancellationLogits } from './cancellationLogits.js';
import { dominantLogits } from './dominantLogits.js';
import { equalLogits } from './equalLogits.js';
import { hugeLogits } from './hugeLogits.js';
import { longLogits } from './longLogits.js';
import { maskedLogits } from './maskedLogits.js';
import { nearOverflowLogits } from './nearOverflowLogits.js';
import { nearTiesLogits } from './nearTiesLogits.js';
import { nearUnderflowLogits } from './nearUnderflowLogits.js';
import { specialsLogits } from './specialsLogits.js';
import { spreadLogits } from './spreadLogits.js';
import { subnormalLogits } from './subnormalLogits.js';
import { configError } from './_internals/resolveConstraints.js';

const BUILDERS: Readonly<Record<RegionName, (c: RegionConstraints) => Arbitrary<LogitCase>>> = {
  'near-overflow': nearOverflowLogits,
  'near-underflow': nearUnderflowLogits,
  huge: hugeLogits,
  spread: spreadLogits,
  dominant: dominantLogits,
  'near-ties': nearTiesLogits,
  equal: equalLogits,
  long: longLogits,
  cancellation: cancellationLogits,
  masked: maskedLogits,
  subnormal: subnormalLogits,
  specials: specialsLogits,
  bits: bitsLogits,
  benign: benignLogits,
};

/**
 * The arbitrary of one named region (see each region's builder for what it generates, why it is
 * dangerous and how it shrinks). Throws a RangeError naming the field on bad constraints, and
 * naming `region` for an unknown region.
 */
export function regionArbitrary(name: RegionName, constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  if (typeof name !== 'string' || !isRegionName(name)) {
    throw configError(
      'region',
      `unknown region '${String(name)}': expected one of ${REGION_NAMES.join(', ')}`,
    );
  }
  return BUILDERS[name](constraints);
}
