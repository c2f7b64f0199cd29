/**
 * One batch, one dispatch: packs the rows into one storage buffer with an (offset, length) table,
 * dispatches one workgroup per row, reads the results back and returns them as Float64Array
 * rows whose values are values of the kernel's precision (f32 or f16, carried exactly).
 *
 * Inputs must be exactly representable in the precision (the Implementation contract): a value
 * that is not is a RangeError naming row and index, never silently rounded. No host-side
 * correction of any output: what the GPU computes is what is returned.
 *
 * Errors: a validation, out-of-memory or internal GPU error of this batch is thrown as an Error
 * with Dawn's message; a device lost during the batch throws `DeviceLost` (the next batch
 * acquires a new device); a batch larger than the device's largest storage binding is a
 * RangeError (split it).
 */
import { F16, fromBits, toBits } from '../../formats/index.js';
import { DeviceLost, getGpuContext, type GpuContext } from './device.js';
import { elementBytes, negInfBits, type KernelOp, type Precision } from './kernels.js';
import { getPipeline } from './pipelines.js';

// GPUBufferUsage and GPUMapMode flag values, fixed by the WebGPU specification (the package
// exposes them only through its `globals`, which we do not install into globalThis).
const MAP_READ = 0x0001;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const UNIFORM = 0x0040;
const STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/** The buffers a kernel binds: its uniform parameters, the packed rows, the row table, the outputs. */
export interface KernelBuffers {
  readonly params: GPUBuffer;
  readonly x: GPUBuffer;
  readonly rows: GPUBuffer;
  readonly y: GPUBuffer;
}

/** The bind group of a kernel's buffers, in the binding order of kernels.ts (0 params … 3 y). */
export function bindKernel(dev: GPUDevice, pipeline: GPUComputePipeline, b: KernelBuffers): GPUBindGroup {
  return dev.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: b.params } },
      { binding: 1, resource: { buffer: b.x } },
      { binding: 2, resource: { buffer: b.rows } },
      { binding: 3, resource: { buffer: b.y } },
    ],
  });
}

/** Records one dispatch of the kernel over a gridX × gridY grid of workgroups (one per row). */
export function encodeKernel(
  enc: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  bindGroup: GPUBindGroup,
  gridX: number,
  gridY: number,
): void {
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(gridX, gridY);
  pass.end();
}

/**
 * Runs `op` over `rows` in `precision` on the process's GPU: every row of the batch, whatever
 * their lengths, in one dispatch of one workgroup per row and one submit (see the file header).
 */
export async function runBatch(
  op: KernelOp,
  precision: Precision,
  rows: readonly Float64Array[],
): Promise<Float64Array[]> {
  const ctx = await getGpuContext();
  try {
    return await runOn(ctx, op, precision, rows);
  } catch (e) {
    // whatever failed (compile, submit, map) on a device that is gone is reported as the loss
    if (e instanceof RangeError) throw e;
    const lost = await lostReason(ctx);
    if (lost !== undefined) throw new DeviceLost(lost);
    throw e;
  }
}

/**
 * The device's loss reason, waiting briefly for `device.lost` to settle: an operation can fail
 * on a lost device a moment before the lost promise's callback has run.
 */
async function lostReason(ctx: GpuContext): Promise<string | undefined> {
  if (ctx.lostReason === undefined) {
    let timer: NodeJS.Timeout | undefined;
    const info = await Promise.race([
      ctx.device.lost,
      new Promise<undefined>((r) => {
        timer = setTimeout(() => r(undefined), 100);
      }),
    ]);
    clearTimeout(timer);
    if (info) ctx.lostReason ??= `${info.reason}: ${info.message}`;
  }
  return ctx.lostReason;
}

