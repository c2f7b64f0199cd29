/**
 * The binary floating-point formats logitfuzz knows (docs/design.md, "Numerical definitions"):
 * IEEE binary64, binary32, binary16 and bfloat16. Their parameters are data in `formats/specs.ts`.
 */
export type FormatName = 'f64' | 'f32' | 'f16' | 'bf16';

/** Every format, widest first: the order of tables and help texts. */
export const FORMAT_NAMES: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];

export function isFormatName(name: unknown): name is FormatName {
  return typeof name === 'string' && (FORMAT_NAMES as readonly string[]).includes(name);
}
