import { MutationError, ShapeError } from '../impls/load.js';
import type { Implementation } from '../impls/types.js';
import { failsVerdict } from '../metrics/findings.js';
import { outputLength } from '../vocabulary/Op.js';
import { judgeOutput } from './judgeOutput.js';
import type { CaseInput, FindingData, ImplOutcome, JudgeOptions, OracleAnswer } from './protocol.js';

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i]) && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}

function caseLevel(kind: string, diagnosis: string): FindingData {
  return { kind, index: -1, expected: null, actual: null, ulps: null, diagnosis };
}

function failed(impl: string, f: FindingData, ms: number): ImplOutcome {
  return { impl, findings: [f], maxUlps: Infinity, maxBits: Infinity, pass: false, outOfFormat: 0, ms };
}

/** One call of an implementation on one row: the output, or a case-level finding. */
async function callOnce(
  impl: Implementation,
  c: CaseInput,
): Promise<{ out: Float64Array } | { finding: FindingData }> {
  const row = Float64Array.from(c.x);
  let result: unknown;
  try {
    result = await impl.run([row], c.label === undefined ? undefined : [c.label]);
  } catch (e) {
    const err = e as Error;
    const msg = (err?.message ?? String(e)).split('\n')[0].slice(0, 300);
    if (e instanceof ShapeError) return { finding: caseLevel('shape', msg) };
    if (e instanceof MutationError) return { finding: caseLevel('mutation', msg) };
    return { finding: caseLevel('crash', `threw ${err?.name ?? 'an exception'}: ${msg}`) };
  }
  if (!sameBits(row, c.x))
    return { finding: caseLevel('mutation', 'the implementation changed its input array') };
  const n = outputLength(c.op, c.x.length);
  if (!Array.isArray(result) || result.length !== 1)
    return {
      finding: caseLevel(
        'shape',
        `run() returned ${Array.isArray(result) ? `${result.length} rows` : typeof result}, expected 1 row`,
      ),
    };
  const out = result[0] as unknown;
  if (!(out instanceof Float64Array) && !Array.isArray(out) && !ArrayBuffer.isView(out))
    return { finding: caseLevel('shape', `row is ${typeof out}, expected an array of numbers`) };
  const arr = out as ArrayLike<unknown>;
  if (arr.length !== n)
    return { finding: caseLevel('shape', `returned ${arr.length} values, expected ${n}`) };
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== 'number')
      return { finding: caseLevel('shape', `element ${i} is ${typeof v}, not a number`) };
    f[i] = v;
  }
  return { out: f };
}

/**
 * Runs one implementation on one case and judges it against the oracle's answer: a thrown error
 * is a `crash`, a wrong shape a `shape`, a changed input a `mutation`, two calls that disagree
 * `nondeterministic`, and the output's elements are judged by the metrics (findings per
 * DESIGN.md's table). Never throws: every failure of the implementation is an outcome.
 */
export async function runCase(
  impl: Implementation,
  c: CaseInput,
  oracle: OracleAnswer,
  opts: JudgeOptions,
  keepOutput = false,
): Promise<ImplOutcome> {
  const t0 = performance.now();
  const first = await callOnce(impl, c);
  if ('finding' in first) return failed(impl.name, first.finding, performance.now() - t0);
  let nondet: FindingData | undefined;
  if (opts.checkDeterminism) {
    const second = await callOnce(impl, c);
    if ('finding' in second) return failed(impl.name, second.finding, performance.now() - t0);
    if (!sameBits(first.out, second.out)) {
      let i = 0;
      while (
        Object.is(first.out[i], second.out[i]) ||
        (first.out[i] !== first.out[i] && second.out[i] !== second.out[i])
      )
        i++;
      nondet = {
        kind: 'nondeterministic',
        index: i,
        expected: first.out[i],
        actual: second.out[i],
        ulps: null,
        diagnosis: `two calls on the same input differ at element ${i}: ${first.out[i]} then ${second.out[i]}`,
      };
    }
  }
  const ms = performance.now() - t0;
  const judged = judgeOutput(c, first.out, oracle, opts);
  const findings = nondet ? [...judged.findings, nondet] : judged.findings;
  return {
    impl: impl.name,
    findings,
    maxUlps: judged.maxUlps,
    maxBits: Math.log2(1 + judged.maxUlps),
    pass: !findings.some((f) => failsVerdict(f.kind as Parameters<typeof failsVerdict>[0], opts.specials)),
    outOfFormat: judged.outOfFormat,
    output: keepOutput ? first.out : undefined,
    ms,
  };
}