/** How a batch of rows is laid out for the kernel (the same in Node and in a browser page). */
export interface BatchPlan {
  /** Row r's logits start at offsets[r] of the packed input; offsets[R] is the total. */
  readonly offsets: Uint32Array;
  readonly total: number;
  /** Output elements: one per row for logsumexp, else one per logit. */
  readonly outLen: number;
  /** Sizes of the input and output storage bindings: multiples of 4 bytes, never empty. */
  readonly xBytes: number;
  readonly yBytes: number;
  /** The grid of workgroups, one per row. */
  readonly gridX: number;
  readonly gridY: number;
  /** The kernel's row table (offset, length per row) and its uniform parameters. */
  readonly table: Uint32Array;
  readonly params: Uint32Array;
}

/**
 * Lays out a nonempty batch for one dispatch, or null when every output is empty (softmax or
 * log_softmax of empty rows). Throws a RangeError naming the limit when the device cannot take
 * the batch in one binding or one grid, so that the caller splits it.
 */
export function planBatch(
  op: KernelOp,
  precision: Precision,
  rows: readonly Float64Array[],
  limits: { readonly maxStorageBufferBindingSize: number; readonly maxComputeWorkgroupsPerDimension: number },
): BatchPlan | null {
  const R = rows.length;
  const offsets = new Uint32Array(R + 1);
  for (let r = 0; r < R; r++) offsets[r + 1] = offsets[r] + rows[r].length;
  const total = offsets[R];
  const outLen = op === 'logsumexp' ? R : total;
  if (outLen === 0) return null;
  const eb = elementBytes(precision);
  // storage bindings are multiples of 4 bytes and never empty
  const xBytes = align4(Math.max(total, 1) * eb);
  const yBytes = align4(outLen * eb);
  const maxBinding = limits.maxStorageBufferBindingSize;
  if (xBytes > maxBinding || yBytes > maxBinding) {
    throw new RangeError(
      `webgpu batch of ${total} elements needs ${Math.max(xBytes, yBytes)} bytes in one binding; this device allows ${maxBinding}: split the batch`,
    );
  }
  const maxGrid = limits.maxComputeWorkgroupsPerDimension;
  const gridX = Math.min(R, maxGrid);
  const gridY = Math.ceil(R / gridX);
  if (gridY > maxGrid)
    throw new RangeError(`webgpu batch of ${R} rows exceeds ${maxGrid}² workgroups: split the batch`);
  const table = new Uint32Array(2 * R);
  for (let r = 0; r < R; r++) {
    table[2 * r] = offsets[r];
    table[2 * r + 1] = rows[r].length;
  }
  const params = new Uint32Array([R, gridX, negInfBits(precision), 0]);
  return { offsets, total, outLen, xBytes, yBytes, gridX, gridY, table, params };
}

