/**
 * Oracle benchmark: correctly rounded softmax elements per second at n = 16, 256, 4096 in f64 and
 * f32 on extreme logits, side by side in the same run with two plain multiprecision softmaxes
 * that are not correctly rounded but cost what a careful reference costs:
 * (a) decimal.js at a fixed 40 significant digits and (b) MPFR (gmp-wasm) at 128 bits, each
 * computing max, e^(x_i − max), the sum and the quotients, then rounding into the format.
 *
 * Measuring (`runOracleBench`) is apart from presenting (`formatOracleBench`). What is timed is
 * checked: the outputs of each column's last timed call are compared element by element, and
 * the references must be within 1 ULP of the oracle (their error, about 10^−38 relative, can
 * only flip a rounding that sits that close to a midpoint), nothing may be NaN and no oracle
 * element may be undetermined; otherwise the run throws.
 *
 * A second table times long rows (`LONG_LENGTH` = 10^6 logits; 10^4 in quick mode), one oracle
 * call each: a pseudo-random f64 row (the fast path decides every element), the same row with 16
 * elements handed to the escalation (`oracleEscalating`: one shared enclosure of the sum, in
 * fixed point, at the first escalation level), and a row of equal logits (exact results, no fast
 * path). It shows which phase decided the elements (the oracle's counters); the escalated row
 * must reproduce the fast path's values, and nothing may be undetermined, or the run throws.
 *
 * Run directly: `node dist/bench/oracle.bench.js [--quick]` (after `npm run build`), or through
 * `logitfuzz bench`.
 */
import { Decimal } from 'decimal.js';
import { do_not_optimize, measure } from 'mitata';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  exactDecimal,
  expThresholds,
  formatSpec,
  roundDecimal,
  roundNumber,
  ulpDistance,
  type FormatSpec,
} from '../src/formats/index.js';
import { type FormatName } from '../src/vocabulary/FormatName.js';
import { oracle, oracleCounters, resetOracleCounters, type OracleResult } from '../src/oracle/index.js';
import { oracleEscalating } from '../src/oracle/oracle.js';

/** Formats and lengths measured. */
export const BENCH_FORMATS: readonly FormatName[] = ['f64', 'f32'];
export const BENCH_LENGTHS: readonly number[] = [16, 256, 4096];
/** Length of the long rows (quick mode: 10^4). */
export const LONG_LENGTH = 1_000_000;

/** decimal.js reference precision, in significant digits (≈ 133 bits). */
export const DECIMAL_DIGITS = 40;
/** MPFR reference precision, in bits. */
export const MPFR_BITS = 128;

/**
 * Elements per timed call: every call softmaxes enough rows to hold this many elements, so the
 * three columns time the same work and n = 16 is not dominated by per-call overhead. At least
 * three rows, so that each input family below is in every configuration (n = 4096 too).
 */
const ELEMENTS_PER_CALL = 4096;
const MIN_ROWS = 3;

function rowsPerCall(n: number, quick: boolean): number {
  // quick mode: one row per configuration (16 for n = 16), to exercise every path in seconds
  return quick ? Math.max(1, Math.ceil(256 / n)) : Math.max(MIN_ROWS, Math.ceil(ELEMENTS_PER_CALL / n));
}

/**
 * mitata options. Each call takes a fraction of a second (thousands of elements through
 * multiprecision arithmetic), so batching is off (batch_threshold 0) and 2 samples after
 * mitata's own first call, or 0.3 s of samples for the fast MPFR column, keep all 18
 * measurements near a minute in total; the spread between samples is a few per cent.
 */
const MEASURE = {
  min_samples: 2,
  max_samples: 100,
  min_cpu_time: 300e6,
  warmup_samples: 0,
  batch_threshold: 0,
} as const;

/**
 * Median nanoseconds per call. Quick mode times a single call with the clock: it checks the
 * plumbing, not the speed (mitata always adds a first, untimed call, which doubles the cost).
 */
/** Untimed calls before each column's timed ones, in ms. */
const WARMUP_MS = 300;

