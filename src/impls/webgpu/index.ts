/**
 * WebGPU (Dawn for Node) implementations of softmax, log_softmax and logsumexp, and the device
 * handling they share. See docs/gpu.md for how the device is chosen and what was measured.
 */
export { webgpuImplementations } from './implementation.js';
export { getGpuContext, releaseGpu, DeviceLost } from './device.js';
export { runBatch } from './dispatch.js';
