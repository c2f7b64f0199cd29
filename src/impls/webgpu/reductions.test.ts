// The workgroup reductions on a real WebGPU device (llvmpipe on CI): every row length 1..300
// and 4095, 4096, 4097, with inputs whose exact answers are known without the oracle.
import { afterAll, describe, expect, it } from 'vitest';
import { F32, ulpDistance } from '../../formats/index.js';
import { probeGpu } from './_testutil/gpu.js';
import { releaseGpu } from './device.js';
import { runBatch } from './dispatch.js';

const LENGTHS = [...Array.from({ length: 300 }, (_, i) => i + 1), 4095, 4096, 4097];
const probe = await probeGpu();

describe.skipIf(probe.skipReason !== undefined)('webgpu f32 reductions, every length', () => {
  afterAll(releaseGpu);

  it('finds a single large logit at every position (max reduction over every lane and stride)', async () => {
    // x = 0 everywhere but x_p = 100. logsumexp = 100 + ln(1 + (n−1)e^−100) rounds to exactly
    // 100 in f32 (the added term ≤ 4097·e^−100 ≈ 1.5e−40 ≪ ulp(100)/2; WGSL's log error near 1
    // is ≤ 2^−21 < ulp(100)/2 = 2^−18). A reduction that misses the partial max at p shifts by
    // 0 and exp(100) overflows f32: +Inf. softmax_p = e^0/(1 + tiny) = 1 exactly likewise.
    // logsumexp, 1..300: every position of every length, in one batch (Σ n² = 9.0M elements).
    // 4095..4097: every distinct (lane, stride step) corner — the first and the last WG
    // positions (every lane in the first and the last, partial, step) — and every 31st position
    // between (every step, many lanes); all positions of those would be 50M elements.
    // softmax (the same max reduction, compiled separately): every 7th position and the last.
    const WG = probe.ctx?.info.workgroupSize ?? 256;
    const all = (n: number): number[] => Array.from({ length: n }, (_, p) => p);
    const lsePositions = (n: number): number[] =>
      n <= 300 ? all(n) : all(n).filter((p) => p < WG || p >= n - WG || p % 31 === 0);
    const smPositions = (n: number): number[] => lsePositions(n).filter((p) => p % 7 === 0 || p === n - 1);
    const oneHot = (lengths: readonly number[], positions: (n: number) => number[]): Float64Array[] =>
      lengths.flatMap((n) =>
        positions(n).map((p) => {
          const r = new Float64Array(n);
          r[p] = 100;
          return r;
        }),
      );
    const batches = [LENGTHS.filter((n) => n <= 300), [4095, 4096, 4097]];
    for (const lengths of batches) {
      const rows = oneHot(lengths, lsePositions);
      const lse = await runBatch('logsumexp', 'f32', rows);
      const bad = lse.flatMap((v, k) =>
        v[0] === 100 ? [] : [{ n: rows[k].length, p: rows[k].indexOf(100), got: v[0] }],
      );
      expect(bad.slice(0, 5)).toEqual([]);

      const smRows = oneHot(lengths, smPositions);
      const sm = await runBatch('softmax', 'f32', smRows);
      const badSm = sm.flatMap((v, k) => {
        const p = smRows[k].indexOf(100);
        return v[p] === 1 ? [] : [{ n: smRows[k].length, p, got: v[p] }];
      });
      expect(badSm.slice(0, 5)).toEqual([]);
    }
  });

  it('softmax of an all-equal row is 1/n: exactly for powers of two, else within WGSL division', async () => {
    // exp(0) = 1 on every device we know (WGSL alone would allow 3 ULP), the sum of n ones is
    // exactly n (n < 2^24), so the result is 1/n with one division: exact when n = 2^k, and
    // otherwise within 2.5 ULP (WGSL f32 division) + 0.5 (rounding of the reference) of
    // fround(1/n), the correctly rounded value. Several shifts v: the row is v, …, v.
    for (const v of [0, -50, 87.5, Math.fround(-1e30)]) {
      const rows = LENGTHS.map((n) => new Float64Array(n).fill(v));
      const out = await runBatch('softmax', 'f32', rows);
      const bad: unknown[] = [];
      out.forEach((row, k) => {
        const n = rows[k].length;
        const want = Math.fround(1 / n);
        const pow2 = (n & (n - 1)) === 0;
        row.forEach((y, i) => {
          const u = ulpDistance(F32, y, want);
          if (pow2 ? y !== want : u > 3) bad.push({ v, n, i, y, want, ulps: u });
        });
      });
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });

  it('logsumexp of an all-equal row is v + ln n, and never below the max', async () => {
    // Reference v + ln n in binary64 (error ~1e−16, immaterial at f32); allowance: WGSL log is
    // 3 ULP of ln n for n > 2 (absolute 2^−21 for n ≤ 2), plus the final addition's rounding and
    // the reference's: 0.5 + 0.5 ULP of the result.
    for (const v of [0, -50, 87.5, 3e4]) {
      const rows = LENGTHS.map((n) => new Float64Array(n).fill(v));
      const out = await runBatch('logsumexp', 'f32', rows);
      const bad: unknown[] = [];
      out.forEach((row, k) => {
        const n = rows[k].length;
        const exact = v + Math.log(n);
        const logErr = n <= 2 ? 2 ** -21 : 3 * 2 ** -23 * Math.log(n);
        const ulpR = 2 ** (Math.floor(Math.log2(Math.abs(exact) || 1)) - 23);
        const allow = logErr + ulpR;
        if (!(Math.abs(row[0] - exact) <= allow) || row[0] < v) bad.push({ v, n, got: row[0], exact, allow });
      });
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });

  it('log_softmax of an all-equal row is −ln n at every element', async () => {
    const rows = LENGTHS.map((n) => new Float64Array(n).fill(-7.25));
    const out = await runBatch('log_softmax', 'f32', rows);
    const bad: unknown[] = [];
    out.forEach((row, k) => {
      const n = rows[k].length;
      const exact = -Math.log(n);
      // log(n): 2^−21 absolute for n ≤ 2, else 3 ULP; then 0 − log(n) is exact; + reference rounding
      const allow =
        (n <= 2 ? 2 ** -21 : 3 * 2 ** -23 * Math.log(n)) + 2 ** -24 * Math.max(1, Math.abs(exact));
      row.forEach((y, i) => {
        if (!(Math.abs(y - exact) <= allow)) bad.push({ n, i, y, exact });
      });
      // every element of a row comes from the same log(s): they must be identical
      if (!row.every((y) => y === row[0])) bad.push({ n, notUniform: true });
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
