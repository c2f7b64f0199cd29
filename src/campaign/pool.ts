import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImplSpec } from './implSpec.js';
import { callFinding, timeoutFinding } from '../metrics/findings.js';
import { failedOutcome } from './outcome.js';
import type { CaseInput, FromWorker, ImplOutcome, JudgeOptions, OracleAnswer, ToWorker } from './protocol.js';

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

/** The oracle's answer and every requested implementation's outcome for one case. */
export interface CaseResult {
  readonly c: CaseInput;
  readonly oracle: OracleAnswer | undefined;
  /** Set when the oracle rejected the case (a generator bug): no outcomes then. */
  readonly oracleError?: string;
  readonly oracleMs: number;
  readonly outcomes: ImplOutcome[];
}

interface Job {
  /** Worker deaths while no implementation was known to run (see onExit). */
  blameless?: number;
  readonly c: CaseInput;
  readonly opts: JudgeOptions;
  readonly keepOutput: boolean;
  remaining: string[];
  oracle?: OracleAnswer;
  oracleMs: number;
  outcomes: ImplOutcome[];
  resolve: (r: CaseResult) => void;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<Record<string, AvailabilityInfo>>;
  job?: Job;
  seq: number;
  current?: string;
  timer?: NodeJS.Timeout;
  stderr: string;
  killedForTimeout?: string;
}

/**
 * A supervisor over worker processes: each case goes to a free worker, which computes the oracle
 * and runs the implementations one after another. Implementations are untrusted: a worker that
 * does not finish a call within the time limit is killed (with its process group, so programs
 * it started die too) and the call becomes a `timeout`; a worker that dies (an uncaught error,
 * `process.exit`, a native crash, memory exhaustion) turns the running call into a `crash`. In
 * both cases a fresh worker takes over the rest of the case, reusing the oracle's answer, and
 * the campaign goes on.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private seqCounter = 0;
  private closed = false;
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

  private spawn(): Slot {
    const execArgv = [`--max-old-space-size=${this.options.memoryMb ?? 4096}`];
    const child = fork(WORKER, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv,
      detached: true,
    });
    const slot: Slot = {
      child,
      seq: 0,
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
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    this.send(slot, { t: 'init', specs: this.specs });
    return slot;
  }

  private send(slot: Slot, m: ToWorker): void {
    try {
      slot.child.send(m);
    } catch {
      // the worker is gone; its 'exit' handler deals with the job
    }
  }

  /** Runs every implementation in `impls` on case `c`. Never rejects. */
  run(c: CaseInput, impls: readonly string[], opts: JudgeOptions, keepOutput = false): Promise<CaseResult> {
    return new Promise((resolve) => {
      this.queue.push({ c, opts, keepOutput, remaining: [...impls], oracleMs: 0, outcomes: [], resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      void slot.ready.then(
        () => this.dispatch(slot),
        () => {},
      );
      // reserve the slot synchronously
      slot.job = this.queue.shift();
    }
  }

  private dispatch(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    if (job.remaining.length === 0 && job.oracle) return this.finish(slot);
    slot.seq = ++this.seqCounter;
    this.send(slot, {
      t: 'case',
      seq: slot.seq,
      c: job.c,
      impls: job.remaining,
      opts: job.opts,
      oracle: job.oracle,
      keepOutput: job.keepOutput,
    });
  }

  private finish(slot: Slot): void {
    const job = slot.job!;
    slot.job = undefined;
    slot.current = undefined;
    if (slot.timer) clearTimeout(slot.timer);
    job.resolve({ c: job.c, oracle: job.oracle, oracleMs: job.oracleMs, outcomes: job.outcomes });
    this.pump();
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.job;
    if (!job || !('seq' in m) || m.seq !== slot.seq) return;
    switch (m.t) {
      case 'oracle':
        if (m.answer) {
          job.oracle = m.answer;
          job.oracleMs = m.ms;
        }
        this.startCall(slot, job);
        break;
      case 'error':
        slot.job = undefined;
        job.resolve({ c: job.c, oracle: undefined, oracleError: m.message, oracleMs: 0, outcomes: [] });
        this.pump();
        break;
      case 'outcome':
        job.outcomes.push(m.outcome);
        job.remaining = job.remaining.filter((n) => n !== m.outcome.impl);
        this.startCall(slot, job);
        break;
      case 'done':
        this.finish(slot);
        break;
    }
  }

  /** The next implementation of the job is running now: blame it, and give it the full time limit. */
  private startCall(slot: Slot, job: Job): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.current = job.remaining[0];
    if (slot.current !== undefined)
      slot.timer = setTimeout(() => this.onTimeout(slot), this.options.timeoutMs);
  }

  private onTimeout(slot: Slot): void {
    slot.killedForTimeout = slot.current;
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
    const idx = this.slots.indexOf(slot);
    if (idx < 0) return;
    const job = slot.job;
    // a death before the oracle's answer arrived blames nobody; the second such death of one
    // job blames its next implementation, so that a case is never resubmitted for ever
    if (job && !slot.killedForTimeout && slot.current === undefined) job.blameless = (job.blameless ?? 0) + 1;
    const culprit =
      slot.killedForTimeout ??
      slot.current ??
      (job && (job.blameless ?? 0) >= 2 ? job.remaining[0] : undefined);
    if (this.closed) return;
    if (job) {
      if (culprit) {
        const finding = slot.killedForTimeout
          ? timeoutFinding(this.options.timeoutMs)
          : callFinding('crash', describeDeath(code, signal, slot.stderr));
        job.outcomes.push(
          failedOutcome(culprit, finding, slot.killedForTimeout ? this.options.timeoutMs : 0),
        );
        job.remaining = job.remaining.filter((n) => n !== culprit);
      }
    }
    const fresh = this.spawn();
    fresh.job = job;
    this.slots[idx] = fresh;
    if (job) {
      void fresh.ready.then(
        () => this.dispatch(fresh),
        (e: Error) => {
          // a worker that cannot even start: give up on this job's remaining implementations
          for (const name of job.remaining)
            job.outcomes.push(failedOutcome(name, callFinding('crash', e.message), 0));
          job.remaining = [];
          fresh.job = undefined;
          job.resolve({ c: job.c, oracle: job.oracle, oracleMs: job.oracleMs, outcomes: job.outcomes });
        },
      );
    }
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

function describeDeath(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const tail = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ').slice(0, 300);
  // V8 prints its native stack trace after the FATAL ERROR line: quote that line, not the tail
  const oom = stderr.split('\n').find((l) => /heap out of memory|Allocation failed/i.test(l));
  if (oom !== undefined) return `ran out of memory (worker heap limit): ${oom.trim().slice(0, 200)}`;
  if (signal)
    return `worker killed by ${signal}${signal === 'SIGSEGV' || signal === 'SIGABRT' ? ' (native crash)' : ''}${tail ? `: ${tail}` : ''}`;
  return `worker exited with code ${code} (process.exit or an uncaught error)${tail ? `: ${tail}` : ''}`;
}
