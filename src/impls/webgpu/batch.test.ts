// A batch [B, n] on the GPU: one dispatch and one submit for all its rows, each row's bits as alone.
import { afterAll, describe, expect, it } from 'vitest';
import { probeGpu } from './_testutil/gpu.js';
import { releaseGpu, type GpuContext } from './device.js';
import { webgpuImplementations } from './implementation.js';

const probe = await probeGpu();

/** Counts the device's submits and the compute dispatches recorded, until `stop()`. */
function countGpuWork(ctx: GpuContext): { submits: number; dispatches: number[][]; stop(): void } {
  const dev = ctx.device;
  const counts = { submits: 0, dispatches: [] as number[][] };
  const createEncoder = dev.createCommandEncoder.bind(dev);
  const submit = dev.queue.submit.bind(dev.queue);
  // own properties shadow the prototype's methods; deleting them restores the originals
  dev.createCommandEncoder = (descriptor?: GPUCommandEncoderDescriptor) => {
    const enc = createEncoder(descriptor);
    const beginComputePass = enc.beginComputePass.bind(enc);
    enc.beginComputePass = (d?: GPUComputePassDescriptor) => {
      const pass = beginComputePass(d);
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      pass.dispatchWorkgroups = (x: number, y?: number, z?: number) => {
        counts.dispatches.push([x, y ?? 1, z ?? 1]);
        dispatch(x, y, z);
      };
      return pass;
    };
    return enc;
  };
  dev.queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
    counts.submits++;
    submit(buffers);
  };
  return {
    get submits() {
      return counts.submits;
    },
    dispatches: counts.dispatches,
    stop() {
      delete (dev as { createCommandEncoder?: unknown }).createCommandEncoder;
      delete (dev.queue as { submit?: unknown }).submit;
    },
  };
}

/** B rows of n distinct f32 logits, spread over [−40, 40], deterministic. */
function batchRows(B: number, n: number): Float64Array[] {
  return Array.from({ length: B }, (_, r) =>
    Float64Array.from({ length: n }, (_, i) => Math.fround(((r * 37 + i * 11) % 81) - 40 + i / 8)),
  );
}

describe.skipIf(probe.skipReason !== undefined)('webgpu batches', () => {
  afterAll(releaseGpu);

  for (const impl of webgpuImplementations().filter((i) => i.format === 'f32')) {
    it(`${impl.name}: a batch of 64 rows of 33 is one dispatch of 64 workgroups, each row as alone`, async () => {
      await impl.setup!();
      const rows = batchRows(64, 33);
      const counter = countGpuWork(probe.ctx!);
      let batched: Float64Array[];
      try {
        batched = await impl.run(rows);
      } finally {
        counter.stop();
      }
      expect(counter.submits).toBe(1);
      expect(counter.dispatches).toEqual([[64, 1, 1]]);
      expect(batched).toHaveLength(64);
      const width = impl.op === 'logsumexp' ? 1 : 33;
      for (let r = 0; r < rows.length; r += 9) {
        const [alone] = await impl.run([rows[r]]);
        expect(alone).toHaveLength(width);
        expect(Array.from(batched[r])).toEqual(Array.from(alone));
      }
    });
  }
});
