/**
 * `logitfuzz oracle --format f64` against an MPFR program behind the same JSON-lines boundary
 * (mpfrSoftmaxCli.ts): both read the same file of extreme f64 rows of 256 logits
 * (`benchInputs`), once with 400 rows and once with 4000, and the marginal cost per element,
 * (t_4000 − t_400)/(3600·256), cancels process start-up and module loading. Each run is
 * repeated (median), and the two programs' outputs on the 4000-row file are compared: they may
 * differ by at most 1 ULP per element (MPFR's 128 bits are not a correct rounding), else the
 * bench throws.
 *
 * The oracle runs twice: as shipped (worker threads, one per core) and with `--threads 1` (the
 * main thread alone), so the table shows what the threads buy; the MPFR program is single-
 * threaded. Besides wall time, the CPU time of every run (user + system, the child's, from
 * /proc/self/stat on Linux) gives the cost per element on all cores together.
 *
 * Measuring (`runOracleCliBench`) is apart from presenting (`formatOracleCliBench`).
 * Run directly: `node dist/bench/oracleCli.bench.js [--quick]` (after `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeVector, encodeVector } from '../src/formats/jsonNumber.js';
import { formatSpec, ulpDistance } from '../src/formats/index.js';
import { benchInputs } from './oracle.bench.js';
import { childCpuSeconds } from './childCpu.js';

/** The built programs: from dist/bench (the compiled bench) or bench/ (tests running the source). */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST_BENCH = /[\\/]dist[\\/]bench[\\/]?$/.test(HERE) ? HERE : resolve(HERE, '../dist/bench');
const CLI = resolve(DIST_BENCH, '../src/cli/main.js');
const MPFR_CLI = resolve(DIST_BENCH, 'mpfrSoftmaxCli.js');
const N = 256;

export interface OracleCliBenchResult {
  readonly quick: boolean;
  readonly n: number;
  /** Row counts of the two files. */
  readonly small: number;
  readonly large: number;
  /** Threads the shipped oracle run used (the machine's cores, at most 8). */
  readonly threads: number;
  /** Median wall seconds per program and file. */
  readonly oracleSeconds: readonly [number, number];
  readonly oracleOneThreadSeconds: readonly [number, number];
  readonly mpfrSeconds: readonly [number, number];
  /** Marginal wall microseconds per output element. */
  readonly oracleMicros: number;
  readonly oracleOneThreadMicros: number;
  readonly mpfrMicros: number;
  /** Marginal CPU microseconds per output element (user + system, every thread), or null off Linux. */
  readonly oracleCpuMicros: number | null;
  readonly oracleOneThreadCpuMicros: number | null;
  readonly mpfrCpuMicros: number | null;
  /** mpfr marginal / oracle marginal, wall time: above 1 the oracle is cheaper. */
  readonly ratio: number;
  /** The same with --threads 1. */
  readonly ratioOneThread: number;
  /** Elements where the two outputs differ by 1 ULP (more throws). */
  readonly offByOne: number;
}

