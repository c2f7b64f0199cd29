import { describe, expect, test } from 'vitest';
import { FORMATS } from '../formats/specs.js';
import { expThresholds } from '../formats/thresholds.js';
import type { FormatSpec } from '../formats/types.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { ordinal, ulpDistance, ulpOf } from '../formats/ulp.js';
import { toBits } from '../formats/bits.js';
import type { LogitCase } from './LogitCase.js';
import { REGION_NAMES } from './RegionName.js';
import { maskValues } from './maskValues.js';
import { regionArbitrary } from './regionArbitrary.js';
import { NEAR_DISTANCE, NEAR_ULPS } from './_internals/formatValues.js';
import { cancellationGaps, dominantMinGap } from './_internals/gaps.js';
import { resolveConstraints } from './_internals/resolveConstraints.js';
import { argmax, checkCase, sample } from './_testutil/sampling.js';

const FORMAT_LIST: FormatSpec[] = Object.values(FORMATS);
const ORDINARY = REGION_NAMES.filter((n) => n !== 'long');
const N = 120;

describe.each(FORMAT_LIST)('$name: every region keeps the invariants', (fmt) => {
  test.each(ORDINARY)(
    '%s: representable, finite, length and label in range (softmax and cross_entropy)',
    (region) => {
      const specials = region === 'specials';
      for (const op of ['softmax', 'cross_entropy'] as const) {
        for (const [minLength, maxLength] of [
          [1, 64],
          [5, 7],
        ]) {
          const cases = sample(
            regionArbitrary(region, { format: fmt.name, op, minLength, maxLength, specials }),
            N,
          );
          for (const c of cases) {
            expect(c.region).toBe(region);
            checkCase(c, fmt, {
              minLength,
              maxLength,
              labelled: op === 'cross_entropy',
              nonFinite: specials ? 'any' : 'none',
            });
          }
        }
      }
    },
  );

  test('maxLength 1: regions built around two logits degrade to one', () => {
    for (const region of ORDINARY) {
      const specials = region === 'specials';
      for (const c of sample(
        regionArbitrary(region, { format: fmt.name, op: 'cross_entropy_grad', maxLength: 1, specials }),
        30,
      )) {
        checkCase(c, fmt, {
          minLength: 1,
          maxLength: 1,
          labelled: true,
          nonFinite: specials ? 'any' : 'none',
        });
      }
    }
  });

  test('minLength 0 (softmax): empty rows occur, nothing else breaks', () => {
    let empty = 0;
    for (const region of ORDINARY) {
      if (region === 'specials') continue;
      for (const c of sample(regionArbitrary(region, { format: fmt.name, minLength: 0, maxLength: 3 }), 40)) {
        checkCase(c, fmt, { minLength: 0, maxLength: 3, labelled: false, nonFinite: 'none' });
        if (c.x.length === 0) empty++;
      }
    }
    expect(empty).toBeGreaterThan(0);
  });
});

function cases(
  region: (typeof REGION_NAMES)[number],
  format: FormatName,
  n = 300,
  extra: object = {},
): LogitCase[] {
  return sample(regionArbitrary(region, { format, op: 'cross_entropy', ...extra }), n);
}
const maxOf = (x: readonly number[]) => x.reduce((a, b) => Math.max(a, b), -Infinity);
const minOf = (x: readonly number[]) => x.reduce((a, b) => Math.min(a, b), Infinity);

