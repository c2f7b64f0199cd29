import { expect, test } from 'vitest';
import { expectSoftmax } from 'logitfuzz/vitest';
import { naiveSoftmax, softmax } from './softmax.js';

test('softmax is within its error budget on extreme logits (f64)', async () => {
  await expectSoftmax(softmax, { op: 'softmax', format: 'f64' });
});

test('softmax is within its error budget on extreme logits (f32)', async () => {
  await expectSoftmax(softmax, { op: 'softmax', format: 'f32', runs: 50 });
});

test('the naive softmax fails, and the message shows the minimal counterexample', async () => {
  // one logit past 709.78: exp overflows, Infinity / Infinity = NaN
  await expect(expectSoftmax(naiveSoftmax, { op: 'softmax', format: 'f64', runs: 20 })).rejects.toThrow(
    /overflow \(wrong\) — [\s\S]*input: {4}\[709\.78/,
  );
});
