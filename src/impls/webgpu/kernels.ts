/**
 * WGSL compute kernels for softmax, log_softmax and logsumexp over a batch of rows.
 *
 * One workgroup per row; each invocation strides over the row (`i = lid, lid + WG, …`), so every
 * length works: 0, 1, non-powers of two, shorter than the workgroup (idle invocations contribute
 * the neutral element) and far longer (each invocation folds n/WG elements first). Two
 * shared-memory tree reductions per row:
 *
 *   m = max_j x_j                                  (tree of `max`)
 *   c = m if m is finite, else 0                   (shift; see "Infinities" below)
 *   s = Σ_j exp(x_j − c)                           (per-invocation sequential sums, then a tree)
 *   softmax_i     = exp(x_i − c) / s
 *   log_softmax_i = (x_i − c) − log(s)
 *   logsumexp     = c + log(s)
 *
 * This is the "shifted" algorithm of Blanchard, Higham & Higham (2021), Theorems 4.2/4.3, but
 * with `log(s)` rather than their `log1p(s − 1)`: WGSL has no log1p, and a GPU framework kernel
 * computes exactly this. Consequence (measured, not hidden): when one logit dominates, s rounds
 * to 1 and logsumexp/log_softmax lose everything below u·1 (e.g. logsumexp([0, −20]) = 0, not
 * 2.06e−9). WGSL promises `exp` to 3 + 2|x| ULP and `log` to 3 ULP outside [0.5, 2], absolute
 * 2^−21 inside; division 2.5 ULP (f32); and it lets a device flush subnormals to zero (Mesa's
 * llvmpipe does). None of it is corrected on the host.
 *
 * Rows are packed back to back into one storage array `x`; `rows[r] = (offset, length)`.
 * softmax and log_softmax write `y` with the same layout as `x`; logsumexp writes `y[r]`.
 *
 * Infinities: WGSL has no Inf literal and a const-expression that overflows is a
 * shader-creation error, so −Inf (the identity of max, and logsumexp of an empty row) comes
 * from the host as a bit pattern in the uniform `params.neg_inf_bits` and is bitcast at run
 * time (f32: 0xFF800000; f16: 0xFC00 in both halves, bitcast to vec2<f16>). The shift c falls
 * back to 0 when m = ±Inf, as PyTorch's logsumexp does, so an all −Inf row gives
 * log(0) = −Inf and a row with +Inf gives +Inf rather than Inf − Inf = NaN; softmax of a row
 * with +Inf is then Inf/Inf = NaN (no special-casing: the policy's 1/k is not what this kernel
 * does, and the fuzzer reports it). WGSL lets an implementation assume no Inf/NaN (its finite
 * math rules), so whatever a GPU does here is a measurement.
 *
 * Empty rows: softmax/log_softmax write nothing (their output is empty); logsumexp writes −Inf
 * explicitly (n = 0) rather than trusting `log(0)`, which WGSL leaves undefined.
 *
 * f16 kernels (`enable f16;`, needs the device feature 'shader-f16') compute in f16 throughout
 * (loads, max, exp, sum, log, division): the format the row is in is the format the arithmetic is
 * in. Accumulating in f32 would be another formulation.
 */

/** The ops these kernels compute. */
export type KernelOp = 'softmax' | 'log_softmax' | 'logsumexp';

export const KERNEL_OPS: readonly KernelOp[] = ['softmax', 'log_softmax', 'logsumexp'];

/** Storage and arithmetic precision of a kernel. */
export type Precision = 'f32' | 'f16';

/** The −Inf bit pattern the host writes into `params.neg_inf_bits` for a precision. */
export function negInfBits(precision: Precision): number {
  // f16: two copies of 0xFC00 so `bitcast<vec2<f16>>(bits).x` is −Inf whichever half is x
  return precision === 'f32' ? 0xff800000 : 0xfc00fc00;
}

/** Bytes of one element of a precision. */
export function elementBytes(precision: Precision): number {
  return precision === 'f32' ? 4 : 2;
}

