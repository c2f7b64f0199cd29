import { describe, expect, test } from 'vitest';
import { roundNumber } from '../../formats/roundNumber.js';
import { formatSpec } from '../../formats/specs.js';
import { EXP_THRESHOLDS } from '../../formats/thresholds.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import { nextUp, ulpDistance } from '../../formats/ulp.js';
import { budget } from '../../metrics/budgets.js';
import { failsVerdict } from '../../metrics/findings.js';
import { judge } from '../../metrics/judge.js';
import { oracle } from '../../oracle/index.js';
import { needsLabel, type Op } from '../../vocabulary/Op.js';
import { jsImplementations } from './index.js';

/**
 * Every `expected` verdict is backed by evidence: an implementation expected to 'fail' has a
 * witness input on which some element has a relative error of 1 or more (or is NaN/±Inf where
 * the answer is finite), which docs/design.md, "The always-fail rule" says always fails, or on
 * which `judge` with the default budgets (docs/design.md, "Budgets": the a-priori bound of the
 * recommended algorithm with a pairwise sum, checked rigorous in src/metrics/budgets.test.ts)
 * finds a failing finding — the evidence of a recursive sum's drift on a long row, which stays
 * far below a relative error of 1. One expected to 'pass' has a relative error below 1 on every
 * witness, no failing finding on any (the known gaps below aside), and is within a few ULPs of
 * the oracle on each short witness.
 *
 * Witnesses (label 0 for the cross-entropy ops), each from a doc comment of the zoo:
 * - overflow: [nextUp(overflow threshold)]: exp overflows (naive);
 * - tail: [0, −40] ([0, −10] in f16, where e^−40 is below the smallest subnormal): 1 + e^−40
 *   rounds to 1, so log s = 0 loses the whole answer log1p(e^−40) (the log-based ops) and
 *   y_0 − 1 = 0 at the label (the gradient);
 * - big: [2^p, 2^p] (p the precision): L = 2^p + ln 2 rounds to 2^p, so exp(x_i − L) = 1 for 0.5 (lse);
 * - long: zeros of length 4096 in f16, 1024 in bf16 (and 4096 in f64/f32, where nothing
 *   stagnates): a recursive f16 sum stops at 2048, bf16 at 256 (Neumaier's at 512);
 * - masked: [−Inf, 0, 1], a row of values (docs/design.md, "Special values");
 * - drift: 0, then 4095 logits whose terms are each below half an ULP of 1 (−37.4 in f64, −17.4
 *   in f32, −7.7 in f16, −5.6 in bf16): a recursive sum that starts from the max's 1 loses every
 *   one (max-shifted), and one of the small terms alone drifts (bhh in f32, Neumaier's c in f16);
 * - benign: 2^16 logits uniform in [−10, 10] (4096 in f16 and bf16, which stagnate sooner): the
 *   recursive sum's accumulated rounding against the pairwise budget.
 */

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];
/**
 * 'pass' implementations on the short witnesses: exact or nearly (these inputs are hard only for
 * the failing formulas).
 */
const PASS_ULPS = 4;
/** Witnesses longer than this are long rows: no few-ULP expectation, the budget is the measure. */
const SHORT = 64;
/** The logit below a dominant 0 whose term is under half an ULP of 1 (u) in each format. */
const DRIFT: Readonly<Record<FormatName, number>> = { f64: -37.4, f32: -17.4, f16: -7.7, bf16: -5.6 };

/**
 * Known gaps: expected 'pass' from the campaign's measurements (docs of bhh.ts), although a
 * witness here exceeds the budget — bhh's recursive f64 sum of 4095 equal terms e^−37.4 drifts
 * (about 400 ULPs of log1p(s) against 112) where no campaign row yet puts equal small terms
 * that are not a power of two. Listed so that a change either way shows.
 */
const KNOWN_GAPS: readonly string[] = ['log_softmax', 'logsumexp', 'cross_entropy'].map(
  (op) => `${op}/bhh/f64 drift`,
);

/** A small seeded generator (mulberry32): the same benign rows on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function witnesses(format: FormatName): Array<{ name: string; x: Float64Array }> {
  const fmt = formatSpec(format);
  const p = fmt.precision;
  const drift = new Float64Array(4096).fill(roundNumber(fmt, DRIFT[format]));
  drift[0] = 0;
  const rnd = prng(4096);
  const benign = Float64Array.from({ length: format === 'f64' || format === 'f32' ? 2 ** 16 : 4096 }, () =>
    roundNumber(fmt, rnd() * 20 - 10),
  );
  return [
    { name: 'overflow', x: Float64Array.of(nextUp(fmt, EXP_THRESHOLDS[format].overflow)) },
    { name: 'tail', x: Float64Array.of(0, format === 'f16' ? -10 : -40) },
    { name: 'big', x: Float64Array.of(2 ** p, 2 ** p) },
    { name: 'long', x: new Float64Array(format === 'bf16' ? 1024 : 4096) },
    { name: 'masked', x: Float64Array.of(-Infinity, 0, 1) },
    { name: 'drift', x: drift },
    { name: 'benign', x: benign },
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

const oracleCache = new Map<string, { r: Float64Array; b: Float64Array }>();
/** The oracle's row and the default budget of each element, once per op, format and witness. */
function reference(
  op: Op,
  format: FormatName,
  name: string,
  x: Float64Array,
): { r: Float64Array; b: Float64Array } {
  const key = `${op}/${format}/${name}`;
  let e = oracleCache.get(key);
  if (!e) {
    const label = needsLabel(op) ? 0 : undefined;
    const r = oracle(op, format, x, label).values;
    e = { r, b: budget(op, format, x, label, undefined, r) };
    oracleCache.set(key, e);
  }
  return e;
}

