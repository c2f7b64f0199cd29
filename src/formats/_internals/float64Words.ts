/**
 * One scratch binary64 and its two 32-bit words, for reading a value's bits without BigInt or a
 * DataView on hot paths (`exponentOf`, `ulpDistance`). Write `F64[0]`, then read `U32[HI]` (sign,
 * exponent, top 20 fraction bits) and `U32[1 - HI]` (the low 32 fraction bits). Single-threaded
 * use only: every reader finishes with the scratch before it returns.
 */
export const F64 = new Float64Array(1);
export const U32 = new Uint32Array(F64.buffer);
/** Index of the high word in U32: the platform's byte order, found once from 1.0 = 0x3ff00000_00000000. */
export const HI = ((): number => {
  F64[0] = 1;
  return U32[1] === 0x3ff00000 ? 1 : 0;
})();
