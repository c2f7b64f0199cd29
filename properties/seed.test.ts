/**
 * The suite's seed discipline: LOGITFUZZ_SEED (or the fixed default) is printed once here, every
 * property's seed derives from it, and a property failure names it with the replay command
 * besides fast-check's own seed and path.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { seedFromEnvironment } from '../src/api/seed.js';
import { assertProperty } from './_support/assertProperty.js';
import { DEFAULT_SUITE_SEED, SEED_FROM_ENVIRONMENT, SUITE_SEED } from './_support/seed.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('LOGITFUZZ_SEED', () => {
  test('the suite seed is LOGITFUZZ_SEED, else the fixed default (printed)', () => {
    console.info(
      `logitfuzz properties: LOGITFUZZ_SEED=${SUITE_SEED}${SEED_FROM_ENVIRONMENT ? '' : ' (the default; set LOGITFUZZ_SEED to change it)'}`,
    );
    expect(SUITE_SEED).toBe(seedFromEnvironment() ?? DEFAULT_SUITE_SEED);
  });

  test('every property seed derives from it: another LOGITFUZZ_SEED, other cases', async () => {
    vi.stubEnv('LOGITFUZZ_SEED', '123');
    const a = await import('./_support/seed.js');
    expect(a.SUITE_SEED).toBe(123);
    expect(a.SEED_FROM_ENVIRONMENT).toBe(true);
    const s123 = a.seedFor('p', 'impl');
    vi.resetModules();
    vi.stubEnv('LOGITFUZZ_SEED', '124');
    const b = await import('./_support/seed.js');
    expect(b.seedFor('p', 'impl')).not.toBe(s123);
    expect(b.seedFor('p', 'impl')).toBe(b.seedFor('p', 'impl'));
    expect(b.seedFor('p', 'impl')).not.toBe(b.seedFor('p', 'other'));
    expect(b.replayLine('properties/x.prop.test.ts', "it's")).toBe(
      "LOGITFUZZ_SEED=124; replay: LOGITFUZZ_SEED=124 npx vitest run properties/x.prop.test.ts -t 'it'\\''s'",
    );
  });

  test('a malformed LOGITFUZZ_SEED stops the suite, naming the variable', async () => {
    vi.stubEnv('LOGITFUZZ_SEED', '12abc');
    await expect(import('./_support/seed.js')).rejects.toThrow(/LOGITFUZZ_SEED: must be an integer/);
  });

  test("a failing property names LOGITFUZZ_SEED, the replay command, fast-check's seed and path, and the shrunk counterexample", async () => {
    const run = assertProperty({
      file: 'properties/x.prop.test.ts',
      testName: 'x',
      seedParts: ['seed.test'],
      arbitrary: fc.integer({ min: 0, max: 1000 }),
      numRuns: 200,
      check: (n) => {
        if (n >= 10) throw new Error(`too big: ${n}`);
      },
    });
    await expect(run).rejects.toThrow(
      /^LOGITFUZZ_SEED=-?\d+.*; replay: LOGITFUZZ_SEED=-?\d+ npx vitest run properties\/x\.prop\.test\.ts -t 'x'\n/,
    );
    await expect(run).rejects.toThrow(/seed: -?\d+, path: "[\d:]+"/);
    await expect(run).rejects.toThrow(/Counterexample: \[10\][\s\S]*too big: 10/);
  });
});
