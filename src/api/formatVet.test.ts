import { describe, expect, test } from 'vitest';
import { naiveSoftmax, stableSoftmax } from './_testutil/softmaxes.js';
import { formatVetResult, oracleCommand, showVector } from './formatVet.js';
import { vet } from './vet.js';

describe('formatVetResult', () => {
  test('a pass is one verdict line, the seed and the replay command', async () => {
    const r = await vet(stableSoftmax, { runs: 5, seed: 3, specials: 'skip' });
    expect(formatVetResult(r, { name: 's' })).toMatch(
      /^s passes softmax in f64: \d+ cases, max error \d+ ULPs \(seed 3\)\n\nseed: 3\nreplay: LOGITFUZZ_SEED=3 npx vitest run$/,
    );
  });

  test('a failure lists each kind with its shrunk input and where it came from', async () => {
    const r = await vet(naiveSoftmax, { runs: 20, seed: 8 });
    const text = formatVetResult(r);
    for (const f of r.findings) expect(text).toContain(`\n${f.kind}`);
    expect(text).toMatch(/found: {4}case \d+ \(\S+\)/);
  });

  test('vectors show special values as the JSON codec writes them, and long ones shortened', () => {
    expect(showVector([1, NaN, Infinity, -Infinity, -0])).toBe('[1, nan, inf, -inf, -0]');
    expect(showVector(new Array(100).fill(0))).toBe('[0 ×100]');
    expect(showVector(Array.from({ length: 100 }, (_, i) => i))).toBe('[0, 1, 2, … 94 more …, 97, 98, 99]');
  });

  test('a long counterexample is elided, with no oracle command too long to print', async () => {
    // a function that fails on every input, so the first (long) case is a finding kept unshrunk
    const r = await vet((x: ArrayLike<number>) => new Float64Array(x.length).fill(NaN), {
      runs: 3,
      seed: 5,
      specials: 'skip',
      minLength: 100,
      maxLength: 100,
      shrinkEvals: 0,
      probes: false,
    });
    const text = formatVetResult(r);
    expect(r.findings.some((f) => f.input.length === 100)).toBe(true);
    expect(text).toMatch(/more …/);
    expect(text).toMatch(
      /oracle: {3}too long to print \(100 logits\): oracleCommand\(result, result\.findings\[\d+\]\)/,
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThan(400);
  });

  test('the oracle command is a valid `logitfuzz oracle` line, labels included', () => {
    expect(oracleCommand({ op: 'cross_entropy', format: 'f32' }, { input: [0, -Infinity], label: 1 })).toBe(
      `echo '{"op":"cross_entropy","format":"f32","x":[0,"-inf"],"label":1}' | npx logitfuzz oracle`,
    );
  });
});
