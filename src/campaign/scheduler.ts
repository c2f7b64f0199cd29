import type { CaseResult, WorkerPool } from './pool.js';
import type { Group } from './cases.js';
import type { CaseRef, JudgeOptions } from './protocol.js';

/** A case to schedule: the case (or its id, which the workers generate) and its group. */
interface ScheduledCase {
  readonly c: CaseRef;
  readonly group: Group;
}

/** What the scheduler stage needs: where cases come from, who runs them, where results go. */
export interface Schedule {
  readonly pool: WorkerPool;
  /** The next case to run, or null when there is none left (the order of ids is the campaign's). */
  readonly next: () => ScheduledCase | null;
  /** The implementations to run on a case of a group (those of its op and format still running). */
  readonly implsFor: (g: Group) => readonly string[];
  readonly judge: JudgeOptions;
  /** Cases in flight at once: enough to keep every worker busy while results are handled. */
  readonly inFlight: number;
  /** Called once per finished case, in the order cases finish. */
  readonly onResult: (r: CaseResult) => void;
}

/**
 * The scheduler stage (docs/design.md, "Campaign"): keeps `inFlight` cases running on the worker
 * pool until `next` has none left and every case has finished. Isolation (timeouts, deaths,
 * restarts) is the pool's; the order results arrive in is the workers', so whatever consumes
 * them must not depend on it.
 */
export async function schedule(s: Schedule): Promise<void> {
  const running = new Set<Promise<void>>();
  for (;;) {
    while (running.size < s.inFlight) {
      const c = s.next();
      if (c === null) break;
      const p = s.pool.run(c.c, [...s.implsFor(c.group)], s.judge).then(s.onResult);
      running.add(p);
      void p.finally(() => running.delete(p));
    }
    if (running.size === 0) return;
    await Promise.race(running);
  }
}
