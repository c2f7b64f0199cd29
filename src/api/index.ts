/**
 * `logitfuzz`: the public library API.
 *
 * - `vet(fn, options)`: fuzz a JS softmax (or log_softmax, logsumexp, cross_entropy,
 *   cross_entropy_grad) in-process against the correctly rounded oracle; a typed verdict with
 *   minimal counterexamples. `formatVetResult` prints one.
 * - `logits(constraints)` and `regionArbitrary(name, constraints)`: fast-check arbitraries of
 *   extreme logits, exactly representable in the format; `probes(format, op)` the fixed
 *   textbook-dangerous inputs.
 * - `oracle(op, format, x, label?)`: the exact result, each element correctly rounded into the
 *   format.
 * - `judge(...)` and `budget(...)`: findings and per-element budgets (docs/design.md, "Findings";
 * docs/design.md, "Budgets").
 * - `ulpDistance(format, a, b)` and the format helpers; the JSON number codec.
 *
 * `logitfuzz/vitest` adds `expectSoftmax(fn, options)`, which throws on a failing verdict.
 */
export {
  vet,
  resolveVetOptions,
  type SoftmaxLike,
  type VetOptions,
  type VetResult,
  type VetFinding,
} from './vet.js';
export { formatVetResult, oracleCommand, showVector, type FormatVetOptions } from './formatVet.js';
export { ulpDistance } from './ulpDistance.js';
export { SEED_VARIABLE, seedFromEnvironment, isSeed } from './seed.js';

export {
  logits,
  regionArbitrary,
  defaultRegions,
  probes,
  REGION_NAMES,
  isRegionName,
  type LogitCase,
  type LogitsConstraints,
  type RegionConstraints,
  type RegionName,
} from '../generators/index.js';
export { oracle, OracleInputError, type OracleOptions, type OracleResult } from '../oracle/index.js';
export { OPS, isOp, isScalarOp, needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
export {
  judge,
  budget,
  failsVerdict,
  type Finding,
  type JudgeArgs,
  type Judgement,
} from '../metrics/index.js';
export { FINDING_KINDS, type FindingKind } from '../vocabulary/FindingKind.js';
export { type SpecialsPolicy } from '../vocabulary/SpecialsPolicy.js';
export {
  FORMATS,
  formatSpec,
  roundNumber,
  isRepresentable,
  nextUp,
  nextDown,
  bitsOfError,
  EXP_THRESHOLDS,
  type FormatSpec,
} from '../formats/index.js';
export { FORMAT_NAMES, isFormatName, type FormatName } from '../vocabulary/FormatName.js';
export {
  encodeNumber,
  decodeNumber,
  encodeVector,
  decodeVector,
  type JsonNumber,
} from '../formats/jsonNumber.js';
