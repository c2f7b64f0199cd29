// The realistic-shape fixtures (test/fixtures/modules/realShapes/, test/fixtures/exec/realShapes/)
// called directly, before any fuzzer sees them: each defective one is wrong where its header says
// and right elsewhere, and each twin is right everywhere, against a plain binary64 max-shifted
// softmax computed here. vet.e2e.test.ts then checks that `logitfuzz vet` tells them apart.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ASSERT_CLOSE, isClose } from '../../src/metrics/closeness.js';

type RowFn = (x: Float64Array | Float32Array) => ArrayLike<number>;
type BatchFn = (x: Float64Array, rows: number, cols: number) => ArrayLike<number>;
interface RowModule {
  softmax: RowFn;
}
interface BatchModule extends RowModule {
  softmaxBatch: BatchFn;
}

const fixture = (dir: 'modules' | 'exec', name: string) =>
  new URL(`../fixtures/${dir}/realShapes/${name}`, import.meta.url);

async function load<T>(name: string): Promise<T> {
  return (await import(fixture('modules', name).href)) as T;
}

/** A deterministic generator of uniform numbers in [0, 1) (an LCG: same seed, same rows). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** n benign logits, uniform in [−10, 10] (rounded to f32 when `f32`), from `seed`. */
function benignRow(n: number, seed: number, f32 = false): Float64Array {
  const rand = uniform(seed);
  return Float64Array.from({ length: n }, () => {
    const v = -10 + 20 * rand();
    return f32 ? Math.fround(v) : v;
  });
}

/** n benign rows of `cols` logits, flat row-major, each row from its own seed. */
function benignBatch(rows: number, cols: number, seed: number): Float64Array {
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) x.set(benignRow(cols, seed + r), r * cols);
  return x;
}

/** The reference: exp(x_i − max) / Σ_j exp(x_j − max) in binary64, summed left to right. */
function referenceSoftmax(x: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]);
  const e = Float64Array.from(x, (v) => Math.exp(v - m));
  let s = 0;
  for (const v of e) s += v;
  return e.map((v) => v / s);
}

/** max_i |y_i − r_i| / |r_i|; Infinity for a wrong length or a NaN output (infinitely wrong). */
function maxRelError(y: ArrayLike<number>, r: ArrayLike<number>): number {
  if (y.length !== r.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < r.length; i++) {
    const e = Math.abs(y[i] - r[i]) / Math.abs(r[i]);
    if (e !== e) return Infinity;
    worst = Math.max(worst, e);
  }
  return worst;
}

/** How many outputs PyTorch's assert_close would reject for the format (docs/design.md, "Severity"). */
function notClose(y: ArrayLike<number>, r: ArrayLike<number>, format: 'f64' | 'f32'): number {
  const { rtol, atol } = ASSERT_CLOSE.tolerances[format];
  let count = 0;
  for (let i = 0; i < r.length; i++) if (!isClose(y[i], r[i], rtol, atol)) count++;
  return count;
}

/** Row r of a flat row-major batch. */
const rowOf = (flat: ArrayLike<number>, r: number, cols: number) =>
  Array.prototype.slice.call(flat, r * cols, (r + 1) * cols) as number[];

