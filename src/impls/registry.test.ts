import { describe, expect, test, vi } from 'vitest';
import { browserImplementations } from './browser/index.js';
import { jsImplementations } from './js/index.js';
import { allImplementations, availability, findImplementations } from './registry.js';
import { thirdPartyImplementations } from './thirdparty/index.js';
import { type Implementation, Unavailable } from './types.js';
import { webgpuImplementations } from './webgpu/index.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

// Constructing the zoo must load no native or heavy library (they load lazily in setup): any
// import of these while this file runs fails it. The third-party libraries load through
// thirdparty/import.mjs (the folder they are installed in), or by their bare name when a user
// installed them elsewhere.
vi.mock('webgpu', () => {
  throw new Error('webgpu (Dawn) imported while building the registry');
});
vi.mock('../../thirdparty/import.mjs', () => {
  throw new Error(
    'a third-party library imported (through thirdparty/import.mjs) while building the registry',
  );
});
vi.mock('@tensorflow/tfjs-core', () => {
  throw new Error('tfjs imported while building the registry');
});
vi.mock('onnxruntime-node', () => {
  throw new Error('onnxruntime-node imported while building the registry');
});
vi.mock('onnxruntime-web', () => {
  throw new Error('onnxruntime-web imported while building the registry');
});

function fake(name: string, extra: Partial<Implementation> = {}): Implementation {
  return {
    name,
    op: 'softmax',
    format: 'f64',
    backend: 'user',
    formula: 'test double',
    expected: EXPECT_PASS,
    run: (rows) => Promise.resolve(rows.map((r) => Float64Array.from(r))),
    ...extra,
  };
}

describe('allImplementations', () => {
  const all = allImplementations();
  const names = all.map((i) => i.name);

  test('unique names, the same order on every call', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(allImplementations().map((i) => i.name)).toEqual(names);
  });

  test('the JS zoo, then the WebGPU kernels, the third-party adapters, the browser ones, all of each', () => {
    const parts = [
      jsImplementations(),
      webgpuImplementations(),
      thirdPartyImplementations(),
      browserImplementations(),
    ].map((l) => l.map((i) => i.name));
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(names).toEqual(parts.flat());
    expect(names).toContain('softmax/bhh/f64');
    expect(names).toContain('softmax/webgpu/f32');
    // the place shows in the name: the same kernel in Chromium
    expect(names).toContain('softmax/webgpu-chromium/f32');
    expect(names).toContain('log_softmax/onnxruntime-web-webgpu-chromium/f32');
  });
});

describe('findImplementations', () => {
  const zoo = [
    'softmax/naive/f64',
    'softmax/bhh/f16',
    'log_softmax/bhh/f64',
    'logsumexp/max-shifted/f32',
    'softmax/tfjs-cpu/f32',
  ].map((n) => fake(n));
  const find = (...globs: string[]) => findImplementations(globs, zoo).map((i) => i.name);

  test('`*` matches any characters, / included; the rest is literal and anchored', () => {
    expect(find('softmax/*')).toEqual(['softmax/naive/f64', 'softmax/bhh/f16', 'softmax/tfjs-cpu/f32']);
    expect(find('*/f64')).toEqual(['softmax/naive/f64', 'log_softmax/bhh/f64']);
    expect(find('*bhh*')).toEqual(['softmax/bhh/f16', 'log_softmax/bhh/f64']);
    expect(find('*')).toEqual(zoo.map((i) => i.name));
    expect(find('softmax/bhh/f16')).toEqual(['softmax/bhh/f16']);
    expect(find('softmax/bhh')).toEqual([]);
    expect(find('softmax/*/f3?')).toEqual([]);
    expect(find('SOFTMAX/*')).toEqual([]);
  });

  test('several globs: the union, in registry order, each once', () => {
    expect(find('*/f32', 'softmax/naive/*', '*tfjs*')).toEqual([
      'softmax/naive/f64',
      'logsumexp/max-shifted/f32',
      'softmax/tfjs-cpu/f32',
    ]);
    expect(find()).toEqual([]);
  });

  test('regular-expression characters in a glob are literal', () => {
    const odd = [fake('a.b/(x)+/f64'), fake('aXb/(x)+/f64')];
    expect(findImplementations(['a.b/(x)+/*'], odd).map((i) => i.name)).toEqual(['a.b/(x)+/f64']);
  });

  test('defaults to the whole registry', () => {
    expect(findImplementations(['softmax/*/f16']).map((i) => i.name)).toContain('softmax/max-shifted/f16');
  });
});

describe('availability', () => {
  test('no setup: available', async () => {
    expect(await availability(fake('a'))).toEqual({ available: true });
  });

  test('setup then dispose on success', async () => {
    const calls: string[] = [];
    const impl = fake('b', {
      setup: () => (calls.push('setup'), Promise.resolve()),
      dispose: () => (calls.push('dispose'), Promise.resolve()),
    });
    expect(await availability(impl)).toEqual({ available: true });
    expect(calls).toEqual(['setup', 'dispose']);
  });

  test('Unavailable becomes the reason, with its fix', async () => {
    const impl = fake('c', {
      setup: () => Promise.reject(new Unavailable('no WebGPU adapter', 'install the webgpu package')),
    });
    expect(await availability(impl)).toEqual({
      available: false,
      reason: 'no WebGPU adapter (fix: install the webgpu package)',
    });
  });

  test('any other error is a defect and propagates', async () => {
    const impl = fake('d', { setup: () => Promise.reject(new TypeError('bug')) });
    await expect(availability(impl)).rejects.toThrow(TypeError);
  });
});
