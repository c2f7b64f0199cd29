import { describe, expect, it } from 'vitest';
import { userImplementation } from '../impls/load.js';
import type { AnyImplementation } from '../impls/types.js';
import { oracle } from '../oracle/oracle.js';
import type { CaseInput, JudgeOptions } from './protocol.js';
import { runCase } from './runCase.js';
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
