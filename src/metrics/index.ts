export { budget } from './budgets.js';
export { failsVerdict, type Finding } from './findings.js';
export { judge, type JudgeArgs, type Judgement } from './judge.js';
