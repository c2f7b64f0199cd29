/**
 * Replays the corpus (properties/corpus/*.json, see _support/corpus.ts): past shrunk
 * counterexamples, run on every test run. An implementation the registry expects to fail must
 * still show the stored finding kind; one expected to pass must show nothing that fails a
 * verdict. Entries for implementations that are not selected (LOGITFUZZ_PROP_BACKENDS) or not
 * available here are skipped with the reason; an entry naming an implementation the registry no
 * longer has fails (rename or delete the entry).
 *
 * To keep a new counterexample: a failing property prints the entry ("keep it: save as
 * properties/corpus/<name>.json: {...}"); write it to a file with a descriptive name.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { allImplementations } from '../src/impls/registry.js';
import { CorpusError, loadCorpus, parseCorpusEntry } from './_support/corpus.js';
import { describe as describeFailure, evaluate } from './_support/evaluate.js';
import { disposeAll, subjects } from './_support/implementations.js';

const DIR = fileURLToPath(new URL('./corpus/', import.meta.url));
const entries = loadCorpus(DIR);
const names = new Set(entries.map((e) => e.impl));
const list = await subjects((impl) => names.has(impl.name));
afterAll(() => disposeAll(list));
const registry = new Map(allImplementations().map((i) => [i.name, i]));

describe('corpus', () => {
  test('holds counterexamples of both kinds of expectation', () => {
    expect(entries.length).toBeGreaterThanOrEqual(10);
    const expectations = new Set(entries.map((e) => registry.get(e.impl)?.expected.inaccurate));
    expect([...expectations].sort()).toEqual(['fail', 'pass']);
  });

  test.each(entries.map((e) => [e.file, e] as const))('%s', async (_file, entry) => {
    const known = registry.get(entry.impl);
    expect(
      known,
      `${entry.file}: the registry has no implementation '${entry.impl}' (renamed or removed? update or delete the entry)`,
    ).toBeDefined();
    expect(
      { op: known!.op, format: known!.format },
      `${entry.file}: op and format disagree with the registry's ${entry.impl}`,
    ).toEqual({ op: entry.op, format: entry.format });
    const subject = list.find((s) => s.impl.name === entry.impl);
    if (!subject || subject.unavailable !== null) {
      // not selected by LOGITFUZZ_PROP_BACKENDS, or no device/library here
      console.info(
        `corpus ${entry.file}: skipped, ${subject ? subject.unavailable : `backend '${known!.backend}' not selected`}`,
      );
      return;
    }
    const e = await evaluate(subject.impl, entry.x, entry.label);
    if (known!.expected.inaccurate === 'fail') {
      const kinds = e.judgement.findings.map((f) => f.kind);
      expect(
        kinds,
        `${entry.file}: ${entry.impl} no longer shows '${entry.kind}' (${entry.note})\n${describeFailure(subject.impl, e, e.judgement.findings)}`,
      ).toContain(entry.kind);
    } else {
      expect(
        e.failing,
        `${entry.file}: ${entry.impl} regressed (${entry.note})\n${describeFailure(subject.impl, e)}`,
      ).toEqual([]);
    }
  });
});

describe('corpus files are validated, naming the file and field', () => {
  const ok = {
    impl: 'softmax/naive/f64',
    op: 'softmax',
    format: 'f64',
    x: [710],
    kind: 'overflow',
    note: 'n',
  };
  test.each([
    ['not JSON', '{', /a\.json: \(file\): not JSON/],
    ['unknown field', JSON.stringify({ ...ok, extra: 1 }), /a\.json: extra: unknown field/],
    ['bad op', JSON.stringify({ ...ok, op: 'softmin' }), /a\.json: op: unknown op/],
    ['bad format', JSON.stringify({ ...ok, format: 'f8' }), /a\.json: format: unknown format/],
    [
      'unrepresentable logit',
      JSON.stringify({ ...ok, format: 'f32', x: [0.1] }),
      /a\.json: x: element 0 \(0\.1\) is not representable in f32/,
    ],
    ['bad number', JSON.stringify({ ...ok, x: ['infinity'] }), /a\.json: x: /],
    [
      'missing label',
      JSON.stringify({ ...ok, op: 'cross_entropy' }),
      /a\.json: label: cross_entropy needs an integer label in \[0, 1\)/,
    ],
    ['stray label', JSON.stringify({ ...ok, label: 0 }), /a\.json: label: softmax takes no label/],
    ['bad kind', JSON.stringify({ ...ok, kind: 'oops' }), /a\.json: kind: must be a finding kind/],
    ['empty note', JSON.stringify({ ...ok, note: ' ' }), /a\.json: note: /],
  ])('%s', (_what, text, message) => {
    expect(() => parseCorpusEntry('a.json', text)).toThrow(CorpusError);
    expect(() => parseCorpusEntry('a.json', text)).toThrow(message);
  });
  test('special values decode', () => {
    const x = parseCorpusEntry('a.json', JSON.stringify({ ...ok, x: ['inf', '-inf', 'nan', '-0'] })).x;
    expect(x.slice(0, 3)).toEqual([Infinity, -Infinity, NaN]);
    expect(Object.is(x[3], -0)).toBe(true);
  });
});