async function timeCall(quick: boolean, fn: () => void): Promise<{ ns: number; samples: number }> {
  if (quick) {
    const t0 = performance.now();
    fn();
    return { ns: Math.max(1, (performance.now() - t0) * 1e6), samples: 1 };
  }
  // each column gets its own untimed warm-up on the very inputs it is timed on: without it the
  // first configuration measured ran a quarter slower than the same one measured again (the JIT
  // had not yet settled on these rows)
  const until = performance.now() + WARMUP_MS;
  do fn();
  while (performance.now() < until);
  const stats = await measure(fn, MEASURE);
  return { ns: stats.p50, samples: stats.samples.length };
}

export interface OracleBenchOptions {
  /** One timed call per column and one row per configuration: seconds instead of a minute (for tests). */
  readonly quick?: boolean;
  /** Seed of the logit generator. @defaultValue 20240613 */
  readonly seed?: number;
}

/** How the references compared with the oracle on the benchmark's own inputs. */
export interface OracleBenchCheck {
  /** Elements compared (rows × n). */
  readonly elements: number;
  /** Elements where decimal.js differs from the oracle (each by exactly 1 ULP; more throws). */
  readonly decimalOffByOne: number;
  /** Same for MPFR; null when MPFR is unavailable. */
  readonly mpfrOffByOne: number | null;
  /** Elements the oracle left undetermined (expected 0). */
  readonly undetermined: number;
  /** Elements whose correctly rounded value is subnormal or zero (how extreme the inputs are). */
  readonly tinyOrZero: number;
  /**
   * Elements the oracle's fast path (both phases) did not decide and handed to the slow path
   * (the escalation; including whole rows that skip the fast path: every finite logit equal), in
   * one call over the rows, counted with `oracleCounters`.
   */
  readonly slowPath: number;
}

export interface OracleBenchRow {
  readonly format: FormatName;
  readonly n: number;
  /** Rows per timed call. */
  readonly rows: number;
  /** Correctly rounded softmax elements per second. */
  readonly oracle: number;
  /** decimal.js at DECIMAL_DIGITS, elements per second. */
  readonly decimal: number;
  /** MPFR at MPFR_BITS, elements per second; null when gmp-wasm could not be loaded. */
  readonly mpfr: number | null;
  /** oracle / decimal.js: above 1 the oracle is faster. */
  readonly ratioDecimal: number;
  /** oracle / MPFR; null without MPFR. */
  readonly ratioMpfr: number | null;
  /** Timed samples per column (oracle, decimal.js, MPFR). */
  readonly samples: readonly [number, number, number];
  readonly check: OracleBenchCheck;
}

/** One long row through the oracle (the second table). */
export interface OracleLongRow {
  /** 'random', 'random, 16 escalated' or 'equal'. */
  readonly row: string;
  readonly format: FormatName;
  readonly n: number;
  /** Median seconds per oracle call. */
  readonly seconds: number;
  readonly samples: number;
  /** Elements decided by the fast path, handed over by it, and computed without it. */
  readonly fast: number;
  readonly slow: number;
  readonly direct: number;
  /** Shared enclosures of the sum and the exponentials they computed. */
  readonly sharedSums: number;
  readonly exponentials: number;
}

export interface OracleBenchResult {
  readonly quick: boolean;
  readonly seed: number;
  readonly decimalDigits: number;
  readonly mpfrBits: number;
  readonly rows: readonly OracleBenchRow[];
  readonly long: readonly OracleLongRow[];
  /** Why the MPFR column is missing, when it is. */
  readonly mpfrUnavailable?: string;
  /** Wall time of the whole benchmark, seconds. */
  readonly seconds: number;
}

/** SplitMix32-style generator: deterministic inputs for a given seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/**
 * Extreme logit rows, exactly representable in the format, cycling through three families:
 * - wide spreads: max uniform in [−1000, 1000], the rest up to 300, 1000 or 3000 below it;
 * - overflow edge: the max is the format's exp-overflow threshold and the rest reach down past
 *   the underflow threshold, so unshifted exp overflows and many shifted terms are subnormal;
 * - underflow edge: every non-max logit within ±2 of max + underflow threshold, so the outputs
 *   straddle the smallest subnormal, where rounding is hardest to decide.
 */
