/**
 * The tail of an error message naming the accepted values, derived from the list that defines
 * them so that a message never goes stale: `expectedOneOf(FORMAT_NAMES)` is
 * "expected one of f64, f32, f16, bf16".
 */
export function expectedOneOf(values: readonly string[]): string {
  return `expected one of ${values.join(', ')}`;
}
