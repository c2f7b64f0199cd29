/**
 * Deterministic 32-bit seed derivation (FNV-1a over the parts, then a murmur3 finaliser), so
 * that case j of group (op, format) depends only on the campaign seed and those names — not on
 * the number of workers, the shard, or the order in which cases finish.
 */
export function deriveSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = `${p}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** A random seed for when the user gives none (printed and recorded, so the run can be repeated). */
export function randomSeed(): number {
  return (Math.random() * 0x7fffffff) | 0;
}