export function benchInputs(fmt: FormatSpec, n: number, rows: number, seed: number): Float64Array[] {
  const rand = rng(seed ^ (n * 0x9e37) ^ (fmt.precision << 20));
  const { overflow, underflow } = expThresholds(fmt.name);
  const spreads = [300, 1000, 3000];
  const out: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Float64Array(n);
    const family = r % 3;
    const max = family === 0 ? 2000 * rand() - 1000 : family === 1 ? overflow : 100 * rand() - 50;
    const spread = family === 0 ? spreads[Math.floor(r / 3) % 3] : family === 1 ? 1.2 * -underflow : 0;
    for (let i = 0; i < n; i++) {
      const v = family === 2 ? max + underflow + 4 * rand() - 2 : max - spread * rand();
      row[i] = roundNumber(fmt, v);
    }
    row[Math.floor(rand() * n)] = roundNumber(fmt, max); // the max itself, somewhere in the row
    out.push(row);
  }
  return out;
}

const D40 = Decimal.clone({
  precision: DECIMAL_DIGITS,
  rounding: Decimal.ROUND_HALF_EVEN,
  minE: -9e15,
  maxE: 9e15,
});

function rowMax(row: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > m) m = row[i];
  return m;
}

/** decimal.js at 40 digits: max-shifted exp, sum, divide, round into the format. */
function decimalSoftmax(fmt: FormatSpec, row: Float64Array, out: Float64Array): void {
  const m = exactDecimal(rowMax(row));
  const terms = new Array<Decimal>(row.length);
  let sum = new D40(0);
  for (let i = 0; i < row.length; i++) {
    // exactDecimal keeps every digit; the subtraction rounds to 40 digits, exp to 40 digits
    terms[i] = D40.exp(new D40(exactDecimal(row[i])).minus(m));
    sum = sum.plus(terms[i]);
  }
  for (let i = 0; i < row.length; i++) out[i] = roundDecimal(fmt, terms[i].div(sum));
}

type Gmp = import('gmp-wasm').GMPFunctions;
const RNDN = 0;

/**
 * MPFR at 128 bits with preallocated variables. Rounding into f64 is mpfr_get_d (one correct
 * rounding of the 128-bit value, subnormals included); into f32 it is mpfr_set into a 24-bit
 * variable, then mpfr_check_range and mpfr_subnormalize under f32's exponent range (MPFR's
 * emulation of IEEE gradual underflow), then an exact mpfr_get_d.
 */
export class MpfrSoftmax {
  private readonly terms: number[] = [];
  private readonly ternary: Int32Array;
  private readonly x: number;
  private readonly max: number;
  private readonly sum: number;
  private readonly narrow: number[] = [];

  constructor(
    private readonly b: Gmp,
    capacity: number,
  ) {
    const make = (prec: number) => {
      const v = b.mpfr_t();
      b.mpfr_init2(v, prec);
      return v;
    };
    this.x = make(MPFR_BITS);
    this.max = make(MPFR_BITS);
    this.sum = make(MPFR_BITS);
    for (let i = 0; i < capacity; i++) this.terms.push(make(MPFR_BITS));
    for (let i = 0; i < capacity; i++) this.narrow.push(make(24));
    this.ternary = new Int32Array(capacity);
  }

