/**
 * The zoo's WGSL kernels in Chromium: 'softmax/webgpu-chromium/f32', 'log_softmax/…',
 * 'logsumexp/…' and their '/f16' twins, backend 'webgpu'. The kernel source is the one the Node
 * path compiles (`kernelSource` in ../webgpu/kernels.ts, built here and handed to the page), the
 * rows are packed and the results read by the same code (../webgpu/dispatch.ts), and the page does
 * what dispatch.ts does with Dawn in Node (wgslPage.ts) — only the WebGPU stack differs: on a
 * machine without a GPU, Chromium's own Dawn on SwiftShader (Vulkan, core feature level) where
 * Node's is Mesa's llvmpipe through OpenGL ES; on a machine with one, the browser's adapter for it.
 *
 * `setup()` starts the process's browser (session.ts) and the kernels' page: the adapter, a device
 * with `shader-f16` when the adapter offers it, every kernel compiled once. Throws `Unavailable`
 * without Chromium or playwright-core, without WebGPU in the page, or for f16 without
 * `shader-f16` (SwiftShader has none). `describe()` records the browser's version and the
 * adapter's vendor, architecture and features with every result.
 *
 * `expected`: as for the Node kernels (implementation.ts), by measurement on SwiftShader
 * (docs/gpu.md).
 */
import { type Implementation, Unavailable } from '../types.js';
import { workgroupSizeFor } from '../webgpu/device.js';
import { packRows, planBatch, readRows } from '../webgpu/dispatch.js';
import { KERNEL_OPS, kernelSource, type KernelOp, type Precision } from '../webgpu/kernels.js';
import { FORMULAS, EXPECTED } from '../webgpu/implementation.js';
import type { PwPage } from './chromium.js';
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
import { pageAdapter, pageDevice, pageDispatch, type PageAdapter } from './wgslPage.js';

/** The formulation name's suffix that says where an implementation runs. */
export const CHROMIUM = 'chromium';

const RUNTIME = 'wgsl';

/** A WGSL kernel in the browser: an `Implementation` that can also describe its browser and adapter. */
export interface BrowserWgslImplementation extends Implementation {
  readonly op: KernelOp;
  readonly format: Precision;
  readonly backend: 'webgpu';
  /** Browser and adapter facts for the campaign's results; `{}` before setup. */
  describe(): Record<string, string>;
}

/** What the kernels' page was set up with (the last one opened). */
interface WgslPageFacts {
  readonly browser: string;
  readonly adapter: Extract<PageAdapter, { ok: true }>;
  readonly workgroupSize: number;
}
let facts: WgslPageFacts | undefined;

/** The fix named when the page has no WebGPU adapter. */
export const NO_ADAPTER_FIX =
  "a Chromium with WebGPU (Debian 12's chromium 156 has it, measured: logitfuzz starts it with --enable-unsafe-webgpu, and without a GPU its adapter is SwiftShader, which Chromium ships; LOGITFUZZ_CHROMIUM names another executable)";

async function initWgsl(page: PwPage, h: BrowserHandle): Promise<void> {
  const adapter = await page.evaluate(pageAdapter, undefined);
  if (!adapter.ok)
    throw new Unavailable(`Chromium ${h.version} offers no WebGPU adapter: ${adapter.why}`, NO_ADAPTER_FIX);
  const workgroupSize = workgroupSizeFor(adapter.limits);
  const f16 = adapter.features.includes('shader-f16');
  const kernels = [];
  for (const precision of f16 ? (['f32', 'f16'] as const) : (['f32'] as const))
    for (const op of KERNEL_OPS)
      kernels.push({ key: `${op}/${precision}`, code: kernelSource(op, precision, workgroupSize) });
  await page.evaluate(pageDevice, { workgroupSize, features: f16 ? ['shader-f16'] : [], kernels });
  facts = { browser: h.version, adapter, workgroupSize };
}

function describeFacts(f: WgslPageFacts): Record<string, string> {
  return {
    browser: `Chromium ${f.browser}`,
    adapter: f.adapter.device || f.adapter.description,
    vendor: f.adapter.vendor,
    architecture: f.adapter.architecture,
    description: f.adapter.description,
    features: f.adapter.features.join(','),
    workgroupSize: String(f.workgroupSize),
  };
}

/** One batch through the page: packed here, one dispatch there, read back here. */
async function runInPage(
  op: KernelOp,
  precision: Precision,
  rows: readonly Float64Array[],
): Promise<Float64Array[]> {
  const R = rows.length;
  if (R === 0) return [];
  const page = await runtimePage(RUNTIME, initWgsl);
  const h = await browserHandle();
  const f = facts!;
  const plan = planBatch(op, precision, rows, f.adapter.limits);
  if (plan === null) return rows.map(() => new Float64Array(0));
  const { offsets, total, xBytes, yBytes, gridX, gridY, table, params } = plan;
  let y: Uint8Array;
  try {
    y = await withBytes(h.server, new Uint8Array(packRows(precision, rows, total, xBytes)), (t) =>
      page.evaluate(pageDispatch, {
        key: `${op}/${precision}`,
        ...t,
        table,
        params,
        yBytes,
        gridX,
        gridY,
      }),
    );
  } catch (e) {
    // a crashed page is gone already; a lost device or a failed batch may leave the page's
    // state unusable: start the next batch on a fresh page
    await closeRuntimePage(RUNTIME);
    throw pageError(e, `the ${op}/${precision} kernel`);
  }
  return readRows(precision, new Uint8Array(y).buffer, op, rows, offsets);
}

function make(op: KernelOp, precision: Precision): BrowserWgslImplementation {
  let described: Record<string, string> = {};
  return {
    name: `${op}/webgpu-${CHROMIUM}/${precision}`,
    op,
    format: precision,
    backend: 'webgpu',
    formula: `${FORMULAS[op]}; in Chromium's WebGPU`,
    expected: EXPECTED[op],
    async setup(): Promise<void> {
      retainBrowser();
      try {
        await runtimePage(RUNTIME, initWgsl);
        const f = facts!;
        if (precision === 'f16' && !f.adapter.features.includes('shader-f16'))
          throw new Unavailable(
            `Chromium's WebGPU adapter (${f.adapter.vendor} ${f.adapter.architecture}) does not offer 'shader-f16'`,
            "run on a machine whose GPU offers 'shader-f16' to the browser (SwiftShader, Chromium's software adapter, does not)",
          );
        described = describeFacts(f);
      } catch (e) {
        releaseBrowser();
        throw e;
      }
    },
    run(rows: readonly Float64Array[]): Promise<Float64Array[]> {
      return runInPage(op, precision, rows);
    },
    describe(): Record<string, string> {
      return described;
    },
    dispose(): Promise<void> {
      releaseBrowser();
      return Promise.resolve();
    },
  };
}

/** The six WGSL kernels in Chromium (three ops × f32, f16). Loads nothing until `setup()`. */
export function browserWgslImplementations(): BrowserWgslImplementation[] {
  const out: BrowserWgslImplementation[] = [];
  for (const precision of ['f32', 'f16'] as const) for (const op of KERNEL_OPS) out.push(make(op, precision));
  return out;
}
