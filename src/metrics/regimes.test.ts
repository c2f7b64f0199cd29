import { describe, expect, it } from 'vitest';
import { EXP_THRESHOLDS, formatSpec, isRepresentable, nextDown, nextUp } from '../formats/index.js';
import { type FormatName } from '../vocabulary/FormatName.js';
import { regimes } from './regimes.js';

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];

describe('regimes at exactly the thresholds', () => {
  for (const f of FORMATS) {
    const F = formatSpec(f);
    const { overflow: To, underflow: Tu } = EXP_THRESHOLDS[f];
    it(`${f}: a logit at T_o = ${To} is not in the overflow regime, nextUp(T_o) is`, () => {
      expect(regimes(f, [To]).overflow).toBe(false);
      const r = regimes(f, [nextUp(F, To)]);
      expect(r.overflow).toBe(true);
      expect(r.overflowBy).toBe('logit');
      expect(r.underflow).toBe(false);
    });
    it(`${f}: a logit at T_u = ${Tu} is not in the underflow regime, nextDown(T_u) is`, () => {
      expect(regimes(f, [Tu]).underflow).toBe(false);
      const r = regimes(f, [nextDown(F, Tu)]);
      expect(r.underflow).toBe(true);
      expect(r.underflowBy).toBe('logit');
    });
    it(`${f}: the spread: max − min = T_o is not overflow, a spread past it is`, () => {
      // [0, −T_o]: no logit above T_o or below T_u, spread exactly T_o
      expect(regimes(f, [0, -To])).toMatchObject({ overflow: false, underflow: false });
      const r = regimes(f, [0, nextDown(F, -To)]);
      expect(r).toMatchObject({ overflow: true, overflowBy: 'spread', underflow: false });
    });
    it(`${f}: min − max = T_u is not underflow, below it is`, () => {
      // logits 2 and T_u + 2 (a value of the format): min − max = T_u exactly
      const hi = 2;
      const lo = Tu + hi;
      expect(isRepresentable(F, lo)).toBe(true);
      expect(regimes(f, [hi, lo]).underflow).toBe(false);
      const r = regimes(f, [hi, nextDown(F, lo)]);
      expect(r).toMatchObject({ underflow: true, underflowBy: 'spread' });
    });
  }

  it('f64: a spread above T_o by less than binary64 can resolve is still detected (exact TwoSum)', () => {
    const To = EXP_THRESHOLDS.f64.overflow;
    const tiny = 2 ** -60;
    // max − min = T_o + 2^-60 rounds to T_o in binary64
    expect(tiny - -To).toBe(To);
    expect(regimes('f64', [tiny, -To]).overflowBy).toBe('spread');
    expect(regimes('f64', [-tiny, -To]).overflow).toBe(false);
    const Tu = EXP_THRESHOLDS.f64.underflow;
    expect(regimes('f64', [tiny, Tu]).underflowBy).toBe('spread');
    expect(regimes('f64', [-tiny, Tu]).underflow).toBe(false);
  });

  it('ignores NaN and ±Inf; a spread overflowing binary64 is in both regimes', () => {
    expect(regimes('f64', [NaN, Infinity, -Infinity])).toMatchObject({ overflow: false, underflow: false });
    expect(regimes('f64', [1, Infinity, 2]).overflow).toBe(false);
    const M = formatSpec('f64').maxFinite;
    expect(regimes('f64', [M, -M])).toMatchObject({ overflow: true, underflow: true });
  });
});
