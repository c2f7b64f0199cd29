import { readFileSync } from 'node:fs';
import { checkRunRecord } from '../load.js';
import type { CellRecord, CounterexampleRecord, ImplementationRecord, RunRecord } from '../schema.js';
import type { FindingKind } from '../../vocabulary/FindingKind.js';
import { EXPECT_PASS, EXPECT_WRONG } from '../../vocabulary/Severity.js';

/** The stored record of a small real campaign (scripts/gen-report-fixture.mjs), parsed afresh each call. */
export function fixtureRecord(): RunRecord {
  const text = readFileSync(new URL('../../../test/fixtures/report-run.json', import.meta.url), 'utf8');
  return checkRunRecord(JSON.parse(text), 'test/fixtures/report-run.json');
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep, writable copy of a record, to inject changes into. */
export function mutableCopy(r: RunRecord): Mutable<RunRecord> {
  return JSON.parse(JSON.stringify(r)) as Mutable<RunRecord>;
}

/**
 * Hostile text: markup, an event handler, quotes, Markdown and table syntax, a mention, control characters
 * and a lone surrogate.
 */
export const HOSTILE = `<img src=x onerror=alert(1)>"'&amp;|*_[x](http://e.com) @here \`code\` \u0001\u0007\ud800 </details><script>alert(2)</script>`;

/** The implementation name the browser test checks is shown as text. */
export const IMG_NAME = '<img src=x onerror=alert(1)>';

/** Puts hostile text in every string of the record a report shows. */
export function hostileRecord(): RunRecord {
  const r = mutableCopy(fixtureRecord());
  r.command = `logitfuzz run ${HOSTILE}`;
  r.environment = { ...r.environment, [`key ${HOSTILE}`]: `value ${HOSTILE}` };
  r.implementations.forEach((i, n) => {
    i.name = n === 0 ? IMG_NAME : `${i.op}/${HOSTILE}-${n}/${i.format}`;
    i.formula = `formula ${HOSTILE}`;
    i.backend = `backend ${HOSTILE}`;
    if (i.verdict === 'unavailable') i.unavailableReason = `reason ${HOSTILE}`;
    if (i.environment) i.environment = { [`module ${HOSTILE}`]: `/path/${HOSTILE}-${n}.mjs` };
    for (const c of Object.values(i.counterexamples)) {
      c.finding.diagnosis = `diagnosis ${HOSTILE}`;
      c.replay = `${c.replay} --module '/tmp/${HOSTILE}.mjs'`;
      c.region = `region ${HOSTILE}`;
    }
  });
  return r as unknown as RunRecord;
}

/** A cell record. */
export const cell = (
  cases: number,
  failures: number,
  maxUlps: CellRecord['maxUlps'],
  kinds: Record<string, number> = {},
): CellRecord => ({ cases, failures, maxUlps, kinds });

/**
 * A large record: `count` implementations with every histogram bin and length bin filled, and
 * `kindCount` finding kinds with counterexamples of `vecLen` logits. `cells: 'possible'` fills
 * the error-map cells a real input can reach (the spread is at most twice the largest |logit|,
 * so its bin is at most one above); `'all'` fills all of them (a damaged or synthetic record).
 */
export function bigRecord(
  count: number,
  opts: { vecLen?: number; kindCount?: number; cells?: 'possible' | 'all' } = {},
): RunRecord {
  const vecLen = opts.vecLen ?? 64;
  const base = fixtureRecord();
  const proto = base.implementations.find((i) => i.verdict !== 'unavailable')!;
  const order: readonly FindingKind[] = [
    'overflow',
    'underflow',
    'ulp',
    'sum',
    'argmax',
    'special',
    'crash',
    'timeout',
    'shape',
    'mutation',
    'nan-swallowed',
    'spurious-nan',
    'nondeterministic',
  ];
  const kinds = order.slice(0, opts.kindCount ?? 13);
  const vec = Array.from({ length: vecLen }, (_, k) => 709.7827128933844 - k * 1.0000000000000002e-7);
  const ops = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'];
  const impls: ImplementationRecord[] = [];
  for (let n = 0; n < count; n++) {
    const errorMap: Record<string, CellRecord> = {};
    for (let i = 0; i < base.mapEdges.length; i++)
      for (let j = 0; j < base.mapEdges.length; j++)
        if (opts.cells === 'all' || j <= i + 1)
          errorMap[`${i},${j}`] = cell(12345, 678, 'inf', { overflow: 600, underflow: 78, ulp: 3 });
    const byLength: Record<string, CellRecord> = {};
    for (let b = 0; b < base.lengthEdges.length; b++)
      byLength[String(b)] = cell(12345, 67, 4.6e18, { ulp: 67 });
    const counterexamples: Record<string, CounterexampleRecord> = {};
    for (const k of kinds) {
      counterexamples[k] = {
        caseId: 123456,
        region: 'near-overflow',
        input: vec,
        original: vec,
        finding: {
          kind: k,
          index: 3,
          expected: 0.0123456789012345,
          actual: 'nan',
          ulps: 'inf',
          diagnosis: `NaN at 3: exp overflows: max logit 709.783 > 709.783 (${k})`,
          severity: 'wrong',
        },
        expected: vec.map(() => 0.015625000000000003),
        actual: vec.map(() => 'nan' as const),
        shrinkEvaluations: 100,
        replay: `npx logitfuzz replay --impl softmax/naive/f64 --x '${JSON.stringify(vec)}'`,
      };
    }
    const op = ops[n % ops.length];
    impls.push({
      ...proto,
      name: `${op}/formulation-${n}/f64`,
      op,
      verdict: 'fail',
      verdicts: { inaccurate: 'fail', wrong: 'fail' },
      expected: n % 2 ? EXPECT_WRONG : EXPECT_PASS,
      cases: 12345,
      passes: 1000,
      findingCounts: Object.fromEntries(kinds.map((k) => [k, 100])),
      counterexamples,
      ulp: { ...proto.ulp, histogram: base.histogramEdges.map((_, b) => 1 + b * 97) },
      regions: Object.fromEntries(
        [
          'near-overflow',
          'near-underflow',
          'huge',
          'spread',
          'masked',
          'subnormal',
          'dominant',
          'specials',
          'benign',
          'long',
        ].map((g) => [g, { cases: 1234, failures: 56 }]),
      ),
      errorMap,
      byLength,
      environment: {
        adapter: 'NVIDIA H200',
        library: '@tensorflow/tfjs-core@4.22.0 + @tensorflow/tfjs-backend-webgpu@4.22.0',
      },
    });
  }
  return { ...base, implementations: impls };
}