  run(fmt: FormatSpec, row: Float64Array, out: Float64Array): void {
    const { b, terms, x, max, sum } = this;
    const n = row.length;
    b.mpfr_set_d(max, rowMax(row), RNDN);
    b.mpfr_set_ui(sum, 0, RNDN);
    for (let i = 0; i < n; i++) {
      b.mpfr_set_d(x, row[i], RNDN); // exact: 53 ≤ 128 bits
      b.mpfr_sub(x, x, max, RNDN);
      b.mpfr_exp(terms[i], x, RNDN);
      b.mpfr_add(sum, sum, terms[i], RNDN);
    }
    for (let i = 0; i < n; i++) b.mpfr_div(terms[i], terms[i], sum, RNDN);
    if (fmt.precision === 53) {
      for (let i = 0; i < n; i++) out[i] = b.mpfr_get_d(terms[i], RNDN);
      return;
    }
    if (fmt.precision !== 24) throw new RangeError(`MpfrSoftmax: ${fmt.name} is not benchmarked`);
    for (let i = 0; i < n; i++) this.ternary[i] = b.mpfr_set(this.narrow[i], terms[i], RNDN);
    const oldMin = b.mpfr_get_emin();
    const oldMax = b.mpfr_get_emax();
    // MPFR's significand is in [1/2, 1): emax + 1, and emin − p + 2 makes 2^-149 its smallest number
    b.mpfr_set_emin(fmt.emin - fmt.precision + 2);
    b.mpfr_set_emax(fmt.emax + 1);
    for (let i = 0; i < n; i++) {
      const t = b.mpfr_check_range(this.narrow[i], this.ternary[i], RNDN);
      b.mpfr_subnormalize(this.narrow[i], t, RNDN);
      out[i] = b.mpfr_get_d(this.narrow[i], RNDN); // exact: a 24-bit value in binary64's range
    }
    b.mpfr_set_emin(oldMin);
    b.mpfr_set_emax(oldMax);
  }

  dispose(): void {
    for (const v of [this.x, this.max, this.sum, ...this.terms, ...this.narrow]) {
      this.b.mpfr_clear(v);
      this.b.mpfr_t_free(v);
    }
  }
}

