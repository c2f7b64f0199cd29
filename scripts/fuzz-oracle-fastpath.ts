/**
 * Long-running cross-check of the oracle's fast path (lean and double-double phases) against its slow path (the
 * escalation): random and extreme logit vectors (src/oracle/_testutil/fastpathCases.ts) for every
 * format × op, each evaluated with the fast path on (the default) and off (`fastPath: false`);
 * any difference — a bit, the sign of a zero, an `undetermined` list — stops the run with the
 * case printed as JSON and exit code 1.
 *
 * Long rows are in the mix: every `--long-every` cases (default 400; 0 for none) one row of
 * 10^4 to 10^6 logits (log-uniform; `makeLongCase`: random, patterned, wide, near-ties, equal
 * but one), evaluated by `oracle` and again by `oracleEscalating` with 48 random output indices
 * (and the label) handed to the escalation, which must reproduce the fast path's values; rows
 * of at most 2·10^4 logits are also evaluated with the fast path off. A failing long row is
 * written to a JSON file in the system's temporary folder, whose path is printed.
 *
 * Run (from the repository root; Node 20 has no TypeScript loader, so compile first; dist/ is
 * git-ignored):
 *
 *   npx tsc scripts/fuzz-oracle-fastpath.ts --outDir dist/gen --rootDir . --module nodenext \
 *     --moduleResolution nodenext --target es2022 --strict --skipLibCheck --types node \
 *   && node dist/gen/scripts/fuzz-oracle-fastpath.js [--cases N] [--seconds S] [--seed N] \
 *        [--workers W] [--formats f64,f32] [--ops softmax,logsumexp] [--long-every K]
 *
 * Defaults: --cases 1000000, no time limit, --seed random (printed), --workers = cores − 1 (at
 * least 1), every format and op, --long-every 400. The slow path costs about a millisecond per small vector, so a
 * million cases take roughly 1000/W seconds of W cores. Worker w checks cases w, w + W, … of the
 * stream of the seed, so a run is reproducible for a given seed and worker count; a failure
 * prints its seed, worker and case index. Progress (cases/s, the elements the fast path's lean
 * first phase left to its double-double second phase, and the share it left to the slow path)
 * goes to stderr every 10 s.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../src/formats/specs.js';
import { FORMAT_NAMES, type FormatName } from '../src/vocabulary/FormatName.js';
import { oracle, oracleCounters, resetOracleCounters, type OracleResult } from '../src/oracle/index.js';
import { oracleEscalating } from '../src/oracle/oracle.js';
import { OPS, type Op } from '../src/vocabulary/Op.js';
import { FAMILIES, LONG_SHAPES, makeCase, makeLongCase, rng } from '../src/oracle/_testutil/fastpathCases.js';

interface Job {
  seed: number;
  worker: number;
  workers: number;
  cases: number;
  deadline: number;
  formats: FormatName[];
  ops: Op[];
  longEvery: number;
}

interface Tally {
  cases: number;
  elements: number;
  slow: number;
  /** Elements the lean first phase left to the double-double second phase, which decided them. */
  second: number;
  /** Long rows checked, and their logits. */
  long: number;
  longLogits: number;
}

type Msg = ({ kind: 'progress' } & Tally) | { kind: 'fail'; message: string } | ({ kind: 'done' } & Tally);

function same(a: number, b: number): boolean {
  return (a !== a && b !== b) || Object.is(a, b);
}

/** The first difference between two results, or null. */
function differ(a: OracleResult, b: OracleResult): string | null {
  if (a.values.length !== b.values.length) return `lengths ${a.values.length} ≠ ${b.values.length}`;
  if (a.undetermined.join() !== b.undetermined.join())
    return `undetermined [${a.undetermined.join(', ')}] ≠ [${b.undetermined.join(', ')}]`;
  for (let k = 0; k < a.values.length; k++) if (!same(a.values[k], b.values[k])) return `element ${k}`;
  return null;
}

