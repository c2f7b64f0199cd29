import { encodeVector } from '../formats/jsonNumber.js';
import { elideVector } from '../report/elide.js';
import { SEED_VARIABLE } from './seed.js';
import type { VetFinding, VetResult } from './vet.js';

/** How `formatVetResult` names the function and says how to repeat the run. */
export interface FormatVetOptions {
  /**
   * What to call the function in the message.
   * @defaultValue 'the function'
   */
  readonly name?: string;
  /**
   * The command that repeats the run with the same seed.
   * @defaultValue `LOGITFUZZ_SEED=<seed> npx vitest run` (vet and expectSoftmax read LOGITFUZZ_SEED when no
   * seed option is given)
   */
  readonly replay?: string;
}

/**
 * A vector as a JSON array in the codec's encoding (NaN, ±Infinity and −0 visible), shortened past
 * `max` elements as the console summary shortens it: runs of one value once with their length
 * (`[0 ×4096]`), otherwise the first and last few around `… 4,090 more …` (report/elide.ts).
 */
export function showVector(v: readonly number[], max = 12): string {
  return elideVector(encodeVector(v), max);
}

/** Inputs longer than this get no oracle command in the message (it would fill the screen). */
const ORACLE_COMMAND_MAX = 64;

/** The `logitfuzz oracle` command line that prints the correctly rounded result of a counterexample. */
export function oracleCommand(
  r: Pick<VetResult, 'op' | 'format'>,
  f: Pick<VetFinding, 'input' | 'label'>,
): string {
  const line = JSON.stringify({
    op: r.op,
    format: r.format,
    x: encodeVector(f.input),
    ...(f.label !== undefined ? { label: f.label } : {}),
  });
  return `echo '${line}' | npx logitfuzz oracle`;
}

function ulpText(f: VetFinding): string {
  if (f.index < 0) return '';
  const u = f.ulps !== f.ulps ? 'n/a' : f.ulps === Infinity ? 'Infinity' : String(f.ulps);
  const b = f.budget !== f.budget ? '' : `, budget ${f.budget}`;
  return `${u} ULPs at element ${f.index}${b}`;
}

/** One finding as indented lines: the minimal input, expected vs actual, ULPs, mechanism, origin. */
function findingLines(r: VetResult, f: VetFinding, k: number): string[] {
  const lines = [
    `${f.kind} (${f.severity ?? 'no severity'}${f.fails ? '' : ', does not fail the verdict'}) — ${f.count} case${f.count === 1 ? '' : 's'}`,
  ];
  lines.push(`  input:    ${showVector(f.input)}${f.label !== undefined ? ` label ${f.label}` : ''}`);
  lines.push(`  expected: ${showVector(f.expected)}`);
  lines.push(`  actual:   ${f.actual ? showVector(f.actual) : '(no answer)'}`);
  const u = ulpText(f);
  if (u) lines.push(`  error:    ${u}`);
  lines.push(`  why:      ${f.diagnosis}`);
  const shrunk = f.original.length !== f.input.length || f.original.some((v, i) => !Object.is(v, f.input[i]));
  lines.push(
    `  found:    case ${f.caseId} (${f.region})${shrunk ? `, shrunk from ${showVector(f.original, 6)} in ${f.shrinkEvaluations} evaluation${f.shrinkEvaluations === 1 ? '' : 's'}` : ''}`,
  );
  lines.push(
    f.input.length <= ORACLE_COMMAND_MAX
      ? `  oracle:   ${oracleCommand(r, f)}`
      : `  oracle:   too long to print (${f.input.length} logits): oracleCommand(result, result.findings[${k}]) builds it`,
  );
  return lines;
}

/**
 * A human-readable report of a `vet` result: the verdict line, then each finding kind's minimal
 * counterexample (input, expected, actual, ULPs, diagnosis, where it was found, the oracle
 * command that prints the expected value), then the seed and the command that repeats the run.
 * This is the message `expectSoftmax` throws.
 */
export function formatVetResult(r: VetResult, options: FormatVetOptions = {}): string {
  const name = options.name ?? 'the function';
  const failing = r.cases - r.passes;
  const head =
    r.verdict === 'fail'
      ? `${name} fails ${r.op} in ${r.format}: ${failing} of ${r.cases} cases failed (seed ${r.seed})`
      : `${name} passes ${r.op} in ${r.format}: ${r.cases} cases, max error ${r.maxUlps} ULPs (seed ${r.seed})`;
  const lines = [head];
  r.findings.forEach((f, k) => lines.push('', ...findingLines(r, f, k)));
  if (r.undetermined > 0)
    lines.push('', `warning: the oracle could not decide ${r.undetermined} case(s) within its precision cap`);
  lines.push(
    '',
    `seed: ${r.seed}`,
    `replay: ${options.replay ?? `${SEED_VARIABLE}=${r.seed} npx vitest run`}`,
  );
  return lines.join('\n');
}
