import { afterEach, describe, expect, test, vi } from 'vitest';
import { naiveSoftmax, stableSoftmax } from './_testutil/softmaxes.js';
import { expectSoftmax, SoftmaxExpectationError } from './vitest.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('expectSoftmax', () => {
  test('resolves to the passing verdict', async () => {
    const r = await expectSoftmax(stableSoftmax, { format: 'f32', runs: 30, seed: 4 });
    expect(r.verdict).toBe('pass');
  });

  test('rejects a naive softmax with the minimal counterexample, expected vs actual, ULPs, the seed and a replay command', async () => {
    let error: unknown;
    try {
      await expectSoftmax(naiveSoftmax, { runs: 20, seed: 12345 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SoftmaxExpectationError);
    const e = error as SoftmaxExpectationError;
    expect(e.result.verdict).toBe('fail');
    const m = e.message;
    expect(m).toMatch(
      /^expectSoftmax: naiveSoftmax fails softmax in f64: \d+ of \d+ cases failed \(seed 12345\)/,
    );
    expect(m).toMatch(/\noverflow \(wrong\) — \d+ cases?\n {2}input: {4}\[709\.78\d*\]\n/);
    expect(m).toMatch(
      /\n {2}expected: \[1\]\n {2}actual: {3}\[nan\]\n {2}error: {4}Infinity ULPs at element 0, budget \d+\n {2}why: {6}NaN at 0: exp overflows/,
    );
    expect(m).toContain(`oracle:   echo '{"op":"softmax","format":"f64","x":[709.78`);
    expect(m).toMatch(/\nseed: 12345\nreplay: LOGITFUZZ_SEED=12345 npx vitest run$/);
    await expect(expectSoftmax(naiveSoftmax, { runs: 5, seed: 1 })).rejects.toThrow(/overflow/);
  });

  test('names the function and the replay command as told', async () => {
    await expect(
      expectSoftmax((x) => naiveSoftmax(x), { runs: 5, seed: 1, name: 'mine', replay: 'npm run fuzz' }),
    ).rejects.toThrow(/^expectSoftmax: mine fails[\s\S]*replay: npm run fuzz$/);
    await expect(expectSoftmax((x) => naiveSoftmax(x), { runs: 5, seed: 1 })).rejects.toThrow(
      /^expectSoftmax: the function fails/,
    );
  });

  test('takes its seed from LOGITFUZZ_SEED, so the replay command repeats the run', async () => {
    vi.stubEnv('LOGITFUZZ_SEED', '777');
    await expect(expectSoftmax(naiveSoftmax, { runs: 5 })).rejects.toThrow(
      /seed: 777\nreplay: LOGITFUZZ_SEED=777 npx vitest run$/,
    );
  });

  test('rejects bad arguments, naming the field', async () => {
    await expect(expectSoftmax(stableSoftmax, { name: 3 as never })).rejects.toThrow(
      /^name: must be a string/,
    );
    await expect(expectSoftmax(stableSoftmax, { replay: {} as never })).rejects.toThrow(
      /^replay: must be a string/,
    );
    await expect(expectSoftmax(stableSoftmax, { format: 'f128' as never })).rejects.toThrow(
      /^format: unknown format 'f128'/,
    );
  });
});
