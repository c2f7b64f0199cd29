import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, unlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImplSpec } from './implSpec.js';
import { callFinding, timeoutFinding } from '../metrics/findings.js';
import { failedOutcome } from './outcome.js';
import { caseAt, caseHead, type CaseSpace } from './cases.js';
import {
  PROGRESS_FIELDS,
  type CaseHead,
  type CaseRef,
  type FromWorker,
  type ImplOutcome,
  type JudgeOptions,
  type OracleAnswer,
  type ToWorker,
} from './protocol.js';

/**
 * The worker entry beside this module; when this module runs from TypeScript sources (the test
 * runner), the compiled worker under dist/ (npm test builds first).
 */
const WORKER = ((): string => {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../dist/src/campaign/worker.js', import.meta.url));
})();

export interface PoolOptions {
  /** Number of worker processes. @defaultValue 2 */
  readonly workers: number;
  /** Per-call limit in ms: an implementation that takes longer is a `timeout`. @defaultValue 10000 */
  readonly timeoutMs: number;
  /**
   * Max old-space size of each worker in MB, so memory exhaustion kills a worker, not the machine.
   * @defaultValue 4096
   */
  readonly memoryMb?: number;
}

export interface AvailabilityInfo {
  readonly available: boolean;
  readonly reason?: string;
  readonly environment?: Record<string, string>;
}

/** Every requested implementation's outcome for one case. */
export interface CaseResult {
  readonly head: CaseHead;
  /** The oracle's answer, when the outputs were asked for (`keepOutput`). */
  readonly oracle: OracleAnswer | undefined;
  /** Output elements the oracle left undetermined, over every row. */
  readonly undetermined: number;
  /** Set when the oracle rejected the case (a generator bug): no outcomes then. */
  readonly oracleError?: string;
  readonly oracleMs: number;
  /** In the order the implementations were given, whatever happened to the workers. */
  readonly outcomes: ImplOutcome[];
}

interface Job {
  /** Worker deaths while no implementation was known to run (see onExit). */
  blameless?: number;
  /** The sequence number of its latest dispatch; 0 until dispatched. */
  seq: number;
  readonly c: CaseRef;
  /** The implementations asked for, in order. */
  readonly impls: readonly string[];
  readonly opts: JudgeOptions;
  readonly keepOutput: boolean;
  /** Those not yet blamed for a death: the next dispatch runs all of them. */
  remaining: string[];
  /** A long case's answer, kept for a resubmission (protocol.ts ORACLE_AHEAD_SIZE). */
  oracle?: OracleAnswer;
  oracleMs: number;
  /** The outcomes of implementations blamed for a death (the others come with 'done'). */
  outcomes: ImplOutcome[];
  resolve: (r: CaseResult) => void;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<Record<string, AvailabilityInfo>>;
  /** Its jobs in the order they were (or will be) sent, at most PIPELINE_DEPTH. */
  jobs: Job[];
  /** The worker's progress file (protocol.ts PROGRESS_FIELDS), open here; unlinked at once. */
  progressFd: number;
  timer?: NodeJS.Timeout;
  stderr: string;
  killedForTimeout?: string;
}

/** What a progress file says: implementation `index` of case `seq` started at `startedAt`. */
interface Progress {
  readonly seq: number;
  readonly index: number;
  readonly startedAt: number;
}

let progressFiles = 0;

/**
 * Cases sent to a worker ahead of its results: while the supervisor handles one result and sends
 * the next case, the worker is already running the case after it, instead of waiting a round trip.
 */
const PIPELINE_DEPTH = 2;

