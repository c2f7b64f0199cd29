// The browser implementations as `logitfuzz list` and a caller see them: available with Chromium
// (and WebGPU in it), unavailable with the reason and the fix without it; the WGSL kernels in the
// page answering with real values; describe() naming the browser and the adapter.
//
// Needs /usr/bin/chromium (CI installs it: apt-get install -y chromium); never downloads one.
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../campaign/_cli.js';
import { allImplementations } from '../../src/impls/registry.js';
import { closeBrowser } from '../../src/impls/browser/session.js';
import type { BrowserWgslImplementation } from '../../src/impls/browser/wgsl.js';

interface ListJson {
  implementations: { name: string; available: boolean; reason?: string }[];
}

function list(env: Record<string, string> = {}): ListJson {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const r = cli(['list', '--impl', '*-chromium/*', '--json'], { timeoutMs: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as ListJson;
  } finally {
    process.env = saved;
  }
}

const F16 = /\/webgpu-chromium\/f16$/;

describe('browser implementations', () => {
  afterAll(() => closeBrowser());

  it('are listed available with Chromium, but the f16 kernels without shader-f16', () => {
    const rows = list().implementations;
    expect(rows.length).toBe(16);
    for (const r of rows) {
      if (F16.test(r.name)) {
        // SwiftShader (no GPU here) offers no shader-f16; a GPU that does would run them
        if (!r.available) expect(r.reason).toMatch(/does not offer 'shader-f16'/);
      } else expect(r.available, `${r.name}: ${r.reason}`).toBe(true);
    }
  }, 200_000);

  it('are listed unavailable, with the fix, where Chromium is missing', () => {
    const rows = list({ LOGITFUZZ_CHROMIUM: '/nonexistent/chromium' }).implementations;
    expect(rows.length).toBe(16);
    for (const r of rows) {
      expect(r.available).toBe(false);
      expect(r.reason).toMatch(/no Chromium at \/nonexistent\/chromium .*apt-get install -y chromium/);
    }
  }, 200_000);

  it('run the WGSL kernels in the page: one dispatch per batch, real values', async () => {
    const all = allImplementations();
    const get = (name: string) => all.find((i) => i.name === name) as BrowserWgslImplementation;
    const softmax = get('softmax/webgpu-chromium/f32');
    const lse = get('logsumexp/webgpu-chromium/f32');
    await softmax.setup!();
    await lse.setup!();
    try {
      const rows = [
        Float64Array.from([0, 0, 0, 0]),
        Float64Array.from([0, -90]),
        new Float64Array(0),
        Float64Array.from({ length: 1000 }, () => 1),
      ];
      const y = await softmax.run(rows);
      // equal logits of power-of-two length: exactly 1/n
      expect(Array.from(y[0])).toEqual([0.25, 0.25, 0.25, 0.25]);
      // e^-90 ≈ 8.19e-40 is subnormal in f32: flushed to 0 (measured on SwiftShader, as on llvmpipe)
      expect(y[1][0]).toBe(1);
      expect(y[1][1]).toBeLessThan(1.2e-38);
      expect(y[2].length).toBe(0);
      expect(y[3].length).toBe(1000);
      for (const v of y[3]) expect(Math.abs(v - 0.001)).toBeLessThan(1e-8);
      const s = await lse.run([
        Float64Array.from([0, 0]),
        new Float64Array(0),
        Float64Array.from([-Infinity, 1]),
      ]);
      expect(Math.abs(s[0][0] - Math.LN2)).toBeLessThan(1e-6);
      // the empty sum: −Inf, written explicitly by the kernel
      expect(s[1][0]).toBe(-Infinity);
      expect(Math.abs(s[2][0] - 1)).toBeLessThan(1e-6);
      // 2^15 logits (128 KiB in f32): large enough to travel over the loopback server, not inline
      const [long] = await softmax.run([new Float64Array(2 ** 15)]);
      expect(long.length).toBe(2 ** 15);
      expect(long.every((v) => v === 2 ** -15)).toBe(true);
      const d = softmax.describe();
      expect(d.browser).toMatch(/^Chromium \d+\./);
      expect(d.architecture).toBeTruthy();
      expect(d.workgroupSize).toMatch(/^\d+$/);
    } finally {
      await softmax.dispose!();
      await lse.dispose!();
    }
  }, 120_000);

  it('run TensorFlow.js in the page, small batches and large ones alike', async () => {
    const tfjs = allImplementations().find((i) => i.name === 'softmax/tfjs-wasm-chromium/f32')!;
    await tfjs.setup!();
    try {
      const [four, long] = await tfjs.run([new Float64Array(4), new Float64Array(2 ** 15)]);
      expect(Array.from(four)).toEqual([0.25, 0.25, 0.25, 0.25]);
      expect(long.length).toBe(2 ** 15);
      expect(long.every((v) => v === 2 ** -15)).toBe(true);
      const env = (tfjs as unknown as { describe(): Record<string, string> }).describe();
      expect(env.browser).toMatch(/^Chromium \d+\./);
      expect((tfjs as unknown as { library: string }).library).toMatch(/@tensorflow\/tfjs-core@\d/);
    } finally {
      await tfjs.dispose!();
    }
  }, 120_000);
});
