/**
 * Throughput of every implementation in the zoo (elements/s) at n = 10, 1 000 and 1 000 000, each
 * beside a bare `Math.exp` loop over the same data — the floor for JavaScript — and the campaign's
 * throughput (cases/s) with 1 and 2 workers. Measuring apart from presenting: `runImplsBench` and
 * `runCampaignBench` return numbers, the `format…` functions print them. Each benchmark checks what
 * it computed: every output must be finite and, for softmax, sum to 1 within 1e-2 (any format), so
 * a broken or dead-code-eliminated run cannot report a speed.
 */
import { do_not_optimize, measure } from 'mitata';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { roundNumber, formatSpec } from '../src/formats/index.js';
import { allImplementations, availability } from '../src/impls/registry.js';
import type { Implementation } from '../src/impls/types.js';
import { implMeta } from '../src/campaign/options.js';
import { runCampaign } from '../src/campaign/runCampaign.js';

export interface ImplBenchRow {
  readonly impl: string;
  readonly backend: string;
  /** Elements per second per length; null where unavailable or skipped. */
  readonly rates: Readonly<Record<number, number | null>>;
  /** Ratio of the implementation's time to the Math.exp loop's over the same elements. */
  readonly ratioToExp: Readonly<Record<number, number | null>>;
  readonly note?: string;
}

export interface ImplBenchResult {
  readonly lengths: readonly number[];
  /** Math.exp loop: elements per second per length. */
  readonly expLoop: Readonly<Record<number, number>>;
  readonly rows: readonly ImplBenchRow[];
}

const LENGTHS = [10, 1000, 1_000_000];
/** Elements per timed call, so short rows are batched and the call overhead is not what is timed. */
const ELEMENTS_PER_CALL = 100_000;

function data(n: number, format: string, seed: number): Float64Array {
  const fmt = formatSpec(format);
  let s = seed >>> 0;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = roundNumber(fmt, (s / 2 ** 32) * 20 - 10); // benign logits in [−10, 10)
  }
  return x;
}

async function timeNs(fn: () => unknown, slow: boolean): Promise<number> {
  if (slow) {
    const t0 = performance.now();
    do_not_optimize(await fn());
    return (performance.now() - t0) * 1e6;
  }
  const stats = await measure(async () => do_not_optimize(await fn()), {
    min_samples: 3,
    max_samples: 50,
    min_cpu_time: 100e6,
    warmup_samples: 1,
    batch_threshold: 0,
  });
  return stats.p50;
}

/**
 * What every measured call must have computed: finite outputs, and softmax values in [0, 1] that
 * sum to 1 within 1e-2 where the format can hold such a sum (n·u < 1/100; beyond that f16 and
 * bf16 sums stagnate, the known defect of those implementations, which is not this benchmark's
 * concern).
 */
function check(impl: Implementation, out: Float64Array[]): void {
  const u = formatSpec(impl.format).unitRoundoff;
  for (const row of out) {
    let sum = 0;
    for (const v of row) {
      if (!Number.isFinite(v)) throw new Error(`${impl.name}: non-finite output on benign logits`);
      if (impl.op === 'softmax' && !(v >= 0 && v <= 1))
        throw new Error(`${impl.name}: softmax output ${v} outside [0, 1]`);
      sum += v;
    }
    if (impl.op === 'softmax' && row.length * u < 0.01 && Math.abs(sum - 1) > 1e-2)
      throw new Error(`${impl.name}: softmax sums to ${sum}`);
  }
}

export async function runImplsBench(
  opts: { quick?: boolean; filter?: (name: string) => boolean } = {},
): Promise<ImplBenchResult> {
  const lengths = opts.quick ? [10] : LENGTHS;
  const expLoop: Record<number, number> = {};
  const expNs: Record<number, number> = {};
  for (const n of lengths) {
    const rows = Math.max(1, Math.floor(ELEMENTS_PER_CALL / n));
    const x = data(n, 'f64', 7);
    const out = new Float64Array(n);
    const ns = await timeNs(() => {
      for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return out;
    }, false);
    expNs[n] = ns / (rows * n);
    expLoop[n] = 1e9 / expNs[n];
  }
  const rows: ImplBenchRow[] = [];
  for (const impl of allImplementations()) {
    if (opts.filter && !opts.filter(impl.name)) continue;
    const av = await availability(impl);
    if (!av.available) {
      rows.push({
        impl: impl.name,
        backend: impl.backend,
        rates: {},
        ratioToExp: {},
        note: `unavailable: ${av.reason}`,
      });
      continue;
    }
    await impl.setup?.();
    const rates: Record<number, number | null> = {};
    const ratios: Record<number, number | null> = {};
    try {
      for (const n of lengths) {
        const count = Math.max(1, Math.floor(ELEMENTS_PER_CALL / n));
        const x = data(n, impl.format, 11);
        const batch = Array.from({ length: count }, () => x);
        const labels = impl.op.startsWith('cross_entropy') ? batch.map(() => 0) : undefined;
        check(impl, await impl.run(batch.slice(0, 1), labels?.slice(0, 1)));
        const slow = opts.quick === true || n >= 1_000_000 || impl.format === 'f16' || impl.format === 'bf16';
        const ns = (await timeNs(() => impl.run(batch, labels), slow)) / (count * n);
        rates[n] = 1e9 / ns;
        ratios[n] = ns / expNs[n];
      }
    } finally {
      await impl.dispose?.();
    }
    rows.push({ impl: impl.name, backend: impl.backend, rates, ratioToExp: ratios });
  }
  return { lengths, expLoop, rows };
}

