// A WebGPU device lost during or between batches: at the Implementation level (in this process),
// and in a campaign, where modules that share the worker's device destroy it — the case whose
// batch was lost is a crash, nothing else is, and the built-in WebGPU implementation's record is
// identical to a run without the saboteur. Skipped only when this machine has no WebGPU adapter
// (LOGITFUZZ_REQUIRE_WEBGPU=1 makes that a failure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/report/schema.js';
import { probeGpu } from '../../src/impls/webgpu/_testutil/gpu.js';
import {
  DeviceLost,
  getGpuContext,
  releaseGpu,
  webgpuImplementations,
} from '../../src/impls/webgpu/index.js';
import { builtin, campaign, implRecord, moduleImpl, stableImpl } from './_campaign.js';

const probe = await probeGpu();

describe.skipIf(probe.skipReason !== undefined)('WebGPU device loss', () => {
  afterAll(releaseGpu);

  const softmax = () => {
    const impl = webgpuImplementations().find((i) => i.name === 'softmax/webgpu/f32')!;
    return impl;
  };

  it('Implementation: a device lost mid-batch fails that batch with DeviceLost; the next batch runs on a new device', async () => {
    const impl = softmax();
    await impl.setup!();
    const ctx = await getGpuContext();
    // lose the device right after the batch is submitted, before its result is read back
    const queue = ctx.device.queue;
    const submit = queue.submit.bind(queue);
    queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
      submit(buffers);
      ctx.device.destroy();
    };
    const err = await impl.run([new Float64Array([1, 2, 3])]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceLost);
    expect((err as DeviceLost).reason).toMatch(/destroyed/);
    expect(ctx.lostReason).toMatch(/destroyed/);
    const [y] = await impl.run([new Float64Array([5, 5, 5, 5])]);
    expect(Array.from(y)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(await getGpuContext()).not.toBe(ctx);
    expect(impl.describe().backend).toBe(ctx.info.backend);
  });

  it('Implementation: a device lost between batches is transparent: the next batch re-acquires', async () => {
    const impl = softmax();
    await impl.setup!();
    const ctx = await getGpuContext();
    const [a] = await impl.run([new Float64Array([0, 0])]);
    ctx.device.destroy(); // Dawn settles device.lost within a microtask: the cache drops the context
    const [b] = await impl.run([new Float64Array([0, 0])]);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(b)).toEqual([0.5, 0.5]);
    expect(await getGpuContext()).not.toBe(ctx);
  });

  describe('in a campaign (one worker, so the saboteur’s 5th call is case 2’s first)', () => {
    const GOOD = [builtin('softmax/webgpu/f32'), builtin('softmax/max-shifted/f32')];
    const OPTIONS = { seed: 8, runs: 10, workers: 1, shrinkEvals: 5 } as const;
    let baseline: RunRecord;
    beforeAll(async () => {
      baseline = await campaign(GOOD, OPTIONS);
    }, 60_000);

    it('a device lost mid-batch is a crash of that one case; the campaign goes on and the built-in WebGPU record is unchanged', async () => {
      const r = await campaign(
        [moduleImpl('softmax/gpu-lost-mid-batch/f32', 'gpuLostMidBatch.mjs', 'softmax', 'f32'), ...GOOD],
        OPTIONS,
      );
      const sab = implRecord(r, 'softmax/gpu-lost-mid-batch/f32');
      expect(sab.cases).toBe(r.totals.cases);
      expect(sab.findingCounts.crash).toBe(1);
      expect(sab.counterexamples.crash.caseId).toBe(2);
      expect(sab.counterexamples.crash.finding.diagnosis).toMatch(
        /^threw DeviceLost: WebGPU device lost \(destroyed/,
      );
      const gpu = implRecord(r, 'softmax/webgpu/f32');
      expect(gpu.cases).toBe(r.totals.cases);
      expect(gpu.findingCounts.crash).toBeUndefined();
      expect(gpu.environment?.backend).toBe(probe.ctx!.info.backend);
      for (const { meta } of GOOD)
        expect(stableImpl(r, meta.name), meta.name).toEqual(stableImpl(baseline, meta.name));
    }, 60_000);

    it('a device lost between batches costs nothing: no crash anywhere, the built-in WebGPU record unchanged', async () => {
      const r = await campaign(
        [moduleImpl('softmax/gpu-lost-between/f32', 'gpuLostBetweenBatches.mjs', 'softmax', 'f32'), ...GOOD],
        OPTIONS,
      );
      for (const i of r.implementations) {
        expect(i.cases, i.name).toBe(r.totals.cases);
        expect(i.findingCounts.crash, i.name).toBeUndefined();
      }
      for (const { meta } of GOOD)
        expect(stableImpl(r, meta.name), meta.name).toEqual(stableImpl(baseline, meta.name));
      // the saboteur computes with the same kernel: its record matches the built-in's but for names
      expect(implRecord(r, 'softmax/gpu-lost-between/f32').findingCounts).toEqual(
        implRecord(r, 'softmax/webgpu/f32').findingCounts,
      );
    }, 60_000);
  });
});