describe('expected verdicts are backed by witnesses', () => {
  const impls = jsImplementations();
  test.each(impls.map((i) => [i.name, i] as const))('%s', async (_name, impl) => {
    const fmt = formatSpec(impl.format);
    let worst = 0;
    let worstWitness = '';
    let maxUlps = 0;
    let worstShort = '';
    const overBudget: string[] = [];
    for (const w of witnesses(impl.format)) {
      const label = needsLabel(impl.op) ? 0 : undefined;
      const { r, b } = reference(impl.op, impl.format, w.name, w.x);
      const [a] = await impl.run([w.x], label === undefined ? undefined : [label]);
      expect(a.length).toBe(r.length);
      for (let i = 0; i < r.length; i++) {
        // the always-fail rule is for normal references (docs/design.md, "The subnormal floor")
        const e = Math.abs(r[i]) < fmt.minNormal && r[i] !== 0 ? 0 : relativeError(a[i], r[i]);
        if (e > worst) {
          worst = e;
          worstWitness = `${w.name}[${i}]: ${a[i]} for ${r[i]}`;
        }
        if (w.x.length <= SHORT) {
          const d = ulpDistance(fmt, a[i], r[i]);
          if (d > maxUlps) {
            maxUlps = d;
            worstShort = `${w.name}[${i}]: ${a[i]} for ${r[i]}`;
          }
        }
      }
      const j = judge({
        op: impl.op,
        format: impl.format,
        x: w.x,
        label,
        actual: a,
        reference: r,
        budget: b,
      });
      const failing = j.findings.filter((f) => failsVerdict(f.kind, 'report'));
      if (failing.length > 0 && !KNOWN_GAPS.includes(`${impl.name} ${w.name}`))
        overBudget.push(`${w.name}: ${failing[0].kind} ${failing[0].diagnosis}`);
    }
    if (impl.expected.inaccurate === 'fail') {
      expect(worst >= 1 || overBudget.length > 0, `no witness breaks ${impl.name}`).toBe(true);
    } else {
      expect(worst, `${impl.name} on ${worstWitness}`).toBeLessThan(1);
      expect(maxUlps, `${impl.name} on ${worstShort}`).toBeLessThanOrEqual(PASS_ULPS);
      expect(overBudget, impl.name).toEqual([]);
    }
  });

  test('the known gaps are real: those witnesses do exceed the budget', async () => {
    const byName = new Map(jsImplementations().map((i) => [i.name, i]));
    for (const gap of KNOWN_GAPS) {
      const [name, witness] = gap.split(' ');
      const impl = byName.get(name)!;
      const w = witnesses(impl.format).find((v) => v.name === witness)!;
      const label = needsLabel(impl.op) ? 0 : undefined;
      const { r, b } = reference(impl.op, impl.format, w.name, w.x);
      const [a] = await impl.run([w.x], label === undefined ? undefined : [label]);
      const j = judge({
        op: impl.op,
        format: impl.format,
        x: w.x,
        label,
        actual: a,
        reference: r,
        budget: b,
      });
      expect(j.findings.filter((f) => failsVerdict(f.kind, 'report')).length, gap).toBeGreaterThan(0);
    }
  });

  test('the witnesses are what the doc comments say', () => {
    // 1 + e^−40 is 1 in f64, f32 and bf16, 1 + e^−10 is 1 in f16: u = 2^−p exceeds the tail
    for (const f of FORMATS) {
      const fmt = formatSpec(f);
      const w = witnesses(f)[1].x;
      expect(Math.exp(w[1])).toBeLessThan(fmt.unitRoundoff);
      // … while the answer log1p(e^t) is a nonzero value of the format
      expect(reference('logsumexp', f, 'tail', w).r[0]).toBeGreaterThan(0);
      // each drift term is below half an ULP of 1 (u), so 1 + term rounds back to 1
      const drift = witnesses(f).find((v) => v.name === 'drift')!.x;
      expect(Math.exp(drift[1])).toBeLessThan(fmt.unitRoundoff);
      expect(roundNumber(fmt, 1 + roundNumber(fmt, Math.exp(drift[1])))).toBe(1);
    }
    expect(reference('softmax', 'f16', 'long', new Float64Array(4096)).r[0]).toBe(2 ** -12);
    expect(reference('softmax', 'bf16', 'long', new Float64Array(1024)).r[0]).toBe(2 ** -10);
  });
});
