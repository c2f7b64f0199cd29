/**
 * Throughput of every implementation in the zoo (elements/s) at n = 10, 1 000 and 1 000 000, each
 * beside a bare `Math.exp` loop over the same data — the floor for JavaScript — and the campaign's
 * throughput (cases/s) with 1 and 2 workers, with the CPU each run takes and the speed-up the
 * 1-worker runs' CPU leaves room for on this machine. Measuring apart from presenting:
 * `runImplsBench` and `runCampaignBench` return numbers, the `format…` functions print them. Each
 * benchmark checks what it computed: every output must be finite and, for softmax, sum to 1
 * within 1e-2 (any format), so a broken or dead-code-eliminated run cannot report a speed.
 */
import { do_not_optimize, measure } from 'mitata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { roundNumber, formatSpec } from '../src/formats/index.js';
import { allImplementations, availability, findImplementations } from '../src/impls/registry.js';
import { browserImplementations } from '../src/impls/browser/index.js';
import type { RunRecord } from '../src/report/schema.js';
import type { Implementation } from '../src/impls/types.js';
import { childCpuSeconds } from './childCpu.js';

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

/** The README's scaling command: its implementation globs and options (README, "Performance"). */
export const SCALING_IMPL_GLOBS = ['softmax/*/f64', 'softmax/*/f32'] as const;
const SCALING_ARGS = ['--runs', '2500', '--seed', '1', '--shrink-evals', '0', '--max-length', '64'];

export interface CampaignBenchRun {
  readonly workers: number;
  readonly wallMs: number;
  /**
   * CPU milliseconds of the whole run, user + system, on every core together: the CLI's process,
   * its worker processes and all their threads (JIT compilers, GC helpers, Dawn's), or null off
   * Linux.
   */
  readonly cpuMs: number | null;
  readonly cases: number;
}

