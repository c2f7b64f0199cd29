/**
 * Entry point of a campaign worker process (forked by the supervisor in pool.ts).
 *
 * A worker resolves the implementation specs once, then takes cases one at a time: it computes
 * the oracle's answer (so that the main process stays light and both cores do the exact
 * arithmetic), runs each requested implementation on the case, judges the outputs, and reports
 * each step. Implementations run in the order given, so the supervisor knows which one is running
 * (the first without an outcome) and blames it when this process hangs or dies.
 */
import { oracleAnswer } from './oracleAnswer.js';
import { Unavailable, type AnyImplementation } from '../impls/types.js';
import type { ImplSpec } from './implSpec.js';
import { rowsOf, type FromWorker, type ToWorker } from './protocol.js';
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

let chain = Promise.resolve();

process.on('message', (raw) => {
  const m = raw as ToWorker;
  chain = chain.then(async () => {
    if (m.t === 'init') return init(m.specs);
    if (m.t === 'dispose') {
      for (const impl of impls.values()) await impl.dispose?.().catch(() => {});
      process.exit(0);
    }
    if (m.t !== 'case') return;
    let answer = m.oracle;
    if (!answer) {
      const t0 = performance.now();
      try {
        answer = oracleAnswer(m.c);
      } catch (e) {
        send({ t: 'error', seq: m.seq, message: `oracle: ${(e as Error).message}` });
        return;
      }
      await sendFlushed({ t: 'oracle', seq: m.seq, answer, ms: performance.now() - t0 });
    } else await sendFlushed({ t: 'oracle', seq: m.seq, ms: 0 });
    // the budget's derivation, once per row for every implementation judged on this case
    const memos = rowsOf(m.c).map((): BoundsMemo => new Map());
    for (const name of m.impls) {
      const impl = impls.get(name);
      if (!impl) {
        send({
          t: 'outcome',
          seq: m.seq,
          outcome: failedOutcome(name, callFinding('crash', 'not loaded in this worker'), 0),
        });
        continue;
      }
      const outcome = await runCase(impl, m.c, answer, m.opts, m.keepOutput, memos);
      send({ t: 'outcome', seq: m.seq, outcome });
    }
    send({ t: 'done', seq: m.seq });
  });
});

process.on('disconnect', () => process.exit(0));
