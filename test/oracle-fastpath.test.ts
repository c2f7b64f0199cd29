/**
 * The oracle's fast path (both phases) on the midpoint-hard fixtures of
 * test/fixtures/midpoint-hard.json (results within 2^-20 ULP of a rounding midpoint, computed by
 * MPFR): with the fast path on (the default) every fixture is bit-exact and agrees with the slow
 * path alone (`fastPath: false`); the elements the fast path could not decide are counted, and
 * it must still decide the fixtures' easy elements. Some hard elements must have needed the fast
 * path's second (double-double) phase.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeVector, type JsonNumber } from '../src/formats/jsonNumber.js';
import { oracle, resetOracleCounters } from '../src/oracle/index.js';
import type { Op } from '../src/vocabulary/Op.js';
import type { FormatName } from '../src/vocabulary/FormatName.js';

interface Fixture {
  op: Op;
  format: FormatName;
  x: JsonNumber[];
  label: number | null;
  index: number;
  expected: JsonNumber[];
  log2Distance: number;
  method: string;
  note: string;
}

const fixtures = (
  JSON.parse(readFileSync(new URL('./fixtures/midpoint-hard.json', import.meta.url), 'utf8')) as {
    fixtures: Fixture[];
  }
).fixtures;

/** Object.is, except that every NaN equals every NaN. */
function same(a: number, b: number): boolean {
  return (a !== a && b !== b) || Object.is(a, b);
}

describe('midpoint-hard fixtures through the fast path', () => {
  test('there are fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThan(40);
  });

  test('every fixture is bit-exact with the fast path on, and equals the slow path alone', () => {
    resetOracleCounters();
    let elements = 0;
    for (const f of fixtures) {
      const x = Array.from(decodeVector(f.x));
      const label = f.label ?? undefined;
      const where = `${f.op}/${f.format} ${f.method} x=${JSON.stringify(f.x)} label=${f.label}: ${f.note}`;
      const fast = oracle(f.op, f.format, x, label);
      const expected = decodeVector(f.expected);
      expect(fast.undetermined, where).toEqual([]);
      expect(fast.values.length, where).toBe(expected.length);
      elements += expected.length;
      for (let i = 0; i < expected.length; i++)
        expect(
          same(fast.values[i], expected[i]),
          `element ${i}: ${fast.values[i]} vs ${expected[i]}: ${where}`,
        ).toBe(true);
    }
    const counts = resetOracleCounters();
    expect(counts.fastElements + counts.slowElements + counts.directSlowElements).toBe(elements);
    // the hard elements may need the slow path; most of the others must not
    expect(counts.slowElements).toBeLessThanOrEqual(fixtures.length);
    expect(counts.fastElements).toBeGreaterThan(0);
    // hard elements closer to a midpoint than the lean phase's 2^−78 exponentials resolve, but
    // not the double-double phase's: decided in the second phase, to MPFR's values (above)
    expect(counts.secondPhaseElements).toBeGreaterThan(0);
    for (const f of fixtures) {
      const x = Array.from(decodeVector(f.x));
      const slow = oracle(f.op, f.format, x, f.label ?? undefined, { fastPath: false });
      const fast = oracle(f.op, f.format, x, f.label ?? undefined);
      for (let i = 0; i < slow.values.length; i++) expect(same(fast.values[i], slow.values[i])).toBe(true);
    }
  });
});
