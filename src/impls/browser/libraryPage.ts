/**
 * The code of the third-party libraries' pages (TensorFlow.js, ONNX Runtime Web): functions that
 * run *inside the browser*, sent by playwright's `page.evaluate` as their source text, so each is
 * self-contained. The libraries are their own browser builds (UMD scripts that set the globals
 * `tf` and `ort`), loaded with script tags from the loopback server before these run; their
 * .wasm files come from the same server.
 */

interface TfTensor {
  data(): Promise<Float32Array>;
  dispose(): void;
}
interface TfGlobal {
  readonly version_core: string;
  readonly wasm?: { setWasmPaths(prefix: string, usePlatformFetch?: boolean): void };
  env(): { set(flag: string, value: boolean): void };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string | null;
  tensor2d(values: Float32Array, shape: [number, number], dtype: 'float32'): TfTensor;
  tidy(fn: () => TfTensor): TfTensor;
  softmax(x: TfTensor, dim?: number): TfTensor;
  logSoftmax(x: TfTensor, axis?: number): TfTensor;
  logSumExp(x: TfTensor, axis?: number, keepDims?: boolean): TfTensor;
}
interface OrtTensor {
  readonly data: unknown;
  dispose?(): void;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor | undefined>>;
}
interface OrtGlobal {
  readonly env: {
    versions?: { web?: string };
    wasm: { wasmPaths?: string; numThreads?: number; proxy?: boolean };
  };
  readonly InferenceSession: {
    create(model: Uint8Array, options: { executionProviders: string[] }): Promise<OrtSession>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}
interface PageResponse {
  readonly ok: boolean;
  readonly status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}
/** The page's fetch (the project's TypeScript has no DOM library). */
declare function fetch(url: string, init?: { method: string; body: Float32Array }): Promise<PageResponse>;
interface PageGlobals {
  readonly tf?: TfGlobal;
  readonly ort?: OrtGlobal;
  __logitfuzzOrt?: Map<string, OrtSession>;
}

/** How a library's page came up: its version, or why it did not. */
export type LibraryReady =
  { readonly ok: true; readonly version: string } | { readonly ok: false; readonly why: string };

/**
 * In the page: activates tfjs's `backend` (its scripts already loaded). For wasm, its .wasm files
 * are at `wasmPrefix`; for webgpu, every kernel runs on the GPU (WEBGPU_CPU_FORWARD off, as the
 * Node adapter does: what runs where must not depend on how the rows are batched).
 */
export async function pageTfjsInit(arg: {
  readonly backend: string;
  readonly wasmPrefix: string;
}): Promise<LibraryReady> {
  const tf = (globalThis as unknown as PageGlobals).tf;
  if (!tf) return { ok: false, why: 'the tfjs scripts did not define `tf`' };
  try {
    if (arg.backend === 'wasm') tf.wasm?.setWasmPaths(arg.wasmPrefix);
    if (arg.backend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
    if (!(await tf.setBackend(arg.backend)))
      return { ok: false, why: `tf.setBackend('${arg.backend}') returned false` };
    await tf.ready();
    return { ok: true, version: tf.version_core };
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * A batch for `pageTfjsRun`/`pageOrtRun`: [rows, cols] float32 logits, their bytes inline (`x`) or
 * fetched from `inUrl`; the flat float32 output's bytes returned, or posted to `outUrl`
 * (transfer.ts).
 */
export interface PageTensorBatch {
  readonly x?: Uint8Array;
  readonly inUrl?: string;
  readonly outUrl?: string;
  readonly rows: number;
  readonly cols: number;
}

/** In the page: one tfjs op over a batch (see `PageTensorBatch`). */
export async function pageTfjsRun(
  arg: PageTensorBatch & { readonly op: string },
): Promise<Uint8Array | null> {
  const tf = (globalThis as unknown as PageGlobals).tf!;
  // a copy of the inline bytes: a Float32Array needs a 4-byte-aligned offset
  const x = new Float32Array(arg.x ? arg.x.slice().buffer : await (await fetch(arg.inUrl!)).arrayBuffer());
  const out = tf.tidy(() => {
    const t = tf.tensor2d(x, [arg.rows, arg.cols], 'float32');
    if (arg.op === 'softmax') return tf.softmax(t, -1);
    if (arg.op === 'log_softmax') return tf.logSoftmax(t, -1);
    return tf.logSumExp(t, -1, false);
  });
  let y: Float32Array;
  try {
    y = await out.data();
  } finally {
    out.dispose();
  }
  if (arg.outUrl === undefined) return new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  const posted = await fetch(arg.outUrl, { method: 'POST', body: y });
  if (!posted.ok) throw new Error(`posting the output failed: HTTP ${posted.status}`);
  return null;
}

/**
 * In the page: onnxruntime-web (its script already loaded) with one session per model, on
 * execution provider `ep`; one thread (as the Node adapter: rows are independent, threads change
 * no value), the .wasm files at `wasmPrefix`.
 */
export async function pageOrtInit(arg: {
  readonly ep: string;
  readonly wasmPrefix: string;
  readonly models: readonly { readonly key: string; readonly bytes: Uint8Array }[];
}): Promise<LibraryReady> {
  const g = globalThis as unknown as PageGlobals;
  const ort = g.ort;
  if (!ort) return { ok: false, why: 'the onnxruntime-web script did not define `ort`' };
  try {
    ort.env.wasm.wasmPaths = arg.wasmPrefix;
    ort.env.wasm.numThreads = 1;
    const sessions = new Map<string, OrtSession>();
    for (const m of arg.models)
      sessions.set(m.key, await ort.InferenceSession.create(m.bytes, { executionProviders: [arg.ep] }));
    g.__logitfuzzOrt = sessions;
    return { ok: true, version: ort.env.versions?.web ?? 'unknown' };
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
}

/** In the page: one session's run over a batch (see `PageTensorBatch`). */
export async function pageOrtRun(
  arg: PageTensorBatch & { readonly key: string; readonly input: string; readonly output: string },
): Promise<Uint8Array | null> {
  const g = globalThis as unknown as PageGlobals;
  const session = g.__logitfuzzOrt?.get(arg.key);
  if (!g.ort || !session) throw new Error(`no onnxruntime session '${arg.key}' in this page`);
  // a copy of the inline bytes: a Float32Array needs a 4-byte-aligned offset
  const x = new Float32Array(arg.x ? arg.x.slice().buffer : await (await fetch(arg.inUrl!)).arrayBuffer());
  const input = new g.ort.Tensor('float32', x, [arg.rows, arg.cols]);
  let data: Float32Array;
  try {
    const out = (await session.run({ [arg.input]: input }))[arg.output];
    if (!out) throw new Error(`onnxruntime-web returned no output '${arg.output}'`);
    data = Float32Array.from(out.data as ArrayLike<number>);
    out.dispose?.();
  } finally {
    input.dispose?.();
  }
  if (arg.outUrl === undefined) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const posted = await fetch(arg.outUrl, { method: 'POST', body: data });
  if (!posted.ok) throw new Error(`posting the output failed: HTTP ${posted.status}`);
  return null;
}
