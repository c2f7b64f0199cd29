import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.js';
import type { ImplOutcome } from './protocol.js';

const outcome = (impl: string, timedOut: boolean): ImplOutcome => ({
  impl,
  findings: timedOut
    ? [
        {
          kind: 'timeout',
          index: -1,
          expected: null,
          actual: null,
          ulps: null,
          diagnosis: 'no answer',
          severity: 'wrong' as const,
        },
      ]
    : [],
  maxUlps: timedOut ? Infinity : 0,
  maxBits: timedOut ? Infinity : 0,
  pass: !timedOut,
  wrong: timedOut,
  outOfFormat: 0,
  ms: 0,
});

describe('CircuitBreaker', () => {
  it('trips after `threshold` timeouts in a row, recording the cases so far; an answer resets the count', () => {
    const b = new CircuitBreaker(3);
    const cases = new Map<string, number>();
    const see = (impl: string, timedOut: boolean) => {
      cases.set(impl, (cases.get(impl) ?? 0) + 1);
      b.observe([outcome(impl, timedOut)], (n) => cases.get(n) ?? 0);
    };
    see('a', true);
    see('a', true);
    see('a', false);
    see('a', true);
    see('a', true);
    expect(b.tripped.has('a')).toBe(false);
    see('b', true);
    see('a', true);
    expect(b.tripped.get('a')).toBe(6);
    expect(b.tripped.has('b')).toBe(false);
    see('a', true);
    expect(b.tripped.get('a')).toBe(6); // the first trip is kept
  });
});
