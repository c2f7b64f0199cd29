import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { GpuContext, GpuInfo } from '../webgpu/device.js';
import { forwardedAdapterOptions, installNavigatorGpu } from './navigatorGpu.js';

/** A stand-in context whose `gpu` records the options requestAdapter receives (no Dawn needed). */
function fakeContext(
  backend: GpuInfo['backend'],
  globals: object = {},
): { ctx: GpuContext; calls: unknown[] } {
  const calls: unknown[] = [];
  const adapter = { fake: 'adapter' };
  const gpu = {
    requestAdapter: (options?: unknown) => {
      calls.push(options);
      return Promise.resolve(adapter);
    },
    getPreferredCanvasFormat: () => 'rgba8unorm',
    wgslLanguageFeatures: new Set<string>(),
  };
  const info = { backend, featureLevel: backend === 'opengles' ? 'compatibility' : 'core' } as GpuInfo;
  return { ctx: { gpu, globals, info } as unknown as GpuContext, calls };
}

const g = globalThis as Record<string, unknown>;
let saved: PropertyDescriptor | undefined;

beforeEach(() => {
  saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
});
afterEach(() => {
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete g.navigator;
  delete g.LogitfuzzTestConstant;
});

describe('forwardedAdapterOptions', () => {
  test("adds featureLevel 'compatibility' on the OpenGL ES fallback, keeping the caller's options", () => {
    const { ctx } = fakeContext('opengles');
    expect(forwardedAdapterOptions(ctx, { powerPreference: 'high-performance' })).toEqual({
      powerPreference: 'high-performance',
      featureLevel: 'compatibility',
    });
    expect(forwardedAdapterOptions(ctx)).toEqual({ featureLevel: 'compatibility' });
  });

  test("leaves the options alone on Dawn's default backend", () => {
    const { ctx } = fakeContext('default');
    const opts = { powerPreference: 'low-power' as const };
    expect(forwardedAdapterOptions(ctx, opts)).toBe(opts);
    expect(forwardedAdapterOptions(ctx)).toBeUndefined();
  });
});

describe('installNavigatorGpu', () => {
  test('defines navigator.gpu (no navigator, as in Node 20) forwarding requestAdapter to the shared GPU', async () => {
    delete g.navigator;
    const { ctx, calls } = fakeContext('opengles');
    const shim = installNavigatorGpu(ctx);
    const nav = g.navigator as { gpu: typeof shim };
    expect(nav.gpu).toBe(shim);
    expect(await nav.gpu.requestAdapter({ powerPreference: 'high-performance' })).toEqual({
      fake: 'adapter',
    });
    expect(calls).toEqual([{ powerPreference: 'high-performance', featureLevel: 'compatibility' }]);
    expect(nav.gpu.getPreferredCanvasFormat()).toBe('rgba8unorm');
    // idempotent for the same context
    expect(installNavigatorGpu(ctx)).toBe(shim);
  });

  test('adds gpu to an existing navigator (Node ≥ 21) without replacing it', () => {
    const existing = { userAgent: 'test' };
    Object.defineProperty(globalThis, 'navigator', { value: existing, configurable: true, writable: true });
    const { ctx } = fakeContext('default');
    const shim = installNavigatorGpu(ctx);
    expect(g.navigator).toBe(existing);
    expect((existing as { gpu?: unknown }).gpu).toBe(shim);
  });

  test('defines missing WebGPU constant globals and keeps existing ones', () => {
    delete g.navigator;
    g.LogitfuzzTestConstant = 'mine';
    const { ctx } = fakeContext('default', {
      LogitfuzzTestConstant: 'theirs',
      GPUBufferUsageForTest: { MAP_READ: 1 },
    });
    installNavigatorGpu(ctx);
    expect(g.LogitfuzzTestConstant).toBe('mine');
    expect(g.GPUBufferUsageForTest).toEqual({ MAP_READ: 1 });
    delete g.GPUBufferUsageForTest;
  });
});
