/**
 * The oracle's throughput (logits per second) for every op and format at n = 16, 256, 4096 and 262,144 on the
 * extreme rows of oracle.bench.ts (`benchInputs`), and which phase decided the elements: the
 * fast path's lean first phase (binary64 exponentials), its double-double second phase, or the
 * slow path (decimal.js escalation, or exact evaluation of rows of equal logits). Softmax rows
 * also time the zoo's max-shifted softmax of the same format on the same rows, for the oracle's
 * cost as a multiple of the code it checks.
 *
 * Measuring (`runOracleOpsBench`) is apart from presenting (`formatOracleOpsBench`). Every timed
 * configuration is evaluated once more untimed, with the oracle's counters reset, to read the
 * phases; an undetermined element throws.
 *
 * Run directly: `node dist/bench/oracleOps.bench.js [--quick]` (after `npm run build`), or
 * through `logitfuzz bench`.
 */
import { do_not_optimize, measure } from 'mitata';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSpec } from '../src/formats/index.js';
import { jsImplementations } from '../src/impls/js/index.js';
import { oracle, resetOracleCounters } from '../src/oracle/index.js';
import { FORMAT_NAMES, type FormatName } from '../src/vocabulary/FormatName.js';
import { OPS, needsLabel, type Op } from '../src/vocabulary/Op.js';
import { benchInputs } from './oracle.bench.js';

/** Row lengths measured: short rows, a typical hidden size, and a 2^18 vocabulary. */
export const OPS_BENCH_LENGTHS: readonly number[] = [16, 256, 4096, 262_144];
/** Elements per timed call (as in oracle.bench.ts): many short rows, or one long one. */
const ELEMENTS_PER_CALL = 4096;

/**
 * mitata options: at least 0.1 s of samples (or two calls of a 2^18 row), so that 80
 * configurations take about half a minute; quick mode times one call.
 */
const MEASURE = {
  min_samples: 2,
  max_samples: 50,
  min_cpu_time: 100e6,
  warmup_samples: 0,
  batch_threshold: 0,
} as const;

export interface OracleOpsRow {
  readonly op: Op;
  readonly format: FormatName;
  readonly n: number;
  readonly rows: number;
  /** Logits per second (rows·n over the median time per call), whatever the op's output length. */
  readonly logitsPerSecond: number;
  /**
   * The zoo's `op/max-shifted/format` on the same rows, elements per second, and the oracle's
   * cost as a multiple of it (its time over the implementation's); null for ops other than
   * softmax.
   */
  readonly zooPerSecond: number | null;
  readonly costMultiple: number | null;
  /** Output elements by deciding phase (one untimed evaluation of the rows). */
  readonly phases: {
    readonly lean: number;
    readonly second: number;
    readonly slow: number;
    /** Of the fast path's elements, those its quick rounding test passed on to the exact one. */
    readonly exactTest: number;
  };
  readonly samples: number;
}

export interface OracleOpsBenchResult {
  readonly quick: boolean;
  readonly seed: number;
  readonly rows: readonly OracleOpsRow[];
  readonly seconds: number;
}

async function medianNs(quick: boolean, fn: () => unknown): Promise<{ ns: number; samples: number }> {
  if (quick) {
    const t0 = performance.now();
    await fn();
    return { ns: Math.max(1, (performance.now() - t0) * 1e6), samples: 1 };
  }
  const stats = await measure(fn, MEASURE);
  return { ns: stats.p50, samples: stats.samples.length };
}

