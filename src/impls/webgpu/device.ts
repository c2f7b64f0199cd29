/**
 * Process-wide acquisition of a WebGPU device through Dawn's Node bindings (the `webgpu` npm
 * package, an optional dependency).
 *
 * Choice of device, made by this code and not by the user:
 *   1. `create([])` + `requestAdapter()`: Dawn's default backend at core feature level. On a
 *      machine with a GPU and its Vulkan/Metal/D3D driver this is the right one.
 *   2. When that gives no adapter (a headless machine without a GPU: Dawn rejects Debian 12's
 *      lavapipe Vulkan driver), `create(['backend=opengles'])` +
 *      `requestAdapter({featureLevel: 'compatibility'})` with `EGL_PLATFORM=surfaceless` (set
 *      here before `create`, overriding the environment): Mesa's llvmpipe, a
 *      software rasteriser, through EGL. Needs the Debian packages in `WEBGPU_APT_FIX`.
 *   Neither: `Unavailable` with the reason and that fix. Unavailability is cached for the
 *   process (an adapter does not appear later); other failures are not.
 *
 * Lifetime rules (Dawn's, learnt the hard way):
 *   - every object `create()` returns stays referenced until the process ends (`gpuObjects`
 *     below): if it is garbage-collected while a device lives, the process aborts;
 *   - an adapter is "consumed" by its one device, so re-acquiring requests a new adapter;
 *   - `releaseGpu()` destroys the device so the process can exit promptly.
 *
 * Device loss (`device.lost`, e.g. a driver reset or `destroy()`): the context is marked lost
 * (`lostReason`) and dropped from the cache, so the next `getGpuContext()` acquires a new device;
 * a batch that was running on the lost device throws `DeviceLost` (see dispatch.ts).
 */
import type * as WebGpuModule from 'webgpu';
import { Unavailable } from '../types.js';

/** The Debian packages that give Dawn's OpenGL ES backend Mesa's llvmpipe (CI installs them). */
export const WEBGPU_APT_PACKAGES: readonly string[] = [
  'libegl1',
  'libegl-mesa0',
  'libegl-dev',
  'libgl1-mesa-dri',
  'libgles2',
  'libgl1',
];

/**
 * The fix named by `Unavailable` when no adapter is found. `libegl-dev` provides the unversioned libEGL.so
 * Dawn loads.
 */
export const WEBGPU_APT_FIX = `apt-get update && apt-get install -y ${WEBGPU_APT_PACKAGES.join(' ')}`;

/** The largest workgroup the kernels ask for; less when the device allows less. */
export const PREFERRED_WORKGROUP_SIZE = 256;

/** The adapter limits that bound the kernels' workgroup size. */
export interface WorkgroupLimits {
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupStorageSize: number;
}

/**
 * The kernels' workgroup size on an adapter with these limits: `PREFERRED_WORKGROUP_SIZE`,
 * halved until the adapter allows it (invocations, x size, and 4 bytes of shared memory per
 * invocation). The same choice for Dawn in Node and for a browser's adapter.
 */
export function workgroupSizeFor(lim: WorkgroupLimits): number {
  let wg = PREFERRED_WORKGROUP_SIZE;
  while (
    wg > 1 &&
    (wg > lim.maxComputeInvocationsPerWorkgroup ||
      wg > lim.maxComputeWorkgroupSizeX ||
      wg * 4 > lim.maxComputeWorkgroupStorageSize)
  )
    wg /= 2;
  return wg;
}

/** What the campaign records about the adapter with every result. */
export interface GpuInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** 'default': Dawn's default backend; 'opengles': the headless fallback (llvmpipe here). */
  readonly backend: 'default' | 'opengles';
  /** The feature level the adapter was requested at. */
  readonly featureLevel: 'core' | 'compatibility';
  /** The adapter's features, sorted (e.g. 'shader-f16'). */
  readonly features: readonly string[];
  /** Invocations per workgroup the kernels use on this device (a power of two ≤ 256). */
  readonly workgroupSize: number;
}

/** A live device and what it came from. */
export interface GpuContext {
  /** The object `create()` returned (a `navigator.gpu`); kept referenced for the process's life. */
  readonly gpu: GPU;
  /** The `globals` of the `webgpu` package (GPUBufferUsage, …), for a `navigator.gpu` shim. */
  readonly globals: object;
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly info: GpuInfo;
  /** Set when the device is lost: `reason: message`. A lost context is never handed out again. */
  lostReason: string | undefined;
}

