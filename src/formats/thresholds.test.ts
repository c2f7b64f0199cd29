import type { GMPFunctions } from 'gmp-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { getMpfr, mpfrExpInFormat } from '../../test/mpfr/rounding.js';
import { deriveExpThresholds } from './deriveThresholds.js';
import { isRepresentable } from './roundNumber.js';
import { FORMATS } from './specs.js';
import { EXP_THRESHOLDS, expThresholds } from './thresholds.js';
import { FORMAT_NAMES, type FormatName } from '../vocabulary/FormatName.js';
import { nextDown, nextUp } from './ulp.js';

let mpfr: GMPFunctions;
beforeAll(async () => {
  mpfr = await getMpfr();
});

/** The approximate thresholds of REFERENCES.md's format table, as a sanity bracket. */
const APPROX: Record<FormatName, { overflow: number; underflow: number }> = {
  f64: { overflow: 709.78, underflow: -745.13 },
  f32: { overflow: 88.72, underflow: -103.97 },
  f16: { overflow: 11.09, underflow: -17.33 },
  bf16: { overflow: 88.72, underflow: -92.88 },
};

describe.each(FORMAT_NAMES.map((name) => ({ name })))('$name', ({ name }: { name: FormatName }) => {
  const fmt = FORMATS[name];
  const { overflow, underflow } = EXP_THRESHOLDS[name];

  test('the constants equal deriveExpThresholds and are values of the format', () => {
    expect(deriveExpThresholds(fmt)).toEqual({ overflow, underflow });
    expect(expThresholds(name)).toBe(EXP_THRESHOLDS[name]);
    expect(isRepresentable(fmt, overflow)).toBe(true);
    expect(isRepresentable(fmt, underflow)).toBe(true);
    // within one grid step (0.5 for bf16 near 90) of the published approximations
    expect(Math.abs(overflow - APPROX[name].overflow)).toBeLessThan(0.51);
    expect(Math.abs(underflow - APPROX[name].underflow)).toBeLessThan(0.51);
  });

  test('MPFR: e^overflow is finite in the format, e^nextUp(overflow) is +Inf', () => {
    const atThreshold = mpfrExpInFormat(mpfr, fmt, overflow);
    expect(Number.isFinite(atThreshold)).toBe(true);
    // not merely finite: it is within the top binade (e^x ≥ maxFinite/2 here for every format,
    // since the grid step of x is below ln 2)
    expect(atThreshold).toBeGreaterThan(fmt.maxFinite / 4);
    expect(mpfrExpInFormat(mpfr, fmt, nextUp(fmt, overflow))).toBe(Infinity);
  });

  test('MPFR: e^underflow is nonzero in the format, e^nextDown(underflow) is 0', () => {
    const atThreshold = mpfrExpInFormat(mpfr, fmt, underflow);
    expect(atThreshold).toBeGreaterThan(0);
    expect(atThreshold).toBeLessThan(fmt.minNormal);
    expect(mpfrExpInFormat(mpfr, fmt, nextDown(fmt, underflow))).toBe(0);
  });
});
