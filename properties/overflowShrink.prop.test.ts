/**
 * Shrinking reaches the textbook overflow counterexample. For every implementation expected to
 * fail whose output overflows on the one-logit probe [nextUp(T)] (T the format's exp-overflow
 * threshold: 709.78 in f64, 88.72 in f32, 11.09 in f16, 88.5 in bf16 — the naive formulas), a
 * fuzz of the `near-overflow` region finds an `overflow` finding, fast-check shrinks it (keeping
 * the kind), and `shrinkCounterexample` finishes the job. The result must be minimal:
 * - softmax: exactly one logit, above T (e^x = Inf, Inf/Inf = NaN): e.g. naive f64 softmax ends
 *   at [709.7827128933841]; its gradient the same, beside the label's logit (which the shrinker
 *   keeps) simplified to 0 when it is not the overflowing one;
 * - log-sum-exp based ops (log_softmax, logsumexp, cross_entropy): deleting any logit loses the
 *   overflow, and the sum of exps overflows: max x > T − ln n (one logit above T, or a few just
 *   below it whose exps add up past the largest finite value).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { shrinkCounterexample } from '../src/campaign/shrink.js';
import type { FindingData } from '../src/campaign/protocol.js';
import { formatSpec } from '../src/formats/specs.js';
import { EXP_THRESHOLDS } from '../src/formats/thresholds.js';
import { nextUp, ulpOf } from '../src/formats/ulp.js';
import { regionArbitrary } from '../src/generators/regionArbitrary.js';
import type { Implementation } from '../src/impls/types.js';
import { needsLabel } from '../src/vocabulary/Op.js';
import { evaluate, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { runs } from './_support/runs.js';
import { replayLine, seedFor } from './_support/seed.js';

const FILE = 'properties/overflowShrink.prop.test.ts';

async function overflows(
  impl: Implementation,
  x: readonly number[],
  label: number | undefined,
): Promise<boolean> {
  if (x.length === 0) return false;
  const e = await evaluate(impl, x, label);
  return e.judgement.findings.some((f) => f.kind === 'overflow');
}

const candidates = await subjects((impl) => impl.expected.inaccurate === 'fail');
const list: typeof candidates = [];
for (const s of candidates) {
  if (s.unavailable !== null) continue;
  const T = EXP_THRESHOLDS[s.impl.format].overflow;
  if (await overflows(s.impl, [nextUp(formatSpec(s.impl.format), T)], needsLabel(s.impl.op) ? 0 : undefined))
    list.push(s);
}
afterAll(() => disposeAll(candidates));

test('the naive formulas are among them (the selection is not vacuous)', () => {
  expect(list.map((s) => s.impl.name)).toContain('softmax/naive/f64');
});

describe.each(list.map((s) => [title(s), s] as const))('%s', (name, s) => {
  test('an overflow shrinks to its minimal form', async () => {
    const impl = s.impl;
    const T = EXP_THRESHOLDS[impl.format].overflow;
    const seed = seedFor('overflowShrink', impl.name);
    const context = (what: string) =>
      `${impl.name}: ${what}\n${replayLine(FILE, `${name} an overflow shrinks`)} (fast-check seed ${seed})`;
    const found = await fc.check(
      fc.asyncProperty(
        regionArbitrary('near-overflow', { format: impl.format, op: impl.op }),
        async (c) => !(await overflows(impl, c.x, c.label)),
      ),
      { seed, numRuns: runs(200) },
    );
    const c = found.counterexample?.[0];
    expect(c, context('a near-overflow fuzz found no overflow')).toBeDefined();
    const fcShrunk = { x: c!.x, label: c!.label };
    expect(
      await overflows(impl, fcShrunk.x, fcShrunk.label),
      context(`fast-check's shrunk ${showInput(fcShrunk.x, fcShrunk.label)} does not overflow`),
    ).toBe(true);
    const finding: FindingData = {
      kind: 'overflow',
      index: -1,
      expected: null,
      actual: null,
      ulps: null,
      diagnosis: '',
      severity: 'wrong',
    };
    const { cex } = await shrinkCounterexample(
      {
        caseId: 0,
        region: 'near-overflow',
        x: fcShrunk.x,
        ...(fcShrunk.label !== undefined ? { label: fcShrunk.label } : {}),
        finding,
      },
      impl.format,
      impl.op,
      needsLabel(impl.op),
      async (x, label) => ((await overflows(impl, Array.from(x), label)) ? finding : undefined),
      200,
    );
    const x = cex.x;
    const at = `fast-check shrank to ${showInput(fcShrunk.x, fcShrunk.label)}, shrinkCounterexample to ${showInput(x, cex.label)}`;
    expect(await overflows(impl, x, cex.label), context(`${at}: no longer overflows`)).toBe(true);
    if (impl.op === 'softmax' || impl.op === 'cross_entropy_grad') {
      const above = x.filter((v) => v > T);
      expect(above.length, context(`${at}: expected exactly one logit above the threshold ${T}`)).toBe(1);
      if (impl.op === 'softmax') expect(x.length, context(`${at}: expected a single logit`)).toBe(1);
      else {
        expect(
          x.length,
          context(`${at}: expected the overflowing logit and at most the label's`),
        ).toBeLessThanOrEqual(2);
        if (x.length === 2)
          expect(x[cex.label!], context(`${at}: the label's logit should have shrunk to 0`)).toBe(0);
      }
    } else {
      for (let i = 0; i < x.length; i++) {
        if (i === cex.label) continue;
        const y = [...x.slice(0, i), ...x.slice(i + 1)];
        const l = cex.label !== undefined && cex.label > i ? cex.label - 1 : cex.label;
        expect(
          await overflows(impl, y, l),
          context(`${at}: not minimal, deleting logit ${i} still overflows`),
        ).toBe(false);
      }
      const lower = T - Math.log(x.length) - ulpOf(formatSpec(impl.format), T);
      expect(
        Math.max(...x),
        context(`${at}: the exps cannot add up past the largest finite value`),
      ).toBeGreaterThan(lower);
    }
  });
});
