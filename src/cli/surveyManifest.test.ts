import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { parseSurveyManifest, SURVEY_MANIFEST_SCHEMA } from './surveyManifest.js';

const entry = (over: Record<string, unknown> = {}) => ({
  id: 'lib',
  library: 'a library',
  ecosystem: 'npm',
  module: 'adapter.mjs',
  calls: { softmax: 'softmax' },
  formats: ['f64', 'f32'],
  expected: { 'softmax/f64': 'pass', 'softmax/f32': 'wrong' },
  ...over,
});
const manifest = (...entries: unknown[]) => ({ schema: SURVEY_MANIFEST_SCHEMA, entries });

describe('parseSurveyManifest', () => {
  it('reads a good manifest, paths relative to its folder', () => {
    const m = parseSurveyManifest(
      manifest(entry(), entry({ id: 'two', module: undefined, exec: 'prog', batch: true })),
      '/x/y/m.json',
    );
    expect(m.dir).toBe('/x/y');
    expect(m.entries.map((e) => [e.id, e.module ?? e.exec, e.batch ?? false])).toEqual([
      ['lib', 'adapter.mjs', false],
      ['two', 'prog', true],
    ]);
    expect(m.entries[0].expected['softmax/f32']).toBe('wrong');
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'another schema',
      { schema: 'x', entries: [entry()] },
      /m\.json: schema must be "logitfuzz\/survey-manifest@1"/,
    ],
    ['no entries', manifest(), /entries must be a non-empty array/],
    [
      'two ways to call it',
      manifest(entry({ exec: 'p' })),
      /entries\[0\] must be given exactly one of "module", "exec" and "builtin"/,
    ],
    ['a duplicate id', manifest(entry(), entry()), /entries\[1\]\.id must be unique \("lib" appears twice\)/],
    ['an id that is not a slug', manifest(entry({ id: 'A B' })), /entries\[0\]\.id must be a slug/],
    [
      'an unknown op',
      manifest(entry({ calls: { softmaxx: 'f' } })),
      /entries\[0\]\.calls must be keyed by ops .* got "softmaxx"/,
    ],
    [
      'an unknown format',
      manifest(entry({ formats: ['f8'] })),
      /entries\[0\]\.formats must be a non-empty array of f64, f32, f16, bf16/,
    ],
    [
      'a missing expectation',
      manifest(entry({ expected: { 'softmax/f64': 'pass' } })),
      /entries\[0\]\.expected\["softmax\/f32"\] must be one of pass, inaccurate, wrong, unavailable/,
    ],
    [
      'an expectation for an op not called',
      manifest(
        entry({ expected: { 'softmax/f64': 'pass', 'softmax/f32': 'pass', 'logsumexp/f64': 'pass' } }),
      ),
      /entries\[0\]\.expected\["logsumexp\/f64"\] must be an "op\/format" of "calls" × "formats"/,
    ],
    [
      'batch on a module',
      manifest(entry({ batch: true })),
      /entries\[0\]\.batch must be true or false, and only with "exec"/,
    ],
    [
      'a known issue that is not a URL',
      manifest(entry({ knownIssues: { softmax: 'see #12' } })),
      /entries\[0\]\.knownIssues must be/,
    ],
  ];
  for (const [what, value, message] of bad)
    it(`rejects ${what}, naming the field`, () => {
      expect(() => parseSurveyManifest(value, 'm.json')).toThrow(InputError);
      expect(() => parseSurveyManifest(value, 'm.json')).toThrow(message);
    });
});