export interface CampaignBenchResult {
  /** The implementations run: the README's globs, less the browser runner's entries. */
  readonly impls: readonly string[];
  /** The options after `--impl`, as the README's command gives them. */
  readonly args: readonly string[];
  readonly cases: number;
  /** Every run, in the order run (1 and 2 workers interleaved). */
  readonly runs: readonly CampaignBenchRun[];
  /** Median cases per second with 1 and 2 workers, over the repeats. */
  readonly rate1: number;
  readonly rate2: number;
  readonly speedup: number;
  /**
   * The most 2 workers could give on this machine, from the 1-worker runs' median CPU and wall
   * time: min(2, cores·wall/CPU). Two workers need at least the CPU of one, and `cores` cores
   * cannot do it in less than CPU/cores; null off Linux.
   */
  readonly ceiling: number | null;
  /** Median cores busy with 1 and 2 workers (CPU / wall time); null off Linux. */
  readonly busy1: number | null;
  readonly busy2: number | null;
  /**
   * Median CPU of a 1-worker run over that of a 2-worker run: below 1 by what the second worker
   * duplicates (its own start-up, compilation, warm-up) and what two processes side by side
   * cost each other; null off Linux.
   */
  readonly cpuRatio: number | null;
  readonly cores: number;
  /** The 1-minute load average before the first run (the machine may be shared). */
  readonly loadBefore: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Campaign throughput: the README's scaling command (`run --impl … --runs 2500 --seed 1
 * --shrink-evals 0 --max-length 64`), run through the CLI as the README times it (start-up,
 * store and reports included), with 1 and with 2 workers, interleaved `repeats` times; the
 * medians. The browser runner's entries (src/impls/browser: they match `softmax/*\/f32` too, and
 * take minutes in Chromium) are left out, so that it measures the work the README's figures
 * were measured on. Checks that every run judged the same number of cases.
 */
export async function runCampaignBench(
  opts: { quick?: boolean; repeats?: number } = {},
): Promise<CampaignBenchResult> {
  const browser = new Set(browserImplementations().map((i) => i.name));
  const impls = findImplementations(SCALING_IMPL_GLOBS)
    .map((i) => i.name)
    .filter((n) => !browser.has(n));
  const args = opts.quick ? SCALING_ARGS.map((a) => (a === '2500' ? '20' : a)) : SCALING_ARGS;
  const repeats = opts.repeats ?? (opts.quick ? 1 : 3);
  // the built CLI: next to dist/bench, or under dist/ when tests run this file from bench/
  const here = fileURLToPath(new URL('.', import.meta.url));
  const cli = /[\\/]dist[\\/]bench[\\/]?$/.test(here)
    ? join(here, '../src/cli/main.js')
    : join(here, '../dist/src/cli/main.js');
  const out = mkdtempSync(join(tmpdir(), 'lf-campaign-bench-'));
  const loadBefore = loadavg()[0];
  const runs: CampaignBenchRun[] = [];
  try {
    for (let r = 0; r < repeats; r++)
      for (const workers of [1, 2]) {
        const dir = join(out, `w${workers}-${r}`);
        const c0 = childCpuSeconds();
        const t0 = performance.now();
        const child = spawnSync(
          process.execPath,
          [cli, 'run', '--impl', impls.join(','), ...args, '--workers', String(workers), '--out', dir],
          { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
        );
        const wallMs = performance.now() - t0;
        const c1 = childCpuSeconds();
        // exit 1 is a verdict (findings), not a failure of the run
        if (child.status !== 0 && child.status !== 1)
          throw new Error(`campaign bench: run exited ${child.status}: ${child.stderr.slice(-500)}`);
        const rec = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunRecord;
        const cpuMs = c0 === null || c1 === null ? null : (c1 - c0) * 1000;
        runs.push({ workers, wallMs, cpuMs, cases: rec.totals.cases });
      }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const cases = runs[0].cases;
  if (cases === 0 || runs.some((r) => r.cases !== cases))
    throw new Error(`campaign bench: case counts differ (${runs.map((r) => r.cases).join(', ')})`);
  const rate = (w: number) =>
    median(runs.filter((r) => r.workers === w).map((r) => (cases / r.wallMs) * 1000));
  const rate1 = rate(1);
  const rate2 = rate(2);
  const cores = availableParallelism();
  const withCpu = runs.every((r) => r.cpuMs !== null);
  const cpu = (w: number) => median(runs.filter((r) => r.workers === w).map((r) => r.cpuMs!));
  const wall = (w: number) => median(runs.filter((r) => r.workers === w).map((r) => r.wallMs));
  return {
    impls,
    args,
    cases,
    runs,
    rate1,
    rate2,
    speedup: rate2 / rate1,
    ceiling: withCpu ? Math.min(2, (cores * wall(1)) / cpu(1)) : null,
    busy1: withCpu ? median(runs.filter((r) => r.workers === 1).map((r) => r.cpuMs! / r.wallMs)) : null,
    busy2: withCpu ? median(runs.filter((r) => r.workers === 2).map((r) => r.cpuMs! / r.wallMs)) : null,
    cpuRatio: withCpu ? cpu(1) / cpu(2) : null,
    cores,
    loadBefore,
  };
}

export function formatCampaignBench(r: CampaignBenchResult): string {
  const walls = (w: number) =>
    r.runs
      .filter((x) => x.workers === w)
      .map((x) => (x.wallMs / 1000).toFixed(1))
      .join(', ');
  let out = `campaign throughput: run --impl '${SCALING_IMPL_GLOBS.join(',')}' (${r.impls.length} implementations, the browser runner's left out) ${r.args.join(' ')}\n`;
  out += `  ${r.cases} cases; 1 worker ${r.rate1.toFixed(1)} cases/s (wall ${walls(1)} s), 2 workers ${r.rate2.toFixed(1)} cases/s (wall ${walls(2)} s)\n`;
  out += `  speed-up ${r.speedup.toFixed(2)}× (medians) on ${r.cores} core(s); load average ${r.loadBefore.toFixed(2)} before the first run\n`;
  if (r.ceiling !== null && r.busy1 !== null && r.busy2 !== null && r.cpuRatio !== null) {
    const cpus = (w: number) =>
      r.runs
        .filter((x) => x.workers === w)
        .map((x) => (x.cpuMs! / 1000).toFixed(1))
        .join(', ');
    out += `  CPU (user + system, every process and thread) 1 worker ${cpus(1)} s, 2 workers ${cpus(2)} s: cores busy ${r.busy1.toFixed(2)} and ${r.busy2.toFixed(2)} of ${r.cores}\n`;
    out += `  ceiling on this machine min(2, cores × wall / CPU of 1 worker) = ${r.ceiling.toFixed(2)}×; the speed-up is ${((100 * r.speedup) / r.ceiling).toFixed(0)}% of it; CPU of a 2-worker run over a 1-worker run ${(1 / r.cpuRatio).toFixed(2)} (medians)\n`;
  }
  return out;
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