const show = (v: ArrayLike<number>) => Array.from(v, (y) => (Object.is(y, -0) ? '-0' : String(y))).join(', ');
const encode = (v: ArrayLike<number>) =>
  Array.from(v, (y) => (Object.is(y, -0) ? '-0' : y === -Infinity ? '-inf' : y));

/**
 * One long row: `oracle` against `oracleEscalating` on 48 random output indices and the label
 * (and against the fast path off for rows up to 2·10^4 logits). Returns a failure message or null.
 */
function checkLong(job: Job, i: number, format: FormatName, op: Op, rand: () => number): string | null {
  const n = Math.round(10 ** (4 + 2 * rand()));
  const c = makeLongCase(FORMATS[format], op, LONG_SHAPES[Math.floor(rand() * LONG_SHAPES.length)], n, rand);
  const fast = oracle(op, format, c.x, c.label);
  const picks = Array.from({ length: 48 }, () => Math.floor(rand() * fast.values.length));
  if (c.label !== undefined) picks.push(c.label);
  const checks: [string, () => OracleResult][] = [
    ['escalated', () => oracleEscalating(op, format, c.x, c.label, picks)],
  ];
  if (n <= 20_000)
    checks.push(['slow path alone', () => oracle(op, format, c.x, c.label, { fastPath: false })]);
  for (const [what, evaluate] of checks) {
    // the cross-checks' own evaluations stay out of the counters (forced handoffs are not the
    // fast path's doing)
    const snapshot = { ...oracleCounters };
    const other = evaluate();
    Object.assign(oracleCounters, snapshot);
    const d = differ(fast, other);
    if (d === null) continue;
    const file = join(tmpdir(), `fuzz-oracle-long-${job.seed}-${job.worker}-${i}.json`);
    writeFileSync(file, JSON.stringify({ op, format, x: encode(c.x), label: c.label ?? null }) + '\n');
    return (
      `fast path ≠ ${what} on a long row (seed ${job.seed}, worker ${job.worker}/${job.workers}, case ${i}: ` +
      `${c.shape}, ${n} logits, ${op}/${format}, label ${c.label ?? '-'}): ${d}; the row is in ${file}`
    );
  }
  return null;
}

