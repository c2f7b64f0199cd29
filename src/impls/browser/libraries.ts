/**
 * Third-party libraries in Chromium, as web apps run them: TensorFlow.js on its webgpu and wasm
 * backends ('softmax/tfjs-webgpu-chromium/f32', 'softmax/tfjs-wasm-chromium/f32', and log_softmax,
 * logsumexp), and ONNX Runtime Web on its WebGPU and wasm execution providers
 * ('softmax/onnxruntime-web-webgpu-chromium/f32', 'softmax/onnxruntime-web-chromium/f32', and
 * log_softmax), f32.
 *
 * The libraries are the ones the Node adapters load (thirdparty/, or the user's own node_modules:
 * `packageDir`), in their browser builds — tfjs's UMD bundles (`tf-core.es2017.min.js`, then the
 * backend's), onnxruntime-web's `ort.webgpu.min.js` / `ort.wasm.min.js` — each package folder
 * served by the loopback server (its .wasm files included; no CDN). One page per library and
 * backend (session.ts). The ops are called as in the Node adapters (tfjs.ts, onnxruntime.ts): one
 * [rows, n] float32 tensor per row length (`runBatched`), tfjs's `softmax`/`logSoftmax`/`logSumExp`
 * on the last axis, ONNX Softmax/LogSoftmax (opset 13) models built in code (onnxModel.ts), one
 * wasm thread, tfjs-webgpu with WEBGPU_CPU_FORWARD off.
 *
 * A missing package makes the implementation `Unavailable` with the install command; a backend
 * that does not start in the page (no WebGPU adapter, say) with the reason the page gave.
 * `describe()`: the browser's version, the library's version, and for the webgpu ones the
 * adapter's vendor, architecture and features.
 *
 * `expected`, measured on SwiftShader with Chromium 156 (docs/gpu.md): see `expectedFor` below.
 */
import { type Backend, type Op, Unavailable } from '../types.js';
import { runBatched } from '../thirdparty/batch.js';
import { describeLibrary, installCommand, packageDir } from '../thirdparty/load.js';
import { ONNX_INPUT, ONNX_OUTPUT, onnxSoftmaxModel } from '../thirdparty/onnxModel.js';
import type { ThirdPartyImplementation } from '../thirdparty/types.js';
import { EXPECT_INACCURATE, EXPECT_WRONG, type Expected } from '../../vocabulary/Severity.js';
import type { PwPage } from './chromium.js';
import {
  pageOrtInit,
  pageOrtRun,
  pageTfjsInit,
  pageTfjsRun,
  type LibraryReady,
  type PageTensorBatch,
} from './libraryPage.js';
import { pageError } from './pageError.js';
import { withBytes } from './transfer.js';
import {
  browserHandle,
  closeRuntimePage,
  releaseBrowser,
  retainBrowser,
  runtimePage,
  type BrowserHandle,
} from './session.js';
import { pageAdapter } from './wgslPage.js';
import { CHROMIUM, NO_ADAPTER_FIX } from './wgsl.js';

type LibOp = Extract<Op, 'softmax' | 'log_softmax' | 'logsumexp'>;

/** One library on one backend in its own page. */
interface LibraryRuntime {
  /** The page's key and the formulation name's stem ('tfjs-webgpu'). */
  readonly key: string;
  readonly backend: Backend;
  readonly gpu: boolean;
  /** Every package the page loads (one install command fixes them all). */
  readonly packages: readonly string[];
  /** The ops it offers. */
  readonly ops: readonly LibOp[];
  readonly formula: (op: LibOp) => string;
  /** Script URLs to load, in order, given each package's served folder URL. */
  readonly scripts: (url: (pkg: string) => string) => readonly string[];
  /** Starts the library in the page (after its scripts). */
  readonly start: (page: PwPage, url: (pkg: string) => string) => Promise<LibraryReady>;
  /** One [rows, cols] batch, its bytes inline or through the server (transfer.ts). */
  readonly call: (page: PwPage, op: LibOp, batch: PageTensorBatch) => Promise<Uint8Array | null>;
}

const TFJS_CORE = '@tensorflow/tfjs-core';

