/**
 * A small deterministic 32-bit generator (Mulberry32), used where a whole long vector is derived
 * from one fast-check-drawn seed instead of one fast-check value per element (which would cost
 * a shrink tree per element). Returns uniform numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
