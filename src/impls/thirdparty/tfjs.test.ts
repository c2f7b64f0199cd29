import { describe, expect, test } from 'vitest';
import { Unavailable } from '../types.js';
import { getGpuContext } from '../webgpu/device.js';
import { adapterSuite, benignRows } from './_testutil/adapterSuite.js';
import { defaultImporter } from './load.js';
import type { NavigatorGpuShim } from './navigatorGpu.js';
import { tfjsImplementations } from './tfjs.js';

adapterSuite('tfjs cpu', () => tfjsImplementations('cpu'));
adapterSuite('tfjs wasm', () => tfjsImplementations('wasm'));
/** Why WebGPU tests cannot run here (no adapter at all), or undefined. CI installs Mesa llvmpipe. */
async function noGpuReason(): Promise<string | undefined> {
  try {
    await getGpuContext();
    return undefined;
  } catch (e) {
    if (e instanceof Unavailable) return `no WebGPU adapter: ${e.message}`;
    throw e;
  }
}

adapterSuite('tfjs webgpu', () => tfjsImplementations('webgpu'), { skipReason: noGpuReason });

describe('tfjs webgpu on the shared Dawn instance', () => {
  test('runs through the navigator.gpu shim over the shared context, and can be set up again after dispose', async (ctx) => {
    const reason = await noGpuReason();
    if (reason !== undefined) {
      console.warn(`[tfjs webgpu] skipped: ${reason}`);
      ctx.skip(reason);
    }
    const shared = await getGpuContext();
    const [softmax] = tfjsImplementations('webgpu');
    await softmax.setup?.();
    const shim = (globalThis as { navigator?: { gpu?: NavigatorGpuShim } }).navigator?.gpu;
    expect(shim?.context).toBe(shared);
    const tf = (await defaultImporter('@tensorflow/tfjs-core')) as {
      findBackend(name: string): { device?: unknown } | null;
    };
    const first = tf.findBackend('webgpu')?.device;
    expect(first).toBeDefined();
    const [a] = await softmax.run([Float64Array.from([1, 2, 3])]);
    await softmax.dispose?.();
    // dispose released tfjs's device; setup starts the backend again on a new one
    expect(tf.findBackend('webgpu')).toBeFalsy();
    await softmax.setup?.();
    expect(tf.findBackend('webgpu')?.device).not.toBe(first);
    const [b] = await softmax.run([Float64Array.from([1, 2, 3])]);
    expect(b).toEqual(a);
    await softmax.dispose?.();
  });
});

describe('tfjs backends side by side', () => {
  test('interleaved calls on cpu and wasm each run on their own backend and leak no tensors', async () => {
    const [cpuSoftmax] = tfjsImplementations('cpu');
    const [wasmSoftmax] = tfjsImplementations('wasm');
    await cpuSoftmax.setup?.();
    await wasmSoftmax.setup?.();
    const tf = (await defaultImporter('@tensorflow/tfjs-core')) as {
      memory(): { numTensors: number };
      getBackend(): string;
    };
    const rows = benignRows(3, [6, 6, 2]);
    const before = tf.memory().numTensors;
    // issued concurrently: the queue must keep each call on its backend
    const [a, b, c] = await Promise.all([cpuSoftmax.run(rows), wasmSoftmax.run(rows), cpuSoftmax.run(rows)]);
    expect(a).toEqual(c);
    expect(b).toHaveLength(3);
    // the subnormal case tells the backends apart: cpu delivers e^-90, wasm flushes it to 0
    const x = [Float64Array.from([0, -90])];
    const [[cpuOut], [wasmOut]] = await Promise.all([cpuSoftmax.run(x), wasmSoftmax.run(x)]);
    expect(cpuOut[1]).toBeGreaterThan(0);
    expect(wasmOut[1]).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    await cpuSoftmax.dispose?.();
    await wasmSoftmax.dispose?.();
  });
});