const TFJS_FORMULA: Readonly<Record<LibOp, string>> = {
  softmax: 'exp(x_i - max) / sum_j exp(x_j - max) (tfjs Softmax kernel, f32 tensors)',
  log_softmax: '(x_i - max) - log(sum_j exp(x_j - max)) (tfjs-core logSoftmax op, each step rounded to f32)',
  logsumexp: 'max + log(sum_j exp(x_j - max)) (tfjs-core logSumExp op, each step rounded to f32)',
};
const ORT_FORMULA: Readonly<Record<LibOp, string>> = {
  softmax: 'ONNX Softmax (opset 13, axis -1, float32): exp(x_i - max) / sum_j exp(x_j - max)',
  log_softmax: 'ONNX LogSoftmax (opset 13, axis -1, float32): (x_i - max) - log(sum_j exp(x_j - max))',
  logsumexp: '',
};

function tfjs(backend: 'webgpu' | 'wasm'): LibraryRuntime {
  const pkg = `@tensorflow/tfjs-backend-${backend}`;
  return {
    key: `tfjs-${backend}`,
    backend,
    gpu: backend === 'webgpu',
    packages: [TFJS_CORE, pkg],
    ops: ['softmax', 'log_softmax', 'logsumexp'],
    formula: (op) => `${TFJS_FORMULA[op]}; in Chromium`,
    scripts: (url) => [
      `${url(TFJS_CORE)}dist/tf-core.es2017.min.js`,
      `${url(pkg)}dist/tf-backend-${backend}.es2017.min.js`,
    ],
    start: (page, url) => page.evaluate(pageTfjsInit, { backend, wasmPrefix: `${url(pkg)}dist/` }),
    call: (page, op, batch) => page.evaluate(pageTfjsRun, { ...batch, op }),
  };
}

function ort(ep: 'webgpu' | 'wasm'): LibraryRuntime {
  const pkg = 'onnxruntime-web';
  return {
    key: ep === 'webgpu' ? 'onnxruntime-web-webgpu' : 'onnxruntime-web',
    backend: ep,
    gpu: ep === 'webgpu',
    packages: [pkg],
    ops: ['softmax', 'log_softmax'],
    formula: (op) => `${ORT_FORMULA[op]}; ${ep} execution provider, in Chromium`,
    scripts: (url) => [`${url(pkg)}dist/${ep === 'webgpu' ? 'ort.webgpu.min.js' : 'ort.wasm.min.js'}`],
    start: (page, url) =>
      page.evaluate(pageOrtInit, {
        ep,
        wasmPrefix: `${url(pkg)}dist/`,
        models: [
          { key: 'softmax', bytes: onnxSoftmaxModel('Softmax') },
          { key: 'log_softmax', bytes: onnxSoftmaxModel('LogSoftmax') },
        ],
      }),
    call: (page, op, batch) =>
      page.evaluate(pageOrtRun, { ...batch, key: op, input: ONNX_INPUT, output: ONNX_OUTPUT }),
  };
}

/**
 * Measured with Chromium 156 on SwiftShader, main job seed 7 (docs/gpu.md). Every log_softmax and
 * logsumexp fails at the `wrong` level, for the reason the Node adapters do (tfjs.ts,
 * onnxruntime.ts): the sum is rounded to f32 before the log (0 where −2.06e−9 is due, a relative
 * error of 1). Softmax: tfjs (both backends) and onnxruntime-web's wasm provider sum in f32 in a
 * way that loses the tail of the 2^18-logit probe beyond assert_close (`sum`, `ulp`), and flush
 * subnormal results: wrong. onnxruntime-web's WebGPU provider flushes subnormals too (`underflow`,
 * 4,320,708 ULPs on [88, 0]) and answers 0 where an all −Inf row should give NaN (`special`), but
 * its sum stays within assert_close on the long probe: only inaccurate.
 */
function expectedFor(rt: LibraryRuntime, op: LibOp): Expected {
  return rt.key === 'onnxruntime-web-webgpu' && op === 'softmax' ? EXPECT_INACCURATE : EXPECT_WRONG;
}

/** What a library page was set up with (by page key). */
interface LibraryFacts {
  readonly describe: Record<string, string>;
}
const factsByKey = new Map<string, LibraryFacts>();

