import { formatSpec } from '../formats/specs.js';
import { isFormatName, type FormatName, FORMAT_NAMES } from '../vocabulary/FormatName.js';
import type { FormatSpec } from '../formats/types.js';
import { ulpDistance as ulpDistanceIn } from '../formats/ulp.js';
import { expectedOneOf } from '../vocabulary/expectedOneOf.js';

/**
 * The ULP distance between two values of a format (docs/design.md, "ULP distance and error"): the difference of
 * their positions in the ordered list of the format's values. +0 and −0 share one position;
 * maxFinite and +Inf are 1 apart. Takes the format by name (`'f32'`) or as a FormatSpec.
 *
 * Special cases: NaN against NaN is 0, NaN against a number Infinity. A value that is not in the
 * format (e.g. 0.1 for f32) is a RangeError: round it first (`roundNumber`), since a distance
 * between off-grid values is not defined.
 *
 * Throws a RangeError naming `format` for an unknown format.
 */
export function ulpDistance(format: FormatName | FormatSpec, a: number, b: number): number {
  let fmt: FormatSpec;
  if (typeof format === 'string') {
    if (!isFormatName(format))
      throw new RangeError(`format: unknown format '${format}': ${expectedOneOf(FORMAT_NAMES)}`);
    fmt = formatSpec(format);
  } else if (format !== null && typeof format === 'object' && isFormatName(format.name)) {
    fmt = formatSpec(format.name);
  } else {
    throw new RangeError(
      `format: expected a format name (${FORMAT_NAMES.join(', ')}) or a FormatSpec, got ${String(format)}`,
    );
  }
  return ulpDistanceIn(fmt, a, b);
}
