import { describe, expect, it } from 'vitest';
import { checkRunRecord, parseRunRecord, RecordError } from './load.js';
import { fixtureRecord, mutableCopy } from './_testutil/fixture.js';

describe('parseRunRecord', () => {
  const text = JSON.stringify(fixtureRecord());

  it('reads a results.json written by run', () => {
    expect(parseRunRecord(text, 'f').implementations.length).toBeGreaterThan(5);
  });

  it('names the file and the problem for text that is not JSON, another schema, or a damaged record', () => {
    expect(() => parseRunRecord('{"schema": "logitfuzz/run@1",', 'base.json')).toThrow(
      /^base\.json is not valid JSON/,
    );
    expect(() => parseRunRecord('[]', 'x')).toThrow(/not a logitfuzz run record/);
    expect(() => parseRunRecord('{"schema":"logitfuzz/vet@1"}', 'v.json')).toThrow(/'vet --json' verdict/);
    expect(() => parseRunRecord('{"schema":"logitfuzz/cases@1"}', 'c')).toThrow(/cases stream/);
    expect(() =>
      parseRunRecord('{"schema":"logitfuzz/cases@1","key":"k"}\n{"id":0}\n', 'cases.jsonl'),
    ).toThrow(/^cases\.jsonl is a cases stream \(logitfuzz\/cases@1\); give the results\.json beside it/);
    expect(() => parseRunRecord('{"schema":"logitfuzz/run@3"}', 'c')).toThrow(/of schema "logitfuzz\/run@3"/);
    expect(() => parseRunRecord('{}', 'c')).toThrow(/without a schema field/);
    const m = mutableCopy(fixtureRecord());
    (m.implementations[2].ulp as { histogram: unknown }).histogram = 'oops';
    expect(() => checkRunRecord(m, 'h.json')).toThrow(
      /^h\.json: implementations\[2\]\.ulp\.histogram should be an array of counts/,
    );
    const d = mutableCopy(fixtureRecord());
    d.implementations[1].name = d.implementations[0].name;
    expect(() => checkRunRecord(d, 'd')).toThrow(/implementations\[1\]\.name should be unique/);
    const v = mutableCopy(fixtureRecord());
    (v.implementations[0] as { verdict: string }).verdict = 'maybe';
    expect(() => checkRunRecord(v, 'v')).toThrow(RecordError);
  });
});