function initFor(rt: LibraryRuntime): (page: PwPage, h: BrowserHandle) => Promise<void> {
  return async (page, h) => {
    const fix = installCommand(rt.packages);
    const dirs = new Map<string, string>();
    for (const p of rt.packages) {
      const dir = packageDir(p);
      if (dir === null) throw new Unavailable(`${p} is not installed`, fix);
      dirs.set(p, h.server.mount(`pkg/${p}`, dir));
    }
    const url = (p: string): string => dirs.get(p)!;
    for (const src of rt.scripts(url)) {
      try {
        await page.addScriptTag({ url: src });
      } catch (e) {
        throw new Unavailable(`${src} did not load in Chromium: ${(e as Error).message.split('\n')[0]}`, fix);
      }
    }
    const describe: Record<string, string> = { browser: `Chromium ${h.version}` };
    if (rt.gpu) {
      const adapter = await page.evaluate(pageAdapter, undefined);
      if (!adapter.ok)
        throw new Unavailable(
          `Chromium ${h.version} offers no WebGPU adapter: ${adapter.why}`,
          NO_ADAPTER_FIX,
        );
      Object.assign(describe, {
        vendor: adapter.vendor,
        architecture: adapter.architecture,
        features: adapter.features.join(','),
      });
    }
    const ready = await rt.start(page, url);
    if (!ready.ok)
      throw new Unavailable(
        `${rt.key} did not start in Chromium ${h.version}: ${ready.why}`,
        rt.gpu ? NO_ADAPTER_FIX : fix,
      );
    factsByKey.set(rt.key, { describe });
  };
}

class BrowserLibraryImplementation implements ThirdPartyImplementation {
  readonly name: string;
  readonly format = 'f32' as const;
  readonly backend: Backend;
  readonly formula: string;
  readonly expected: Expected;
  readonly library: string;
  private described: Record<string, string> = {};
  private readonly init: (page: PwPage, h: BrowserHandle) => Promise<void>;

  constructor(
    readonly op: LibOp,
    private readonly rt: LibraryRuntime,
  ) {
    this.name = `${op}/${rt.key}-${CHROMIUM}/f32`;
    this.backend = rt.backend;
    this.formula = rt.formula(op);
    this.expected = expectedFor(rt, op);
    this.library = describeLibrary(rt.packages);
    this.init = initFor(rt);
  }

  async setup(): Promise<void> {
    retainBrowser();
    try {
      await runtimePage(this.rt.key, this.init);
      this.described = factsByKey.get(this.rt.key)?.describe ?? {};
    } catch (e) {
      releaseBrowser();
      throw e;
    }
  }

  async run(rows: readonly Float64Array[]): Promise<Float64Array[]> {
    const page = await runtimePage(this.rt.key, this.init);
    const { server } = await browserHandle();
    const width = (n: number): number => (this.op === 'logsumexp' ? 1 : n);
    try {
      return await runBatched(rows, width, async (x, rowCount, n) => {
        const y = await withBytes(server, new Uint8Array(x.buffer, x.byteOffset, x.byteLength), (t) =>
          this.rt.call(page, this.op, { ...t, rows: rowCount, cols: n }),
        );
        // a copy: the bytes need not be 4-byte aligned in their buffer
        return new Float32Array(y.slice().buffer);
      });
    } catch (e) {
      // a library left in an unknown state (a lost device, a failed kernel): a fresh page next time
      await closeRuntimePage(this.rt.key);
      throw pageError(e, this.name);
    }
  }

  describe(): Record<string, string> {
    return this.described;
  }

  dispose(): Promise<void> {
    releaseBrowser();
    return Promise.resolve();
  }
}

/** The tfjs and onnxruntime-web implementations in Chromium; constructing them loads nothing. */
export function browserLibraryImplementations(): ThirdPartyImplementation[] {
  const out: ThirdPartyImplementation[] = [];
  for (const rt of [tfjs('webgpu'), tfjs('wasm'), ort('webgpu'), ort('wasm')])
    for (const op of rt.ops) out.push(new BrowserLibraryImplementation(op, rt));
  return out;
}
