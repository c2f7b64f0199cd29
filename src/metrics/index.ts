export { budget } from './budgets.js';
export {
  judge,
  failsVerdict,
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  type JudgeArgs,
  type Judgement,
  type SpecialsPolicy,
} from './findings.js';
