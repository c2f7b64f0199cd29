import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { OPS } from '../vocabulary/Op.js';
import type { LogitCase } from './LogitCase.js';
import { logits } from './logits.js';

/**
 * The fixture was written by _fixtures/capture-max-length-64.mjs from the generators as they were
 * before the long lengths became the default: maxLength below 256 must still give those cases.
 */
const fixture = JSON.parse(
  readFileSync(new URL('./_fixtures/max-length-64.json', import.meta.url), 'utf8'),
) as { samples: string[]; digests: Record<string, string> };

/** One case as a line of text: a copy of `encode` in capture-max-length-64.mjs. */
const encode = (c: LogitCase): string =>
  `${c.region} label=${c.label ?? '-'} x=${c.x.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}`;

const digest = (cases: LogitCase[]): string =>
  createHash('sha256').update(cases.map(encode).join('\n')).digest('hex');

describe('maxLength below 256 gives the cases of the generators before long lengths became the default', () => {
  test('20 cases of logits({ format: f32, op: softmax, maxLength: 64 }), seed 42, element for element', () => {
    const cases = fc.sample(logits({ format: 'f32', op: 'softmax', maxLength: 64 }), {
      seed: 42,
      numRuns: 20,
    });
    expect(cases.map(encode)).toEqual(fixture.samples);
  });

  test('every format × op × specials × length bounds (maxLength 64, 5..7, 200): same digests', () => {
    const bounds = [{ maxLength: 64 }, { minLength: 5, maxLength: 7 }, { maxLength: 200 }];
    const got: Record<string, string> = {};
    for (const format of FORMAT_NAMES)
      for (const op of OPS)
        for (const specials of [false, true])
          for (const b of bounds) {
            const key = `${format} ${op} specials=${specials} ${b.minLength ?? 1}..${b.maxLength}`;
            got[key] = digest(fc.sample(logits({ format, op, specials, ...b }), { seed: 7, numRuns: 30 }));
          }
    expect(Object.keys(got).length).toBe(120);
    expect(got).toEqual(fixture.digests);
  });

  test('the default is no longer maxLength 64: the same seed gives other cases', () => {
    const cases = fc.sample(logits({ format: 'f32', op: 'softmax' }), { seed: 42, numRuns: 20 });
    expect(cases.map(encode)).not.toEqual(fixture.samples);
  });
});
