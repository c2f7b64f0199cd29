import { describe, expect, test } from 'vitest';
import { FindingCollector, type DraftFinding } from './findingCollector.js';

const draft = (
  index: number,
  ulps: number,
  severity: DraftFinding['severity'],
  onBuild?: () => void,
): DraftFinding => ({
  kind: 'ulp',
  index,
  expected: 1,
  actual: 2,
  ulps,
  severity,
  diagnosis: () => {
    onBuild?.();
    return `element ${index}`;
  },
});

describe('FindingCollector', () => {
  test('counts every finding, keeps the worst per kind in push order, builds only kept diagnoses', () => {
    const built: number[] = [];
    const c = new FindingCollector(2);
    const spec: [number, DraftFinding['severity']][] = [
      [5, 'inaccurate'],
      [9, 'inaccurate'],
      [3, 'wrong'],
      [9, 'inaccurate'],
      [1, 'wrong'],
      [100, null],
    ];
    spec.forEach(([u, s], i) => c.push(draft(i, u, s, () => built.push(i))));
    c.push({
      kind: 'sum',
      index: -1,
      expected: 1,
      actual: 1.5,
      ulps: 4,
      severity: 'wrong',
      diagnosis: 'sum',
    });
    expect(c.counts.ulp).toBe(6);
    expect(c.counts.sum).toBe(1);
    // wrong before inaccurate: elements 2 (3 ulps) and 4 (1 ulp), in push order, then the sum
    expect(c.findings().map((f) => [f.kind, f.index, f.diagnosis])).toEqual([
      ['ulp', 2, 'element 2'],
      ['ulp', 4, 'element 4'],
      ['sum', -1, 'sum'],
    ]);
    expect(built.sort()).toEqual([2, 4]);
  });

  test('ties keep the earlier finding; undefined keeps all', () => {
    const one = new FindingCollector(1);
    one.push(draft(0, 7, 'inaccurate'));
    one.push(draft(1, 7, 'inaccurate'));
    expect(one.findings().map((f) => f.index)).toEqual([0]);
    const all = new FindingCollector(undefined);
    for (let i = 0; i < 5; i++) all.push(draft(i, i, null));
    expect(all.findings().map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
    expect(() => new FindingCollector(-1)).toThrow(/maxPerKind/);
  });
});

test('keeping all is linear: 2^18 findings, every one back in push order', () => {
  const c = new FindingCollector(undefined);
  const n = 2 ** 18;
  // ascending distances: each would beat every earlier one if they were ranked
  for (let i = 0; i < n; i++) c.push(draft(i, i, 'inaccurate'));
  const f = c.findings();
  expect(f).toHaveLength(n);
  expect(f[0].index).toBe(0);
  expect(f[n - 1].index).toBe(n - 1);
});
