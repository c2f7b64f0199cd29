/**
 * How many output elements each path of the oracle decided, since the process started or the
 * last `resetOracleCounters()`. Inputs answered by the special-values policy alone (a NaN or +Inf
 * logit, every logit −Inf, empty input) are not counted. For tests (the fast path must decide most elements) and the
 * benchmark (the share that needed the slow path); the oracle's results never depend on them.
 */
export interface OracleCounters {
  /** Elements decided by the fast path, in either phase (lean or double-double). */
  fastElements: number;
  /**
   * Of the fast path's elements, those its lean first phase (binary64 exponentials, leanExp.ts)
   * left undecided and its double-double second phase decided.
   */
  secondPhaseElements: number;
  /**
   * Of the elements the fast path enclosed, those its quick rounding test (quickDecide.ts) could
   * not settle, which went to the exact test of the endpoints (decided there or left pending).
   */
  exactTestElements: number;
  /** Elements the fast path left undecided, decided (or reported undetermined) by the slow path. */
  slowElements: number;
  /**
   * Elements of evaluations that skipped the fast path altogether: every finite logit equal
   * (results exact: 1/c, −ln c, …) or the fast path switched off (`fastPath: false`).
   */
  directSlowElements: number;
  /** Evaluations in which at least one element went to the slow path (either way). */
  slowEvaluations: number;
  /**
   * Enclosures of the row's shared sum s computed by the slow path: one per precision level of
   * each slow evaluation, however many elements were pending.
   */
  sharedSums: number;
  /**
   * Exponentials those enclosures computed in fixed point: one per distinct logit value not
   * cut or bounded, so a row of equal or repeated logits costs a handful.
   */
  slowExponentials: number;
}

/** The live counters (mutated by the oracle). */
export const oracleCounters: OracleCounters = {
  fastElements: 0,
  secondPhaseElements: 0,
  exactTestElements: 0,
  slowElements: 0,
  directSlowElements: 0,
  slowEvaluations: 0,
  sharedSums: 0,
  slowExponentials: 0,
};

/** Sets every counter to 0 and returns their values before the reset. */
export function resetOracleCounters(): OracleCounters {
  const before = { ...oracleCounters };
  oracleCounters.fastElements = 0;
  oracleCounters.secondPhaseElements = 0;
  oracleCounters.exactTestElements = 0;
  oracleCounters.slowElements = 0;
  oracleCounters.directSlowElements = 0;
  oracleCounters.slowEvaluations = 0;
  oracleCounters.sharedSums = 0;
  oracleCounters.slowExponentials = 0;
  return before;
}
