/**
 * WebGPU (Dawn for Node) implementations of softmax, log_softmax and logsumexp, and the device
 * handling they share. See docs/gpu.md for how the device is chosen and what was measured.
 */
export { webgpuImplementations, describeGpu, type WebGpuImplementation } from './implementation.js';
export {
  getGpuContext,
  releaseGpu,
  DeviceLost,
  WEBGPU_APT_FIX,
  WEBGPU_APT_PACKAGES,
  PREFERRED_WORKGROUP_SIZE,
  type GpuContext,
  type GpuInfo,
} from './device.js';
export { runBatch } from './dispatch.js';
export { kernelSource, KERNEL_OPS, type KernelOp, type Precision } from './kernels.js';
