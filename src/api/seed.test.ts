import { describe, expect, test } from 'vitest';
import { isSeed, resolveSeed, seedFromEnvironment } from './seed.js';

describe('seeds', () => {
  test('LOGITFUZZ_SEED: unset or empty is undefined, an integer is taken, anything else is an error naming it', () => {
    expect(seedFromEnvironment({})).toBeUndefined();
    expect(seedFromEnvironment({ LOGITFUZZ_SEED: ' ' })).toBeUndefined();
    expect(seedFromEnvironment({ LOGITFUZZ_SEED: '42' })).toBe(42);
    expect(seedFromEnvironment({ LOGITFUZZ_SEED: '-7' })).toBe(-7);
    for (const bad of ['1.5', '0x10', 'seed', '99999999999', '1e3'])
      expect(() => seedFromEnvironment({ LOGITFUZZ_SEED: bad }), bad).toThrow(
        /^LOGITFUZZ_SEED: must be an integer/,
      );
  });
  test('an explicit seed wins and is validated, naming the field', () => {
    expect(resolveSeed(5)).toBe(5);
    expect(() => resolveSeed(0.5, 'options.seed')).toThrow(/^options\.seed: must be an integer/);
    expect(resolveSeed(undefined, 'seed', () => 123)).toBe(
      process.env.LOGITFUZZ_SEED ? Number(process.env.LOGITFUZZ_SEED) : 123,
    );
    expect(isSeed(2 ** 31 - 1) && isSeed(-(2 ** 31)) && !isSeed(2 ** 31)).toBe(true);
  });
});
