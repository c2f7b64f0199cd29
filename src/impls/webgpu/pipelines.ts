/**
 * Compiled compute pipelines, cached per device and per (op, precision): a kernel is compiled
 * once per device and reused by every batch. The cache is keyed weakly by the device, so a lost
 * device's pipelines go with it and a re-acquired device compiles afresh.
 *
 * A WGSL compile error is thrown as an Error carrying Dawn's messages with line numbers (a bug
 * here, never expected), not left to surface as a validation error at dispatch.
 */
import type { GpuContext } from './device.js';
import { kernelSource, type KernelOp, type Precision } from './kernels.js';

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** The pipeline of `op` in `precision` on `ctx`'s device, compiled on first use. */
export function getPipeline(
  ctx: GpuContext,
  op: KernelOp,
  precision: Precision,
): Promise<GPUComputePipeline> {
  let perDevice = cache.get(ctx.device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(ctx.device, perDevice);
  }
  const key = `${op}/${precision}`;
  let p = perDevice.get(key);
  if (!p) {
    p = compile(ctx, op, precision);
    const map = perDevice;
    // a failed compile is not cached: the next call reports it again
    p.catch(() => map.delete(key));
    perDevice.set(key, p);
  }
  return p;
}

async function compile(ctx: GpuContext, op: KernelOp, precision: Precision): Promise<GPUComputePipeline> {
  const code = kernelSource(op, precision, ctx.info.workgroupSize);
  const module = ctx.device.createShaderModule({ code, label: `logitfuzz ${op}/${precision}` });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    const text = errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
    throw new Error(`WGSL ${op}/${precision} does not compile:\n${text}`);
  }
  return ctx.device.createComputePipelineAsync({
    label: `logitfuzz ${op}/${precision}`,
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
}
