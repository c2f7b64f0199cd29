import { describe, expect, it } from 'vitest';
import type { Counterexample } from './aggregate.js';
import type { FindingData } from './protocol.js';
import { shrinkBatch } from './shrink.js';

const finding = (kind: FindingData['kind']): FindingData => ({
  kind,
  index: -1,
  expected: null,
  actual: null,
  ulps: null,
  diagnosis: 'test',
  severity: 'wrong',
});

function batch(B: number, n: number): Counterexample {
  const row = (r: number) => Array.from({ length: n }, (_, i) => r * 100 + i);
  return {
    caseId: 3,
    region: 'r',
    x: row(0),
    batch: Array.from({ length: B - 1 }, (_, k) => ({ x: row(k + 1) })),
    finding: finding('ulp'),
  };
}

describe('shrinkBatch', () => {
  it('drops every row the finding does not need, down to one row', async () => {
    const B = 2 + Math.floor(Math.random() * 10);
    const keep = Math.floor(Math.random() * B); // the row that shows the finding
    const { cex, evaluations } = await shrinkBatch(
      batch(B, 8),
      'softmax',
      async (c) =>
        [c.x, ...(c.batch ?? []).map((b) => b.x)].some((x) => x[0] === keep * 100)
          ? finding('ulp')
          : undefined,
      1000,
    );
    expect(cex.batch).toBeUndefined();
    expect(cex.x[0]).toBe(keep * 100);
    expect(cex.x).toHaveLength(8);
    expect(evaluations).toBeLessThanOrEqual(2 * B);
  });

  it('keeps two rows for a finding that needs them, and cuts the columns it does not need', async () => {
    const n = 16 + Math.floor(Math.random() * 48);
    const col = Math.floor(Math.random() * n);
    // the finding needs rows 0 and 1 together and column `col` (by its value in row 0)
    const { cex } = await shrinkBatch(
      batch(5, n),
      'softmax',
      async (c) => {
        const rows = [c.x, ...(c.batch ?? []).map((b) => b.x)];
        return rows.length >= 2 &&
          rows[0][0] < 100 &&
          rows.some((x) => x[0] >= 100 && x[0] < 200) &&
          rows[0].includes(col)
          ? finding('batch')
          : undefined;
      },
      10000,
    );
    expect(cex.batch).toHaveLength(1);
    expect(cex.x).toEqual([col]);
    expect(cex.batch![0].x).toEqual([100 + col]);
    expect(cex.finding.kind).toBe('batch');
  });

  it('moves labels with their columns and never deletes a labelled one', async () => {
    const c: Counterexample = {
      caseId: 1,
      region: 'r',
      x: [0, 1, 2, 3, 4, 5, 6, 7],
      label: 5,
      batch: [{ x: [10, 11, 12, 13, 14, 15, 16, 17], label: 2 }],
      finding: finding('batch'),
    };
    const { cex } = await shrinkBatch(
      c,
      'cross_entropy',
      async (q) => ((q.batch?.length ?? 0) >= 1 ? finding('batch') : undefined),
      1000,
    );
    expect(cex.x[cex.label!]).toBe(5);
    expect(cex.batch![0].x[cex.batch![0].label!]).toBe(12);
    expect(cex.x.length).toBeLessThanOrEqual(2);
  });

  it('stops at its evaluation budget', async () => {
    let calls = 0;
    await shrinkBatch(batch(8, 64), 'softmax', async () => (calls++, finding('batch')), 5);
    expect(calls).toBe(5);
  });
});
