import { describe, expect, it } from 'vitest';
import { ALLCLOSE, ASSERT_CLOSE, isClose, parseCloseness } from './closeness.js';

describe('closeness', () => {
  it("holds PyTorch's assert_close defaults per dtype and NumPy's allclose defaults", () => {
    expect(ASSERT_CLOSE.tolerances).toEqual({
      f64: { rtol: 1e-7, atol: 1e-7 },
      f32: { rtol: 1.3e-6, atol: 1e-5 },
      f16: { rtol: 1e-3, atol: 1e-5 },
      bf16: { rtol: 1.6e-2, atol: 1e-5 },
    });
    expect(ALLCLOSE.tolerances.f32).toEqual({ rtol: 1e-5, atol: 1e-8 });
  });

  it('decides |a − e| ≤ atol + rtol·|e|; equal values, ±0 and NaN against NaN are close', () => {
    expect(isClose(1.05, 1, 0.1, 0)).toBe(true);
    expect(isClose(1.2, 1, 0.1, 0)).toBe(false);
    expect(isClose(0, 4.2e-18, 1e-7, 1e-7)).toBe(true);
    expect(isClose(0, 1e-6, 1e-7, 1e-7)).toBe(false);
    expect(isClose(-0, 0, 0, 0)).toBe(true);
    expect(isClose(Infinity, Infinity, 0, 0)).toBe(true);
    expect(isClose(-Infinity, Infinity, 1, 1)).toBe(false);
    expect(isClose(NaN, NaN, 0, 0)).toBe(true);
    expect(isClose(NaN, 1, 1, 1)).toBe(false);
    expect(isClose(1e308, Infinity, 1, 1)).toBe(false);
  });

  it('parses --close values and names the accepted forms otherwise', () => {
    expect(parseCloseness('assert_close')).toBe(ASSERT_CLOSE);
    expect(parseCloseness('allclose')).toBe(ALLCLOSE);
    const c = parseCloseness('rtol=0.01,atol=1e-6');
    expect(c.name).toBe('rtol=0.01,atol=0.000001');
    expect(c.tolerances.bf16).toEqual({ rtol: 0.01, atol: 1e-6 });
    for (const bad of ['', 'rtol=1', 'rtol=-1,atol=0', 'rtol=x,atol=1', 'atol=1,rtol=1', 'isclose'])
      expect(() => parseCloseness(bad), bad).toThrow(/expected assert_close, allclose, or rtol=R,atol=A/);
  });
});
