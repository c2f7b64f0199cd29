import { formatSpec, roundNumber } from '../formats/index.js';
import { FORMAT_NAMES, type FormatName, isFormatName } from '../vocabulary/FormatName.js';
import { describeJson, JsonNumberError, decodeNumber } from '../formats/jsonNumber.js';
import { isOp, needsLabel, OPS, type Op } from '../vocabulary/Op.js';
import { expectedOneOf } from '../vocabulary/expectedOneOf.js';

/** One evaluation asked of the oracle: an op, a format, logits of that format, a label when the op takes one. */
export interface OracleRequest {
  readonly op: Op;
  readonly format: FormatName;
  readonly x: Float64Array;
  readonly label?: number;
}

/** A request that cannot be evaluated; the message names the problem (the caller adds the line number). */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/**
 * Fields a request object may carry. `id` is accepted (and ignored) so `cases export` lines can be fed in as
 * they are.
 */
const FIELDS = ['op', 'format', 'x', 'label', 'id'];

/**
 * Turns one parsed JSON line of `logitfuzz oracle` into a request (docs/design.md, "The oracle command"):
 * either an array of logits, or an object `{"op","format","x","label"}` whose fields override
 * `defaults`.
 *
 * Checks, each failing with a `RequestError` that says what was found and what is wanted:
 * the value's shape; unknown fields (a misspelt "fromat" would otherwise silently fall back to
 * the default format); op and format names; every element a number or "inf", "-inf", "nan",
 * "-0"; every logit exactly representable in the format (it is read as binary64 first, so 0.1
 * is an error in f32 but not in f64); the label, when the op takes one, an integer in [0, n).
 * A label given to an op that takes none is ignored.
 *
 * A JSON number too large for binary64 (1e400) is rejected rather than read as Infinity:
 * `JSON.parse` turns it into Infinity silently, and a huge finite logit is a different test
 * case from an infinite one, which is written "inf".
 */
export function parseOracleRequest(
  value: unknown,
  defaults: { readonly op: Op; readonly format: FormatName },
): OracleRequest {
  let op = defaults.op;
  let format = defaults.format;
  let xs: unknown;
  let label: unknown;
  if (Array.isArray(value)) xs = value;
  else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!FIELDS.includes(key))
        throw new RequestError(
          `unknown field ${JSON.stringify(key)}; a line's fields are "op", "format", "x", "label"`,
        );
    }
    if (obj.op !== undefined) {
      if (typeof obj.op !== 'string' || !isOp(obj.op))
        throw new RequestError(`unknown op ${describe(obj.op)}: ${expectedOneOf(OPS)}`);
      op = obj.op;
    }
    if (obj.format !== undefined) {
      const f = obj.format;
      if (!isFormatName(f)) {
        throw new RequestError(`unknown format ${describe(f)}: ${expectedOneOf(FORMAT_NAMES)}`);
      }
      format = f;
    }
    if (!Object.hasOwn(obj, 'x')) throw new RequestError('missing field "x" (the array of logits)');
    xs = obj.x;
    label = obj.label;
  } else {
    throw new RequestError(
      `expected an array of logits or an object {"op","format","x","label"}, found ${describeJson(value)}`,
    );
  }

  if (!Array.isArray(xs)) throw new RequestError(`"x" must be an array of logits, found ${describeJson(xs)}`);
  const fmt = formatSpec(format);
  const x = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v: unknown = xs[i];
    let d: number;
    try {
      d = decodeNumber(v);
    } catch (e) {
      if (e instanceof JsonNumberError)
        throw new RequestError(
          `x[${i}]: expected a number or one of "inf", "-inf", "nan", "-0", found ${e.found}`,
        );
      throw e;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new RequestError(
        `x[${i}] is too large for binary64 (it parsed as ${v}); write "inf" or "-inf" for an infinite logit`,
      );
    }
    const r = roundNumber(fmt, d);
    if (!Object.is(r, d) && d === d) {
      throw new RequestError(
        `x[${i}] = ${String(d)} is not representable in ${format} (nearest ${format} value: ${String(r)}); give logits that are values of the format`,
      );
    }
    x[i] = d;
  }

  if (!needsLabel(op)) return { op, format, x };
  if (label === undefined || label === null) {
    throw new RequestError(
      `op ${op} needs a label: give the line as {"x": [...], "label": K} with K in 0..n-1`,
    );
  }
  if (typeof label !== 'number' || !Number.isInteger(label))
    throw new RequestError(`"label" must be an integer, found ${describeJson(label)}`);
  if (label < 0 || label >= x.length) {
    throw new RequestError(
      x.length === 0
        ? `label ${label} is out of range: x is empty`
        : `label ${label} is out of range for ${x.length} logits (0..${x.length - 1})`,
    );
  }
  return { op, format, x, label };
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'` : `(${describeJson(v)})`;
}
