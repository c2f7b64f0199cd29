/**
 * Long-running cross-check of the oracle's double-double fast path against its decimal.js slow
 * path: random and extreme logit vectors (src/oracle/_testutil/fastpathCases.ts) for every
 * format × op, each evaluated with the fast path on (the default) and off (`fastPath: false`);
 * any difference — a bit, the sign of a zero, an `undetermined` list — stops the run with the
 * case printed as JSON and exit code 1.
 *
 * Run (from the repository root; Node 20 has no TypeScript loader, so compile first; dist/ is
 * git-ignored):
 *
 *   npx tsc scripts/fuzz-oracle-fastpath.ts --outDir dist/gen --rootDir . --module nodenext \
 *     --moduleResolution nodenext --target es2022 --strict --skipLibCheck --types node \
 *   && node dist/gen/scripts/fuzz-oracle-fastpath.js [--cases N] [--seconds S] [--seed N] \
 *        [--workers W] [--formats f64,f32] [--ops softmax,logsumexp]
 *
 * Defaults: --cases 1000000, no time limit, --seed random (printed), --workers = cores − 1 (at
 * least 1), every format and op. The slow path costs about a millisecond per small vector, so a
 * million cases take roughly 1000/W seconds of W cores. Worker w checks cases w, w + W, … of the
 * stream of the seed, so a run is reproducible for a given seed and worker count; a failure
 * prints its seed, worker and case index. Progress (cases/s, the share of elements the fast path
 * left to the slow path) goes to stderr every 10 s.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../src/formats/specs.js';
import { FORMAT_NAMES, type FormatName } from '../src/vocabulary/FormatName.js';
import { oracle, oracleCounters, resetOracleCounters } from '../src/oracle/index.js';
import { OPS, type Op } from '../src/vocabulary/Op.js';
import { FAMILIES, makeCase, rng } from '../src/oracle/_testutil/fastpathCases.js';

interface Job {
  seed: number;
  worker: number;
  workers: number;
  cases: number;
  deadline: number;
  formats: FormatName[];
  ops: Op[];
}

type Msg =
  | { kind: 'progress'; cases: number; elements: number; slow: number }
  | { kind: 'fail'; message: string }
  | { kind: 'done'; cases: number; elements: number; slow: number };

function same(a: number, b: number): boolean {
  return (a !== a && b !== b) || Object.is(a, b);
}

function runWorker(job: Job): void {
  const port = parentPort!;
  const combos = job.formats.flatMap((f) => job.ops.map((op) => [f, op] as const));
  // one generator per worker: case i of worker w is the i-th draw of rng(seed·W + w)
  const rand = rng(job.seed * 1009 + job.worker);
  let cases = 0;
  let last = Date.now();
  resetOracleCounters();
  for (let i = 0; i * job.workers + job.worker < job.cases; i++) {
    if (Date.now() > job.deadline) break;
    const [format, op] = combos[i % combos.length];
    const c = makeCase(FORMATS[format], op, FAMILIES[(i >> 4) % FAMILIES.length], rand);
    const fast = oracle(op, format, c.x, c.label);
    const ref = oracle(op, format, c.x, c.label, { fastPath: false });
    let bad =
      fast.values.length !== ref.values.length || fast.undetermined.join() !== ref.undetermined.join();
    for (let k = 0; !bad && k < ref.values.length; k++) bad = !same(fast.values[k], ref.values[k]);
    if (bad) {
      const show = (v: ArrayLike<number>) =>
        Array.from(v, (y) => (Object.is(y, -0) ? '-0' : String(y))).join(', ');
      port.postMessage({
        kind: 'fail',
        message:
          `fast path ≠ slow path (seed ${job.seed}, worker ${job.worker}/${job.workers}, case ${i}): ` +
          JSON.stringify({
            op,
            format,
            x: c.x.map((v) => (Object.is(v, -0) ? '-0' : v === -Infinity ? '-inf' : v)),
            label: c.label ?? null,
          }) +
          `\n  fast [${show(fast.values)}] undetermined [${fast.undetermined.join(', ')}]` +
          `\n  slow [${show(ref.values)}] undetermined [${ref.undetermined.join(', ')}]`,
      } satisfies Msg);
      return;
    }
    cases++;
    if (Date.now() - last > 10_000) {
      last = Date.now();
      port.postMessage({
        kind: 'progress',
        cases,
        elements: oracleCounters.fastElements + oracleCounters.slowElements,
        slow: oracleCounters.slowElements,
      } satisfies Msg);
    }
  }
  const elements = oracleCounters.fastElements + oracleCounters.slowElements;
  const slow = oracleCounters.slowElements;
  port.postMessage({ kind: 'done', cases, elements, slow } satisfies Msg);
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
  for (const f of formats) if (!FORMAT_NAMES.includes(f)) throw new Error(`unknown format ${f}`);
  for (const o of ops) if (!OPS.includes(o)) throw new Error(`unknown op ${o}`);
  if (!Number.isInteger(seed) || !(cases > 0) || !(seconds > 0))
    throw new Error('usage: [--cases N] [--seconds S] [--seed N] [--workers W] [--formats …] [--ops …]');
  const deadline = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Infinity;
  console.error(
    `fuzz-oracle-fastpath: seed ${seed}, ${cases} cases, ${workers} worker(s), formats ${formats.join(',')}, ops ${ops.join(',')}`,
  );
  const started = Date.now();
  const progress = new Array<{ cases: number; elements: number; slow: number }>(workers).fill({
    cases: 0,
    elements: 0,
    slow: 0,
  });
  let finished = 0;
  let failed = false;
  const report = (final: boolean) => {
    const t = progress.reduce(
      (a, p) => ({ cases: a.cases + p.cases, elements: a.elements + p.elements, slow: a.slow + p.slow }),
      { cases: 0, elements: 0, slow: 0 },
    );
    const secs = (Date.now() - started) / 1000;
    const share = t.elements > 0 ? ((100 * t.slow) / t.elements).toFixed(3) : '0';
    console.error(
      `${final ? 'done' : 'progress'}: ${t.cases} cases agree (${(t.cases / secs).toFixed(0)}/s), ${t.elements} elements, ${t.slow} (${share}%) needed the slow path, ${secs.toFixed(0)} s`,
    );
  };
  const timer = setInterval(() => report(false), 10_000);
  const self = fileURLToPath(import.meta.url);
  for (let w = 0; w < workers; w++) {
    const job: Job = { seed, worker: w, workers, cases, deadline, formats, ops };
    const worker = new Worker(self, { workerData: job });
    worker.on('message', (m: Msg) => {
      if (m.kind === 'fail') {
        if (!failed) console.log(m.message);
        failed = true;
        process.exitCode = 1;
        clearInterval(timer);
        process.exit(1);
      }
      progress[w] = { cases: m.cases, elements: m.elements, slow: m.slow };
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