export async function loadMpfr(): Promise<Gmp | string> {
  try {
    const { init } = await import('gmp-wasm');
    return (await init()).binding;
  } catch (e) {
    return `gmp-wasm unavailable (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** Compares a reference's output with the oracle's; throws past 1 ULP or on NaN. */
function offByOne(fmt: FormatSpec, label: string, ref: Float64Array, want: Float64Array): number {
  let count = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(ref[i]) || Number.isNaN(want[i]))
      throw new Error(`oracle bench: ${label} NaN at element ${i} (${fmt.name})`);
    const d = ulpDistance(fmt, ref[i], want[i]);
    if (d > 1)
      throw new Error(
        `oracle bench: ${label} differs from the oracle by ${d} ULPs at element ${i} ` +
          `(${fmt.name}: ${ref[i]} vs ${want[i]})`,
      );
    count += d;
  }
  return count;
}

/**
 * Runs the oracle untimed for about half a second on inputs of every benchmarked format, so that
 * its one-time start-up (the fast path's tables, built on first use) and the JIT's warm-up are
 * not charged to whichever configuration happens to be measured first.
 */
function warmUp(seed: number): void {
  const until = performance.now() + 500;
  while (performance.now() < until) {
    for (const name of BENCH_FORMATS)
      for (const row of benchInputs(formatSpec(name), 16, 6, seed + 1)) oracle('softmax', name, row);
  }
}

/**
 * The long-row table: each row timed as one oracle call per sample (mitata, as above), then
 * evaluated once more untimed to read the counters and check the results.
 */
async function runLongRows(quick: boolean, seed: number): Promise<OracleLongRow[]> {
  const n = quick ? 10_000 : LONG_LENGTH;
  const fmt = formatSpec('f64');
  const rand = rng(seed ^ 0x51ed270b);
  const random = new Float64Array(n);
  for (let i = 0; i < n; i++) random[i] = roundNumber(fmt, 20 * rand() - 10);
  const escalate = Array.from({ length: 16 }, (_, i) => Math.floor((i * n) / 16));
  const equal = new Float64Array(n).fill(0.5);
  const cases: [string, () => OracleResult][] = [
    ['random', () => oracle('softmax', 'f64', random)],
    ['random, 16 escalated', () => oracleEscalating('softmax', 'f64', random, undefined, escalate)],
    ['equal', () => oracle('softmax', 'f64', equal)],
  ];
  const reference = oracle('softmax', 'f64', random).values;
  const out: OracleLongRow[] = [];
  for (const [row, call] of cases) {
    const time = await timeCall(quick, () => do_not_optimize(call()));
    resetOracleCounters();
    const r = call();
    const c = resetOracleCounters();
    if (r.undetermined.length > 0)
      throw new Error(`oracle bench: ${row} long row left elements undetermined`);
    if (row.startsWith('random')) {
      const bad = r.values.findIndex((v, i) => !Object.is(v, reference[i]));
      if (bad >= 0) throw new Error(`oracle bench: ${row} long row differs at element ${bad}`);
    }
    out.push({
      row,
      format: 'f64',
      n,
      seconds: time.ns * 1e-9,
      samples: time.samples,
      fast: c.fastElements,
      slow: c.slowElements,
      direct: c.directSlowElements,
      sharedSums: c.sharedSums,
      exponentials: c.slowExponentials,
    });
  }
  return out;
}

function rate(elements: number, nsPerCall: number): number {
  return elements / (nsPerCall * 1e-9);
}

/**
 * Runs the benchmark and returns the measured rates (elements per second, median time per
 * call) with the cross-check of each configuration.
 *
 * Special cases: when gmp-wasm cannot be loaded (it is a development dependency), the MPFR
 * column is null and `mpfrUnavailable` says why; any disagreement beyond 1 ULP, NaN, or an
 * undetermined oracle element throws.
 */
export async function runOracleBench(opts: OracleBenchOptions = {}): Promise<OracleBenchResult> {
  const started = performance.now();
  const quick = opts.quick ?? false;
  const seed = opts.seed ?? 20240613;
  if (!quick) warmUp(seed);
  const gmp = await loadMpfr();
  const mpfr = typeof gmp === 'string' ? null : new MpfrSoftmax(gmp, Math.max(...BENCH_LENGTHS));
  const results: OracleBenchRow[] = [];
  try {
    for (const name of BENCH_FORMATS) {
      const fmt = formatSpec(name);
      for (const n of BENCH_LENGTHS) {
        const rows = rowsPerCall(n, quick);
        const inputs = benchInputs(fmt, n, rows, seed);
        const elements = rows * n;
        // each column writes its own outputs; the cross-check below reads those of the last timed call
        const oracleOut = inputs.map((r) => new Float64Array(r.length));
        const decimalOut = inputs.map((r) => new Float64Array(r.length));
        const mpfrOut = inputs.map((r) => new Float64Array(r.length));
        let undetermined = 0;

        const oracleTime = await timeCall(quick, () => {
          undetermined = 0;
          for (let r = 0; r < rows; r++) {
            const res = oracle('softmax', name, inputs[r]);
            oracleOut[r].set(res.values);
            undetermined += res.undetermined.length;
          }
          do_not_optimize(oracleOut);
        });
        const decimalTime = await timeCall(quick, () => {
          for (let r = 0; r < rows; r++) decimalSoftmax(fmt, inputs[r], decimalOut[r]);
          do_not_optimize(decimalOut);
        });
        const mpfrTime = mpfr
          ? await timeCall(quick, () => {
              for (let r = 0; r < rows; r++) mpfr.run(fmt, inputs[r], mpfrOut[r]);
              do_not_optimize(mpfrOut);
            })
          : null;

        if (undetermined > 0)
          throw new Error(`oracle bench: ${undetermined} undetermined elements (${name}, n=${n})`);
        // one more, untimed call over the rows to count the elements that needed the slow path
        const slowBefore = oracleCounters.slowElements + oracleCounters.directSlowElements;
        for (let r = 0; r < rows; r++) oracle('softmax', name, inputs[r]);
        const slowPath = oracleCounters.slowElements + oracleCounters.directSlowElements - slowBefore;
        let tinyOrZero = 0;
        let decimalOff = 0;
        let mpfrOff = 0;
        for (let r = 0; r < rows; r++) {
          for (const v of oracleOut[r]) if (Math.abs(v) < fmt.minNormal) tinyOrZero++;
          decimalOff += offByOne(fmt, 'decimal.js', decimalOut[r], oracleOut[r]);
          if (mpfr) mpfrOff += offByOne(fmt, 'MPFR', mpfrOut[r], oracleOut[r]);
        }

        const oracleRate = rate(elements, oracleTime.ns);
        const decimalRate = rate(elements, decimalTime.ns);
        const mpfrRate = mpfrTime ? rate(elements, mpfrTime.ns) : null;
        results.push({
          format: name,
          n,
          rows,
          oracle: oracleRate,
          decimal: decimalRate,
          mpfr: mpfrRate,
          ratioDecimal: oracleRate / decimalRate,
          ratioMpfr: mpfrRate === null ? null : oracleRate / mpfrRate,
          samples: [oracleTime.samples, decimalTime.samples, mpfrTime?.samples ?? 0],
          check: {
            elements,
            decimalOffByOne: decimalOff,
            mpfrOffByOne: mpfr ? mpfrOff : null,
            undetermined,
            tinyOrZero,
            slowPath,
          },
        });
      }
    }
  } finally {
    mpfr?.dispose();
  }
  const long = await runLongRows(quick, seed);
  return {
    quick,
    seed,
    decimalDigits: DECIMAL_DIGITS,
    mpfrBits: MPFR_BITS,
    rows: results,
    long,
    ...(typeof gmp === 'string' ? { mpfrUnavailable: gmp } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

function fmtRate(r: number | null): string {
  if (r === null) return '—';
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)} M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)} k/s`;
  return `${r.toFixed(0)} /s`;
}

function fmtRatio(r: number | null): string {
  return r === null ? '—' : `${r.toFixed(2)}×`;
}

/** The result as a plain-text table with the ratios and the cross-check of each row. */
export function formatOracleBench(result: OracleBenchResult): string {
  const header = [
    'format',
    'n',
    'rows',
    'oracle',
    `decimal.js ${result.decimalDigits}d`,
    `MPFR ${result.mpfrBits}b`,
    'oracle/decimal.js',
    'oracle/MPFR',
    'slow path',
    'check (1-ulp diffs dec/mpfr, tiny)',
  ];
  const body = result.rows.map((r) => [
    r.format,
    String(r.n),
    String(r.rows),
    fmtRate(r.oracle),
    fmtRate(r.decimal),
    fmtRate(r.mpfr),
    fmtRatio(r.ratioDecimal),
    fmtRatio(r.ratioMpfr),
    `${r.check.slowPath} (${((100 * r.check.slowPath) / r.check.elements).toFixed(2)}%)`,
    `${r.check.decimalOffByOne}/${r.check.mpfrOffByOne ?? '—'} of ${r.check.elements}, ${r.check.tinyOrZero} tiny`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((s, c) => (c < 3 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  const title =
    'softmax, correctly rounded (oracle) vs fixed-precision references: elements/s, median per call';
  const out = [
    `${title}${result.quick ? ' (quick: 1 sample)' : ''}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ];
  out.push(
    'slow path: elements the fast path (lean and double-double phases) left to the escalation (share of all)',
  );
  if (result.mpfrUnavailable) out.push(`MPFR column missing: ${result.mpfrUnavailable}`);
  out.push('', ...formatLongRows(result.long));
  out.push(`seed ${result.seed}; ${result.seconds.toFixed(1)} s`);
  return out.join('\n');
}

/** The long-row table. */
function formatLongRows(rows: readonly OracleLongRow[]): string[] {
  const header = ['long row', 'format', 'n', 's/call', 'elements/s', 'fast', 'slow', 'direct', 'shared sums'];
  const body = rows.map((r) => {
    const all = r.fast + r.slow + r.direct;
    const share = (v: number) => `${v} (${((100 * v) / all).toFixed(v === 0 || v === all ? 0 : 3)}%)`;
    return [
      r.row,
      r.format,
      String(r.n),
      r.seconds.toFixed(3),
      fmtRate(r.n / r.seconds),
      share(r.fast),
      share(r.slow),
      share(r.direct),
      r.sharedSums === 0 ? '0' : `${r.sharedSums} (${r.exponentials} exponentials)`,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((s, c) => (c < 2 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [
    'softmax on long rows, one oracle call each (median); which phase decided the elements',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    'slow: elements handed to the escalation (one shared enclosure of the sum per precision level); direct: no fast path (exact results)',
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const quick = process.argv.includes('--quick');
  runOracleBench({ quick })
    .then((r) => console.log(formatOracleBench(r)))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    });
}
