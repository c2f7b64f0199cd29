import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as api from './index.js';
import * as vitestApi from './vitest.js';
import { REPO } from './_testutil/linkedProject.js';

describe('public API', () => {
  test("'logitfuzz' exports the library pieces", () => {
    for (const name of [
      'vet',
      'formatVetResult',
      'logits',
      'regionArbitrary',
      'probes',
      'oracle',
      'judge',
      'budget',
      'ulpDistance',
      'roundNumber',
      'encodeVector',
      'decodeVector',
      'seedFromEnvironment',
    ] as const) {
      expect(typeof api[name], name).toBe('function');
    }
    expect(api.OPS).toEqual(['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad']);
    expect(api.FORMAT_NAMES).toEqual(['f64', 'f32', 'f16', 'bf16']);
    expect(api.REGION_NAMES).toContain('near-overflow');
  });

  test("'logitfuzz/vitest' exports expectSoftmax and its error", () => {
    expect(typeof vitestApi.expectSoftmax).toBe('function');
    expect(new vitestApi.SoftmaxExpectationError('m', {} as never).name).toBe('SoftmaxExpectationError');
  });

  test("package.json's exports point at the build of these files", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string } | string>;
    };
    for (const [entry, src] of [
      ['.', 'src/api/index.ts'],
      ['./vitest', 'src/api/vitest.ts'],
    ] as const) {
      const e = pkg.exports[entry] as { types: string; default: string };
      expect(e.default).toBe(`./dist/${src.replace(/\.ts$/, '.js')}`);
      expect(e.types).toBe(`./dist/${src.replace(/\.ts$/, '.d.ts')}`);
      expect(existsSync(join(REPO, src))).toBe(true);
    }
  });

  test('the oracle and the metric agree through the public names', () => {
    const y = api.oracle('softmax', 'f16', [0, 1]).values;
    expect(Array.from(y)).toEqual([0.26904296875, 0.73095703125]);
    expect(api.ulpDistance('f16', y[0], api.nextUp(api.formatSpec('f16'), y[0]))).toBe(1);
  });
});
