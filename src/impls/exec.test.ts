import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { judge } from '../metrics/judge.js';
import { oracle } from '../oracle/index.js';
import { execImplementation } from './exec.js';
import { Unavailable, type AnyImplementation } from './types.js';
import type { Op } from '../vocabulary/Op.js';

const program = fileURLToPath(new URL('../../test/fixtures/exec/batch_ops.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lf-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let logs = 0;

/** The fixture program behind exec, logging its requests; `requests()` reads them back parsed. */
function start(op: Op, batch: boolean, extra = '') {
  const log = join(dir, `requests-${logs++}.jsonl`);
  const impl = execImplementation(
    `${op}/exec/f64`,
    `${JSON.stringify(process.execPath)} ${JSON.stringify(program)} --log ${JSON.stringify(log)} ${extra}`,
    op,
    'f64',
    batch,
  );
  // the first request is setup's probe (logits [0, 1]); the run's own follow
  const all = () => readFileSync(log, 'utf8').trim().split('\n');
  const lines = () => all().slice(1);
  return {
    impl,
    probe: () => all()[0],
    lines,
    requests: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

async function using<T>(impl: AnyImplementation, f: () => Promise<T>): Promise<T> {
  await impl.setup?.();
  try {
    return await f();
  } finally {
    await impl.dispose?.();
  }
}

const rows = () => [
  Float64Array.from([1, 2, 3]),
  Float64Array.from([0, -Infinity, 4]),
  Float64Array.from([5, 5]),
  Float64Array.from([-1, 0.5, 2]),
];

describe('execImplementation without --batch (row requests, as before)', () => {
  it('writes one {"id","op","format","x","label"} line per row, codec-encoded', async () => {
    const { impl, lines } = start('cross_entropy', false);
    const answers = await using(impl, () =>
      impl.run([Float64Array.from([0, -Infinity]), Float64Array.from([-0, 2])], [0, 1]),
    );
    expect(lines()).toEqual([
      '{"id":2,"op":"cross_entropy","format":"f64","x":[0,"-inf"],"label":0}',
      '{"id":3,"op":"cross_entropy","format":"f64","x":["-0",2],"label":1}',
    ]);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toEqual([0]);
  });

  it('leaves the label out for the ops without one', async () => {
    const { impl, lines, probe } = start('softmax', false);
    await using(impl, () => impl.run([Float64Array.from([1])]));
    expect(lines()).toEqual(['{"id":2,"op":"softmax","format":"f64","x":[1]}']);
    expect(probe()).toBe('{"id":1,"op":"softmax","format":"f64","x":[0,1]}');
  });
});

describe('execImplementation: setup probe, unavailable and error answers', () => {
  /** A program answering every request with `answer` (its id kept). */
  const answering = (answer: Record<string, unknown>) =>
    execImplementation(
      'softmax/exec/f16',
      `${JSON.stringify(process.execPath)} -e ${JSON.stringify(
        `require('readline').createInterface({input: process.stdin}).on('line', (l) => { const {id} = JSON.parse(l); console.log(JSON.stringify({id, ...${JSON.stringify(answer)}})); })`,
      )}`,
      'softmax',
      'f16',
    );

  it('sends a batch probe of one row of [0, 1] in the batch form, label 0 for the label ops', async () => {
    const b = start('cross_entropy', true);
    await using(b.impl, () => b.impl.run([Float64Array.from([1, 2])], [1]));
    expect(JSON.parse(b.probe())).toEqual({
      id: 1,
      op: 'cross_entropy',
      format: 'f64',
      shape: [1, 2],
      x: [0, 1],
      labels: [0],
    });
  });

  it('is unavailable, with the reason, when the program answers the probe {"unavailable": reason}', async () => {
    const impl = answering({ unavailable: 'no f16 kernel on this CPU' });
    try {
      await expect(impl.setup!()).rejects.toThrow(new Unavailable('no f16 kernel on this CPU'));
    } finally {
      await impl.dispose?.();
    }
  });

  it('fails the call with the program\'s message on {"error": message}', async () => {
    const impl = answering({ error: 'ValueError: the labels array needs two labels' });
    try {
      await impl.setup!();
      await expect(impl.run([Float64Array.from([1])])).rejects.toThrow(
        /the program reported: ValueError: the labels array needs two labels/,
      );
    } finally {
      await impl.dispose?.();
    }
  });
});

describe('execImplementation with --batch', () => {
  it('sends one request per row length, shape [B, n] and x flat, and gives each row what the row form gives', async () => {
    const b = start('softmax', true);
    const r = start('softmax', false);
    const batched = await using(b.impl, () => b.impl.run(rows()));
    const alone = await using(r.impl, () => r.impl.run(rows()));
    expect(b.requests()).toEqual([
      { id: 2, op: 'softmax', format: 'f64', shape: [3, 3], x: [1, 2, 3, 0, '-inf', 4, -1, 0.5, 2] },
      { id: 3, op: 'softmax', format: 'f64', shape: [1, 2], x: [5, 5] },
    ]);
    expect(r.requests()).toHaveLength(4);
    expect(batched).toEqual(alone);
    expect(batched[2]).toEqual([0.5, 0.5]);
  });

  it('sends the labels of the rows, and splits one value per row for cross_entropy', async () => {
    const b = start('cross_entropy', true);
    const r = start('cross_entropy', false);
    const input = [Float64Array.from([1, 2]), Float64Array.from([3, 4, 5]), Float64Array.from([0, 0])];
    const labels = [1, 2, 0];
    const batched = await using(b.impl, () => b.impl.run(input, labels));
    const alone = await using(r.impl, () => r.impl.run(input, labels));
    expect(b.requests()).toEqual([
      { id: 2, op: 'cross_entropy', format: 'f64', shape: [2, 2], x: [1, 2, 0, 0], labels: [1, 0] },
      { id: 3, op: 'cross_entropy', format: 'f64', shape: [1, 3], x: [3, 4, 5], labels: [2] },
    ]);
    expect(batched).toEqual(alone);
    expect(batched[2]).toEqual([Math.LN2]);
  });

  it('turns a flat answer one value short into a shape finding for the last row of the batch', async () => {
    const { impl } = start('softmax', true, '--drop 1');
    const input = [Float64Array.from([1, 2, 3]), Float64Array.from([0, 0, 0])];
    const answers = await using(impl, () => impl.run(input));
    const kinds = answers.map((actual, k) =>
      judge({
        op: 'softmax',
        format: 'f64',
        x: input[k],
        actual,
        reference: oracle('softmax', 'f64', input[k]).values,
      }).findings.map((f) => f.kind),
    );
    expect(kinds[0]).not.toContain('shape');
    expect(kinds[1]).toEqual(['shape']);
  });

  it('fails the whole batch when a program that only takes rows answers with a line that is not JSON', async () => {
    const { impl } = start('softmax', true, '--rows-only');
    await expect(using(impl, () => impl.run(rows()))).rejects.toThrow(/protocol: .*not JSON/);
  });
});
