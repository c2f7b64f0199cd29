// Device acquisition, the Implementation objects, device loss, and a clean process exit.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Unavailable } from '../types.js';
import { probeGpu } from './_testutil/gpu.js';
import { transpileForNode } from './_testutil/transpile.js';
import { DeviceLost, getGpuContext, releaseGpu, WEBGPU_APT_FIX } from './device.js';
import { runBatch } from './dispatch.js';
import { webgpuImplementations } from './implementation.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

describe('webgpuImplementations (no GPU needed)', () => {
  it('lists six implementations, cheaply, with the documented names and expectations', () => {
    const impls = webgpuImplementations();
    expect(impls.map((i) => i.name)).toEqual([
      'softmax/webgpu/f32',
      'log_softmax/webgpu/f32',
      'logsumexp/webgpu/f32',
      'softmax/webgpu/f16',
      'log_softmax/webgpu/f16',
      'logsumexp/webgpu/f16',
    ]);
    for (const i of impls) {
      expect(i.backend).toBe('webgpu');
      expect(i.name).toBe(`${i.op}/webgpu/${i.format}`);
      // measured on llvmpipe (docs/gpu.md): subnormal flush and exp's |d|-proportional error
      // fail softmax; log(s) without log1p fails the other two; the sums lose a long row's tail
      // beyond assert_close (the budgets assume a pairwise sum)
      expect(i.expected).toEqual({ inaccurate: 'fail', wrong: 'fail' });
      expect(i.describe()).toEqual({}); // nothing acquired at construction
    }
  });

  it('names the Debian packages in the fix', () => {
    expect(WEBGPU_APT_FIX).toContain('libegl1');
    expect(WEBGPU_APT_FIX).toContain('libgl1-mesa-dri');
  });
});

const probe = await probeGpu();

describe.skipIf(probe.skipReason !== undefined)('webgpu device', () => {
  afterAll(releaseGpu);

  it('is acquired once per process and describes its adapter', async () => {
    const a = await getGpuContext();
    const b = await getGpuContext();
    expect(b).toBe(a);
    expect(['default', 'opengles']).toContain(a.info.backend);
    expect(a.info.workgroupSize & (a.info.workgroupSize - 1)).toBe(0);
    expect(a.info.workgroupSize).toBeLessThanOrEqual(256);
    console.log('[webgpu adapter]', JSON.stringify(a.info));
    const impl = webgpuImplementations()[0];
    await impl.setup!();
    const d = impl.describe();
    expect(d.backend).toBe(a.info.backend);
    expect(d.adapter).toBe(a.info.device);
    expect(d.features).toBe(a.info.features.join(','));
  });

  it('f16 implementations run, or report Unavailable naming shader-f16', async () => {
    const ctx = await getGpuContext();
    const f16 = webgpuImplementations().filter((i) => i.format === 'f16');
    for (const impl of f16) {
      if (ctx.device.features.has('shader-f16')) {
        await impl.setup!();
        // softmax([0, 0]) = [0.5, 0.5] and logsumexp([0, 0]) = ln 2 ≈ 0.6931 (f16: 0.69287109375 or a neighbour)
        const [y] = await impl.run([new Float64Array([0, 0])]);
        if (impl.op === 'softmax') expect(Array.from(y)).toEqual([0.5, 0.5]);
        if (impl.op === 'logsumexp') expect(Math.abs(y[0] - Math.LN2)).toBeLessThan(2 ** -9);
      } else {
        const err = await impl.setup!().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Unavailable);
        expect((err as Unavailable).reason).toContain('shader-f16');
      }
    }
  });

  it('rejects inputs that are not f32 values instead of rounding them', async () => {
    await expect(runBatch('softmax', 'f32', [new Float64Array([0.1])])).rejects.toThrow(/not an f32 value/);
  });

  it('turns a device lost mid-batch into DeviceLost, then re-acquires', async () => {
    const ctx = await getGpuContext();
    const big = Array.from({ length: 64 }, () => new Float64Array(4096).fill(1));
    const pending = runBatch('softmax', 'f32', big);
    ctx.device.destroy(); // what a driver reset looks like to us
    await expect(pending).rejects.toBeInstanceOf(DeviceLost);
    expect(ctx.lostReason).toMatch(/destroyed/);
    // the lost promise drops the cached context; give it a turn to run
    await new Promise((r) => setTimeout(r, 10));
    const fresh = await getGpuContext();
    expect(fresh).not.toBe(ctx);
    const [y] = await runBatch('softmax', 'f32', [new Float64Array([5, 5, 5, 5])]);
    expect(Array.from(y)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('lets a process that used the GPU exit cleanly with code 0', () => {
    const { script, cleanup } = transpileForNode(join(here, '_testutil/exitChild.ts'), root);
    const t0 = Date.now();
    const res = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    const seconds = (Date.now() - t0) / 1000;
    cleanup();
    expect(res.signal, res.stderr).toBeNull();
    expect(res.status, res.stderr).toBe(0);
    const line = res.stdout.trim().split('\n').at(-1) ?? '';
    expect(JSON.parse(line)).toEqual({ y: [100, null], backend: probe.ctx?.info.backend });
    expect(seconds).toBeLessThan(20);
  });
});
