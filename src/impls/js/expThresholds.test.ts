import { describe, expect, test } from 'vitest';
import { formatSpec } from '../../formats/specs.js';
import { EXP_THRESHOLDS } from '../../formats/thresholds.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import { nextDown, nextUp } from '../../formats/ulp.js';
import { jsImplementations } from './index.js';

/**
 * The naive formulas break exactly at their format's exp thresholds (EXP_THRESHOLDS: the
 * largest x with RN(e^x) finite, the smallest with RN(e^x) ≠ 0), and the shifted ones do not
 * care: a single logit is always shifted to 0, and exp(0)/1 = 1.
 */

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];
const impls = jsImplementations();

async function run(name: string, x: number): Promise<number[]> {
  const impl = impls.find((i) => i.name === name);
  if (!impl) throw new Error(`no ${name}`);
  return Array.from((await impl.run([Float64Array.of(x)]))[0]);
}

describe.each(FORMATS)('%s', (format) => {
  const fmt = formatSpec(format);
  const { overflow, underflow } = EXP_THRESHOLDS[format];

  test('naive softmax is [1] at the overflow threshold and NaN or Inf one value past it', async () => {
    expect(await run(`softmax/naive/${format}`, overflow)).toEqual([1]);
    const [past] = await run(`softmax/naive/${format}`, nextUp(fmt, overflow));
    expect(Number.isNaN(past) || past === Infinity || past === -Infinity).toBe(true);
  });

  test('naive logsumexp is finite at the overflow threshold and +Inf one value past it', async () => {
    const [at] = await run(`logsumexp/naive/${format}`, overflow);
    // log(RN(e^t)) is within a relative u + libm error of t: never more than 2 of t's ULPs away
    expect(Math.abs(at - overflow)).toBeLessThanOrEqual(2 * (nextUp(fmt, overflow) - overflow));
    expect(await run(`logsumexp/naive/${format}`, nextUp(fmt, overflow))).toEqual([Infinity]);
  });

  test('naive softmax is [1] at the underflow threshold and NaN (0/0) one value below it', async () => {
    expect(await run(`softmax/naive/${format}`, underflow)).toEqual([1]);
    expect(await run(`softmax/naive/${format}`, nextDown(fmt, underflow))).toEqual([NaN]);
  });

  test('every shifted softmax returns [1] past both thresholds and at the ends of the range', async () => {
    const stable = impls.filter(
      (i) => i.op === 'softmax' && i.format === format && !i.name.includes('/naive/'),
    );
    expect(stable.length).toBeGreaterThanOrEqual(5);
    const xs = [nextUp(fmt, overflow), nextDown(fmt, underflow), fmt.maxFinite, -fmt.maxFinite];
    for (const impl of stable) {
      const out = await impl.run(xs.map((x) => Float64Array.of(x)));
      expect(
        out.map((row) => Array.from(row)),
        impl.name,
      ).toEqual(xs.map(() => [1]));
    }
  });
});