function runWorker(job: Job): void {
  const port = parentPort!;
  const combos = job.formats.flatMap((f) => job.ops.map((op) => [f, op] as const));
  // one generator per worker: case i of worker w is the i-th draw of rng(seed·W + w)
  const rand = rng(job.seed * 1009 + job.worker);
  let cases = 0;
  let long = 0;
  let longLogits = 0;
  let last = Date.now();
  resetOracleCounters();
  const tally = (): Tally => ({
    cases,
    elements: oracleCounters.fastElements + oracleCounters.slowElements,
    slow: oracleCounters.slowElements,
    second: oracleCounters.secondPhaseElements,
    long,
    longLogits,
  });
  for (let i = 0; i * job.workers + job.worker < job.cases; i++) {
    if (Date.now() > job.deadline) break;
    const [format, op] = combos[i % combos.length];
    if (job.longEvery > 0 && i % job.longEvery === job.longEvery - 1) {
      const before = oracleCounters.fastElements + oracleCounters.slowElements;
      const failure = checkLong(job, i, format, op, rand);
      if (failure !== null) {
        port.postMessage({ kind: 'fail', message: failure } satisfies Msg);
        return;
      }
      long++;
      longLogits += oracleCounters.fastElements + oracleCounters.slowElements - before;
      cases++;
      continue;
    }
    const c = makeCase(FORMATS[format], op, FAMILIES[(i >> 4) % FAMILIES.length], rand);
    const fast = oracle(op, format, c.x, c.label);
    const ref = oracle(op, format, c.x, c.label, { fastPath: false });
    if (differ(fast, ref) !== null) {
      port.postMessage({
        kind: 'fail',
        message:
          `fast path ≠ slow path (seed ${job.seed}, worker ${job.worker}/${job.workers}, case ${i}): ` +
          JSON.stringify({ op, format, x: encode(c.x), label: c.label ?? null }) +
          `\n  fast [${show(fast.values)}] undetermined [${fast.undetermined.join(', ')}]` +
          `\n  slow [${show(ref.values)}] undetermined [${ref.undetermined.join(', ')}]`,
      } satisfies Msg);
      return;
    }
    cases++;
    if (Date.now() - last > 10_000) {
      last = Date.now();
      port.postMessage({ kind: 'progress', ...tally() } satisfies Msg);
    }
  }
  port.postMessage({ kind: 'done', ...tally() } satisfies Msg);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const seed = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const cases = Number(arg('cases') ?? 1_000_000);
  const seconds = Number(arg('seconds') ?? Infinity);
  const workers = Math.max(1, Number(arg('workers') ?? availableParallelism() - 1));
  const formats = (arg('formats')?.split(',') ?? FORMAT_NAMES) as FormatName[];
  const ops = (arg('ops')?.split(',') ?? OPS) as Op[];
  const longEvery = Number(arg('long-every') ?? 400);
  for (const f of formats) if (!FORMAT_NAMES.includes(f)) throw new Error(`unknown format ${f}`);
  for (const o of ops) if (!OPS.includes(o)) throw new Error(`unknown op ${o}`);
  if (
    !Number.isInteger(seed) ||
    !(cases > 0) ||
    !(seconds > 0) ||
    !Number.isInteger(longEvery) ||
    longEvery < 0
  )
    throw new Error(
      'usage: [--cases N] [--seconds S] [--seed N] [--workers W] [--formats …] [--ops …] [--long-every K]',
    );
  const deadline = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Infinity;
  console.error(
    `fuzz-oracle-fastpath: seed ${seed}, ${cases} cases, ${workers} worker(s), formats ${formats.join(',')}, ops ${ops.join(',')}, a long row every ${longEvery || '-'}`,
  );
  const started = Date.now();
  const progress = new Array<Tally>(workers).fill({
    cases: 0,
    elements: 0,
    slow: 0,
    second: 0,
    long: 0,
    longLogits: 0,
  });
  let finished = 0;
  let failed = false;
  const report = (final: boolean) => {
    const t = progress.reduce(
      (a, p) => ({
        cases: a.cases + p.cases,
        elements: a.elements + p.elements,
        slow: a.slow + p.slow,
        second: a.second + p.second,
        long: a.long + p.long,
        longLogits: a.longLogits + p.longLogits,
      }),
      { cases: 0, elements: 0, slow: 0, second: 0, long: 0, longLogits: 0 },
    );
    const secs = (Date.now() - started) / 1000;
    const share = t.elements > 0 ? ((100 * t.slow) / t.elements).toFixed(3) : '0';
    console.error(
      `${final ? 'done' : 'progress'}: ${t.cases} cases agree (${(t.cases / secs).toFixed(0)}/s; ${t.long} long rows, ${t.longLogits} elements), ${t.elements} elements, ${t.second} decided by the fast path's second phase, ${t.slow} (${share}%) went to the slow path, ${secs.toFixed(0)} s`,
    );
  };
  const timer = setInterval(() => report(false), 10_000);
  const self = fileURLToPath(import.meta.url);
  for (let w = 0; w < workers; w++) {
    const job: Job = { seed, worker: w, workers, cases, deadline, formats, ops, longEvery };
    const worker = new Worker(self, { workerData: job });
    worker.on('message', (m: Msg) => {
      if (m.kind === 'fail') {
        if (!failed) console.log(m.message);
        failed = true;
        process.exitCode = 1;
        clearInterval(timer);
        process.exit(1);
      }
      progress[w] = {
        cases: m.cases,
        elements: m.elements,
        slow: m.slow,
        second: m.second,
        long: m.long,
        longLogits: m.longLogits,
      };
      if (m.kind === 'done' && ++finished === workers) {
        clearInterval(timer);
        report(true);
      }
    });
    worker.on('error', (e) => {
      console.error(`worker ${w}: ${e instanceof Error ? e.stack : String(e)}`);
      process.exit(2);
    });
  }
}

if (isMainThread) main();
else runWorker(workerData as Job);
