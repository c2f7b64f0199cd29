export { budget } from './budgets.js';
export { judge, failsVerdict, type Finding, type JudgeArgs, type Judgement } from './findings.js';
