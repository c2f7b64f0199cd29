// WGSL text generation: checks that need no GPU (Dawn's null backend compiles but runs nothing).
import { afterAll, describe, expect, it } from 'vitest';
import { nullDevice } from './_testutil/nullDevice.js';
import { elementBytes, kernelSource, KERNEL_OPS, negInfBits, type Precision } from './kernels.js';

describe('kernelSource', () => {
  it('rejects workgroup sizes the tree reduction cannot halve', () => {
    for (const bad of [0, 3, 96, 2048, 1.5])
      expect(() => kernelSource('softmax', 'f32', bad)).toThrow(RangeError);
    expect(() => kernelSource('softmax', 'f32', 1)).not.toThrow();
  });

  it('bakes the workgroup size and the element type into every kernel', () => {
    for (const op of KERNEL_OPS) {
      const f32 = kernelSource(op, 'f32', 128);
      expect(f32).toContain('const WG: u32 = 128u;');
      expect(f32).toContain('array<f32>');
      expect(f32).not.toContain('enable f16');
      const f16 = kernelSource(op, 'f16', 64);
      expect(f16.startsWith('enable f16;')).toBe(true);
      expect(f16).toContain('array<f16>');
      expect(f16).not.toContain('f32');
    }
  });

  it('writes no Inf literal (WGSL has none): -Inf comes from the host bit pattern', () => {
    for (const op of KERNEL_OPS)
      expect(kernelSource(op, 'f32', 256)).toContain('bitcast<f32>(params.neg_inf_bits)');
    // the bit patterns are -Inf: f32 sign 1, exponent all ones, fraction 0
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, negInfBits('f32'));
    expect(view.getFloat32(0)).toBe(-Infinity);
    // f16: 0xFC00 is sign 1, exponent 11111, fraction 0 — in both halves
    expect(negInfBits('f16') >>> 16).toBe(0xfc00);
    expect(negInfBits('f16') & 0xffff).toBe(0xfc00);
    expect([elementBytes('f32'), elementBytes('f16')]).toEqual([4, 2]);
  });
});

const tint = await nullDevice();
if (!tint)
  console.warn(
    "kernel compile checks skipped: the 'webgpu' package (Dawn) could not load or has no null backend",
  );

describe.skipIf(!tint)("every kernel compiles (Tint, via Dawn's null backend)", () => {
  afterAll(() => tint?.destroy());

  it('f32 and f16 (shader-f16, which llvmpipe lacks), at workgroup sizes 256, 128 and 1', async () => {
    const dev = tint!;
    expect(dev.features.has('shader-f16')).toBe(true);
    for (const precision of ['f32', 'f16'] as Precision[]) {
      for (const op of KERNEL_OPS) {
        for (const wg of [256, 128, 1]) {
          const code = kernelSource(op, precision, wg);
          const module = dev.createShaderModule({ code });
          const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
          expect(
            errors.map((m) => `${op}/${precision}/${wg} ${m.lineNum}:${m.linePos} ${m.message}`),
          ).toEqual([]);
          // the pipeline too: checks the layout, the workgroup storage and the workgroup size limits
          await dev.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
        }
      }
    }
  });
});
