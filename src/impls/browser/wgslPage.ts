/**
 * The code of the WGSL kernels' page: functions that run *inside the browser*, sent there by
 * playwright's `page.evaluate` (as their source text, so each must be self-contained: no import,
 * no reference to anything outside its own body). What they do mirrors device.ts and dispatch.ts
 * for Dawn in Node — the same kernel source (built in Node by `kernelSource` and handed over), the
 * same bindings, limits, error scopes and one dispatch per batch — only the WebGPU object comes
 * from `navigator.gpu`. Packing the rows and reading the results stays in Node (dispatch.ts's
 * `packRows`/`readRows`), so the bytes the kernel sees are the same on both stacks.
 *
 * State lives on the page's global object (`__logitfuzzWgsl`); a new page starts without any.
 */

/** The adapter limits the Node side needs (workgroup size, the largest binding, the grid). */
interface PageLimits {
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

/** What the page's adapter is, or why there is none. */
export type PageAdapter =
  | {
      readonly ok: true;
      readonly vendor: string;
      readonly architecture: string;
      readonly device: string;
      readonly description: string;
      /** Sorted. */
      readonly features: readonly string[];
      readonly limits: PageLimits;
    }
  | { readonly ok: false; readonly why: string };

/** One kernel to compile: its key ('softmax/f32') and WGSL source. */
export interface PageKernel {
  readonly key: string;
  readonly code: string;
}

/**
 * A batch for `pageDispatch`, packed in Node: the packed rows inline (`x`) or fetched from
 * `inUrl`, the output returned or posted to `outUrl` (transfer.ts); the small table and
 * parameters come with the call.
 */
export interface PageBatch {
  readonly key: string;
  readonly x?: Uint8Array;
  readonly inUrl?: string;
  readonly outUrl?: string;
  readonly table: Uint32Array;
  readonly params: Uint32Array;
  readonly yBytes: number;
  readonly gridX: number;
  readonly gridY: number;
}

// The page's view of its globals (the project's TypeScript has no DOM library).
interface WgslState {
  adapter?: GPUAdapter;
  device?: GPUDevice;
  pipelines?: Map<string, GPUComputePipeline>;
  lost?: string;
}
interface PageResponse {
  readonly ok: boolean;
  readonly status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}
/** The page's fetch (the project's TypeScript has no DOM library). */
declare function fetch(url: string, init?: { method: string; body: Uint8Array }): Promise<PageResponse>;
interface PageGlobals {
  readonly navigator: { readonly gpu?: GPU };
  readonly isSecureContext: boolean;
  __logitfuzzWgsl?: WgslState;
}

/** In the page: requests the adapter and describes it (keeps it for `pageDevice`). */
export async function pageAdapter(): Promise<PageAdapter> {
  const g = globalThis as unknown as PageGlobals;
  if (!g.navigator.gpu)
    return { ok: false, why: `navigator.gpu is missing (secure context: ${String(g.isSecureContext)})` };
  const adapter = await g.navigator.gpu.requestAdapter();
  if (!adapter) return { ok: false, why: 'navigator.gpu.requestAdapter() gave no adapter' };
  g.__logitfuzzWgsl = { adapter };
  const l = adapter.limits;
  return {
    ok: true,
    vendor: adapter.info.vendor,
    architecture: adapter.info.architecture,
    device: adapter.info.device,
    description: adapter.info.description,
    features: [...adapter.features].map(String).sort(),
    limits: {
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  };
}

/**
 * In the page: the device (with `shader-f16` when asked, and the workgroup size and largest
 * bindings the kernels use), and every kernel compiled. Throws with the compiler's messages.
 */
export async function pageDevice(arg: {
  readonly workgroupSize: number;
  readonly features: readonly string[];
  readonly kernels: readonly PageKernel[];
}): Promise<void> {
  const st = (globalThis as unknown as PageGlobals).__logitfuzzWgsl;
  if (!st?.adapter) throw new Error('no adapter: pageAdapter() first');
  const l = st.adapter.limits;
  const device = await st.adapter.requestDevice({
    requiredFeatures: arg.features as GPUFeatureName[],
    requiredLimits: {
      maxComputeInvocationsPerWorkgroup: arg.workgroupSize,
      maxComputeWorkgroupSizeX: arg.workgroupSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
    },
  });
  st.device = device;
  st.pipelines = new Map();
  void device.lost.then((info) => {
    st.lost = `${info.reason}: ${info.message}`;
  });
  for (const k of arg.kernels) {
    const module = device.createShaderModule({ code: k.code, label: `logitfuzz ${k.key}` });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0)
      throw new Error(
        `WGSL ${k.key} does not compile: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`,
      );
    st.pipelines.set(
      k.key,
      await device.createComputePipelineAsync({
        label: `logitfuzz ${k.key}`,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      }),
    );
  }
}

/** In the page: one dispatch of kernel `key` over the batch; the output buffer's bytes (or null once posted). */
export async function pageDispatch(b: PageBatch): Promise<Uint8Array | null> {
  // GPUBufferUsage and GPUMapMode values, fixed by the WebGPU specification (as in dispatch.ts)
  const MAP_READ = 0x0001;
  const COPY_SRC = 0x0004;
  const COPY_DST = 0x0008;
  const UNIFORM = 0x0040;
  const STORAGE = 0x0080;
  const st = (globalThis as unknown as PageGlobals).__logitfuzzWgsl;
  const dev = st?.device;
  const pipeline = st?.pipelines?.get(b.key);
  if (!st || !dev || !pipeline) throw new Error(`kernel ${b.key} is not set up in this page`);
  if (st.lost !== undefined) throw new Error(`WebGPU device lost (${st.lost})`);
  const x = b.x ?? new Uint8Array(await (await fetch(b.inUrl!)).arrayBuffer());
  const buffers: GPUBuffer[] = [];
  const buffer = (size: number, usage: number): GPUBuffer => {
    const buf = dev.createBuffer({ size, usage });
    buffers.push(buf);
    return buf;
  };
  dev.pushErrorScope('internal');
  dev.pushErrorScope('out-of-memory');
  dev.pushErrorScope('validation');
  let thrown: unknown;
  let readback: GPUBuffer | undefined;
  try {
    const pBuf = buffer(b.params.byteLength, UNIFORM | COPY_DST);
    const xBuf = buffer(x.byteLength, STORAGE | COPY_DST);
    const tBuf = buffer(b.table.byteLength, STORAGE | COPY_DST);
    const yBuf = buffer(b.yBytes, STORAGE | COPY_SRC);
    readback = buffer(b.yBytes, MAP_READ | COPY_DST);
    dev.queue.writeBuffer(pBuf, 0, b.params);
    dev.queue.writeBuffer(xBuf, 0, x);
    dev.queue.writeBuffer(tBuf, 0, b.table);
    const bindGroup = dev.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: pBuf } },
        { binding: 1, resource: { buffer: xBuf } },
        { binding: 2, resource: { buffer: tBuf } },
        { binding: 3, resource: { buffer: yBuf } },
      ],
    });
    const enc = dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(b.gridX, b.gridY);
    pass.end();
    enc.copyBufferToBuffer(yBuf, 0, readback, 0, b.yBytes);
    dev.queue.submit([enc.finish()]);
  } catch (e) {
    thrown = e;
  }
  const pops = [dev.popErrorScope(), dev.popErrorScope(), dev.popErrorScope()].map((p) =>
    p.catch(() => null),
  );
  const errs = (await Promise.all(pops)).filter((e): e is GPUError => e !== null);
  try {
    if (errs.length > 0) throw new Error(`WebGPU batch failed: ${errs.map((e) => e.message).join('; ')}`);
    if (thrown !== undefined || !readback) throw thrown;
    await readback.mapAsync(0x0001);
    if (st.lost !== undefined) throw new Error(`WebGPU device lost (${st.lost})`);
    const out = new Uint8Array(readback.getMappedRange().slice(0));
    readback.unmap();
    if (b.outUrl === undefined) return out;
    const posted = await fetch(b.outUrl, { method: 'POST', body: out });
    if (!posted.ok) throw new Error(`posting the output failed: HTTP ${posted.status}`);
    return null;
  } finally {
    for (const buf of buffers) buf.destroy();
  }
}
