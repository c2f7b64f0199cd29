import { deriveSeed } from '../../src/campaign/seed.js';
import { SEED_VARIABLE, seedFromEnvironment } from '../../src/api/seed.js';

/**
 * The property suite's seed: LOGITFUZZ_SEED when set (CI fixes one in .ci/run), else this
 * fixed default, so that `npm test` is reproducible by default and a failure replays with
 * `LOGITFUZZ_SEED=<seed> npx vitest run <file>`.
 */
export const DEFAULT_SUITE_SEED = 20_240_611;

/** The seed every property of this run derives its own seed from. */
export const SUITE_SEED: number = seedFromEnvironment() ?? DEFAULT_SUITE_SEED;

/** Whether SUITE_SEED came from LOGITFUZZ_SEED (rather than the default). */
export const SEED_FROM_ENVIRONMENT: boolean = seedFromEnvironment() !== undefined;

/**
 * The seed of one property: derived from SUITE_SEED and the property's identity (its name, the
 * implementation, the region …), so that properties draw different cases from one suite seed and
 * adding a property does not change the cases of the others.
 */
export function seedFor(...parts: (string | number)[]): number {
  return deriveSeed(SUITE_SEED, ...parts);
}

/** One line for failure messages: the suite seed and the command that replays the file. */
export function replayLine(file: string, testName?: string): string {
  const t = testName ? ` -t '${testName.replace(/'/g, "'\\''")}'` : '';
  return `${SEED_VARIABLE}=${SUITE_SEED}${SEED_FROM_ENVIRONMENT ? '' : ' (the default)'}; replay: ${SEED_VARIABLE}=${SUITE_SEED} npx vitest run ${file}${t}`;
}
