import type { ImplOutcome } from './protocol.js';

/**
 * The circuit breaker of the scheduler stage: an implementation that times out on `threshold`
 * cases in a row is given no more cases (a hang costs a full timeout per case), and the record
 * says after how many cases it was stopped. Cases are counted in the order they finish, so with
 * several workers where it trips is timing-dependent by nature.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #inARow = new Map<string, number>();
  /** Implementations stopped, with the number of cases each had when it was. */
  readonly tripped = new Map<string, number>();

  constructor(threshold: number) {
    this.#threshold = threshold;
  }

  /** Counts one finished case's outcomes; `casesOf` says how many cases an implementation has had. */
  observe(outcomes: readonly ImplOutcome[], casesOf: (impl: string) => number): void {
    for (const o of outcomes) {
      const timedOut = o.findings.some((f) => f.kind === 'timeout');
      const n = timedOut ? (this.#inARow.get(o.impl) ?? 0) + 1 : 0;
      this.#inARow.set(o.impl, n);
      if (n >= this.#threshold && !this.tripped.has(o.impl)) this.tripped.set(o.impl, casesOf(o.impl));
    }
  }
}
