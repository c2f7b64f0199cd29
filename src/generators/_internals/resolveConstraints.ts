import { formatSpec } from '../../formats/specs.js';
import { isFormatName, FORMAT_NAMES } from '../../vocabulary/FormatName.js';
import type { FormatSpec } from '../../formats/types.js';
import { isOp, needsLabel, type Op, OPS } from '../../vocabulary/Op.js';
import type { RegionConstraints } from '../RegionConstraints.js';
import { expectedOneOf } from '../../vocabulary/expectedOneOf.js';

/**
 * Regions other than `long` generate one fast-check value per element, so they stay at or below
 * this length unless minLength itself is larger; every longer case comes from `long`
 * (docs/design.md, "Cases"). It used to be 1024; 256 keeps the element-per-element regions fast
 * now that the default maxLength lets `long` reach 262,144, and leaves these regions as they
 * were for every maxLength ≤ 256 (below 256, with no `long`, the cases are exactly the old ones).
 */
export const ORDINARY_MAX_LENGTH = 256;
/** `long` exists only when min(maxLength, longMaxLength) reaches this. */
const LONG_MIN_CAP = 256;
/** The shortest `long` case: one below the smallest workgroup size, 64. */
export const LONG_MIN_LENGTH = 63;

const DEFAULT_MIN_LENGTH = 1;
/** 2^18: past the largest vocabulary row the generators aim at (Gemma's 256,000 logits). */
const DEFAULT_MAX_LENGTH = 262_144;
const DEFAULT_LONG_MAX_LENGTH = 262_144;

/** Validated constraints, with defaults filled in. */
export interface Resolved {
  readonly fmt: FormatSpec;
  readonly op: Op;
  readonly labelled: boolean;
  readonly minLength: number;
  readonly maxLength: number;
  readonly longMaxLength: number;
  readonly specials: boolean;
  /** Length bounds of every region except `long`. */
  readonly ordinary: { readonly min: number; readonly max: number };
}

/** A configuration error: the message starts with the offending field's name. */
export function configError(field: string, message: string): RangeError {
  return new RangeError(`${field}: ${message}`);
}

function checkLength(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw configError(field, `must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/** Validates constraints early, naming the field at fault, and fills in the defaults. */
export function resolveConstraints(c: RegionConstraints = {}): Resolved {
  if (c === null || typeof c !== 'object')
    throw configError('constraints', `must be an object, got ${String(c)}`);
  const format: string = c.format ?? 'f64';
  if (typeof format !== 'string' || !isFormatName(format)) {
    throw configError('format', `unknown format '${String(format)}': ${expectedOneOf(FORMAT_NAMES)}`);
  }
  const op: string = c.op ?? 'softmax';
  if (typeof op !== 'string' || !isOp(op)) {
    throw configError('op', `unknown op '${String(op)}': ${expectedOneOf(OPS)}`);
  }
  const minLength = checkLength('minLength', c.minLength ?? DEFAULT_MIN_LENGTH);
  const maxLength = checkLength('maxLength', c.maxLength ?? DEFAULT_MAX_LENGTH);
  const longMaxLength = checkLength('longMaxLength', c.longMaxLength ?? DEFAULT_LONG_MAX_LENGTH);
  if (minLength > maxLength) throw configError('minLength', `${minLength} exceeds maxLength ${maxLength}`);
  const labelled = needsLabel(op);
  if (labelled && minLength < 1) {
    throw configError(
      'minLength',
      `op '${op}' takes a label in [0, n), so minLength must be at least 1, got ${minLength}`,
    );
  }
  const specials = c.specials ?? false;
  if (typeof specials !== 'boolean')
    throw configError('specials', `must be a boolean, got ${String(specials)}`);
  return {
    fmt: formatSpec(format),
    op,
    labelled,
    minLength,
    maxLength,
    longMaxLength,
    specials,
    ordinary: { min: minLength, max: Math.min(maxLength, Math.max(minLength, ORDINARY_MAX_LENGTH)) },
  };
}

/** The largest `long` length the constraints allow. */
export function longCap(r: Resolved): number {
  return Math.min(r.maxLength, r.longMaxLength);
}

/**
 * Why `long` cannot be built under these constraints, as the configuration error to throw, or
 * undefined when it can.
 */
export function longUnavailable(r: Resolved): RangeError | undefined {
  if (r.maxLength < LONG_MIN_CAP) {
    return configError('maxLength', `region 'long' needs maxLength ≥ ${LONG_MIN_CAP}, got ${r.maxLength}`);
  }
  if (r.longMaxLength < LONG_MIN_CAP) {
    return configError(
      'longMaxLength',
      `region 'long' needs longMaxLength ≥ ${LONG_MIN_CAP}, got ${r.longMaxLength}`,
    );
  }
  if (r.minLength > longCap(r)) {
    return configError(
      'longMaxLength',
      `region 'long' cannot reach minLength ${r.minLength} within longMaxLength ${r.longMaxLength}`,
    );
  }
  return undefined;
}

/** Length bounds for a region that needs `need` elements to show its structure, within `ordinary`. */
export function lengthsFor(r: Resolved, need: number): { min: number; max: number } {
  const { min, max } = r.ordinary;
  return { min: Math.min(Math.max(min, need), max), max };
}
