import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Unavailable } from '../types.js';
import { thirdPartyImplementations } from './index.js';
import { defaultImporter } from './load.js';
import { onnxruntimeImplementations } from './onnxruntime.js';
import { tfjsImplementations } from './tfjs.js';
import type { Importer } from './types.js';

/** An importer that fails for `missing` packages, as Node does for an absent one, and records every request. */
function importerWithout(missing: readonly string[]): { importer: Importer; requested: string[] } {
  const requested: string[] = [];
  const importer: Importer = (specifier) => {
    requested.push(specifier);
    if (missing.includes(specifier)) {
      const e = new Error(
        `Cannot find package '${specifier}' imported from /somewhere/logitfuzz`,
      ) as Error & { code: string };
      e.code = 'ERR_MODULE_NOT_FOUND';
      return Promise.reject(e);
    }
    return defaultImporter(specifier);
  };
  return { importer, requested };
}

/**
 * The fix every missing library gets in this checkout (the tests run at its root): the script
 * that installs thirdparty/ from its lockfile. (Outside a checkout it is `npm i -D` of the
 * packages at their tested versions: load.test.ts.)
 */
const SETUP = 'npm run setup:thirdparty';

async function unavailable(p: Promise<unknown>): Promise<Unavailable> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Unavailable);
  return e as Unavailable;
}

describe('a missing library makes setup throw Unavailable with the package and the install command', () => {
  test('tfjs-core missing (cpu): names it, fix installs core and the backend', async () => {
    const { importer } = importerWithout(['@tensorflow/tfjs-core']);
    for (const impl of tfjsImplementations('cpu', { importer })) {
      const e = await unavailable(impl.setup!());
      expect(e.reason).toContain('@tensorflow/tfjs-core');
      expect(e.reason).toContain('Cannot find package');
      expect(e.fix).toBe(SETUP);
      expect(e.message).toContain(e.fix);
    }
  });

  test('only the wasm backend missing: names the backend package, not core', async () => {
    const { importer } = importerWithout(['@tensorflow/tfjs-backend-wasm']);
    const e = await unavailable(tfjsImplementations('wasm', { importer })[0].setup!());
    expect(e.reason).toMatch(/^@tensorflow\/tfjs-backend-wasm could not be loaded/);
    expect(e.fix).toBe(SETUP);
  });

  test('a module that is not the library (no softmax export) is Unavailable, not a crash later', async () => {
    const importer: Importer = (s) =>
      s === '@tensorflow/tfjs-core' ? Promise.resolve({ notSoftmax: 1 }) : defaultImporter(s);
    const e = await unavailable(tfjsImplementations('cpu', { importer })[0].setup!());
    expect(e.reason).toContain("@tensorflow/tfjs-core loaded but has no export 'softmax'");
  });

  test('webgpu: no adapter is passed on as the GPU context reports it, before tfjs is imported', async () => {
    const { importer, requested } = importerWithout([]);
    const gpuContext = () =>
      Promise.reject(new Unavailable('no WebGPU adapter: test', 'apt-get install -y libegl-mesa0'));
    const e = await unavailable(tfjsImplementations('webgpu', { importer, gpuContext })[0].setup!());
    expect(e.reason).toBe('no WebGPU adapter: test');
    expect(requested).toEqual([]);
  });

  test('webgpu: the backend package missing', async () => {
    const { importer } = importerWithout(['@tensorflow/tfjs-backend-webgpu']);
    // a context whose GPU is never asked for an adapter (tfjs fails to load before that)
    const ctx = { gpu: {}, globals: {}, info: { backend: 'default' } };
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    try {
      const impls = tfjsImplementations('webgpu', {
        importer,
        gpuContext: () => Promise.resolve(ctx as never),
      });
      const e = await unavailable(impls[0].setup!());
      expect(e.reason).toContain('@tensorflow/tfjs-backend-webgpu');
      expect(e.fix).toBe(SETUP);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });

  for (const pkg of ['onnxruntime-node', 'onnxruntime-web'] as const) {
    test(`${pkg} missing`, async () => {
      const { importer } = importerWithout([pkg]);
      for (const impl of onnxruntimeImplementations(pkg, { importer })) {
        const e = await unavailable(impl.setup!());
        expect(e.reason).toContain(pkg);
        expect(e.fix).toBe(SETUP);
      }
    });
  }

  test('after a failed setup, a later setup with the library present succeeds (nothing cached)', async () => {
    let present = false;
    const importer: Importer = (s) =>
      present ? defaultImporter(s) : Promise.reject(new Error(`Cannot find package '${s}'`));
    const [softmax] = onnxruntimeImplementations('onnxruntime-node', { importer });
    await unavailable(softmax.setup!());
    present = true;
    await softmax.setup!();
    const [out] = await softmax.run([Float64Array.from([0, 0])]);
    expect(Array.from(out)).toEqual([0.5, 0.5]);
    await softmax.dispose!();
  });
});

describe('thirdPartyImplementations', () => {
  test('lists every adapter with its backend and library, importing nothing', () => {
    const impls = thirdPartyImplementations();
    expect(impls.map((i) => `${i.name} ${i.backend}`)).toEqual([
      'softmax/tfjs-cpu/f32 js',
      'log_softmax/tfjs-cpu/f32 js',
      'logsumexp/tfjs-cpu/f32 js',
      'softmax/tfjs-wasm/f32 wasm',
      'log_softmax/tfjs-wasm/f32 wasm',
      'logsumexp/tfjs-wasm/f32 wasm',
      'softmax/tfjs-webgpu/f32 webgpu',
      'log_softmax/tfjs-webgpu/f32 webgpu',
      'logsumexp/tfjs-webgpu/f32 webgpu',
      'softmax/onnxruntime-node/f32 native',
      'log_softmax/onnxruntime-node/f32 native',
      'softmax/onnxruntime-web/f32 wasm',
      'log_softmax/onnxruntime-web/f32 wasm',
    ]);
    expect(new Set(impls.map((i) => i.name)).size).toBe(impls.length);
    // only tfjs-cpu softmax and onnxruntime-node softmax met the budgets on the deciding cases, the
    // latter only where MLAS's exp kernel delivers subnormal results (AVX-512F, or not x86-64)
    let avx512f: boolean;
    try {
      avx512f = /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    } catch {
      avx512f = false;
    }
    expect(impls.filter((i) => i.expected.inaccurate === 'pass').map((i) => i.name)).toEqual([
      'softmax/tfjs-cpu/f32',
      ...(process.arch !== 'x64' || avx512f ? ['softmax/onnxruntime-node/f32'] : []),
    ]);
    expect(impls.find((i) => i.name === 'softmax/tfjs-wasm/f32')?.library).toBe(
      '@tensorflow/tfjs-core@4.22.0 + @tensorflow/tfjs-backend-wasm@4.22.0',
    );
    expect(impls.find((i) => i.name === 'softmax/onnxruntime-web/f32')?.library).toBe(
      'onnxruntime-web@1.30.0',
    );
    for (const i of impls) expect(i.formula.length).toBeGreaterThan(10);
  });

  test('constructing the adapters calls no importer', () => {
    const { importer, requested } = importerWithout([]);
    tfjsImplementations('cpu', { importer });
    tfjsImplementations('webgpu', { importer });
    onnxruntimeImplementations('onnxruntime-web', { importer });
    expect(requested).toEqual([]);
  });
});