/**
 * The WGSL source of the kernel for `op` in `precision` with `workgroupSize` invocations.
 *
 * `workgroupSize` must be a power of two (the tree halves it) between 1 and 1024; a RangeError
 * otherwise. Bindings (group 0): 0 uniform `params {rows, grid_x, neg_inf_bits}`, 1 read-only
 * storage `x`, 2 read-only storage `rows: array<vec2<u32>>`, 3 read-write storage `y`.
 * The dispatch is (min(R, grid_x), ceil(R / grid_x)) workgroups; row = wid.y·grid_x + wid.x.
 */
export function kernelSource(op: KernelOp, precision: Precision, workgroupSize: number): string {
  if (
    !Number.isInteger(workgroupSize) ||
    workgroupSize < 1 ||
    workgroupSize > 1024 ||
    (workgroupSize & (workgroupSize - 1)) !== 0
  ) {
    throw new RangeError(`kernelSource: workgroup size ${workgroupSize} is not a power of two in [1, 1024]`);
  }
  const T = precision;
  // Literals: the suffix fixes the type; each format's max finite, written exactly (a decimal
  // literal that rounds to it, like 3.40282347e38, is out of range for WGSL: a compile error).
  const zero = T === 'f32' ? '0.0f' : '0.0h';
  const maxFinite = T === 'f32' ? '0x1.fffffep+127f' : '65504.0h';
  const negInf =
    T === 'f32' ? 'bitcast<f32>(params.neg_inf_bits)' : 'bitcast<vec2<f16>>(params.neg_inf_bits).x';

  let output: string;
  switch (op) {
    case 'softmax':
      output = `
  for (var i = lid; i < n; i += WG) {
    y[off + i] = exp(x[off + i] - c) / s;
  }`;
      break;
    case 'log_softmax':
      output = `
  let log_s = log(s);
  for (var i = lid; i < n; i += WG) {
    y[off + i] = (x[off + i] - c) - log_s;
  }`;
      break;
    case 'logsumexp':
      output = `
  if (lid == 0u) {
    // n = 0: the empty sum; write −Inf rather than rely on log(0), which WGSL leaves undefined
    y[row] = select(c + log(s), neg_inf, n == 0u);
  }`;
      break;
  }

  return `${T === 'f16' ? 'enable f16;\n' : ''}// logitfuzz ${op}/${T}: one workgroup per row; see src/impls/webgpu/kernels.ts
struct Params {
  rows: u32,
  grid_x: u32,
  neg_inf_bits: u32,
  pad: u32,
}

const WG: u32 = ${workgroupSize}u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<${T}>;
@group(0) @binding(2) var<storage, read> rows: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read_write> y: array<${T}>;

var<workgroup> red: array<${T}, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  // Uniform across the workgroup (workgroup_id and a uniform buffer), so the early return
  // keeps the barriers below in uniform control flow.
  let row = wid.y * params.grid_x + wid.x;
  if (row >= params.rows) {
    return;
  }
  let off = rows[row].x;
  let n = rows[row].y;
  let neg_inf = ${negInf};

  // 1. max: each invocation over its stride, then a tree. Idle invocations hold −Inf.
  var t = neg_inf;
  for (var i = lid; i < n; i += WG) {
    t = max(t, x[off + i]);
  }
  red[lid] = t;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) {
      red[lid] = max(red[lid], red[lid + h]);
    }
    workgroupBarrier();
  }
  let m = red[0];
  // every invocation must have read red[0] before it is reused for the sum
  workgroupBarrier();

  // Shift by m when finite; by 0 when m = ±Inf (all −Inf, empty, or some +Inf), so that
  // exp(−Inf − 0) = 0 and exp(+Inf − 0) = +Inf instead of Inf − Inf = NaN. NaN m: the
  // comparison is false, c = NaN, and every output is NaN.
  let c = select(m, ${zero}, abs(m) > ${maxFinite});

  // 2. s = Σ exp(x_j − c): sequential per invocation, then a tree (pairwise across invocations).
  var a = ${zero};
  for (var i = lid; i < n; i += WG) {
    a = a + exp(x[off + i] - c);
  }
  red[lid] = a;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) {
      red[lid] = red[lid] + red[lid + h];
    }
    workgroupBarrier();
  }
  let s = red[0];

  // 3. outputs${output}
}
`;
}
