/**
 * Test support: a device on Dawn's `null` backend, which executes nothing but validates WGSL
 * with Tint exactly as a real device would and offers every feature, 'shader-f16' included. It
 * lets the f16 kernels be compiled on a machine whose real adapter (llvmpipe) cannot run them.
 * Undefined when the `webgpu` package cannot load. Like every `create()` object, the GPU is kept
 * referenced for the life of the process (device.ts explains why).
 */
const keep: GPU[] = [];

export async function nullDevice(): Promise<GPUDevice | undefined> {
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch {
    return undefined;
  }
  const gpu = mod.create(['backend=null']);
  keep.push(gpu);
  const adapter = await gpu.requestAdapter();
  if (!adapter) return undefined;
  return adapter.requestDevice({
    requiredFeatures: adapter.features.has('shader-f16') ? ['shader-f16'] : [],
    requiredLimits: { maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256 },
  });
}