/**
 * A supervisor over worker processes: each case goes to a free worker, which computes the oracle
 * and runs the implementations one after another. Implementations are untrusted: a worker that
 * does not finish a call within the time limit is killed (with its process group, so programs
 * it started die too) and the call becomes a `timeout`; a worker that dies (an uncaught error,
 * `process.exit`, a native crash, memory exhaustion) turns the running call into a `crash`. In
 * both cases a fresh worker takes over the rest of the case and the campaign goes on.
 *
 * A case costs two messages: the case (or only its id, the worker generating it) and its whole
 * result. Which call is running is not a message: the worker writes it to a progress file
 * before each call, read here only by the timer and on a death (docs/design.md, "Scheduler").
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private seqCounter = 0;
  private closed = false;
  private space: CaseSpace | undefined;
  availability: Record<string, AvailabilityInfo> = {};

  constructor(
    private readonly specs: readonly ImplSpec[],
    private readonly options: PoolOptions,
  ) {}

  /** Starts the workers; resolves with each implementation's availability (from the first worker). */
  async start(): Promise<Record<string, AvailabilityInfo>> {
    for (let i = 0; i < Math.max(1, this.options.workers); i++) this.slots.push(this.spawn());
    // A worker that dies before it is ready (a machine under memory or process pressure) is
    // replaced, up to twice per slot, before the campaign gives up.
    const ready = async (i: number): Promise<Record<string, AvailabilityInfo>> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.slots[i].ready;
        } catch (e) {
          if (attempt >= 2) throw e;
          this.slots[i] = this.spawn();
        }
      }
    };
    const all = await Promise.all(this.slots.map((_, i) => ready(i)));
    this.availability = all[0];
    return this.availability;
  }

  /**
   * The campaign's case space, for cases run by id: every worker (and every fresh one) generates
   * them itself.
   */
  setSpace(space: CaseSpace): void {
    this.space = space;
    for (const slot of this.slots) this.send(slot, { t: 'space', space });
  }

  private spawn(): Slot {
    const execArgv = [`--max-old-space-size=${this.options.memoryMb ?? 4096}`];
    // With a worker per core, V8's parallel GC helper threads find no idle core: they compete
    // with the other workers, and the same collections cost less CPU in all on the worker's own
    // thread (README, "Performance"). With fewer workers than cores they run beside it for free.
    if (this.options.workers >= availableParallelism()) execArgv.push('--single-threaded-gc');
    // the progress file lives only as long as the descriptors of this process and the worker
    const file = join(tmpdir(), `logitfuzz-${process.pid}-${++progressFiles}.progress`);
    const progressFd = openSync(file, 'wx+');
    let child: ChildProcess;
    try {
      child = fork(WORKER, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc', progressFd],
        execArgv,
        detached: true,
      });
    } finally {
      unlinkSync(file);
    }
    const slot: Slot = {
      child,
      jobs: [],
      progressFd,
      stderr: '',
      ready: undefined as unknown as Promise<Record<string, AvailabilityInfo>>,
    };
    slot.ready = new Promise((resolve, reject) => {
      const onMsg = (m: FromWorker) => {
        if (m.t === 'ready') {
          child.off('message', onMsg);
          resolve(m.availability);
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `worker exited during start-up (${signal ?? code}): ${slot.stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        ),
      );
    });
    slot.ready.catch(() => {});
    child.stderr?.on('data', (b: Buffer) => {
      slot.stderr = (slot.stderr + b.toString()).slice(-4000);
      // kept for a crash's diagnosis, not shown (Dawn's warnings on every start): LOGITFUZZ_DEBUG shows it
      if (process.env.LOGITFUZZ_DEBUG && process.env.LOGITFUZZ_DEBUG !== '0') process.stderr.write(b);
    });
    child.on('message', (m: FromWorker) => this.onMessage(slot, m));
    // a case sent to a worker that has just died (EPIPE) is reported here, not thrown by send():
    // its 'exit' handler deals with the case; a worker that could not be started is fatal, as it was
    child.on('error', (e) => {
      if (child.pid === undefined) throw e;
    });
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    this.send(slot, { t: 'init', specs: this.specs, ...(this.space ? { space: this.space } : {}) });
    return slot;
  }

  private send(slot: Slot, m: ToWorker): void {
    try {
      slot.child.send(m);
    } catch {
      // the worker is gone; its 'exit' handler deals with the job
    }
  }

  /**
   * Runs every implementation in `impls` on case `c` (an input, or the id of a case of the space
   * given to `setSpace`). Never rejects.
   */
  run(c: CaseRef, impls: readonly string[], opts: JudgeOptions, keepOutput = false): Promise<CaseResult> {
    return new Promise((resolve) => {
      this.queue.push({
        c,
        seq: 0,
        impls: [...impls],
        opts,
        keepOutput,
        remaining: [...impls],
        oracleMs: 0,
        outcomes: [],
        resolve,
      });
      this.pump();
    });
  }

  /** Hands queued jobs to the workers: one each first, so that a few jobs still use every worker. */
  private pump(): void {
    for (let depth = 1; depth <= PIPELINE_DEPTH; depth++)
      for (const slot of this.slots) {
        if (slot.jobs.length >= depth || this.queue.length === 0) continue;
        // reserve the place synchronously; send once the worker is ready
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        void slot.ready.then(
          () => this.dispatch(slot, job),
          () => {},
        );
      }
  }

  /** Sends (what remains of) `job` to the slot's worker; the slot's timer watches its calls. */
  private dispatch(slot: Slot, job: Job): void {
    if (!slot.jobs.includes(job)) return;
    job.seq = ++this.seqCounter;
    this.send(slot, {
      t: 'case',
      seq: job.seq,
      c: job.c,
      impls: job.remaining,
      opts: job.opts,
      ...(job.oracle ? { oracle: job.oracle } : {}),
      keepOutput: job.keepOutput,
    });
    if (!slot.timer) this.arm(slot, this.options.timeoutMs);
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (!('seq' in m)) return;
    const job = slot.jobs.find((j) => j.seq === m.seq);
    if (!job) return;
    if (m.t === 'oracle') {
      job.oracle = m.answer;
      job.oracleMs = m.ms;
      return;
    }
    slot.jobs.splice(slot.jobs.indexOf(job), 1);
    if (slot.jobs.length === 0 && slot.timer) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    job.resolve({
      head: m.head,
      oracle: m.oracle,
      undetermined: m.undetermined,
      ...(m.oracleError !== undefined ? { oracleError: m.oracleError } : {}),
      oracleMs: m.oracleMs || job.oracleMs,
      outcomes: inOrder(job.impls, [...job.outcomes, ...m.outcomes]),
    });
    this.pump();
  }

  /** What the slot's worker last wrote to its progress file, if anything. */
  private progressOf(slot: Slot): Progress | undefined {
    const buf = new Float64Array(PROGRESS_FIELDS);
    try {
      if (readSync(slot.progressFd, buf, 0, buf.byteLength, 0) < buf.byteLength) return undefined;
    } catch {
      return undefined;
    }
    return { seq: buf[0], index: buf[1], startedAt: buf[2] };
  }

  /**
   * Where the slot's worker is, per its progress file: the job it is on (the first sent that it
   * has not finished: jobs before it have sent their results; a job whose calls are all done
   * counts as finished) and, when one is running, the implementation it is calling.
   */
  private current(slot: Slot, p: Progress | undefined): { job?: Job; running?: string } {
    const at = p?.seq ?? 0;
    for (const job of slot.jobs) {
      if (job.seq === 0) break;
      if (job.seq > at) return { job };
      if (job.seq === at && p!.index < job.remaining.length) return { job, running: job.remaining[p!.index] };
    }
    return {};
  }

  private arm(slot: Slot, ms: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.onTimer(slot), ms);
  }

  /**
   * Gives the running call its full time limit from its start: a call still running past it is a
   * `timeout` (the worker is killed); otherwise the timer waits for the rest of the limit. Case
   * generation, the oracle and writing out a result have no limit, as before a call starts.
   */
  private onTimer(slot: Slot): void {
    slot.timer = undefined;
    if (slot.jobs.length === 0) return;
    const p = this.progressOf(slot);
    const { running } = this.current(slot, p);
    if (running === undefined || p === undefined) return this.arm(slot, this.options.timeoutMs);
    const left = p.startedAt + this.options.timeoutMs - Date.now();
    if (left > 0) return this.arm(slot, left);
    slot.killedForTimeout = running;
    this.kill(slot);
  }

  private kill(slot: Slot): void {
    const pid = slot.child.pid;
    try {
      if (pid) process.kill(-pid, 'SIGKILL');
    } catch {
      slot.child.kill('SIGKILL');
    }
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.timer) clearTimeout(slot.timer);
    const { job, running } = this.current(slot, this.progressOf(slot));
    closeQuietly(slot.progressFd);
    const idx = this.slots.indexOf(slot);
    if (idx < 0) return;
    // a death while no implementation of the current job ran (its generation, its oracle, or
    // writing out its result) blames nobody; the second such death of one job blames its next
    // implementation, so that a case is never resubmitted for ever
    if (job && !slot.killedForTimeout && running === undefined) job.blameless = (job.blameless ?? 0) + 1;
    const culprit =
      slot.killedForTimeout ?? running ?? (job && (job.blameless ?? 0) >= 2 ? job.remaining[0] : undefined);
    if (this.closed) return;
    if (job && culprit) {
      const finding = slot.killedForTimeout
        ? timeoutFinding(this.options.timeoutMs)
        : callFinding('crash', describeDeath(code, signal, slot.stderr));
      job.outcomes.push(failedOutcome(culprit, finding, slot.killedForTimeout ? this.options.timeoutMs : 0));
      // the others run again on the fresh worker: their outcomes died with this one
      job.remaining = job.remaining.filter((n) => n !== culprit);
    }
    const fresh = this.spawn();
    this.slots[idx] = fresh;
    // every job of the dead worker goes to the fresh one, in order: the current one for what
    // remains of it, the others (finished but unreported, or not started) whole and blameless
    for (const j of slot.jobs) {
      if (j === job && culprit === undefined && j.remaining.length === 0 && (j.blameless ?? 0) >= 2) {
        // nobody left to blame and the case itself keeps killing workers: give up on it
        j.resolve(this.abandoned(j));
        continue;
      }
      j.seq = 0;
      fresh.jobs.push(j);
      void fresh.ready.then(
        () => this.dispatch(fresh, j),
        (e: Error) => {
          // a worker that cannot even start: give up on this job's remaining implementations
          for (const name of j.remaining)
            j.outcomes.push(failedOutcome(name, callFinding('crash', e.message), 0));
          j.remaining = [];
          fresh.jobs.splice(fresh.jobs.indexOf(j), 1);
          j.resolve(this.abandoned(j));
        },
      );
    }
  }

  /** The result of a job no worker can finish: the outcomes gathered, the case's head regenerated here. */
  private abandoned(job: Job): CaseResult {
    const c = typeof job.c === 'number' ? caseAt(this.space!, job.c) : job.c;
    return {
      head: caseHead(c),
      oracle: job.oracle,
      undetermined: 0,
      oracleMs: job.oracleMs,
      outcomes: inOrder(job.impls, job.outcomes),
    };
  }

  /** Stops every worker (disposing implementations) and waits for them to exit. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            const t = setTimeout(() => {
              this.kill(s);
              resolve();
            }, 5000);
            s.child.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            this.send(s, { t: 'dispose' });
          }),
      ),
    );
  }
}

/** `outcomes` in the order of `impls` (a death's outcome joins the others where its call was). */
function inOrder(impls: readonly string[], outcomes: readonly ImplOutcome[]): ImplOutcome[] {
  const at = new Map(impls.map((n, i) => [n, i]));
  return [...outcomes].sort((a, b) => (at.get(a.impl) ?? 0) - (at.get(b.impl) ?? 0));
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function describeDeath(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const tail = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ').slice(0, 300);
  // V8 prints its native stack trace after the FATAL ERROR line: quote that line, not the tail
  const oom = stderr.split('\n').find((l) => /heap out of memory|Allocation failed/i.test(l));
  if (oom !== undefined) return `ran out of memory (worker heap limit): ${oom.trim().slice(0, 200)}`;
  if (signal)
    return `worker killed by ${signal}${signal === 'SIGSEGV' || signal === 'SIGABRT' ? ' (native crash)' : ''}${tail ? `: ${tail}` : ''}`;
  return `worker exited with code ${code} (process.exit or an uncaught error)${tail ? `: ${tail}` : ''}`;
}
