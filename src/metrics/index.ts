export { budget, budgetBreakdown, type BudgetBreakdown, type SpecialInput } from './budgets.js';
export {
  algorithmBounds,
  expTermBound,
  underflowClamp,
  EXP_ULPS,
  LOG1P_ULPS,
  type AlgorithmBounds,
  type BoundParts,
} from './algorithmBounds.js';
export {
  boundToUlps,
  relativeUlps,
  relativeUlpsAt,
  absoluteUlps,
  gridSteps,
  ulpCap,
  type ErrorBound,
} from './boundToUlps.js';
export { gamma } from './gamma.js';
export { softmaxSumBound, type SumBound } from './softmaxSumBound.js';
export { regimes, type Regimes } from './regimes.js';
export { argmaxCheck, type ArgmaxCheck } from './argmax.js';
export {
  exactSum,
  sumMinusOne,
  subtractDyadic,
  exceedsBound,
  dyadicToNumber,
  type Dyadic,
} from './exactSum.js';
export {
  judge,
  crashFinding,
  timeoutFinding,
  shapeFinding,
  mutationFinding,
  failsVerdict,
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  type JudgeArgs,
  type Judgement,
  type SpecialsPolicy,
} from './findings.js';
export { elementErrors, caseErrors, relativeError, type ElementErrors, type CaseErrors } from './errors.js';
export {
  UlpHistogram,
  binOf,
  binUpperEdge,
  BIN_COUNT,
  INFINITE_BITS,
  HISTOGRAM_SCHEMA,
  type UlpHistogramJSON,
} from './histogram.js';
export { simulateRecommended, type SumOrder } from './simulateRecommended.js';