export function formatImplsBench(r: ImplBenchResult): string {
  const fmt = (v: number | null | undefined) =>
    v === null || v === undefined
      ? '—'
      : v >= 1e6
        ? `${(v / 1e6).toFixed(1)}M`
        : v >= 1e3
          ? `${(v / 1e3).toFixed(1)}k`
          : v.toFixed(0);
  const ratio = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(2)}×`);
  let out =
    'implementation throughput, elements/s (and time relative to a bare Math.exp loop over the same elements)\n';
  out += `${'Math.exp loop'.padEnd(44)}${r.lengths.map((n) => `n=${n}: ${fmt(r.expLoop[n])}`.padEnd(26)).join('')}\n`;
  for (const row of r.rows) {
    if (row.note) {
      out += `${row.impl.padEnd(44)}${row.note}\n`;
      continue;
    }
    const cells = r.lengths.map((n) => `${fmt(row.rates[n])} (${ratio(row.ratioToExp[n])})`.padEnd(26));
    out += `${row.impl.padEnd(44)}${cells.join('')}\n`;
  }
  return out;
}

export interface CampaignBenchResult {
  readonly cases: number;
  /** Cases per second with 1 and 2 workers. */
  readonly rate1: number;
  readonly rate2: number;
  readonly speedup: number;
  readonly cores: number;
}

/** Campaign throughput: the same deterministic campaign with 1 and with 2 workers (no shrinking). */
export async function runCampaignBench(opts: { quick?: boolean } = {}): Promise<CampaignBenchResult> {
  const impls = allImplementations().filter(
    (i) => i.backend === 'js' && i.op === 'softmax' && (i.format === 'f64' || i.format === 'f32'),
  );
  const runs = opts.quick ? 20 : 1500;
  const go = async (workers: number) => {
    const t0 = performance.now();
    const rec = await runCampaign({
      specs: impls.map((i) => ({ kind: 'builtin', name: i.name })),
      meta: impls.map(implMeta),
      seed: 1,
      runs,
      timeLimitS: null,
      shard: null,
      workers,
      timeoutMs: 10_000,
      judge: { specials: 'report', checkDeterminism: true },
      minLength: 1,
      maxLength: 64,
      maxBatch: 1,
      casesFile: null,
      resume: false,
      shrinkEvals: 0,
      replayCommand: () => '',
      command: 'bench',
      version: 'bench',
      environment: {},
    });
    return { cases: rec.totals.cases, ms: performance.now() - t0 };
  };
  const one = await go(1);
  const two = await go(2);
  if (one.cases !== two.cases || one.cases === 0)
    throw new Error(`campaign bench: case counts differ (${one.cases} vs ${two.cases})`);
  const rate1 = (one.cases / one.ms) * 1000;
  const rate2 = (two.cases / two.ms) * 1000;
  return { cases: one.cases, rate1, rate2, speedup: rate2 / rate1, cores: availableParallelism() };
}

export function formatCampaignBench(r: CampaignBenchResult): string {
  const setup = `${r.cases} cases, the JS softmax zoo in f64 and f32, no shrinking, worker start-up included`;
  const rates = `1 worker ${r.rate1.toFixed(1)} cases/s, 2 workers ${r.rate2.toFixed(1)} cases/s`;
  return `campaign throughput (${setup}): ${rates}, speed-up ${r.speedup.toFixed(2)}× on ${r.cores} core(s)\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  process.stdout.write(
    formatImplsBench(
      await runImplsBench({ quick, ...(only ? { filter: (n: string) => n.includes(only) } : {}) }),
    ),
  );
  process.stdout.write(formatCampaignBench(await runCampaignBench({ quick })));
  process.stdout.write(formatGpuKernelBench(await runGpuKernelBench({ quick })));
  const { releaseGpu } = await import('../src/impls/webgpu/index.js');
  await releaseGpu();
  process.exit(0);
}

