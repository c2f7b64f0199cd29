import { type Backend, type Op, Unavailable } from '../types.js';
import { runBatched } from './batch.js';
import { defaultImporter, describeLibrary, installCommand } from './load.js';
import {
  type GpuContextGetter,
  type TfCore,
  type TfTensor,
  type TfjsBackendName,
  TfjsRuntime,
  tfjsPackages,
} from './tfjsRuntime.js';
import type { Importer, ThirdPartyImplementation } from './types.js';
import { EXPECT_INACCURATE, EXPECT_PASS, EXPECT_WRONG, type Expected } from '../../vocabulary/Severity.js';

export type { TfjsBackendName } from './tfjsRuntime.js';

/** The ops tfjs offers directly: `tf.softmax`, `tf.logSoftmax`, `tf.logSumExp`. */
type TfjsOp = Extract<Op, 'softmax' | 'log_softmax' | 'logsumexp'>;

export interface TfjsOptions {
  /** Loads the packages; a test injects a failing one to simulate a missing library. */
  readonly importer?: Importer;
  /** The shared WebGPU context (webgpu backend only); defaults to src/impls/webgpu/device.ts. */
  readonly gpuContext?: GpuContextGetter;
}

const IMPL_BACKEND: Readonly<Record<TfjsBackendName, Backend>> = {
  cpu: 'js',
  wasm: 'wasm',
  webgpu: 'webgpu',
};

/**
 * What each backend computes, read from the tfjs 4.22.0 sources in node_modules:
 * - softmax: the `Softmax` kernel. cpu: max, x − max, exp, sum, divide as separate kernels on f32
 *   tensors, each evaluated in binary64 (Math.exp, JS division) and stored to f32, the sum
 *   accumulated in binary64 before one rounding. wasm: one native kernel in the WebAssembly
 *   module. webgpu: one WGSL kernel per row (SoftmaxProgram): a workgroup max-reduction whose
 *   start value is −3.402823e38, f32 partial sums of exp(x − max) tree-reduced in shared memory,
 *   then exp(x − max) / sum; WGSL's exp on f32 only promises 3 + 2·|x| ulp.
 * - log_softmax: tfjs-core's `logSoftmax` op (no kernel of its own on any backend): shifted =
 *   x − max, then shifted − log(sum(exp(shifted))), each step a kernel of the backend rounding to
 *   f32. The sum is rounded to f32 before the log, so the information in sum − 1 below 2^-24 is
 *   lost: it cannot deliver −log1p(s) for small s.
 * - logsumexp: tfjs-core's `logSumExp` op: max + log(sum(exp(x − max))), the same rounding of
 *   the sum before the log.
 *
 * `expected`, from measurements against the oracle (f32, correctly rounded) with tfjs 4.22.0;
 * the deciding cases are checked by tfjs.test.ts (see _testutil/adapterSuite.ts, DECIDING_CASES):
 * - log_softmax and logsumexp fail on every backend: for x = [0, −20] the exact results are
 *   log_softmax_0 = −log1p(e^−20) ≈ −2.0611537e−9 and LSE = log1p(e^−20) ≈ 2.0611537e−9, both
 *   normal f32 numbers, but 1 + e^−20 rounds to 1 in f32, so tfjs returns 0 (822,977,587 ulps
 *   away): a relative error of 1, which fails every budget (docs/design.md, "The always-fail rule": relative error ≥ 1
 *   always fails).
 * - softmax on cpu: expected to pass. Nothing found: on 400 random rows (n up to 3000, spreads up
 *   to 1000, offsets up to 3e7) its worst error was 0.73 of the shifted-softmax budget (docs/design.md, "Budgets"):
 *   n + 1 + min(|x_i − max|, 104) ulps; subnormal results are delivered.
 * - softmax on wasm: fails. Its kernel flushes results in f32's subnormal range to zero:
 *   softmax([0, −90])_1 ≈ 8.194009e−40 (584,744 units of 2^−149) comes back as 0, an
 *   `underflow` far beyond the budget.
 * - softmax on webgpu: fails, measured on Mesa llvmpipe through Dawn's OpenGL ES backend (the CI
 *   configuration): the same subnormal flush, softmax([0, −90])_1 = 0. (WGSL lets an
 *   implementation flush subnormals, so a hardware GPU is likely to do the same.)
 *
 * Measured behaviour outside the contract, reported as found (not corrected): an empty row gives
 * an empty softmax/log_softmax on cpu and wasm, but logsumexp of an empty row is NaN on cpu and a
 * garbage finite value on wasm (−93.13…; the policy says −Inf); on webgpu every op throws for an
 * empty row ("The new shape (NaN,0) has NaN elements…", or Dawn's createBuffer rejecting size 0),
 * which fails the whole batch it is in; on webgpu, logsumexp of an all −Inf row is NaN (the
 * policy says −Inf).
 */
