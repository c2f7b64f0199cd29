import { describe, expect, it } from 'vitest';
import { userImplementation } from '../impls/load.js';
import type { AnyImplementation } from '../impls/types.js';
import { oracle } from '../oracle/oracle.js';
import type { CaseInput, JudgeOptions } from './protocol.js';
import { aloneRows, runCase } from './runCase.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

const OPTS: JudgeOptions = { specials: 'report', checkDeterminism: true };

function shifted(x: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

async function judgeFn(fn: (x: Float64Array | Float32Array) => unknown, x: number[], format: 'f64' | 'f32') {
  const c: CaseInput = { id: 0, op: 'softmax', format, region: 'test', x: Float64Array.from(x) };
  const impl = userImplementation('softmax/t/' + format, fn as never, 'softmax', format);
  return runCase(impl, c, oracle('softmax', format, c.x), OPTS);
}

describe('runCase: every check goes through judge', () => {
  it('passes a correct answer and keeps the worst error', async () => {
    const o = await judgeFn((x) => shifted(x), [1, 2, 3], 'f64');
    expect(o.pass).toBe(true);
    expect(o.findings).toEqual([]);
    expect(o.maxUlps).toBeLessThanOrEqual(4);
  });

  it('sees a mutation of the row the function was given, in f64 and through the f32 copy', async () => {
    for (const format of ['f64', 'f32'] as const) {
      const o = await judgeFn(
        (x) => {
          const y = shifted(x);
          x[1] = 0;
          return y;
        },
        [1, 2, 3],
        format,
      );
      expect(o.pass, format).toBe(false);
      const m = o.findings.find((f) => f.kind === 'mutation');
      expect(m, format).toMatchObject({ index: -1, expected: 2, actual: 0 });
      expect(m!.diagnosis).toBe('input changed: logit 1 was 2, is 0 after the call');
    }
  });

  it('reports nondeterminism as a case-level finding with the distance of the two answers', async () => {
    let calls = 0;
    const o = await judgeFn(
      (x) => {
        const y = shifted(x);
        if (++calls === 2) y[0] = y[0] * (1 + 2 ** -52);
        return y;
      },
      [0, 0, 0],
      'f64',
    );
    const nd = o.findings.find((f) => f.kind === 'nondeterministic');
    expect(nd).toMatchObject({ index: -1, ulps: 1 });
  });

  it('a throw is a crash, a wrong answer a shape finding, with no distance', async () => {
    const crash = await judgeFn(
      () => {
        throw new TypeError('bad\nthing');
      },
      [1, 2],
      'f64',
    );
    expect(crash.findings).toEqual([
      {
        kind: 'crash',
        index: -1,
        expected: null,
        actual: null,
        ulps: null,
        diagnosis: 'threw TypeError: bad thing',
        severity: 'wrong',
      },
    ]);
    expect(crash.maxUlps).toBe(Infinity);
    const shape = await judgeFn(() => 'nope', [1, 2], 'f64');
    expect(shape.findings.map((f) => [f.kind, f.diagnosis])).toEqual([
      ['shape', 'returned string, expected an array of 2 numbers'],
    ]);
    expect(shape.maxUlps).toBe(Infinity);
  });

  it('a run() that resolves to the wrong number of rows is a shape finding for the call', async () => {
    const impl: AnyImplementation = {
      name: 'softmax/rows/f64',
      op: 'softmax',
      format: 'f64',
      backend: 'user',
      formula: 'two rows for one',
      expected: EXPECT_PASS,
      run: async (rows) => [shifted(rows[0]), shifted(rows[0])],
    };
    const c: CaseInput = { id: 0, op: 'softmax', format: 'f64', region: 'test', x: Float64Array.of(1, 2) };
    const o = await runCase(impl, c, oracle('softmax', 'f64', c.x), OPTS);
    expect(o.findings.map((f) => [f.kind, f.diagnosis])).toEqual([
      ['shape', 'run() returned 2 rows, expected 1'],
    ]);
  });
});

describe('runCase on a batch [B, n]', () => {
  /** A zoo-like implementation whose run() sees the whole batch in one call. */
  function batchImpl(run: (rows: readonly Float64Array[]) => Float64Array[]): AnyImplementation {
    return {
      name: 'softmax/batch-test/f64',
      op: 'softmax',
      format: 'f64',
      backend: 'user',
      formula: 'test',
      expected: EXPECT_PASS,
      run: async (rows) => run(rows),
    };
  }
  const rand = (seed: number) => () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  function batchCase(seed: number, B: number, n: number): CaseInput {
    const r = rand(seed);
    const row = () => Float64Array.from({ length: n }, () => Math.round((r() * 40 - 20) * 64) / 64);
    return {
      id: 0,
      op: 'softmax',
      format: 'f64',
      region: 'test',
      x: row(),
      batch: Array.from({ length: B - 1 }, () => ({ x: row() })),
    };
  }
  const answer = (c: CaseInput) => {
    const [first, ...rest] = [c.x, ...c.batch!.map((b) => b.x)].map((x) => oracle('softmax', 'f64', x));
    return { ...first, batch: rest };
  };

  it('judges every row against its own oracle row: a correct batch passes', async () => {
    const c = batchCase(1 + Math.floor(Math.random() * 1e6), 5, 33);
    const o = await runCase(
      batchImpl((rows) => rows.map((x) => Float64Array.from(shifted(x)))),
      c,
      answer(c),
      OPTS,
    );
    expect(o.findings).toEqual([]);
    expect(o.pass).toBe(true);
  });

  it('a row wrong only inside the batch is a wrong batch finding tagged with its row', async () => {
    const c = batchCase(7 + Math.floor(Math.random() * 1e6), 4, 17);
    (c.x as Float64Array)[0] = 30; // above every other row's logits
    // state shared between rows: the max is kept from the previous row of the same call
    const o = await runCase(
      batchImpl((rows) => {
        let m = -Infinity;
        return rows.map((x) => {
          for (const v of x) m = Math.max(m, v);
          const e = Array.from(x, (v) => Math.exp(v - m));
          const s = e.reduce((a, b) => a + b, 0);
          return Float64Array.from(e, (v) => v / s);
        });
      }),
      c,
      answer(c),
      OPTS,
    );
    const b = o.findings.find((f) => f.kind === 'batch');
    // every later row is shifted by row 0's max instead of its own: rounded differently than alone
    expect(b).toBeDefined();
    expect(b!.row).toBeGreaterThan(0);
    expect(b!.diagnosis).toMatch(/^the row in the batch and alone differ at \d+: /);
  });

  it('keeps the worst finding of a kind over the rows, with the row it came from', async () => {
    const c = batchCase(11 + Math.floor(Math.random() * 1e6), 3, 8);
    const o = await runCase(
      batchImpl((rows) =>
        rows.map((x, r) => {
          const y = Float64Array.from(shifted(x));
          if (r === 2 && rows.length > 1) y[3] += 0.5; // only in the batch, only the last row: far off
          return y;
        }),
      ),
      c,
      answer(c),
      OPTS,
    );
    const ulp = o.findings.find((f) => f.kind === 'ulp');
    expect(ulp).toMatchObject({ row: 2, index: 3, severity: 'wrong' });
    expect(o.findings.find((f) => f.kind === 'batch')).toMatchObject({ row: 2, severity: 'wrong' });
    expect(o.wrong).toBe(true);
  });
});

describe('aloneRows', () => {
  it('names the first, second, middle and last rows, each once, in order', () => {
    expect(aloneRows(1)).toEqual([0]);
    expect(aloneRows(2)).toEqual([0, 1]);
    expect(aloneRows(3)).toEqual([0, 1, 2]);
    expect(aloneRows(7)).toEqual([0, 1, 3, 6]);
    const B = 8 + Math.floor(Math.random() * 57);
    expect(aloneRows(B)).toEqual([0, 1, Math.floor(B / 2), B - 1]);
  });
});
