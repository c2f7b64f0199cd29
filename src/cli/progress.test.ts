import { describe, expect, it } from 'vitest';
import { progressLine } from './campaign.js';

describe('the TTY progress line', () => {
  it('shows cases, elapsed time, the ETA from the rate so far, and the worst implementations', () => {
    const line = progressLine(
      { done: 100, total: 400, elapsedMs: 10_000, worst: { a: 3, b: Infinity, c: 2.5e9, d: 0 } },
      200,
    );
    expect(line.trimEnd()).toBe('  cases 100/400 · 10.0 s · ETA 30 s · worst ulps: b ∞, c 2.5e+9, a 3');
    expect(line.length).toBe(199);
  });
  it('is cut to the terminal width, and has no ETA without a total (--time-limit)', () => {
    const line = progressLine(
      { done: 5, total: null, elapsedMs: 1500, worst: { 'softmax/naive/f64': Infinity } },
      30,
    );
    expect(line.length).toBe(29);
    expect(line.endsWith('…')).toBe(true);
    expect(progressLine({ done: 5, total: null, elapsedMs: 1500, worst: {} }, 80)).not.toContain('ETA');
  });
});
