import { describe, expect, it } from 'vitest';
import { formatSpec } from '../formats/specs.js';
import { isRepresentable } from '../formats/roundNumber.js';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { BATCH_MAX_ELEMENTS, BATCH_SHARE, BATCH_SIZES, batchRows } from './batchRows.js';

const seeds = (k: number) => {
  const base = Math.floor(Math.random() * 2 ** 30);
  return Array.from({ length: k }, (_, i) => base + i);
};

describe('batchRows', () => {
  it('makes about a quarter of cases batches, of the listed sizes, every value in the format', () => {
    for (const format of FORMAT_NAMES) {
      const fmt = formatSpec(format);
      const first = Array.from({ length: 40 }, (_, i) => i - 20);
      let batches = 0;
      const N = 2000;
      for (const seed of seeds(N)) {
        const rows = batchRows(first, seed, { format, op: 'softmax' });
        if (!rows.length) continue;
        batches++;
        expect(BATCH_SIZES).toContain(rows.length + 1);
        for (const r of rows) {
          expect(r.x).toHaveLength(40);
          for (const v of r.x) expect(isRepresentable(fmt, v), `${format} ${r.character} ${v}`).toBe(true);
          expect(r.label).toBeUndefined();
        }
      }
      // binomial: 2000 · 1/4 = 500 ± 19.4 (one σ); 6σ either side
      expect(Math.abs(batches - N * BATCH_SHARE), format).toBeLessThan(
        6 * Math.sqrt(N * BATCH_SHARE * (1 - BATCH_SHARE)),
      );
    }
  });

  it('is a function of the seed, labels rows of the label ops and keeps B·n within the cap', () => {
    const n = 2 ** 17;
    const first = new Array<number>(n).fill(1);
    let seen = 0;
    for (const seed of seeds(200)) {
      const a = batchRows(first, seed, { format: 'f32', op: 'cross_entropy' });
      expect(batchRows(first, seed, { format: 'f32', op: 'cross_entropy' })).toEqual(a);
      if (!a.length) continue;
      seen++;
      expect((a.length + 1) * n).toBeLessThanOrEqual(BATCH_MAX_ELEMENTS);
      for (const r of a) expect(Number.isInteger(r.label) && r.label! >= 0 && r.label! < n).toBe(true);
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('maxBatch 1 turns batches off and bad values are rejected naming the field', () => {
    for (const seed of seeds(100))
      expect(batchRows([1, 2, 3], seed, { format: 'f64', op: 'softmax', maxBatch: 1 })).toEqual([]);
    expect(() => batchRows([1], 1, { format: 'f64', op: 'softmax', maxBatch: 0 })).toThrow(/^maxBatch: /);
    expect(() => batchRows([1], 1, { format: 'f64', op: 'softmax', maxBatch: 2.5 })).toThrow(/^maxBatch: /);
  });

  it('fully masked rows use −Inf only when specials are allowed', () => {
    const first = [0, 1, 2, 3];
    let minusInfWithout = 0;
    let minusInfWith = 0;
    for (const seed of seeds(3000)) {
      for (const r of batchRows(first, seed, { format: 'f64', op: 'softmax' }))
        if (r.x.some((v) => v === -Infinity)) minusInfWithout++;
      for (const r of batchRows(first, seed, { format: 'f64', op: 'softmax', specials: true }))
        if (r.x.every((v) => v === -Infinity)) minusInfWith++;
    }
    expect(minusInfWithout).toBe(0);
    expect(minusInfWith).toBeGreaterThan(0);
  });
});
