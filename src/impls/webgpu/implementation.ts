/**
 * The WebGPU implementations: 'softmax/webgpu/f32', 'log_softmax/webgpu/f32',
 * 'logsumexp/webgpu/f32' and their '/f16' twins, backend 'webgpu'.
 *
 * Construction is cheap and loads nothing; `setup()` acquires the process's device (throws
 * `Unavailable` without an adapter, or for f16 without 'shader-f16') and compiles the kernel;
 * `run(rows)` is one dispatch per batch (dispatch.ts), no host-side correction of the results.
 * Kernels and their numerical behaviour: kernels.ts. Rows run on whatever device is current, so
 * after a device loss the next batch transparently uses a new one.
 *
 * `describe()` (on top of `Implementation`): the adapter facts the campaign records with every
 * result, as strings: adapter (the device string), vendor, architecture, description, backend
 * ('default' | 'opengles'), featureLevel, features (comma-separated), workgroupSize. Empty before
 * a successful `setup()`.
 *
 * Expected verdicts (`expected`): all 'fail', decided by measurement (docs/gpu.md). The default
 * budget (docs/design.md, "Budgets") is the a-priori bound of the recommended stable algorithm: about
 * n + 1 + |x_i − max| ULPs for softmax (with an absolute floor in subnormal units for subnormal
 * results), and for log_softmax/logsumexp the log1p-based algorithm, whose only absolute term is
 * for the cancellation in m + log1p(s).
 * - softmax: WGSL promises exp to 3 + 2|d| ULP (d = x_i − max) and f32 division to 2.5 ULP —
 *   a bound about 2|d| + n + 6, already over the default budget for |d| ≳ n by the letter of
 *   the spec, and WGSL allows flushing subnormals to zero. Measured on llvmpipe: exp(d) is
 *   lowered to exp2(d·log2 e), error up to ≈ 1.2|d| ULP, a few ULP past n + 1 + |d| for short
 *   rows; and every subnormal result is flushed to 0 (softmax([0, −87.34])[1] = 0 where
 *   1.17e−38 is due: millions of subnormal ULPs, an `underflow` finding). So 'fail'.
 * - log_softmax and logsumexp: log(s) with s = Σ exp(x_j − max) ≥ 1 (WGSL has no log1p, and
 *   its log is only 2^−21 absolute near 1). When one logit dominates, s rounds to 1:
 *   logsumexp([0, −20]) returns 0 where the answer is 2.06e−9, and log_softmax's top entry 0
 *   where it is −2.06e−9 — a relative error of 1, which always fails. Inherent in the formula
 *   (a framework kernel computes exactly this), not a device defect. So 'fail'.
 * - f16 (computing in f16 throughout): the same formulas, the same expectation; not measured
 *   here (llvmpipe offers no 'shader-f16').
 * A device that keeps subnormals and evaluates exp and log more accurately could pass softmax:
 * the campaign would then report an unexpected pass, which is worth knowing.
 */
import { type Implementation, Unavailable } from '../types.js';
import { getGpuContext, type GpuContext, type GpuInfo } from './device.js';
import { runBatch } from './dispatch.js';
import { KERNEL_OPS, type KernelOp, type Precision } from './kernels.js';
import { getPipeline } from './pipelines.js';
import { EXPECT_WRONG, type Expected } from '../../vocabulary/Severity.js';

/** A WebGPU implementation: an `Implementation` that can also describe its adapter. */
export interface WebGpuImplementation extends Implementation {
  readonly op: KernelOp;
  readonly format: Precision;
  readonly backend: 'webgpu';
  /** Adapter facts for the campaign's results (see the file header); `{}` before setup. */
  describe(): Record<string, string>;
}

export const FORMULAS: Readonly<Record<KernelOp, string>> = {
  softmax: 'exp(x_i - m) / sum_j exp(x_j - m), m = max x (0 if +-Inf); WGSL, workgroup tree reductions',
  log_softmax: '(x_i - m) - log(sum_j exp(x_j - m)), m = max x (0 if +-Inf); WGSL, workgroup tree reductions',
  logsumexp: 'm + log(sum_j exp(x_j - m)), m = max x (0 if +-Inf); WGSL, workgroup tree reductions',
};

// measured, see the file header and docs/gpu.md; wrong since the budgets assume a pairwise
// sum (docs/design.md, "Budgets"): on the campaign's 2^18-logit stagnation probe the kernels'
// sums lose the tail beyond assert_close (llvmpipe, main job seed 7: softmax 190 ULPs against
// a budget of 38)
export const EXPECTED: Readonly<Record<KernelOp, Expected>> = {
  softmax: EXPECT_WRONG,
  log_softmax: EXPECT_WRONG,
  logsumexp: EXPECT_WRONG,
};

/** The facts `describe()` reports, from an acquired context. */
function describeGpu(info: GpuInfo): Record<string, string> {
  return {
    adapter: info.device,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    backend: info.backend,
    featureLevel: info.featureLevel,
    features: info.features.join(','),
    workgroupSize: String(info.workgroupSize),
  };
}

/** f16 kernels need the device feature; throws Unavailable naming the adapter otherwise. */
function requireF16(ctx: GpuContext): void {
  if (!ctx.device.features.has('shader-f16')) {
    throw new Unavailable(
      `the WebGPU adapter '${ctx.info.device || ctx.info.description}' (${ctx.info.backend} backend) does not offer 'shader-f16'`,
      "run on a GPU whose WebGPU adapter offers 'shader-f16' (Mesa's llvmpipe through Dawn's OpenGL ES backend does not)",
    );
  }
}

function make(op: KernelOp, precision: Precision): WebGpuImplementation {
  let info: GpuInfo | undefined;
  const ready = async (): Promise<GpuContext> => {
    const ctx = await getGpuContext();
    if (precision === 'f16') requireF16(ctx);
    info = ctx.info;
    return ctx;
  };
  return {
    name: `${op}/webgpu/${precision}`,
    op,
    format: precision,
    backend: 'webgpu',
    formula: FORMULAS[op],
    expected: EXPECTED[op],
    async setup(): Promise<void> {
      const ctx = await ready();
      await getPipeline(ctx, op, precision);
    },
    async run(rows: readonly Float64Array[]): Promise<Float64Array[]> {
      // cheap when the device is cached; re-acquires after a loss
      await ready();
      return runBatch(op, precision, rows);
    },
    describe(): Record<string, string> {
      return info ? describeGpu(info) : {};
    },
  };
}

/** The six WebGPU implementations (three ops × f32, f16). Loads nothing until `setup()`. */
export function webgpuImplementations(): WebGpuImplementation[] {
  const out: WebGpuImplementation[] = [];
  for (const precision of ['f32', 'f16'] as const) for (const op of KERNEL_OPS) out.push(make(op, precision));
  return out;
}
