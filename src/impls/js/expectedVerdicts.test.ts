import { describe, expect, test } from 'vitest';
import { formatSpec } from '../../formats/specs.js';
import { EXP_THRESHOLDS } from '../../formats/thresholds.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import { nextUp, ulpDistance } from '../../formats/ulp.js';
import { oracle } from '../../oracle/index.js';
import { needsLabel, type Op } from '../../vocabulary/Op.js';
import { jsImplementations } from './index.js';

/**
 * Every `expected` verdict is backed by evidence that does not depend on the budget's exact
 * form: an implementation expected to 'fail' has a witness input on which some element has a
 * relative error of 1 or more (or is NaN/±Inf where the answer is finite), which docs/design.md, "The always-fail rule"
 * says always fails; one expected to 'pass' has a relative error below 1 on every witness and is
 * within a few ULPs of the oracle on each witness short enough for a budget to exist (n·u < 1;
 * docs/design.md, "Budgets": when n·u ≥ 1 no bound exists, so on the long rows only the relative error of 1
 * is a verdict — bhh's logsumexp in f16 returns log 2048 for log 4096 there, 8% off).
 *
 * Witnesses (label 0 for the cross-entropy ops), each from a doc comment of the zoo:
 * - overflow: [nextUp(overflow threshold)]: exp overflows (naive);
 * - tail: [0, −40] ([0, −10] in f16, where e^−40 is below the smallest subnormal): 1 + e^−40
 *   rounds to 1, so log s = 0 loses the whole answer log1p(e^−40) (the log-based ops) and
 *   y_0 − 1 = 0 at the label (the gradient);
 * - big: [2^p, 2^p] (p the precision): L = 2^p + ln 2 rounds to 2^p, so exp(x_i − L) = 1 for 0.5 (lse);
 * - long: zeros of length 4096 in f16, 1024 in bf16 (and 4096 in f64/f32, where nothing
 *   stagnates): a recursive f16 sum stops at 2048, bf16 at 256 (Neumaier's at 512).
 */

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];
/** 'pass' implementations on the witnesses: exact or nearly (these inputs are hard only for the failing formulas). */
const PASS_ULPS = 4;

function witnesses(format: FormatName): Array<{ name: string; x: Float64Array }> {
  const p = formatSpec(format).precision;
  return [
    { name: 'overflow', x: Float64Array.of(nextUp(formatSpec(format), EXP_THRESHOLDS[format].overflow)) },
    { name: 'tail', x: Float64Array.of(0, format === 'f16' ? -10 : -40) },
    { name: 'big', x: Float64Array.of(2 ** p, 2 ** p) },
    { name: 'long', x: new Float64Array(format === 'bf16' ? 1024 : 4096) },
    // a masked row, the mask first: a row of values (docs/design.md, "Special values")
    { name: 'masked', x: Float64Array.of(-Infinity, 0, 1) },
  ];
}

/** |a − r|/|r|, with NaN, ±Inf and zero handled: ∞ when a is wrong in kind. */
function relativeError(a: number, r: number): number {
  if (r !== r) return a !== a ? 0 : Infinity;
  if (a !== a || !Number.isFinite(a)) return a === r ? 0 : Infinity;
  if (!Number.isFinite(r)) return Infinity;
  if (r === 0) return a === 0 ? 0 : Infinity;
  return Math.abs(a - r) / Math.abs(r);
}

const oracleCache = new Map<string, Float64Array>();
function reference(op: Op, format: FormatName, name: string, x: Float64Array): Float64Array {
  const key = `${op}/${format}/${name}`;
  let r = oracleCache.get(key);
  if (!r) {
    r = oracle(op, format, x, needsLabel(op) ? 0 : undefined).values;
    oracleCache.set(key, r);
  }
  return r;
}

describe('expected verdicts are backed by witnesses', () => {
  const impls = jsImplementations();
  test.each(impls.map((i) => [i.name, i] as const))('%s', async (_name, impl) => {
    const fmt = formatSpec(impl.format);
    let worst = 0;
    let worstWitness = '';
    let maxUlps = 0;
    let worstShort = '';
    for (const w of witnesses(impl.format)) {
      const budgeted = w.x.length * fmt.unitRoundoff < 1;
      const r = reference(impl.op, impl.format, w.name, w.x);
      const [a] = await impl.run([w.x], needsLabel(impl.op) ? [0] : undefined);
      expect(a.length).toBe(r.length);
      for (let i = 0; i < r.length; i++) {
        const e = relativeError(a[i], r[i]);
        if (e > worst) {
          worst = e;
          worstWitness = `${w.name}[${i}]: ${a[i]} for ${r[i]}`;
        }
        const d = ulpDistance(fmt, a[i], r[i]);
        if (budgeted && d > maxUlps) {
          maxUlps = d;
          worstShort = `${w.name}[${i}]: ${a[i]} for ${r[i]}`;
        }
      }
    }
    if (impl.expected.inaccurate === 'fail') {
      expect(worst, `no witness breaks ${impl.name}`).toBeGreaterThanOrEqual(1);
    } else {
      expect(worst, `${impl.name} on ${worstWitness}`).toBeLessThan(1);
      expect(maxUlps, `${impl.name} on ${worstShort}`).toBeLessThanOrEqual(PASS_ULPS);
    }
  });

  test('the witnesses are what the doc comments say', () => {
    // 1 + e^−40 is 1 in f64, f32 and bf16, 1 + e^−10 is 1 in f16: u = 2^−p exceeds the tail
    for (const f of FORMATS) {
      const w = witnesses(f)[1].x;
      expect(Math.exp(w[1])).toBeLessThan(formatSpec(f).unitRoundoff);
      // … while the answer log1p(e^t) is a nonzero value of the format
      expect(reference('logsumexp', f, 'tail', w)[0]).toBeGreaterThan(0);
    }
    expect(reference('softmax', 'f16', 'long', new Float64Array(4096))[0]).toBe(2 ** -12);
    expect(reference('softmax', 'bf16', 'long', new Float64Array(1024))[0]).toBe(2 ** -10);
  });
});