/** A batch ran on a device that was lost; the next call acquires a new device. */
export class DeviceLost extends Error {
  constructor(readonly reason: string) {
    super(`WebGPU device lost (${reason}); this batch has no result, the next call acquires a new device`);
    this.name = 'DeviceLost';
  }
}

// Every GPU object create() ever returned: referenced until process end (see the header).
const gpuObjects: GPU[] = [];
let current: Promise<GpuContext> | undefined;
let unavailable: Unavailable | undefined;

/**
 * The process's WebGPU context, acquired on first call and cached; after a device loss or
 * `releaseGpu()`, the next call acquires a new one. Concurrent callers share one acquisition.
 *
 * @throws Unavailable when the `webgpu` package cannot load or no adapter is found (with the
 *   Debian packages to install as the fix).
 */
export function getGpuContext(): Promise<GpuContext> {
  if (unavailable) return Promise.reject(unavailable);
  if (!current) {
    const p: Promise<GpuContext> = acquire().then((ctx) => {
      void ctx.device.lost.then((l) => {
        ctx.lostReason ??= `${l.reason}: ${l.message}`;
        // drop it from the cache only if it is still the cached one (a release may have replaced it)
        if (current === p) current = undefined;
      });
      return ctx;
    });
    current = p;
    p.catch((e: unknown) => {
      if (e instanceof Unavailable) unavailable = e;
      if (current === p) current = undefined;
    });
  }
  return current;
}

/**
 * Destroys the current device, if any, so that the process can exit; the `create()` objects stay
 * referenced. A later `getGpuContext()` acquires a new device. Safe to call more than once.
 */
export async function releaseGpu(): Promise<void> {
  const p = current;
  current = undefined;
  if (!p) return;
  let ctx: GpuContext;
  try {
    ctx = await p;
  } catch {
    return;
  }
  ctx.lostReason ??= 'released: releaseGpu() destroyed the device';
  ctx.device.destroy();
}

async function loadModule(): Promise<typeof WebGpuModule> {
  try {
    return await import('webgpu');
  } catch (e) {
    throw new Unavailable(
      `the 'webgpu' package (Dawn for Node) could not be loaded: ${(e as Error).message}`,
      'npm install webgpu (an optional dependency of logitfuzz)',
    );
  }
}

async function requestAdapterOn(gpu: GPU, options: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
  try {
    return await gpu.requestAdapter(options);
  } catch {
    return null;
  }
}

async function acquire(): Promise<GpuContext> {
  const mod = await loadModule();
  let backend: GpuInfo['backend'] = 'default';
  let featureLevel: GpuInfo['featureLevel'] = 'core';
  let gpu: GPU | undefined;
  let adapter: GPUAdapter | null;
  try {
    gpu = mod.create([]);
    gpuObjects.push(gpu);
    adapter = await requestAdapterOn(gpu, {});
  } catch {
    adapter = null;
  }
  if (!adapter) {
    backend = 'opengles';
    featureLevel = 'compatibility';
    // Mesa's EGL needs a platform without a display; read by Mesa when the GL backend starts.
    // Overrides any inherited value (x11/wayland without a display would fail): the fallback
    // is chosen by this code, and surfaceless is the one platform that works headless.
    process.env.EGL_PLATFORM = 'surfaceless';
    try {
      gpu = mod.create(['backend=opengles']);
      gpuObjects.push(gpu);
      adapter = await requestAdapterOn(gpu, { featureLevel: 'compatibility' });
    } catch {
      adapter = null;
    }
  }
  if (!adapter || !gpu) {
    throw new Unavailable(
      'no WebGPU adapter: Dawn found no GPU through its default backend, and no OpenGL ES (EGL) driver for its headless fallback',
      WEBGPU_APT_FIX,
    );
  }

  // Compatibility defaults allow only 128 invocations per workgroup; ask for what we use.
  const lim = adapter.limits;
  const wg = workgroupSizeFor(lim);
  const features: GPUFeatureName[] = adapter.features.has('shader-f16') ? ['shader-f16'] : [];
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: {
      maxComputeInvocationsPerWorkgroup: wg,
      maxComputeWorkgroupSizeX: wg,
      // the whole batch is one binding: take what the adapter offers
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
    },
  });

  const ai = adapter.info;
  const ctx: GpuContext = {
    gpu,
    globals: mod.globals,
    adapter,
    device,
    info: Object.freeze({
      vendor: ai.vendor,
      architecture: ai.architecture,
      device: ai.device,
      description: ai.description,
      backend,
      featureLevel,
      features: Object.freeze([...adapter.features].map(String).sort()),
      workgroupSize: wg,
    }),
    lostReason: undefined,
  };
  return ctx;
}