/** Sends JSON-line requests to an exec fixture and returns its answers' `y`, decoded, by id. */
function execAnswers(program: string, requests: Record<string, unknown>[]): Map<number, number[]> {
  const r = spawnSync(process.execPath, [fileURLToPath(fixture('exec', program))], {
    input: requests.map((q) => JSON.stringify(q)).join('\n') + '\n',
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  expect(r.status, r.stderr).toBe(0);
  const decode = (v: unknown) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
  const out = new Map<number, number[]>();
  for (const line of r.stdout.trim().split('\n')) {
    const { id, y } = JSON.parse(line) as { id: number; y: unknown[] };
    out.set(id, y.map(decode) as number[]);
  }
  return out;
}

// binary64 reference versus binary64 implementations summing in another order (pairwise, tiles):
// they agree to within a few units of 2^−53 times log n or n; the defects err by 1e−4 and more
const AGREE = 1e-11;

describe('a tiled reduction that drops the partial last tile (tileTailDropped.mjs)', () => {
  it('is right on rows that fit one tile and on whole tiles, wrong once a partial tile is dropped', async () => {
    const bad = await load<RowModule>('tileTailDropped.mjs');
    const good = await load<RowModule>('tileTailHandled.mjs');
    for (const n of [1, 200, 256, 512, 32000, 65536]) {
      const x = benignRow(n, n);
      expect(maxRelError(bad.softmax(x), referenceSoftmax(x)), `n = ${n}`).toBeLessThan(AGREE);
    }
    // 50257 = 196·256 + 81: the last 81 logits are missing from the sum; 128256 = 501·256: one
    // level up, floor(501/256) = 1 tile of partials, so 245 whole tiles are missing
    for (const n of [50257, 128256]) {
      const x = benignRow(n, 7);
      const ref = referenceSoftmax(x);
      expect(maxRelError(bad.softmax(x), ref), `n = ${n}`).toBeGreaterThan(1e-4);
      expect(notClose(bad.softmax(x), ref, 'f64'), `n = ${n}`).toBeGreaterThan(0);
      expect(maxRelError(good.softmax(x), ref), `n = ${n}`).toBeLessThan(AGREE);
    }
  });

  it('misses a dominant last logit in the max and the sum: its probability comes out above 1', async () => {
    const bad = await load<RowModule>('tileTailDropped.mjs');
    const good = await load<RowModule>('tileTailHandled.mjs');
    const x = benignRow(257, 3);
    x[256] = 40;
    const ref = referenceSoftmax(x);
    expect(ref[256]).toBeGreaterThan(0.99);
    expect(bad.softmax(x)[256]).toBeGreaterThan(1e6);
    expect(maxRelError(good.softmax(x), ref)).toBeLessThan(AGREE);
  });
});

describe('a max taken as Math.max(...x) (spreadMax.mjs)', () => {
  it('throws RangeError at 262,144 elements and not at 64, where it is right', async () => {
    const bad = await load<RowModule>('spreadMax.mjs');
    const short = benignRow(64, 1);
    expect(maxRelError(bad.softmax(short), referenceSoftmax(short))).toBeLessThan(AGREE);
    expect(() => bad.softmax(benignRow(262144, 2))).toThrow(RangeError);
  });

  it('has a twin that loops and is right at 262,144 elements', async () => {
    const good = await load<RowModule>('loopMax.mjs');
    const x = benignRow(262144, 2);
    expect(maxRelError(good.softmax(x), referenceSoftmax(x))).toBeLessThan(AGREE);
  });
});

describe('an f32 softmax whose cross-tile total is carried in bf16 (bf16TileTotal.mjs)', () => {
  it('is right on a row that fits one tile', async () => {
    const bad = await load<RowModule>('bf16TileTotal.mjs');
    const x = Float32Array.from(benignRow(256, 5, true));
    const y = bad.softmax(x);
    const ref = referenceSoftmax(x);
    expect(y).toBeInstanceOf(Float32Array);
    expect(maxRelError(y, ref)).toBeLessThanOrEqual(2 ** -23);
  });

  it('stagnates on a 262,144-element row: probabilities about twice too large, wrong at the f32 tolerance', async () => {
    const bad = await load<RowModule>('bf16TileTotal.mjs');
    const good = await load<RowModule>('f32TileTotal.mjs');
    const x = Float32Array.from(benignRow(262144, 9, true));
    const ref = referenceSoftmax(x);
    const y = bad.softmax(x);
    // every output is exp(x_i − max)/total, so the ratio at any element is exact total / carried total
    const at = ref.indexOf(Math.max(...ref.subarray(0, 1000)));
    expect(y[at] / ref[at]).toBeGreaterThan(1.5);
    expect(notClose(y, ref, 'f32')).toBeGreaterThan(1000);
    const z = good.softmax(x);
    expect(maxRelError(z, ref)).toBeLessThanOrEqual(2 ** -23);
    expect(notClose(z, ref, 'f32')).toBeLessThan(AGREE);
  });
});

describe('a batch whose running sum is not reset between rows (batchSumNotReset.mjs)', () => {
  const rows = 4;
  const cols = 1000;
  const x = benignBatch(rows, cols, 11);

  it('is right on its first row and alone, wrong from the second row of a batch on', async () => {
    const bad = await load<BatchModule>('batchSumNotReset.mjs');
    const y = bad.softmaxBatch(x, rows, cols);
    expect(y.length).toBe(rows * cols);
    const ref = (r: number) => referenceSoftmax(x.subarray(r * cols, (r + 1) * cols));
    expect(maxRelError(rowOf(y, 0, cols), ref(0))).toBeLessThan(AGREE);
    // row r is divided by the sums of rows 0..r: about r + 1 times too small
    for (let r = 1; r < rows; r++) expect(maxRelError(rowOf(y, r, cols), ref(r))).toBeGreaterThan(0.3);
    for (let r = 0; r < rows; r++) {
      const alone = x.slice(r * cols, (r + 1) * cols);
      expect(maxRelError(bad.softmax(alone), ref(r))).toBeLessThan(AGREE);
    }
  });

  it('has a twin that resets and is right on every row', async () => {
    const good = await load<BatchModule>('batchSumReset.mjs');
    const y = good.softmaxBatch(x, rows, cols);
    for (let r = 0; r < rows; r++)
      expect(
        maxRelError(rowOf(y, r, cols), referenceSoftmax(x.subarray(r * cols, (r + 1) * cols))),
      ).toBeLessThan(AGREE);
  });

  it('does the same as a JSON-lines program: row requests right, batch rows after the first wrong', () => {
    const requests = [
      { id: 1, op: 'softmax', format: 'f64', x: Array.from(x.subarray(cols, 2 * cols)) },
      { id: 2, op: 'softmax', format: 'f64', shape: [rows, cols], x: Array.from(x) },
    ];
    const ref = (r: number) => referenceSoftmax(x.subarray(r * cols, (r + 1) * cols));
    const bad = execAnswers('batchSumNotReset.mjs', requests);
    expect(maxRelError(bad.get(1)!, ref(1))).toBeLessThan(AGREE);
    expect(maxRelError(rowOf(bad.get(2)!, 0, cols), ref(0))).toBeLessThan(AGREE);
    expect(maxRelError(rowOf(bad.get(2)!, 1, cols), ref(1))).toBeGreaterThan(0.3);
    const good = execAnswers('batchSumReset.mjs', requests);
    expect(maxRelError(good.get(1)!, ref(1))).toBeLessThan(AGREE);
    for (let r = 0; r < rows; r++)
      expect(maxRelError(rowOf(good.get(2)!, r, cols), ref(r))).toBeLessThan(AGREE);
  });
});

describe('a batch read with a padded row pitch (batchPitchPadded.mjs)', () => {
  const rows = 3;

  it('is right when the width is a multiple of 32 binary64 elements and on a row alone', async () => {
    const bad = await load<BatchModule>('batchPitchPadded.mjs');
    const cols = 1024;
    const x = benignBatch(rows, cols, 21);
    const y = bad.softmaxBatch(x, rows, cols);
    for (let r = 0; r < rows; r++)
      expect(
        maxRelError(rowOf(y, r, cols), referenceSoftmax(x.subarray(r * cols, (r + 1) * cols))),
      ).toBeLessThan(AGREE);
    const alone = benignRow(1001, 4);
    expect(maxRelError(bad.softmax(alone), referenceSoftmax(alone))).toBeLessThan(AGREE);
  });

  it('reads shifted and past-the-end rows at width 1001 (pitch 1024): wrong rows and NaN', async () => {
    const bad = await load<BatchModule>('batchPitchPadded.mjs');
    const good = await load<BatchModule>('batchPitchPacked.mjs');
    const cols = 1001;
    const x = benignBatch(rows, cols, 31);
    const ref = (r: number) => referenceSoftmax(x.subarray(r * cols, (r + 1) * cols));
    const y = bad.softmaxBatch(x, rows, cols);
    expect(maxRelError(rowOf(y, 0, cols), ref(0))).toBeLessThan(AGREE);
    expect(maxRelError(rowOf(y, 1, cols), ref(1))).toBeGreaterThan(0.3);
    // row 2 starts at 2048 and would end at 3049, past the 3003 logits of the batch
    expect(rowOf(y, 2, cols).every((v) => Number.isNaN(v))).toBe(true);
    const z = good.softmaxBatch(x, rows, cols);
    for (let r = 0; r < rows; r++) expect(maxRelError(rowOf(z, r, cols), ref(r))).toBeLessThan(AGREE);
  });

  it('does the same as a JSON-lines program, for f64 and f32 requests', () => {
    const cols = 1001;
    const x = benignBatch(rows, cols, 41).map(Math.fround);
    const ref = (r: number) => referenceSoftmax(x.subarray(r * cols, (r + 1) * cols));
    for (const format of ['f64', 'f32']) {
      const requests = [
        { id: 1, op: 'softmax', format, x: Array.from(x.subarray(0, cols)) },
        { id: 2, op: 'softmax', format, shape: [rows, cols], x: Array.from(x) },
      ];
      const bad = execAnswers('batchPitchPadded.mjs', requests);
      expect(maxRelError(bad.get(1)!, ref(0))).toBeLessThan(AGREE);
      expect(maxRelError(rowOf(bad.get(2)!, 0, cols), ref(0))).toBeLessThan(AGREE);
      expect(maxRelError(rowOf(bad.get(2)!, 1, cols), ref(1)), format).toBeGreaterThan(0.3);
      const good = execAnswers('batchPitchPacked.mjs', requests);
      for (let r = 0; r < rows; r++)
        expect(maxRelError(rowOf(good.get(2)!, r, cols), ref(r))).toBeLessThan(AGREE);
    }
  });
});
