/**
 * Seeds of the public API and of the property suite.
 *
 * One environment variable fixes every seed: `LOGITFUZZ_SEED`. CI sets it (`.ci/run`), a failure
 * message prints it, and setting it again replays the same cases: `vet` and `expectSoftmax`
 * use it when no `seed` option is given, the property suite derives every property's seed from it.
 */

/** The environment variable that fixes the seed. */
export const SEED_VARIABLE = 'LOGITFUZZ_SEED';

/** Seeds are 32-bit signed integers, as fast-check takes them. */
const MIN_SEED = -(2 ** 31);
const MAX_SEED = 2 ** 31 - 1;

/**
 * Whether `seed` is a valid seed: an integer in [−2^31, 2^31 − 1] (fast-check's seed range).
 */
export function isSeed(seed: unknown): seed is number {
  return typeof seed === 'number' && Number.isInteger(seed) && seed >= MIN_SEED && seed <= MAX_SEED;
}

/**
 * The seed in `LOGITFUZZ_SEED`, or undefined when the variable is unset or empty.
 *
 * Throws a RangeError naming LOGITFUZZ_SEED when it is set to anything but a decimal integer in
 * [−2^31, 2^31 − 1] (a typo must not silently become a random seed).
 */
export function seedFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number | undefined {
  const raw = env[SEED_VARIABLE];
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  const v = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!isSeed(v))
    throw new RangeError(`${SEED_VARIABLE}: must be an integer in [${MIN_SEED}, ${MAX_SEED}], got '${raw}'`);
  return v;
}

/** A fresh random seed (for when neither an option nor LOGITFUZZ_SEED gives one). */
function randomSeed(): number {
  return (Math.random() * MAX_SEED) | 0;
}

/**
 * The seed to use: `explicit` when given (validated, RangeError naming `field`), else
 * LOGITFUZZ_SEED, else `fallback()` (default: a random seed). The result is always recorded in
 * what the caller returns, so any run can be repeated.
 */
export function resolveSeed(explicit: unknown, field = 'seed', fallback: () => number = randomSeed): number {
  if (explicit !== undefined) {
    if (!isSeed(explicit))
      throw new RangeError(
        `${field}: must be an integer in [${MIN_SEED}, ${MAX_SEED}], got ${String(explicit)}`,
      );
    return explicit;
  }
  return seedFromEnvironment() ?? fallback();
}
