import { describe, expect, it } from 'vitest';
import {
  counterexamplesBySeverity,
  errorText,
  findingError,
  gradeTally,
  kindSeverity,
  magnitudeText,
  toleranceText,
  unexpectedWhy,
} from './common.js';
import { fixtureRecord, mutableCopy } from './_testutil/fixture.js';
import type { ImplementationRecord, RunRecord } from './schema.js';
import { EXPECT_INACCURATE, EXPECT_PASS, EXPECT_WRONG } from '../vocabulary/Severity.js';

describe('the severity helpers of the reports', () => {
  const r = fixtureRecord();
  const impl = (name: string) => r.implementations.find((i) => i.name === name)!;

  it('gives the relative and absolute error of a finding, where both values are finite', () => {
    expect(findingError({ expected: -4.248354255291589e-18, actual: 0 })).toEqual({
      abs: 4.248354255291589e-18,
      rel: 1,
    });
    expect(findingError({ expected: 0.5, actual: 1 })).toEqual({ abs: 0.5, rel: 1 });
    expect(findingError({ expected: 0, actual: 0.0546875 })).toEqual({ abs: 0.0546875, rel: Infinity });
    expect(findingError({ expected: 0.000335, actual: '-0' })!.rel).toBe(1);
    expect(findingError({ expected: 1, actual: 'nan' })).toBeNull();
    expect(findingError({ expected: 'inf', actual: 'inf' })).toBeNull();
    expect(findingError({ expected: null, actual: 1 })).toBeNull();
    expect(findingError({ expected: 1, actual: 'garbage' as never })).toBeNull();
  });

  it('writes it as "rel 1.0, abs 4.2e-18"', () => {
    expect(errorText({ expected: -4.248354255291589e-18, actual: 0 })).toBe('rel 1.0, abs 4.2e-18');
    expect(errorText({ expected: 0.5, actual: 1 })).toBe('rel 1.0, abs 0.50');
    expect(errorText({ expected: 0, actual: 0.0546875 })).toBe('rel ∞, abs 0.055');
    expect(errorText({ expected: 1, actual: 'nan' })).toBe('');
    expect([0, 1, 0.5, 123.4, 2500, 12345, 1e-3, 9.99e-4, 4.6e18, Infinity, NaN].map(magnitudeText)).toEqual([
      '0',
      '1.0',
      '0.50',
      '120',
      '2500',
      '1.2e4',
      '0.0010',
      '1.0e-3',
      '4.6e18',
      '∞',
      'NaN',
    ]);
  });

  it('writes the tolerances of a format', () => {
    expect(toleranceText(r, 'f64')).toBe('rtol 1e-7, atol 1e-7');
    expect(toleranceText(r, 'f32')).toBe('rtol 1.3e-6, atol 1e-5');
    expect(toleranceText(r, 'f16')).toBe('rtol 0.001, atol 1e-5');
    expect(toleranceText(r, 'nope')).toBe('');
  });

  it('counts the implementations per grade', () => {
    const g = gradeTally(r);
    const measured = r.implementations.filter((i) => i.verdict !== 'unavailable').length;
    expect(g.wrong + g.inaccurate + g.pass).toBe(measured);
    expect(g.unavailable).toBe(r.implementations.length - measured);
    expect(g.wrong).toBeGreaterThan(0);
    expect(g.inaccurate).toBeGreaterThan(0);
    expect(g.unexpected).toBe(0);
  });

  it('grades a finding kind by its worst case, and puts wrong counterexamples first', () => {
    const naive = impl('softmax/naive/f64');
    expect(kindSeverity(naive, 'overflow', r)).toBe('wrong');
    expect(kindSeverity(impl('log_softmax/tfjs-cpu/f32'), 'cancellation', r)).toBe('inaccurate');
    const special = { ...naive, wrongCounts: {}, findingCounts: { special: 1 } } as ImplementationRecord;
    expect(kindSeverity(special, 'special', { config: { ...r.config, specials: 'report' } })).toBeNull();
    for (const i of r.implementations) {
      const order = counterexamplesBySeverity(i).map(({ cex }) => cex.finding.severity);
      expect(order, i.name).toEqual([...order].sort((a, b) => (a === b ? 0 : a === 'wrong' ? -1 : 1)));
    }
  });

  it('says how an implementation differs from its expected grade', () => {
    const m = mutableCopy(r);
    const set = (name: string, e: typeof EXPECT_PASS) =>
      (m.implementations.find((i) => i.name === name)!.expected = e);
    set('softmax/naive/f64', EXPECT_PASS);
    set('cross_entropy/naive/f16', EXPECT_INACCURATE);
    set('log_softmax/tfjs-cpu/f32', EXPECT_WRONG);
    set('softmax/webgpu/f32', EXPECT_PASS);
    set('softmax/max-shifted/f64', EXPECT_WRONG);
    set('softmax/tfjs-cpu/f32', EXPECT_INACCURATE);
    const rec = m as unknown as RunRecord;
    const why = (name: string) =>
      unexpectedWhy(
        rec.implementations.find((i) => i.name === name)!,
        rec,
      );
    expect(why('softmax/naive/f64')!.category).toBe('Gives wrong answers, expected to pass');
    expect(why('softmax/naive/f64')!.cex!.cex.finding.severity).toBe('wrong');
    expect(why('cross_entropy/naive/f16')!.category).toBe(
      'Gives wrong answers, expected to be only inaccurate',
    );
    expect(why('log_softmax/tfjs-cpu/f32')!.text).toBe(
      'Only inaccurate, expected wrong answers: no finding in 58 cases fails torch.testing.assert_close (more --runs may expose it)',
    );
    expect(why('softmax/webgpu/f32')!.category).toBe('Inaccurate, expected to pass');
    expect(why('softmax/webgpu/f32')!.detail).toMatch(
      /^beyond the strict budget in \d+ of \d+ cases, though close by /,
    );
    expect(why('softmax/max-shifted/f64')!.category).toBe('Passes, expected wrong answers');
    expect(why('softmax/max-shifted/f64')!.cex).toBeUndefined();
    expect(why('softmax/tfjs-cpu/f32')!.category).toBe('Passes, expected to be inaccurate');
    // as expected, or not run: nothing to say
    expect(why('log_softmax/bhh/f64')).toBeUndefined();
    expect(why('softmax/webgpu/f16')).toBeUndefined();
  });
});
