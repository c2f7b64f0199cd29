import type { FormatName } from '../../vocabulary/FormatName.js';
import type { Expected } from '../../vocabulary/Severity.js';

/**
 * An `expected` function from one verdict per format, for formulations whose grade differs by
 * format (a recursive sum that drifts past the budget in f64 and f32 but stagnates outright in
 * f16 and bf16, say). Each formulation's doc comment gives the measurements behind its table.
 */
export function byFormat(table: Readonly<Record<FormatName, Expected>>): (format: FormatName) => Expected {
  return (format) => table[format];
}
