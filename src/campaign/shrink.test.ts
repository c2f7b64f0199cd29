import { describe, expect, it } from 'vitest';
import type { Counterexample } from './aggregate.js';
import type { FindingData } from './protocol.js';
import { shrinkBatch, shrinkToWindow, WINDOW_LENGTHS } from './shrink.js';

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

describe('shrinkToWindow', () => {
  /** A long row of benign logits with one huge logit at `at`; the probe shows a finding when the huge one is in. */
  function row(n: number, at: number, label?: number): Counterexample {
    const x = Array.from({ length: n }, (_, i) => (i % 17) - 8);
    x[at] = 1e4;
    return {
      caseId: 9,
      region: 'long',
      x,
      ...(label !== undefined ? { label } : {}),
      finding: { ...finding('overflow'), index: at },
    };
  }
  const hasHuge = async (x: Float64Array) => (x.includes(1e4) ? finding('overflow') : undefined);

  it('cuts a long row to the shortest window around the finding that still shows it', async () => {
    const n = 50_000 + Math.floor(Math.random() * 200_000);
    const at = Math.floor(Math.random() * n);
    const seen: number[] = [];
    const w = await shrinkToWindow(
      row(n, at),
      async (x) => {
        seen.push(x.length);
        return hasHuge(x);
      },
      12,
    );
    expect(w.cex.x).toHaveLength(WINDOW_LENGTHS[0]);
    expect(w.cex.x).toContain(1e4);
    expect(w.evaluations).toBe(1);
    expect(seen).toEqual([WINDOW_LENGTHS[0]]);
  });

  it('keeps the label inside the window and moves it with its element', async () => {
    const n = 100_000;
    const at = 70_000 + Math.floor(Math.random() * 20_000);
    const label = at - 10;
    const w = await shrinkToWindow(
      row(n, at, label),
      async (x, l) =>
        l !== undefined && x[l] === (label % 17) - 8 && x.includes(1e4) ? finding('overflow') : undefined,
      12,
    );
    expect(w.cex.x.length).toBeLessThanOrEqual(512);
    expect(w.cex.label).toBeDefined();
    expect(w.cex.x[w.cex.label!]).toBe((label % 17) - 8);
    expect(w.cex.x).toContain(1e4);
  });

  it('tries the end of the row when the finding names no element, and gives the row back whole when no window shows it', async () => {
    const n = 20_000;
    const c = { ...row(n, n - 3), finding: finding('sum') };
    const end = await shrinkToWindow(c, hasHuge, 12);
    expect(end.cex.x).toEqual(c.x.slice(n - WINDOW_LENGTHS[0]));
    // a defect that needs the length: every window length, at most three places each, then the row whole
    const calls: number[] = [];
    const whole = await shrinkToWindow(
      c,
      async (x) => {
        calls.push(x.length);
        return x.length === n ? finding('sum') : undefined;
      },
      12,
    );
    expect(whole.cex).toBe(c);
    expect(calls.every((l) => WINDOW_LENGTHS.includes(l))).toBe(true);
    expect(whole.evaluations).toBe(calls.length);
    expect(calls.length).toBeLessThanOrEqual(3 * WINDOW_LENGTHS.length);
    // and the evaluation budget holds
    expect((await shrinkToWindow(c, async () => undefined, 2)).evaluations).toBe(2);
  });
});
