import { decodeNumber } from '../formats/jsonNumber.js';

/**
 * An answer with its numbers decoded from the JSON number encoding ("inf", "-inf", "nan", "-0"):
 * a number, or an array whose elements are decoded where they can be. A value that is not a valid
 * encoding stays as it is, so that `judge` names it in its `shape` finding.
 */
export function decodeAnswer(y: unknown): unknown {
  const one = (v: unknown): unknown => {
    try {
      return decodeNumber(v);
    } catch {
      return v;
    }
  };
  if (Array.isArray(y)) return y.map(one);
  return typeof y === 'number' || typeof y === 'string' ? one(y) : y;
}