async function runOn(
  ctx: GpuContext,
  op: KernelOp,
  precision: Precision,
  rows: readonly Float64Array[],
): Promise<Float64Array[]> {
  if (rows.length === 0) return [];
  const plan = planBatch(op, precision, rows, ctx.device.limits);
  // softmax/log_softmax of only empty rows: every output is empty, there is nothing to compute
  if (plan === null) return rows.map(() => new Float64Array(0));
  const { offsets, total, xBytes, yBytes, gridX, gridY, table, params } = plan;
  const xData = packRows(precision, rows, total, xBytes);

  const pipeline = await getPipeline(ctx, op, precision);
  const dev = ctx.device;
  const buffers: GPUBuffer[] = [];
  const buffer = (size: number, usage: number, label: string): GPUBuffer => {
    const b = dev.createBuffer({ size, usage, label: `logitfuzz ${label}` });
    buffers.push(b);
    return b;
  };
  dev.pushErrorScope('internal');
  dev.pushErrorScope('out-of-memory');
  dev.pushErrorScope('validation');
  let readback: GPUBuffer | undefined;
  let thrown: unknown;
  try {
    const pBuf = buffer(params.byteLength, UNIFORM | COPY_DST, 'params');
    const xBuf = buffer(xBytes, STORAGE | COPY_DST, 'x');
    const tBuf = buffer(table.byteLength, STORAGE | COPY_DST, 'rows');
    const yBuf = buffer(yBytes, STORAGE | COPY_SRC, 'y');
    readback = buffer(yBytes, MAP_READ | COPY_DST, 'readback');
    dev.queue.writeBuffer(pBuf, 0, params);
    dev.queue.writeBuffer(xBuf, 0, xData);
    dev.queue.writeBuffer(tBuf, 0, table);
    const bindGroup = bindKernel(dev, pipeline, { params: pBuf, x: xBuf, rows: tBuf, y: yBuf });
    const enc = dev.createCommandEncoder();
    encodeKernel(enc, pipeline, bindGroup, gridX, gridY);
    enc.copyBufferToBuffer(yBuf, 0, readback, 0, yBytes);
    dev.queue.submit([enc.finish()]);
  } catch (e) {
    thrown = e;
  }
  // Pop all three scopes whatever happened, innermost first, synchronously: the scope stack is
  // the device's, and an await between pops would let a concurrent batch's scopes interleave.
  const pops = [dev.popErrorScope(), dev.popErrorScope(), dev.popErrorScope()].map((p) =>
    p.catch(() => null),
  );
  const errs = (await Promise.all(pops)).filter((e): e is GPUError => e !== null);
  if (thrown !== undefined || errs.length > 0 || !readback) {
    destroyAll(buffers);
    if (errs.length > 0)
      throw new Error(`webgpu ${op}/${precision} batch failed: ${errs.map((e) => e.message).join('; ')}`);
    throw thrown;
  }

  try {
    await readback.mapAsync(MAP_MODE_READ);
    // a result read back from a device lost meanwhile is not trusted
    if (ctx.lostReason !== undefined) throw new DeviceLost(ctx.lostReason);
    const out = readRows(precision, readback.getMappedRange(), op, rows, offsets);
    readback.unmap();
    return out;
  } finally {
    destroyAll(buffers);
  }
}

function destroyAll(buffers: readonly GPUBuffer[]): void {
  for (const b of buffers) b.destroy();
}

function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/** The rows packed back to back in `precision`'s bits (`bytes` long); RangeError for a value not of it. */
export function packRows(
  precision: Precision,
  rows: readonly Float64Array[],
  total: number,
  bytes: number,
): ArrayBuffer {
  const buf = new ArrayBuffer(bytes);
  let k = 0;
  if (precision === 'f32') {
    const a = new Float32Array(buf);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let i = 0; i < row.length; i++, k++) {
        const v = row[i];
        if (Math.fround(v) !== v && v === v)
          throw new RangeError(`webgpu f32: row ${r} index ${i}: ${v} is not an f32 value`);
        a[k] = v;
      }
    }
  } else {
    const a = new Uint16Array(buf);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let i = 0; i < row.length; i++, k++) {
        try {
          a[k] = Number(toBits(F16, row[i]));
        } catch {
          throw new RangeError(`webgpu f16: row ${r} index ${i}: ${row[i]} is not an f16 value`);
        }
      }
    }
  }
  if (k !== total) throw new Error('webgpu: row packing miscounted'); // an internal invariant
  return buf;
}

/** The kernel's output buffer cut into rows (one value per row for logsumexp), values exact. */
export function readRows(
  precision: Precision,
  mapped: ArrayBuffer,
  op: KernelOp,
  rows: readonly Float64Array[],
  offsets: Uint32Array,
): Float64Array[] {
  // copy out of the mapped range before unmap detaches it
  const values =
    precision === 'f32'
      ? Float64Array.from(new Float32Array(mapped))
      : Float64Array.from(new Uint16Array(mapped), (b) => fromBits(F16, b));
  if (op === 'logsumexp') return rows.map((_, r) => values.slice(r, r + 1));
  return rows.map((_, r) => values.slice(offsets[r], offsets[r + 1]));
}
