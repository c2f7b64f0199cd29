/**
 * `logitfuzz/vitest`: fuzz a softmax inside a test.
 *
 * ```ts
 * import { test } from 'vitest';
 * import { expectSoftmax } from 'logitfuzz/vitest';
 * test('stable', async () => { await expectSoftmax(mySoftmax, { format: 'f32' }); });
 * ```
 *
 * Nothing here imports vitest: a failure is a thrown Error, which every test runner reports, so
 * the same call works under vitest, node:test or jest.
 */
import { formatVetResult } from './formatVet.js';
import { vet, type SoftmaxLike, type VetOptions, type VetResult } from './vet.js';

export type { SoftmaxLike, VetFinding, VetOptions, VetResult } from './vet.js';
export { formatVetResult, type FormatVetOptions } from './formatVet.js';

/**
 * `expectSoftmax`'s default maxLength: rows to 4096 (1 random case in 8 above 256 still comes from
 * the `long` region), short enough for a unit test's time limit; vet's default is 262,144.
 */
const EXPECT_MAX_LENGTH = 4096;

/** minLength when it is a number (vet validates it), else 0: the default maxLength must not fall below it. */
function shortest(minLength: unknown): number {
  return typeof minLength === 'number' && Number.isFinite(minLength) ? minLength : 0;
}

/**
 * Options of `expectSoftmax`: `vet`'s, plus how to name the function and replay the run in the
 * message. `maxLength` defaults to 4096 here (or minLength, if larger), not vet's 262,144: pass
 * `maxLength: 262_144` (and a test timeout to match) for vocabulary-sized rows.
 */
export interface ExpectSoftmaxOptions extends VetOptions {
  /**
   * What to call the function in the failure message.
   * @defaultValue the function's name, else 'the function'
   */
  readonly name?: string;
  /**
   * The command the failure message gives to repeat the run.
   * @defaultValue `LOGITFUZZ_SEED=<seed> npx vitest run`
   */
  readonly replay?: string;
}

/** The error `expectSoftmax` throws: the message is the report, `result` the whole verdict. */
export class SoftmaxExpectationError extends Error {
  constructor(
    message: string,
    readonly result: VetResult,
  ) {
    super(message);
    this.name = 'SoftmaxExpectationError';
  }
}

/**
 * Fuzzes `fn` with `vet` (in-process: extreme-logit generators, the correctly rounded oracle,
 * the findings judge, shrinking) and resolves to the verdict when it passes. When it fails,
 * rejects with a SoftmaxExpectationError whose message names each finding kind with its minimal
 * counterexample — input, expected and actual values, the error in ULPs and the budget, the
 * likely mechanism — then the seed and a replay command (`LOGITFUZZ_SEED=<seed> npx vitest run`:
 * without a `seed` option the run takes its seed from LOGITFUZZ_SEED, else a random one).
 *
 * Lengths: rows to 4096 unless `maxLength` says otherwise (see ExpectSoftmaxOptions).
 *
 * Throws (rejects with) a TypeError or RangeError naming the field for bad arguments, as `vet`.
 */
export async function expectSoftmax(fn: SoftmaxLike, options: ExpectSoftmaxOptions = {}): Promise<VetResult> {
  const { name, replay, ...vetOptions } = options ?? {};
  if (name !== undefined && typeof name !== 'string')
    throw new RangeError(`name: must be a string, got ${String(name)}`);
  if (replay !== undefined && typeof replay !== 'string')
    throw new RangeError(`replay: must be a string, got ${String(replay)}`);
  // rows to 4096 keep a test within a unit test's time limit; `maxLength: 262_144` asks for vet's full lengths
  const maxLength = vetOptions.maxLength ?? Math.max(EXPECT_MAX_LENGTH, shortest(vetOptions.minLength));
  const result = await vet(fn, { ...vetOptions, maxLength });
  if (result.verdict === 'pass') return result;
  const label = name ?? (typeof fn === 'function' && fn.name ? fn.name : 'the function');
  throw new SoftmaxExpectationError(
    `expectSoftmax: ${formatVetResult(result, { name: label, ...(replay !== undefined ? { replay } : {}) })}`,
    result,
  );
}
