import { describe, expect, test } from 'vitest';
import { FORMATS } from '../formats/specs.js';
import { FORMAT_NAMES, type FormatName } from '../vocabulary/FormatName.js';
import { oracleCounters, resetOracleCounters } from './counters.js';
import { fastEvaluate } from './fastpath.js';
import { OPS, type Op } from '../vocabulary/Op.js';
import { oracle } from './oracle.js';
import { FAMILIES, makeCase, rng, type Case } from './_testutil/fastpathCases.js';

/** Object.is, except that every NaN equals every NaN. */
function same(a: number, b: number): boolean {
  return (a !== a && b !== b) || Object.is(a, b);
}

function show(c: Case): string {
  return `x=[${c.x.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(', ')}]${c.label === undefined ? '' : ` label=${c.label}`}`;
}

/** Fast (default) and slow (`fastPath: false`) oracle agree bit for bit, `undetermined` included. */
function crossCheck(op: Op, format: FormatName, c: Case): void {
  const fast = oracle(op, format, c.x, c.label);
  const slow = oracle(op, format, c.x, c.label, { fastPath: false });
  const where = `${op}/${format} ${c.family} ${show(c)}`;
  expect(fast.undetermined, where).toEqual(slow.undetermined);
  expect(fast.values.length, where).toBe(slow.values.length);
  for (let i = 0; i < slow.values.length; i++) {
    if (!same(fast.values[i], slow.values[i]))
      throw new Error(`element ${i}: fast ${fast.values[i]} ≠ slow ${slow.values[i]}: ${where}`);
  }
}

/**
 * Cases per format × op: every family, cycling (6000 in all per run; scripts/fuzz-oracle-fastpath.ts
 * cross-checks millions — `npm run fuzz:oracle`).
 */
const CASES = 300;

describe('the fast path never disagrees with the slow path (random and extreme vectors, seeded)', () => {
  for (const format of FORMAT_NAMES) {
    test.each(OPS.map((op) => [op]))(`${format} %s`, (op) => {
      const fmt = FORMATS[format];
      const rand = rng(format.length * 1000 + op.length * 17 + fmt.precision);
      for (let i = 0; i < CASES; i++)
        crossCheck(op, format, makeCase(fmt, op, FAMILIES[i % FAMILIES.length], rand));
    });
  }
});

describe('hand-picked cases', () => {
  const cases: [Op, FormatName, number[], number?][] = [
    // a nonzero result that rounds to zero keeps its sign
    ['log_softmax', 'f64', [0, -1000]],
    ['log_softmax', 'f64', [0, -700]],
    ['logsumexp', 'f64', [0, -1000]],
    ['logsumexp', 'f64', [0, -740]],
    ['cross_entropy', 'f64', [0, -1000], 0],
    ['cross_entropy_grad', 'f64', [0, -1000], 0],
    ['cross_entropy_grad', 'f64', [0, -1000], 1],
    // x_j − max overflows binary64
    ['softmax', 'f64', [1.7976931348623157e308, -1.7976931348623157e308]],
    ['log_softmax', 'f64', [1.7976931348623157e308, -1.7976931348623157e308]],
    ['cross_entropy', 'f64', [1.7976931348623157e308, -1.7976931348623157e308], 1],
    ['log_softmax', 'f32', [3.4028234663852886e38, -3.4028234663852886e38]],
    // subnormal results
    ['softmax', 'f64', [0, -744, -745, -745.5]],
    ['softmax', 'f32', [0, -103, -104, -100]],
    ['softmax', 'f16', [0, -17, -16.5, -10]],
    ['softmax', 'bf16', [0, -92, -92.5, -90]],
    // exact cases skip the fast path; ties with other logits do not
    ['softmax', 'f64', [3, 3, 3]],
    ['log_softmax', 'f16', [1, 1]],
    ['logsumexp', 'f64', [5]],
    ['softmax', 'f64', [2, 2, 1]],
    ['cross_entropy_grad', 'f64', [2, 2, 1], 1],
    // −Inf entries and labels
    ['cross_entropy', 'f64', [1, -Infinity, 0], 1],
    ['cross_entropy_grad', 'f64', [1, -Infinity, 0], 1],
    ['log_softmax', 'f64', [-Infinity, 0, -3]],
    // logsumexp cancelling to near zero
    ['logsumexp', 'f64', [-0.6931471805599453, -0.6931471805599453]],
    ['logsumexp', 'f64', [-0.6931471805599453, -0.6931471805599454]],
    ['logsumexp', 'f32', [-0.3132616877555847, -1]],
    // subnormal logits
    ['softmax', 'f64', [5e-324, 0, -5e-324]],
    ['log_softmax', 'f64', [5e-324, 0, -5e-324]],
    ['logsumexp', 'f64', [-5e-324, -Infinity]],
  ];
  test.each(cases)('%s/%s %j %s', (op, format, x, label) => {
    crossCheck(op, format, { family: 'benign', x, label });
  });

  test('exact cases go straight to the slow path, results exact', () => {
    expect(fastEvaluate('softmax', FORMATS.f64, [3, 3, 3], -1)).toBeNull();
    expect(fastEvaluate('softmax', FORMATS.f64, [-Infinity, 1], -1)).toBeNull();
    expect(Array.from(oracle('softmax', 'f64', [7]).values)).toEqual([1]);
    expect(Array.from(oracle('softmax', 'f64', [0, 0]).values)).toEqual([0.5, 0.5]);
  });
});

describe('the fast path decides most elements', () => {
  test('fewer than 1% of elements reach the slow path on random and extreme vectors', () => {
    resetOracleCounters();
    let elements = 0;
    for (const format of FORMAT_NAMES) {
      const fmt = FORMATS[format];
      const rand = rng(99 + fmt.precision);
      for (const op of OPS) {
        for (let i = 0; i < 120; i++) {
          const c = makeCase(fmt, op, FAMILIES[i % FAMILIES.length], rand);
          const r = oracle(op, format, c.x, c.label);
          // special inputs (here: every logit −Inf) are answered by policy, uncounted
          if (c.x.some((v) => v !== -Infinity)) elements += r.values.length;
        }
      }
    }
    const counts = resetOracleCounters();
    expect(counts.fastElements + counts.slowElements + counts.directSlowElements).toBe(elements);
    expect(counts.fastElements).toBeGreaterThan(0.9 * elements);
    expect(counts.slowElements).toBeLessThan(0.01 * elements);
  });

  test('the counters see fallbacks, and switching the fast path off counts as direct', () => {
    resetOracleCounters();
    oracle('softmax', 'f64', [0, -1, -2], undefined, { fastPath: false });
    expect(oracleCounters.directSlowElements).toBe(3);
    expect(oracleCounters.fastElements).toBe(0);
    oracle('softmax', 'f64', [0, -1, -2]);
    expect(oracleCounters.fastElements).toBe(3);
    resetOracleCounters();
  });
});
