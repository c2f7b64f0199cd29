import { expect, test } from 'vitest';
import {
  BENCH_FORMATS,
  BENCH_LENGTHS,
  benchInputs,
  formatOracleBench,
  runOracleBench,
} from '../../bench/oracle.bench.js';
import { expThresholds, formatSpec, isRepresentable } from '../../src/formats/index.js';

// Lives under test/ because vitest.config.ts includes src/, properties/ and test/ only.

test('quick mode returns finite positive rates for every configuration, cross-checked', async () => {
  const result = await runOracleBench({ quick: true });
  expect(result.quick).toBe(true);
  expect(result.mpfrUnavailable).toBeUndefined();
  const configs = result.rows.map((r) => `${r.format}/${r.n}`);
  expect(configs).toEqual(BENCH_FORMATS.flatMap((f) => BENCH_LENGTHS.map((n) => `${f}/${n}`)));
  for (const r of result.rows) {
    for (const v of [r.oracle, r.decimal, r.mpfr, r.ratioDecimal, r.ratioMpfr]) {
      expect(v).not.toBeNull();
      expect(Number.isFinite(v) && (v as number) > 0).toBe(true);
    }
    expect(r.ratioDecimal).toBeCloseTo(r.oracle / r.decimal, 10);
    expect(r.check.elements).toBe(r.rows * r.n);
    expect(r.check.undetermined).toBe(0);
    // the references are far more precise than the formats: a 1-ULP difference is a rare near-tie
    expect(r.check.decimalOffByOne).toBeLessThanOrEqual(Math.ceil(r.check.elements / 100));
    expect(r.check.mpfrOffByOne).toBeLessThanOrEqual(Math.ceil(r.check.elements / 100));
  }
  // the inputs are extreme: some correctly rounded outputs are subnormal or zero
  expect(result.rows.some((r) => r.check.tinyOrZero > 0)).toBe(true);
  const table = formatOracleBench(result);
  expect(table.split('\n').length).toBeGreaterThanOrEqual(3 + result.rows.length);
  expect(table).toContain('oracle/MPFR');
});

test('bench inputs are representable, deterministic and extreme', () => {
  for (const name of BENCH_FORMATS) {
    const fmt = formatSpec(name);
    const rows = benchInputs(fmt, 256, 6, 7);
    expect(benchInputs(fmt, 256, 6, 7)).toEqual(rows);
    const { overflow } = expThresholds(name);
    for (const row of rows)
      for (const v of row) expect(isRepresentable(fmt, v) && Number.isFinite(v)).toBe(true);
    // the overflow-edge family puts its max exactly at the threshold
    expect(Math.max(...rows[1])).toBe(overflow);
    // spreads of hundreds to thousands
    expect(Math.max(...rows[0]) - Math.min(...rows[0])).toBeGreaterThan(100);
  }
});
