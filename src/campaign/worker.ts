/**
 * Entry point of a campaign worker process (forked by the supervisor in pool.ts).
 *
 * A worker resolves the implementation specs once, then takes cases one at a time: it generates
 * a case sent by id, computes the oracle's answer (so that the main process stays light and both
 * cores do the exact arithmetic), runs each requested implementation on the case, judges the
 * outputs, and reports the whole case in one message. Before each call it writes which
 * implementation starts to the progress file (a pwrite, not a message), which the supervisor
 * reads to blame the one running when this process hangs or dies.
 */
import { oracleAnswer } from './oracleAnswer.js';
import { Unavailable, type AnyImplementation } from '../impls/types.js';
import type { ImplSpec } from './implSpec.js';
import {
  ORACLE_AHEAD_SIZE,
  PROGRESS_FIELDS,
  rowsOf,
  type FromWorker,
  type ImplOutcome,
  type OracleAnswer,
  type ToWorker,
} from './protocol.js';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { caseAt, caseHead, type CaseSpace } from './cases.js';
import type { BoundsMemo } from '../metrics/budgets.js';
import { resolveImpl } from './resolveImpl.js';
import { runCase } from './runCase.js';
import { callFinding } from '../metrics/findings.js';
import { failedOutcome } from './outcome.js';

// Built-in and untrusted implementations share this process: a module that replaced Math.exp
// (say, with a faster approximation) would silently change every other implementation's results.
// Frozen, such an assignment throws (modules are strict code), which is a `crash` of that module.
// No dependency assigns to Math.
Object.freeze(Math);

const impls = new Map<string, AnyImplementation>();

function send(m: FromWorker): void {
  process.send!(m);
}

/**
 * Sends `m` and resolves once it is written out: before an implementation runs, the supervisor
 * must hold the oracle's answer (megabytes for a 2^18-logit batch), or an implementation that
 * kills the process mid-write leaves it blaming nobody and resubmitting the case for ever.
 */
function sendFlushed(m: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(m, undefined, {}, () => resolve()));
}

async function init(specs: readonly ImplSpec[]): Promise<void> {
  const availability: Record<
    string,
    { available: boolean; reason?: string; environment?: Record<string, string> }
  > = {};
  for (const spec of specs) {
    try {
      const impl = await resolveImpl(spec);
      if (impl.setup) await impl.setup();
      impls.set(spec.name, impl);
      availability[spec.name] = { available: true, ...environmentOf(impl) };
    } catch (e) {
      const err = e as Error;
      availability[spec.name] = {
        available: false,
        reason:
          e instanceof Unavailable ? err.message : `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`,
      };
    }
  }
  send({ t: 'ready', availability });
}

/**
 * What identifies the code under test beyond its name: a GPU implementation's adapter
 * (`describe()`), a third-party adapter's library version (`library`).
 */
function environmentOf(impl: AnyImplementation): { environment?: Record<string, string> } {
  const env: Record<string, string> = {};
  const x = impl as { describe?: () => Record<string, string>; library?: unknown };
  if (typeof x.describe === 'function') Object.assign(env, x.describe());
  if (typeof x.library === 'string') env.library = x.library;
  return Object.keys(env).length ? { environment: env } : {};
}

/** The campaign's case space: cases that come by id are generated here (cases.ts `caseAt`). */
let space: CaseSpace | undefined;

/**
 * The progress file (protocol.ts PROGRESS_FIELDS), passed by the supervisor as fd 4. It is
 * reopened here, so that the descriptor is close-on-exec and programs that implementations start
 * do not inherit it (Linux; elsewhere fd 4 is used as it is).
 */
const progressFd = ((): number | undefined => {
  try {
    const fd = openSync('/proc/self/fd/4', 'r+');
    closeSync(4);
    return fd;
  } catch {
    try {
      fstatSync(4);
      return 4;
    } catch {
      return undefined;
    }
  }
})();
const progress = new Float64Array(PROGRESS_FIELDS);

/** Records that implementation `index` of case `seq` starts now (one pwrite, no message). */
function mark(seq: number, index: number): void {
  if (progressFd === undefined) return;
  progress[0] = seq;
  progress[1] = index;
  progress[2] = Date.now();
  writeSync(progressFd, progress, 0, progress.byteLength, 0);
}

function undeterminedOf(a: OracleAnswer): number {
  return a.undetermined.length + (a.batch ?? []).reduce((s, b) => s + b.undetermined.length, 0);
}

async function runOne(m: Extract<ToWorker, { t: 'case' }>): Promise<void> {
  const c = typeof m.c === 'number' ? caseAt(space!, m.c) : m.c;
  const head = caseHead(c);
  let answer = m.oracle;
  let oracleMs = 0;
  if (!answer) {
    const t0 = performance.now();
    try {
      answer = oracleAnswer(c);
    } catch (e) {
      const oracleError = `oracle: ${(e as Error).message}`;
      await sendFlushed({
        t: 'done',
        seq: m.seq,
        head,
        undetermined: 0,
        oracleMs: 0,
        oracleError,
        outcomes: [],
      });
      return;
    }
    oracleMs = performance.now() - t0;
    // a long case's answer goes to the supervisor before any implementation runs (and is written
    // out: an implementation that kills the process mid-write would leave nobody to blame), so
    // that a fresh worker taking over after a death does not compute it again
    if (head.shape[0] * head.shape[1] > ORACLE_AHEAD_SIZE)
      await sendFlushed({ t: 'oracle', seq: m.seq, answer, ms: oracleMs });
  }
  // the budget's derivation, once per row for every implementation judged on this case
  const memos = rowsOf(c).map((): BoundsMemo => new Map());
  const outcomes: ImplOutcome[] = [];
  for (let i = 0; i < m.impls.length; i++) {
    const name = m.impls[i];
    const impl = impls.get(name);
    if (!impl) {
      outcomes.push(failedOutcome(name, callFinding('crash', 'not loaded in this worker'), 0));
      continue;
    }
    mark(m.seq, i);
    outcomes.push(await runCase(impl, c, answer, m.opts, m.keepOutput, memos));
  }
  // past the last call: a death while the result is written out blames no implementation
  mark(m.seq, m.impls.length);
  // written out before the next case starts: an implementation of that case that kills the
  // process must not take this result with it
  await sendFlushed({
    t: 'done',
    seq: m.seq,
    head,
    undetermined: undeterminedOf(answer),
    oracleMs,
    outcomes,
    ...(m.keepOutput ? { oracle: answer } : {}),
  });
}

let chain = Promise.resolve();

process.on('message', (raw) => {
  const m = raw as ToWorker;
  chain = chain.then(async () => {
    if (m.t === 'init') {
      space = m.space;
      return init(m.specs);
    }
    if (m.t === 'space') {
      space = m.space;
      return;
    }
    if (m.t === 'dispose') {
      for (const impl of impls.values()) await impl.dispose?.().catch(() => {});
      process.exit(0);
    }
    if (m.t === 'case') return runOne(m);
  });
});

process.on('disconnect', () => process.exit(0));