describe.each(FORMAT_LIST)('$name: each region hits its target', (fmt) => {
  const th = expThresholds(fmt.name);

  test.each(['overflow', 'underflow'] as const)(
    'near-%s: a logit or the spread within the window of the threshold',
    (which) => {
      const t = th[which];
      // near = within NEAR_ULPS positions or NEAR_DISTANCE in value (4 ULPs is 2 in bf16 at 88.5)
      const window = Math.max(NEAR_DISTANCE, NEAR_ULPS * ulpOf(fmt, t));
      // the spread's smallest logit is rounded once more (anchor + offset): allow one ulp there
      const slack = window + ulpOf(fmt, 2 * t);
      const fails = (v: number) => (which === 'overflow' ? v > t : v < t); // e^v overflows / underflows
      let byUlps = 0;
      let failing = 0;
      let safe = 0;
      let bySpread = 0;
      for (const c of cases(`near-${which}`, fmt.name)) {
        const x = c.x;
        const spread = which === 'overflow' ? maxOf(x) - minOf(x) : minOf(x) - maxOf(x);
        const near = x.filter((v) => Math.abs(v - t) <= window);
        const hitSpread = x.length >= 2 && Math.abs(spread - t) <= slack;
        if (near.length === 0 && !hitSpread)
          throw new Error(`no logit or spread near ${t}: ${JSON.stringify(x)}`);
        if (x.some((v) => ulpDistance(fmt, v, t) <= NEAR_ULPS)) byUlps++;
        if (near.some(fails)) failing++;
        if (near.some((v) => !fails(v))) safe++;
        // a spread at the threshold between small logits (max benign, not 0)
        if (hitSpread && maxOf(x) !== 0 && Math.abs(maxOf(x)) <= 10) bySpread++;
      }
      expect(byUlps).toBeGreaterThan(60);
      expect(failing).toBeGreaterThan(60);
      expect(safe).toBeGreaterThan(60);
      expect(bySpread).toBeGreaterThan(15);
    },
  );

  test('huge: magnitudes above the overflow threshold, all-huge rows, ±maxFinite rows', () => {
    const max = fmt.maxFinite;
    let allHuge = 0;
    let onlyExtremes = 0;
    let hasMax = 0;
    let hasMin = 0;
    for (const { x } of cases('huge', fmt.name)) {
      if (!x.some((v) => Math.abs(v) > th.overflow)) throw new Error(`nothing huge: ${JSON.stringify(x)}`);
      if (x.every((v) => Math.abs(v) > th.overflow)) allHuge++;
      if (x.length >= 2 && x.every((v) => Math.abs(v) === max)) onlyExtremes++;
      if (x.includes(max)) hasMax++;
      if (x.includes(-max)) hasMin++;
    }
    expect(allHuge).toBeGreaterThan(60);
    expect(onlyExtremes).toBeGreaterThan(20);
    expect(hasMax).toBeGreaterThan(20);
    expect(hasMin).toBeGreaterThan(20);
  });

  test('spread: min − max below the underflow threshold, gaps in the subnormal band', () => {
    const lnMinNormal = fmt.emin * Math.LN2;
    let inBand = 0;
    for (const { x } of cases('spread', fmt.name)) {
      if (x.length < 2) continue;
      const top = maxOf(x);
      if (!(minOf(x) - top < th.underflow)) throw new Error(`spread too small: ${JSON.stringify(x)}`);
      if (x.some((v) => v - top < lnMinNormal && v - top > th.underflow)) inBand++;
    }
    expect(inBand).toBeGreaterThan(100);
  });

  test('dominant: a unique max, far above the rest, at any position; labels at it and elsewhere', () => {
    const r = resolveConstraints({ format: fmt.name });
    const gMin = dominantMinGap(r);
    let first = 0;
    let last = 0;
    let middle = 0;
    let labelAt = 0;
    let labelElsewhere = 0;
    for (const { x, label } of cases('dominant', fmt.name)) {
      if (x.length < 2) continue;
      const k = argmax(x);
      const rest = x.filter((_, i) => i !== k);
      const gap = x[k] - maxOf(rest);
      // v − g is rounded into the format: allow an ulp of the smaller logit
      if (!(gap >= gMin - ulpOf(fmt, maxOf(rest))))
        throw new Error(`gap ${gap} < ${gMin}: ${JSON.stringify(x)}`);
      if (k === 0) first++;
      else if (k === x.length - 1) last++;
      else middle++;
      if (label === k) labelAt++;
      else labelElsewhere++;
    }
    expect(first).toBeGreaterThan(10);
    expect(last).toBeGreaterThan(10);
    expect(middle).toBeGreaterThan(10);
    expect(labelAt).toBeGreaterThan(50);
    expect(labelElsewhere).toBeGreaterThan(50);
  });

  test('near-ties: every row within 2·4 ULPs; exact ties and distinct neighbours both occur', () => {
    let ties = 0;
    let distinct = 0;
    let offZero = 0;
    for (const { x } of cases('near-ties', fmt.name)) {
      const ords = x.map((v) => ordinal(fmt, v));
      const lo = ords.reduce((a, b) => (a < b ? a : b));
      const hi = ords.reduce((a, b) => (a > b ? a : b));
      if (hi - lo > BigInt(2 * NEAR_ULPS)) throw new Error(`not near-tied: ${JSON.stringify(x)}`);
      if (new Set(x).size < x.length) ties++;
      if (new Set(x).size > 1) distinct++;
      if (Math.abs(x[0]) > 1) offZero++;
    }
    expect(ties).toBeGreaterThan(100);
    expect(distinct).toBeGreaterThan(100);
    expect(offZero).toBeGreaterThan(100);
  });

  test('equal: rows of one value (or all but one, one ULP off), often long', () => {
    let allEqual = 0;
    let oneOff = 0;
    let many = 0;
    for (const { x } of cases('equal', fmt.name)) {
      const values = [...new Set(x)];
      if (values.length > 2) throw new Error(`more than two values: ${JSON.stringify(x)}`);
      if (values.length === 2) {
        if (ulpDistance(fmt, values[0], values[1]) !== 1) throw new Error(`not one ULP apart: ${values}`);
        if (x.filter((v) => v === values[1]).length !== 1 && x.filter((v) => v === values[0]).length !== 1) {
          throw new Error(`more than one odd element: ${JSON.stringify(x)}`);
        }
        oneOff++;
      } else allEqual++;
      if (x.length >= 16) many++;
    }
    expect(allEqual).toBeGreaterThan(150);
    expect(oneOff).toBeGreaterThan(30);
    expect(many).toBeGreaterThan(150);
  });

  test('cancellation: the label is the unique max and x_k − LSE is small but nonzero', () => {
    const r = resolveConstraints({ format: fmt.name });
    const [gLo] = cancellationGaps(r);
    let tiny = 0;
    for (const { x, label } of cases('cancellation', fmt.name)) {
      if (x.length < 2) continue;
      const k = argmax(x);
      if (label !== k) throw new Error(`label ${label} is not the max ${k}: ${JSON.stringify(x)}`);
      if (x.filter((v) => v === x[k]).length !== 1) throw new Error(`max not unique: ${JSON.stringify(x)}`);
      // s = Σ_{j≠k} e^{x_j − x_k}; x_k − LSE = −log1p(s) (binary64 is plenty for these bounds)
      let s = 0;
      for (let j = 0; j < x.length; j++) if (j !== k) s += Math.exp(x[j] - x[k]);
      const ls = -Math.log1p(s);
      // each gap is at least gLo less the rounding of x_k − g (half an ulp of the smaller logit)
      const bound = -Math.log1p((x.length - 1) * Math.exp(-gLo + ulpOf(fmt, Math.abs(x[k]) + 2 * gLo)));
      if (!(s > 0 && ls < 0 && ls >= bound))
        throw new Error(`x_k − LSE = ${ls} (bound ${bound}): ${JSON.stringify(x)}`);
      if (ls > -1e-3) tiny++;
    }
    expect(tiny).toBeGreaterThan(50);
  });

  test('masked: every row holds a mask value; partial, causal and full rows occur', () => {
    for (const specials of [false, true]) {
      const masks = maskValues(fmt.name, specials);
      const seen = new Set<number>();
      let full = 0;
      let partial = 0;
      let causal = 0;
      for (const { x } of cases('masked', fmt.name, 300, { specials })) {
        const isMask = x.map((v) => masks.includes(v));
        if (!isMask.some(Boolean)) throw new Error(`no mask value: ${JSON.stringify(x)}`);
        for (const v of x) if (masks.includes(v)) seen.add(v);
        if (isMask.every(Boolean)) full++;
        else {
          partial++;
          const firstMasked = isMask.indexOf(true);
          if (isMask.slice(firstMasked).every(Boolean) && firstMasked > 0) causal++;
        }
      }
      expect([...seen].sort()).toEqual([...masks].sort());
      expect(full).toBeGreaterThan(30);
      expect(partial).toBeGreaterThan(100);
      expect(causal).toBeGreaterThan(30);
    }
  });

  test('masked: the mask value is −1e9 rounded, or the lowest finite where −1e9 overflows', () => {
    const m = maskValues(fmt.name, false)[0];
    if (fmt.name === 'f16') expect(m).toBe(-65504);
    else expect(Math.abs(m + 1e9)).toBeLessThanOrEqual(ulpOf(fmt, 1e9) / 2);
    expect(maskValues(fmt.name, true)).toContain(-Infinity);
    expect(maskValues(fmt.name, false)).toContain(-fmt.maxFinite);
  });

  test('subnormal: subnormals and both signed zeros', () => {
    let sub = 0;
    let negZero = 0;
    let posZero = 0;
    for (const { x } of cases('subnormal', fmt.name)) {
      if (!x.some((v) => Math.abs(v) <= fmt.minNormal))
        throw new Error(`nothing subnormal: ${JSON.stringify(x)}`);
      if (x.some((v) => v !== 0 && Math.abs(v) < fmt.minNormal)) sub++;
      if (x.some((v) => Object.is(v, -0))) negZero++;
      if (x.some((v) => Object.is(v, 0))) posZero++;
    }
    expect(sub).toBeGreaterThan(200);
    expect(negZero).toBeGreaterThan(20);
    expect(posZero).toBeGreaterThan(20);
  });

  test('specials: NaN, +Inf and −Inf all occur, at least one per row; all-special rows too', () => {
    let nan = 0;
    let pos = 0;
    let neg = 0;
    let all = 0;
    for (const { x } of cases('specials', fmt.name, 300, { specials: true })) {
      if (x.every((v) => Number.isFinite(v))) throw new Error(`no special: ${JSON.stringify(x)}`);
      if (x.some((v) => Number.isNaN(v))) nan++;
      if (x.includes(Infinity)) pos++;
      if (x.includes(-Infinity)) neg++;
      if (x.length >= 2 && x.every((v) => !Number.isFinite(v))) all++;
    }
    expect(Math.min(nan, pos, neg)).toBeGreaterThan(30);
    expect(all).toBeGreaterThan(10);
  });

  test('bits: covers subnormals, huge values, both signs, every exponent range; never non-finite', () => {
    const xs = cases('bits', fmt.name, 600).flatMap((c) => c.x);
    const has = (p: (v: number) => boolean) => xs.filter(p).length;
    expect(has((v) => v !== 0 && Math.abs(v) < fmt.minNormal)).toBeGreaterThan(0);
    expect(has((v) => Math.abs(v) > th.overflow)).toBeGreaterThan(xs.length / 4);
    expect(has((v) => Math.abs(v) < 1)).toBeGreaterThan(xs.length / 4);
    expect(has((v) => v < 0)).toBeGreaterThan(xs.length / 3);
    expect(has((v) => v > 0)).toBeGreaterThan(xs.length / 3);
    // NaN and ±Inf belong to the specials region only, even when specials are allowed
    const withSpecials = sample(regionArbitrary('bits', { format: fmt.name, specials: true }), 300).flatMap(
      (c) => c.x,
    );
    expect(withSpecials.every((v) => Number.isFinite(v))).toBe(true);
    // every exponent field is reached: 2^exponentBits − 1 binades (the subnormal field included)
    const fields = new Set(xs.map((v) => Number(toBits(fmt, Math.abs(v)) >> BigInt(fmt.fractionBits))));
    if (fmt.exponentBits <= 8) expect(fields.size).toBeGreaterThan((2 ** fmt.exponentBits - 1) * 0.9);
  });

  test('benign: uniform in [−10, 10]', () => {
    const xs = cases('benign', fmt.name).flatMap((c) => c.x);
    expect(xs.every((v) => v >= -10 && v <= 10)).toBe(true);
    expect(xs.filter((v) => v > 9).length).toBeGreaterThan(xs.length / 40);
    expect(xs.filter((v) => v < -9).length).toBeGreaterThan(xs.length / 40);
    expect(xs.filter((v) => Math.abs(v) < 1).length).toBeGreaterThan(xs.length / 40);
  });
});

test('f64 draws carry full precision (not a coarse grid)', () => {
  const xs = cases('benign', 'f64', 50).flatMap((c) => c.x);
  // a value on a 2^-24 grid has a zero low half of its significand; full-precision draws rarely do
  const coarse = xs.filter((v) => Number.isInteger(v * 2 ** 24)).length;
  expect(coarse).toBeLessThan(xs.length / 10);
});
