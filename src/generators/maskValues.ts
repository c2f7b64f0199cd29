import { roundNumber } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import type { FormatName } from '../vocabulary/FormatName.js';

/** The conventional attention mask value, before rounding into a format. */
const MASK_VALUE = -1e9;

/**
 * The masking values the `masked` region writes into a row for a format, most conventional
 * first: −1e9 rounded into the format (or, where −1e9 overflows the format as in f16, the lowest
 * finite value instead, as frameworks clamp it), the lowest finite value −maxFinite, and −Inf when
 * specials are allowed. Duplicates removed (so f16 has −65504 and, with specials, −Inf).
 */
export function maskValues(format: FormatName, specials: boolean): number[] {
  const fmt = formatSpec(format);
  const rounded = roundNumber(fmt, MASK_VALUE);
  const conventional = Number.isFinite(rounded) ? rounded : -fmt.maxFinite;
  const out = [conventional];
  if (conventional !== -fmt.maxFinite) out.push(-fmt.maxFinite);
  if (specials) out.push(-Infinity);
  return out;
}