const FORMULA: Readonly<Record<TfjsOp, string>> = {
  softmax: 'exp(x_i - max) / sum_j exp(x_j - max) (tfjs Softmax kernel, f32 tensors)',
  log_softmax: '(x_i - max) - log(sum_j exp(x_j - max)) (tfjs-core logSoftmax op, each step rounded to f32)',
  logsumexp: 'max + log(sum_j exp(x_j - max)) (tfjs-core logSumExp op, each step rounded to f32)',
};

/**
 * See the measurements above: only tfjs-cpu's softmax meets the default budgets. Since the
 * budgets assume a pairwise sum (docs/design.md, "Budgets"), wasm's and webgpu's f32 sums fail
 * the campaign's 2^18-logit rows beyond assert_close (main job, seed 7: softmax 191 ULPs against a
 * budget of 26 on the stagnation probe; log_softmax and logsumexp 0 for 1.02e−5): wrong. cpu's
 * log-domain ops stay only inaccurate.
 */
function expectedFor(backend: TfjsBackendName, op: TfjsOp): Expected {
  if (backend !== 'cpu') return EXPECT_WRONG;
  return op === 'softmax' ? EXPECT_PASS : EXPECT_INACCURATE;
}

function compute(tf: TfCore, op: TfjsOp, x: TfTensor): TfTensor {
  switch (op) {
    case 'softmax':
      return tf.softmax(x, -1);
    case 'log_softmax':
      return tf.logSoftmax(x, -1);
    case 'logsumexp':
      // checked in setup: this tfjs-core has logSumExp
      return (tf.logSumExp as NonNullable<TfCore['logSumExp']>)(x, -1, false);
  }
}

/**
 * One tfjs op on one backend, float32 in and out ('softmax/tfjs-cpu/f32', …).
 *
 * `run` packs the rows of each length into one [rows, n] float32 tensor, calls the op inside
 * `tf.tidy` (so intermediates are disposed), reads the result with `data()`, disposes it, and
 * converts to Float64Array — the values exactly as tfjs returned them. Calls are serialised with
 * every other tfjs call in the process (the active backend is global state).
 */
class TfjsImplementation implements ThirdPartyImplementation {
  readonly name: string;
  readonly format = 'f32' as const;
  readonly backend: Backend;
  readonly formula: string;
  readonly expected: Expected;
  readonly library: string;

  constructor(
    readonly op: TfjsOp,
    private readonly runtime: TfjsRuntime,
  ) {
    this.name = `${op}/tfjs-${runtime.backend}/f32`;
    this.backend = IMPL_BACKEND[runtime.backend];
    this.formula = FORMULA[op];
    this.expected = expectedFor(runtime.backend, op);
    this.library = describeLibrary(tfjsPackages(runtime.backend));
  }

  async setup(): Promise<void> {
    const tf = await this.runtime.acquire();
    if (this.op === 'logsumexp' && typeof tf.logSumExp !== 'function') {
      await this.runtime.release();
      throw new Unavailable(
        `@tensorflow/tfjs-core ${tf.version_core} has no logSumExp`,
        installCommand(tfjsPackages(this.runtime.backend)),
      );
    }
  }

  run(rows: readonly Float64Array[]): Promise<Float64Array[]> {
    const width = (n: number): number => (this.op === 'logsumexp' ? 1 : n);
    return this.runtime.withBackend((tf) =>
      runBatched(rows, width, async (packed, rowCount, n) => {
        const out = tf.tidy(() => compute(tf, this.op, tf.tensor2d(packed, [rowCount, n], 'float32')));
        try {
          return await out.data();
        } finally {
          out.dispose();
        }
      }),
    );
  }

  dispose(): Promise<void> {
    return this.runtime.release();
  }
}

/**
 * The tfjs adapters of one backend: softmax, log_softmax and logsumexp, float32, sharing one
 * lazily loaded runtime. Nothing is imported until `setup`; a missing package makes `setup`
 * throw `Unavailable` naming it, with the install command as the fix.
 */
export function tfjsImplementations(
  backend: TfjsBackendName,
  options: TfjsOptions = {},
): ThirdPartyImplementation[] {
  const runtime = new TfjsRuntime(backend, options.importer ?? defaultImporter, options.gpuContext);
  return (['softmax', 'log_softmax', 'logsumexp'] as const).map((op) => new TfjsImplementation(op, runtime));
}
