/**
 * The JSON number codec every JSON file and line logitfuzz writes uses
 * (docs/design.md, "JSON numbers").
 *
 * JSON has no NaN, no infinities and no negative zero (`JSON.stringify(-0)` is `"0"`), yet these
 * are exactly the values a softmax defect produces, and `log_softmax([0, -1000])[0]` is −0 by the
 * format semantics. So finite nonzero values and +0 are plain JSON numbers — the shortest
 * binary64 text that round-trips, as `JSON.stringify` writes it — and the four others are the
 * strings `"inf"`, `"-inf"`, `"nan"` and `"-0"`.
 */

/** A number as logitfuzz writes it in JSON. */
export type JsonNumber = number | 'inf' | '-inf' | 'nan' | '-0';

const A_NUMBER = 'a number or one of "inf", "-inf", "nan", "-0"';

/**
 * A JSON value that is not what the codec reads. `found` describes what was there (e.g.
 * `the string "abc"`, `null`, `an object`); `index` is the element's position when it came from
 * a vector; `expected` says what was wanted.
 */
export class JsonNumberError extends TypeError {
  constructor(
    readonly found: string,
    readonly index?: number,
    readonly expected: string = A_NUMBER,
  ) {
    super(`${index === undefined ? '' : `element ${index}: `}expected ${expected}, found ${found}`);
    this.name = 'JsonNumberError';
  }
}

/** Encodes one number: a plain number, or "inf", "-inf", "nan", "-0". */
export function encodeNumber(x: number): JsonNumber {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0 && 1 / x < 0) return '-0';
  return x;
}

/**
 * Decodes one value written by `encodeNumber` (or any JSON number, which is read as the nearest
 * binary64, as `JSON.parse` reads it). Anything else — another string, null, a boolean, an
 * array, an object, a bigint — throws a `JsonNumberError` naming what was found.
 */
export function decodeNumber(v: unknown): number {
  return decodeAt(v, undefined);
}

/** Encodes a vector element by element (a fresh plain array, ready for `JSON.stringify`). */
export function encodeVector(xs: ArrayLike<number>): JsonNumber[] {
  const out = new Array<JsonNumber>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = encodeNumber(xs[i]);
  return out;
}

/**
 * Decodes a JSON array of encoded numbers into a Float64Array. Throws a `JsonNumberError` when
 * `v` is not an array (no `index`) or when an element is not a number (with its `index`).
 */
export function decodeVector(v: unknown): Float64Array {
  if (!Array.isArray(v)) throw new JsonNumberError(describeJson(v), undefined, 'an array of numbers');
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = decodeAt(v[i], i);
  return out;
}

function decodeAt(v: unknown, index: number | undefined): number {
  if (typeof v === 'number') return v;
  switch (v) {
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
      return NaN;
    case '-0':
      return -0;
  }
  throw new JsonNumberError(describeJson(v), index);
}

/** A short description of a JSON value for error messages: `the string "abc"`, `null`, `an object`. */
export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      // cut long strings so the message stays one short line
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return `the number ${String(v)}`;
    case 'boolean':
      return `the boolean ${String(v)}`;
    case 'undefined':
      return 'nothing';
    case 'bigint':
      return `the bigint ${String(v)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}
