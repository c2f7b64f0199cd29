import { join } from 'node:path';
import { Unavailable } from '../types.js';
import type { GpuContext } from '../webgpu/device.js';
import { importPackage, installCommand, packageDir } from './load.js';
import { installNavigatorGpu } from './navigatorGpu.js';
import { SerialQueue } from './serial.js';
import type { Importer } from './types.js';

/** The tfjs backends the adapters drive. */
export type TfjsBackendName = 'cpu' | 'wasm' | 'webgpu';

const TFJS_CORE = '@tensorflow/tfjs-core';

/** The package that registers each backend, and an export that identifies it. */
const TFJS_BACKEND_PACKAGE: Readonly<
  Record<TfjsBackendName, { readonly pkg: string; readonly probe: string }>
> = {
  cpu: { pkg: '@tensorflow/tfjs-backend-cpu', probe: 'MathBackendCPU' },
  wasm: { pkg: '@tensorflow/tfjs-backend-wasm', probe: 'setWasmPaths' },
  webgpu: { pkg: '@tensorflow/tfjs-backend-webgpu', probe: 'WebGPUBackend' },
};

/** The packages one backend needs: tfjs-core and the backend (one install command fixes both). */
export function tfjsPackages(backend: TfjsBackendName): readonly string[] {
  return [TFJS_CORE, TFJS_BACKEND_PACKAGE[backend].pkg];
}

// The small part of the tfjs-core API the adapters use, typed structurally so that the package
// stays optional (no type import of it leaks into the declarations).
export interface TfTensor {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}
export interface TfCore {
  readonly version_core: string;
  tensor2d(values: Float32Array, shape: [number, number], dtype: 'float32'): TfTensor;
  softmax(logits: TfTensor, dim?: number): TfTensor;
  logSoftmax(logits: TfTensor, axis?: number): TfTensor;
  logSumExp?(x: TfTensor, axis?: number, keepDims?: boolean): TfTensor;
  tidy(fn: () => TfTensor): TfTensor;
  setBackend(name: string): Promise<boolean>;
  getBackend(): string | null;
  findBackend(name: string): unknown;
  findBackendFactory(name: string): (() => unknown) | null;
  registerBackend(name: string, factory: () => unknown, priority?: number): boolean;
  removeBackend(name: string): void;
  memory(): { numTensors: number };
  env(): { set(flag: string, value: boolean | number): void };
}
interface TfWasmModule {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}
interface WebGpuBackendInstance {
  readonly device?: { destroy(): void };
}

/**
 * tfjs keeps its backends and the active one in process-wide state, so every call into tfjs, from
 * any adapter, goes through this one queue: a run switches backend with `setBackend` and two runs
 * never interleave.
 */
const TFJS_QUEUE = new SerialQueue();

/** Getter of the process's shared WebGPU context (src/impls/webgpu/device.ts by default). */
export type GpuContextGetter = () => Promise<GpuContext>;

const defaultGpuContext: GpuContextGetter = async () => (await import('../webgpu/device.js')).getGpuContext();

let wasmPathsSet = false;

/**
 * One tfjs backend, loaded lazily and shared by the softmax, log_softmax and logsumexp adapters of
 * that backend (reference-counted: the last `release` frees what the backend holds).
 *
 * Backend specifics:
 * - cpu: the pure-JS backend.
 * - wasm: in Node the .wasm binaries must be found on disk: `setWasmPaths` gets the
 *   `dist/` folder of the installed @tensorflow/tfjs-backend-wasm as a file path with a trailing
 *   separator (a file:// URL works as well with 4.22.0; the plain path needs no URL handling).
 *   Must happen before the backend first initialises.
 * - webgpu: tfjs requests its own adapter and device from `navigator.gpu`, which is a shim over
 *   the process's one Dawn instance (see navigatorGpu.ts), installed before the backend module is
 *   imported, since that module registers the backend only when `navigator.gpu` exists. The flag
 *   WEBGPU_CPU_FORWARD is turned off: by default tfjs-webgpu computes element-wise ops and the
 *   max reduction of tensors under 1000 elements with the cpu backend's code, so what ran on the
 *   GPU would depend on how the campaign batches rows; off, every kernel runs on the GPU.
 */