export interface GpuKernelBenchRow {
  readonly op: string;
  readonly n: number;
  /** Elements per second, kernel only: inputs already on the device, outputs left there. */
  readonly kernelOnly: number;
  /** Elements per second through the implementation's run(): upload, dispatch, read back. */
  readonly withTransfers: number;
}

/**
 * WebGPU softmax/log_softmax/logsumexp f32 with and without transfers: the same rows through
 * `run()` (pack, upload, one dispatch, copy back, map, unpack) and through the bare dispatch on
 * buffers that already hold them (timed to `onSubmittedWorkDone`). Empty when no adapter.
 */
export async function runGpuKernelBench(opts: { quick?: boolean } = {}): Promise<GpuKernelBenchRow[]> {
  const { getGpuContext, webgpuImplementations } = await import('../src/impls/webgpu/index.js');
  const { getPipeline } = await import('../src/impls/webgpu/pipelines.js');
  const { negInfBits } = await import('../src/impls/webgpu/kernels.js');
  const { bindKernel, encodeKernel } = await import('../src/impls/webgpu/dispatch.js');
  let ctx;
  try {
    ctx = await getGpuContext();
  } catch {
    return [];
  }
  const out: GpuKernelBenchRow[] = [];
  const lengths = opts.quick ? [1000] : [1000, 1_000_000];
  for (const impl of webgpuImplementations().filter((i) => i.format === 'f32')) {
    await impl.setup?.();
    for (const n of lengths) {
      const R = Math.max(1, Math.floor(ELEMENTS_PER_CALL / n));
      const x = data(n, 'f32', 13);
      const rows = Array.from({ length: R }, () => x);
      check(impl, (await impl.run(rows.slice(0, 1))) as Float64Array[]);
      const withNs = (await timeNs(() => impl.run(rows), n >= 1_000_000 || opts.quick === true)) / (R * n);
      // the same dispatch as run(), on buffers that already hold the rows
      const dev = ctx.device;
      const pipeline = await getPipeline(ctx, impl.op as 'softmax', 'f32');
      const gridX = Math.min(R, dev.limits.maxComputeWorkgroupsPerDimension);
      const gridY = Math.ceil(R / gridX);
      const params = new Uint32Array([R, gridX, negInfBits('f32'), 0]);
      const xs = new Float32Array(R * n);
      const table = new Uint32Array(2 * R);
      for (let r = 0; r < R; r++) {
        xs.set(x, r * n);
        table[2 * r] = r * n;
        table[2 * r + 1] = n;
      }
      const yLen = impl.op === 'logsumexp' ? R : R * n;
      const mk = (size: number, usage: number) => dev.createBuffer({ size: Math.max(4, size), usage });
      const pBuf = mk(params.byteLength, 0x0040 | 0x0008);
      const xBuf = mk(xs.byteLength, 0x0080 | 0x0008);
      const tBuf = mk(table.byteLength, 0x0080 | 0x0008);
      const yBuf = mk(yLen * 4, 0x0080);
      dev.queue.writeBuffer(pBuf, 0, params);
      dev.queue.writeBuffer(xBuf, 0, xs);
      dev.queue.writeBuffer(tBuf, 0, table);
      const bindGroup = bindKernel(dev, pipeline, { params: pBuf, x: xBuf, rows: tBuf, y: yBuf });
      const dispatch = async () => {
        const enc = dev.createCommandEncoder();
        encodeKernel(enc, pipeline, bindGroup, gridX, gridY);
        dev.queue.submit([enc.finish()]);
        await dev.queue.onSubmittedWorkDone();
        return 1;
      };
      await dispatch();
      const kernelNs = (await timeNs(dispatch, n >= 1_000_000 || opts.quick === true)) / (R * n);
      for (const b of [pBuf, xBuf, tBuf, yBuf]) b.destroy();
      out.push({ op: impl.op, n, kernelOnly: 1e9 / kernelNs, withTransfers: 1e9 / withNs });
    }
    await impl.dispose?.();
  }
  return out;
}

export function formatGpuKernelBench(rows: readonly GpuKernelBenchRow[]): string {
  if (rows.length === 0) return 'webgpu: no adapter here (see logitfuzz list for the fix)\n';
  let s =
    'webgpu f32, elements/s: kernel only (inputs resident, no read-back) vs through run() (upload, dispatch, read back)\n';
  for (const r of rows) {
    const kernel = (r.kernelOnly / 1e6).toFixed(2);
    const transfers = (r.withTransfers / 1e6).toFixed(2);
    s += `  ${r.op.padEnd(12)} n=${String(r.n).padEnd(8)} kernel only ${kernel}M   with transfers ${transfers}M\n`;
  }
  return s;
}