/** Measures every op × format × length; quick mode: n ≤ 4096, one call each. */
export async function runOracleOpsBench(
  opts: { quick?: boolean; seed?: number } = {},
): Promise<OracleOpsBenchResult> {
  const started = performance.now();
  const quick = opts.quick ?? false;
  const seed = opts.seed ?? 20240613;
  const zoo = new Map(jsImplementations().map((i) => [i.name, i]));
  const out: OracleOpsRow[] = [];
  const lengths = quick ? OPS_BENCH_LENGTHS.filter((n) => n <= 4096) : OPS_BENCH_LENGTHS;
  for (const op of OPS) {
    for (const name of FORMAT_NAMES) {
      const fmt = formatSpec(name);
      for (const n of lengths) {
        const rows = quick ? 1 : Math.max(1, Math.ceil(ELEMENTS_PER_CALL / n));
        const inputs = benchInputs(fmt, n, rows, seed);
        const labels = inputs.map((_, r) => (r * 7919) % n);
        const label = (r: number) => (needsLabel(op) ? labels[r] : undefined);
        const time = await medianNs(quick, () => {
          for (let r = 0; r < rows; r++) do_not_optimize(oracle(op, name, inputs[r], label(r)));
        });
        resetOracleCounters();
        for (let r = 0; r < rows; r++) {
          const res = oracle(op, name, inputs[r], label(r));
          if (res.undetermined.length > 0)
            throw new Error(`oracle ops bench: undetermined elements (${op}, ${name}, n=${n})`);
        }
        const c = resetOracleCounters();
        const impl = op === 'softmax' ? zoo.get(`softmax/max-shifted/${name}`) : undefined;
        const zooTime = impl ? await medianNs(quick, () => impl.run(inputs)) : null;
        const rate = (rows * n) / (time.ns * 1e-9);
        out.push({
          op,
          format: name,
          n,
          rows,
          logitsPerSecond: rate,
          zooPerSecond: zooTime === null ? null : (rows * n) / (zooTime.ns * 1e-9),
          costMultiple: zooTime === null ? null : time.ns / zooTime.ns,
          phases: {
            lean: c.fastElements - c.secondPhaseElements,
            second: c.secondPhaseElements,
            slow: c.slowElements + c.directSlowElements,
            exactTest: c.exactTestElements,
          },
          samples: time.samples,
        });
      }
    }
  }
  return { quick, seed, rows: out, seconds: (performance.now() - started) / 1000 };
}

function fmtRate(r: number | null): string {
  if (r === null) return '—';
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)} M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)} k/s`;
  return `${r.toFixed(0)} /s`;
}

/** The result as a plain-text table. */
export function formatOracleOpsBench(r: OracleOpsBenchResult): string {
  const header = [
    'op',
    'format',
    'n',
    'oracle',
    'zoo max-shifted',
    'oracle cost',
    'lean',
    'second',
    'slow',
    'exact test',
  ];
  const body = r.rows.map((x) => {
    const all = x.phases.lean + x.phases.second + x.phases.slow;
    const pct = (v: number) => (v === 0 ? '0' : `${v} (${((100 * v) / all).toFixed(v === all ? 0 : 3)}%)`);
    return [
      x.op,
      x.format,
      String(x.n),
      fmtRate(x.logitsPerSecond),
      fmtRate(x.zooPerSecond),
      x.costMultiple === null ? '—' : `${x.costMultiple.toFixed(1)}×`,
      pct(x.phases.lean),
      pct(x.phases.second),
      pct(x.phases.slow),
      pct(x.phases.exactTest),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((s, c) => (c < 2 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [
    `oracle by op and format, extreme rows: logits/s (median per call) and the phase that decided each output element${r.quick ? ' (quick: 1 call)' : ''}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    'oracle cost: the oracle’s time over the zoo’s max-shifted softmax of the format on the same rows; lean: decided by the fast path’s binary64-exponential phase; second: by its double-double phase; slow: by the escalation or exact evaluation; exact test: fast-path elements the quick rounding test passed to the exact one',
    `seed ${r.seed}; ${r.seconds.toFixed(1)} s`,
    '',
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  runOracleOpsBench({ quick: process.argv.includes('--quick') })
    .then((r) => console.log(formatOracleOpsBench(r)))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    });
}
