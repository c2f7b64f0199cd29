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

/** Options of `expectSoftmax`: `vet`'s, plus how to name the function and replay the run in the message. */
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
 * Throws (rejects with) a TypeError or RangeError naming the field for bad arguments, as `vet`.
 */
export async function expectSoftmax(fn: SoftmaxLike, options: ExpectSoftmaxOptions = {}): Promise<VetResult> {
  const { name, replay, ...vetOptions } = options ?? {};
  if (name !== undefined && typeof name !== 'string')
    throw new RangeError(`name: must be a string, got ${String(name)}`);
  if (replay !== undefined && typeof replay !== 'string')
    throw new RangeError(`replay: must be a string, got ${String(replay)}`);
  const result = await vet(fn, vetOptions);
  if (result.verdict === 'pass') return result;
  const label = name ?? (typeof fn === 'function' && fn.name ? fn.name : 'the function');
  throw new SoftmaxExpectationError(
    `expectSoftmax: ${formatVetResult(result, { name: label, ...(replay !== undefined ? { replay } : {}) })}`,
    result,
  );
}