export class TfjsRuntime {
  private loading: Promise<TfCore> | undefined;
  private users = 0;

  constructor(
    readonly backend: TfjsBackendName,
    private readonly importer: Importer,
    private readonly gpuContext: GpuContextGetter = defaultGpuContext,
  ) {}

  /** Loads tfjs and the backend and activates it once; later calls share the result. */
  acquire(): Promise<TfCore> {
    this.users++;
    if (!this.loading) {
      const p = TFJS_QUEUE.run(() => this.load());
      this.loading = p;
      // a failed load may be retried by a later setup (e.g. after installing the package)
      p.catch(() => {
        if (this.loading === p) this.loading = undefined;
      });
    }
    return this.loading.catch((e: unknown) => {
      this.users--;
      throw e;
    });
  }

  /**
   * Runs `fn` with this backend active, serialised with every other tfjs call in the process.
   * @throws Error when `acquire` was not called (or failed).
   */
  async withBackend<T>(fn: (tf: TfCore) => Promise<T>): Promise<T> {
    if (!this.loading) throw new Error(`tfjs backend '${this.backend}' is not set up: call setup() first`);
    const tf = await this.loading;
    return TFJS_QUEUE.run(async () => {
      if (tf.getBackend() !== this.backend && !(await tf.setBackend(this.backend))) {
        throw new Error(`tfjs could not switch to its '${this.backend}' backend`);
      }
      return fn(tf);
    });
  }

  /** Drops one user; the last one frees the webgpu backend's device (cpu and wasm hold nothing that blocks exit). */
  async release(): Promise<void> {
    if (this.users === 0) return;
    this.users--;
    if (this.users > 0 || !this.loading || this.backend !== 'webgpu') return;
    const loading = this.loading;
    this.loading = undefined;
    let tf: TfCore;
    try {
      tf = await loading;
    } catch {
      return;
    }
    await TFJS_QUEUE.run(async () => {
      const factory = tf.findBackendFactory('webgpu');
      const instance = tf.findBackend('webgpu') as WebGpuBackendInstance | null;
      if (factory === null) return;
      tf.removeBackend('webgpu'); // disposes the backend's buffers
      instance?.device?.destroy();
      // keep the factory registered (not initialised) so that a later setup can start it again
      tf.registerBackend('webgpu', factory, 3);
    });
  }

  private async load(): Promise<TfCore> {
    const installs = tfjsPackages(this.backend);
    const fix = installCommand(installs);
    const { pkg, probe } = TFJS_BACKEND_PACKAGE[this.backend];
    if (this.backend === 'webgpu') {
      // throws Unavailable (no adapter, or no 'webgpu' package) with its own fix
      installNavigatorGpu(await this.gpuContext());
    }
    const tf = await importPackage<TfCore>(this.importer, TFJS_CORE, 'softmax', installs);
    const backendModule = await importPackage<object>(this.importer, pkg, probe, installs);
    if (tf.findBackendFactory(this.backend) === null) {
      throw new Unavailable(
        `${pkg} loaded but registered no '${this.backend}' backend with the loaded ${TFJS_CORE}` +
          (this.backend === 'webgpu'
            ? ' (it was imported before navigator.gpu existed?)'
            : ' (two copies of tfjs-core?)'),
        fix,
      );
    }
    if (this.backend === 'wasm' && !wasmPathsSet) {
      const dir = packageDir(pkg);
      if (dir === null)
        throw new Unavailable(
          `${pkg} loaded but its install folder was not found (its .wasm files are needed)`,
          fix,
        );
      (backendModule as TfWasmModule).setWasmPaths(join(dir, 'dist') + '/');
      wasmPathsSet = true;
    }
    if (this.backend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
    let ok: boolean;
    try {
      ok = await tf.setBackend(this.backend);
    } catch (e) {
      throw new Unavailable(
        `tfjs backend '${this.backend}' failed to initialise: ${(e as Error).message}`,
        fix,
      );
    }
    if (!ok)
      throw new Unavailable(
        `tfjs backend '${this.backend}' failed to initialise (tf.setBackend returned false; tfjs logged why)`,
        fix,
      );
    return tf;
  }
}
