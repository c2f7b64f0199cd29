import type { GpuContext } from '../webgpu/device.js';

/** Adapter options as Dawn takes them: the WebGPU `featureLevel` member is newer than @webgpu/types. */
type AdapterOptions = GPURequestAdapterOptions & { featureLevel?: string };

/** The `navigator.gpu` stand-in handed to libraries that look for WebGPU there (tfjs-webgpu). */
export interface NavigatorGpuShim {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
  getPreferredCanvasFormat(): GPUTextureFormat;
  readonly wgslLanguageFeatures: WGSLLanguageFeatures;
  /** The shared context this shim forwards to. */
  readonly context: GpuContext;
}

/**
 * The options a library's `requestAdapter(options)` is forwarded with: unchanged on Dawn's
 * default backend; with `featureLevel: 'compatibility'` added when the shared context runs on the
 * OpenGL ES fallback (`info.backend === 'opengles'`), where Dawn offers only compatibility-level
 * adapters and a plain request returns null.
 */
export function forwardedAdapterOptions(
  ctx: GpuContext,
  options?: GPURequestAdapterOptions,
): AdapterOptions | undefined {
  if (ctx.info.backend !== 'opengles') return options;
  return { ...options, featureLevel: 'compatibility' };
}

/** A shim over the shared context's Dawn `GPU` object (the process's one Dawn instance). */
function navigatorGpuShim(ctx: GpuContext): NavigatorGpuShim {
  return {
    requestAdapter: (options) => ctx.gpu.requestAdapter(forwardedAdapterOptions(ctx, options)),
    getPreferredCanvasFormat: () => ctx.gpu.getPreferredCanvasFormat(),
    get wgslLanguageFeatures() {
      return ctx.gpu.wgslLanguageFeatures;
    },
    context: ctx,
  };
}

/**
 * Makes `globalThis.navigator.gpu` the shim over `ctx` and defines the WebGPU constant globals
 * (GPUBufferUsage, GPUMapMode, …, from the `webgpu` package's `globals`) that are missing.
 *
 * - Node 20 has no `navigator`: one is defined, `{ gpu }`. Node ≥ 21 has one without `gpu`: the
 *   property is added to it.
 * - An existing `navigator.gpu` that is not a shim over `ctx` is replaced (there must be one
 *   Dawn instance per process, so libraries have to use the shared one); calling this again with
 *   the same context changes nothing. The properties are configurable, so a test can undo them.
 */
export function installNavigatorGpu(ctx: GpuContext): NavigatorGpuShim {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  const current = g.navigator?.gpu as Partial<NavigatorGpuShim> | undefined;
  const shim = current?.context === ctx ? (current as NavigatorGpuShim) : navigatorGpuShim(ctx);
  if (current !== shim) {
    const nav = g.navigator;
    if (typeof nav === 'object' && nav !== null) {
      Object.defineProperty(nav, 'gpu', {
        value: shim,
        configurable: true,
        writable: true,
        enumerable: true,
      });
    } else {
      Object.defineProperty(globalThis, 'navigator', {
        value: { gpu: shim },
        configurable: true,
        writable: true,
      });
    }
  }
  for (const [name, value] of Object.entries(ctx.globals)) {
    if (!(name in globalThis))
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  return shim;
}