function timeRun(args: string[], file: string): { seconds: number; cpu: number | null; stdout: string } {
  const input = readFileSync(file);
  const c0 = childCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const c1 = childCpuSeconds();
  if (r.status !== 0) throw new Error(`oracle cli bench: ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, cpu: c0 === null || c1 === null ? null : c1 - c0, stdout: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times both programs; quick mode: 20 and 200 rows, one run each. */
export function runOracleCliBench(opts: { quick?: boolean; seed?: number } = {}): OracleCliBenchResult {
  const quick = opts.quick ?? false;
  const seed = opts.seed ?? 20240613;
  const small = quick ? 20 : 400;
  const large = quick ? 200 : 4000;
  const repeats = quick ? 1 : 3;
  const f64 = formatSpec('f64');
  const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-cli-bench-'));
  try {
    const rows = benchInputs(f64, N, large, seed);
    const write = (count: number) => {
      const file = join(dir, `rows-${count}.jsonl`);
      writeFileSync(
        file,
        rows
          .slice(0, count)
          .map((r) => JSON.stringify(encodeVector(r)))
          .join('\n') + '\n',
      );
      return file;
    };
    const files = [write(small), write(large)];
    const programs = [
      [CLI, 'oracle', '--format', 'f64'],
      [CLI, 'oracle', '--format', 'f64', '--threads', '1'],
      [MPFR_CLI],
    ];
    // seconds[program][file][repeat], and the same for CPU seconds
    const seconds = programs.map((): number[][] => [[], []]);
    const cpu = programs.map((): number[][] => [[], []]);
    let outputs: string[] = [];
    for (let rep = 0; rep < repeats; rep++) {
      for (let f = 0; f < 2; f++) {
        const runs = programs.map((args) => timeRun(args, files[f]));
        runs.forEach((r, p) => {
          seconds[p][f].push(r.seconds);
          if (r.cpu !== null) cpu[p][f].push(r.cpu);
        });
        if (f === 1) outputs = runs.map((r) => r.stdout);
      }
    }
    if (outputs[1] !== outputs[0]) throw new Error('oracle cli bench: --threads 1 changed the output');
    outputs = [outputs[0], outputs[2]];
    const [oLines, mLines] = outputs.map((s) => s.trim().split('\n'));
    if (oLines.length !== large || mLines.length !== large)
      throw new Error(`oracle cli bench: expected ${large} lines, got ${oLines.length} and ${mLines.length}`);
    let offByOne = 0;
    for (let i = 0; i < large; i++) {
      const a = decodeVector((JSON.parse(oLines[i]) as { y: unknown }).y);
      const b = decodeVector((JSON.parse(mLines[i]) as { y: unknown }).y);
      for (let j = 0; j < N; j++) {
        const d = ulpDistance(f64, a[j], b[j]);
        if (d > 1)
          throw new Error(
            `oracle cli bench: MPFR and the oracle differ by ${d} ULPs (row ${i}, element ${j})`,
          );
        offByOne += d;
      }
    }
    const elements = (large - small) * N;
    const pair = (xs: number[][]) => [median(xs[0]), median(xs[1])] as const;
    const marginal = (xs: number[][]) => ((median(xs[1]) - median(xs[0])) / elements) * 1e6;
    const marginalCpu = (xs: number[][]) => (xs[0].length === 0 ? null : marginal(xs));
    const oracleMicros = marginal(seconds[0]);
    const oracleOneThreadMicros = marginal(seconds[1]);
    const mpfrMicros = marginal(seconds[2]);
    return {
      quick,
      n: N,
      small,
      large,
      threads: Math.min(availableParallelism(), 8),
      oracleSeconds: pair(seconds[0]),
      oracleOneThreadSeconds: pair(seconds[1]),
      mpfrSeconds: pair(seconds[2]),
      oracleMicros,
      oracleOneThreadMicros,
      mpfrMicros,
      oracleCpuMicros: marginalCpu(cpu[0]),
      oracleOneThreadCpuMicros: marginalCpu(cpu[1]),
      mpfrCpuMicros: marginalCpu(cpu[2]),
      ratio: mpfrMicros / oracleMicros,
      ratioOneThread: mpfrMicros / oracleOneThreadMicros,
      offByOne,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatOracleCliBench(r: OracleCliBenchResult): string {
  const s = (x: readonly [number, number]) => `${x[0].toFixed(2)} s / ${x[1].toFixed(2)} s`;
  const c = (x: number | null) => (x === null ? '' : `; CPU ${x.toFixed(3)} µs/element`);
  return [
    `through the CLI, JSON lines of ${r.n} extreme f64 logits, ${r.small} vs ${r.large} rows (marginal cost per element, median of runs)${r.quick ? ' (quick)' : ''}`,
    `  logitfuzz oracle --format f64 (${r.threads} thread${r.threads === 1 ? '' : 's'}): ${s(r.oracleSeconds)}, ${r.oracleMicros.toFixed(3)} µs/element${c(r.oracleCpuMicros)}`,
    `  logitfuzz oracle --format f64 --threads 1: ${s(r.oracleOneThreadSeconds)}, ${r.oracleOneThreadMicros.toFixed(3)} µs/element${c(r.oracleOneThreadCpuMicros)}`,
    `  MPFR 128-bit program (bench/mpfrSoftmaxCli.ts, one thread): ${s(r.mpfrSeconds)}, ${r.mpfrMicros.toFixed(3)} µs/element${c(r.mpfrCpuMicros)}`,
    `  oracle cost = 1/${r.ratio.toFixed(1)} of MPFR's (--threads 1: 1/${r.ratioOneThread.toFixed(1)}); ${r.offByOne} elements 1 ULP apart`,
    '',
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) console.log(formatOracleCliBench(runOracleCliBench({ quick: process.argv.includes('--quick') })));
