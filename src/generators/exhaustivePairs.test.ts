import { describe, expect, test } from 'vitest';
import { BF16, F16 } from '../formats/specs.js';
import { toBits } from '../formats/bits.js';
import type { FormatSpec } from '../formats/types.js';
import { exhaustivePairs } from './exhaustivePairs.js';

describe.each([F16, BF16])('exhaustivePairs($name)', (fmt: FormatSpec) => {
  // finite patterns: every exponent field but the all-ones one, every fraction, both signs
  const expected = 2 * (2 ** fmt.exponentBits - 1) * 2 ** fmt.fractionBits;
  const name = fmt.name as 'f16' | 'bf16';

  test(`yields every finite t exactly once, [0, t], in increasing order (${expected} cases)`, () => {
    const fam = exhaustivePairs(name);
    expect(fam.size).toBe(expected);
    const seen = new Set<bigint>();
    let prev = -Infinity;
    let count = 0;
    for (const c of fam) {
      if (c.x.length !== 2 || 'label' in c || !Number.isFinite(c.x[1]))
        throw new Error(`bad case ${JSON.stringify(c)}`);
      if (c.region !== 'exhaustive-pairs') throw new Error(`region ${c.region}`);
      if (!Object.is(c.x[0], 0)) throw new Error(`first logit ${c.x[0]}`);
      const t = c.x[1];
      const ordered = t > prev || (t === 0 && prev === 0 && Object.is(t, 0)) || count === 0;
      if (!ordered) throw new Error(`out of order at ${count}: ${prev} then ${t}`);
      seen.add(toBits(fmt, t));
      prev = t;
      count++;
    }
    expect(count).toBe(expected);
    expect(seen.size).toBe(expected);
    expect(fam.at(0).x[1]).toBe(-fmt.maxFinite);
    expect(fam.at(expected - 1).x[1]).toBe(fmt.maxFinite);
    expect(Object.is(fam.at(expected / 2 - 1).x[1], -0)).toBe(true);
    expect(Object.is(fam.at(expected / 2).x[1], 0)).toBe(true);
  });

  test('label 0 for the label-taking ops; at() agrees with iteration; bad indices throw', () => {
    const fam = exhaustivePairs(name, { op: 'cross_entropy' });
    let i = 0;
    for (const c of fam) {
      if (c.label !== 0) throw new Error(`label ${c.label}`);
      if (i % 977 === 0) expect(fam.at(i)).toEqual(c);
      i++;
    }
    expect(() => fam.at(-1)).toThrow(/^index: /);
    expect(() => fam.at(expected)).toThrow(/^index: /);
    expect(() => fam.at(1.5)).toThrow(/^index: /);
  });
});
