import fc, { type Arbitrary } from 'fast-check';
import { replayLine, seedFor } from './seed.js';

/** One property run: what to check, on what, how many times, and how to name it in a failure. */
export interface PropertyRun<T> {
  /** The test file, for the replay command (e.g. 'properties/withinBudget.prop.test.ts'). */
  readonly file: string;
  /** The test's full name, for `-t` in the replay command. */
  readonly testName: string;
  /** The parts the property's seed is derived from (with LOGITFUZZ_SEED). */
  readonly seedParts: readonly (string | number)[];
  readonly arbitrary: Arbitrary<T>;
  readonly numRuns: number;
  /** Throws (with a message naming input, expected, actual, ULPs) when the property does not hold. */
  readonly check: (value: T) => Promise<void> | void;
}

/**
 * fc.assert with the suite's seed discipline: the seed is derived from LOGITFUZZ_SEED and
 * `seedParts`, and a failure's message starts with LOGITFUZZ_SEED and the command that replays the
 * test, followed by fast-check's report (its own seed and shrink path, the shrunk counterexample,
 * and — includeErrorInReport — the check's message on it).
 */
export async function assertProperty<T>(run: PropertyRun<T>): Promise<void> {
  const seed = seedFor(...run.seedParts);
  try {
    await fc.assert(
      fc.asyncProperty(run.arbitrary, async (v) => {
        await run.check(v);
      }),
      { seed, numRuns: run.numRuns, includeErrorInReport: true },
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${replayLine(run.file, run.testName)}\n${message}`, { cause: e });
  }
}
