/**
 * Search against uniform random sampling (issue 4): how many evaluations each needs to reach a
 * first finding, and how large an error each reaches within a fixed number of evaluations, on the
 * zoo's naive and reduced-precision implementations. Random sampling draws uniformly over the
 * format's bit patterns (what Herbie samples); the search (src/campaign/search.ts) climbs from a
 * few benign inputs. Both run in-process with the real oracle and judge, so the counts are what a
 * campaign would see. Measuring apart from presenting: `runSearchBench` returns numbers,
 * `formatSearchBench` prints them.
 */
import fc from 'fast-check';
import { regionArbitrary } from '../src/generators/index.js';
import { allImplementations } from '../src/impls/registry.js';
import type { Implementation } from '../src/impls/types.js';
import type { CaseInput, FindingData } from '../src/campaign/protocol.js';
import { runCase } from '../src/campaign/runCase.js';
import { oracle } from '../src/oracle/oracle.js';
import { searchWorst } from '../src/campaign/search.js';
import { pathToFileURL } from 'node:url';

export interface SearchBenchRow {
  readonly impl: string;
  /** Median evaluations to a first finding over the seeds (null: not reached within the budget). */
  readonly randomToFinding: number | null;
  readonly searchToFinding: number | null;
  /** Median over seeds of the largest max-ULP error reached within the budget. */
  readonly randomMaxUlps: number;
  readonly searchMaxUlps: number;
}

export interface SearchBenchResult {
  readonly budget: number;
  readonly seeds: number;
  readonly rows: readonly SearchBenchRow[];
}

const IMPLS = [
  'softmax/naive/f32',
  'log_softmax/max-shifted/f16',
  'logsumexp/naive/bf16',
  'softmax/max-shifted/bf16',
  'cross_entropy/max-shifted/f32',
];

function median(xs: (number | null)[]): number | null {
  const v = xs.map((x) => (x === null ? Infinity : x)).sort((a, b) => a - b);
  const m = v[Math.floor(v.length / 2)];
  return m === Infinity ? null : m;
}

/** One evaluation through the campaign's own judging path (runCase → judge), `special` findings aside. */
async function evaluate(
  impl: Implementation,
  x: number[],
  label: number | undefined,
): Promise<{ maxUlps: number; findings: FindingData[] }> {
  const c: CaseInput = {
    id: -1,
    op: impl.op,
    format: impl.format,
    region: 'search',
    x: Float64Array.from(x),
    label,
  };
  const o = await runCase(impl, c, oracle(impl.op, impl.format, x, label), {
    specials: 'report',
    checkDeterminism: false,
  });
  return { maxUlps: o.maxUlps, findings: o.findings.filter((f) => f.kind !== 'special') };
}

export async function runSearchBench(opts: { quick?: boolean } = {}): Promise<SearchBenchResult> {
  const budget = opts.quick ? 40 : 300;
  const seeds = opts.quick ? 1 : 5;
  const zoo = new Map(allImplementations().map((i) => [i.name, i]));
  const rows: SearchBenchRow[] = [];
  for (const name of IMPLS) {
    const impl = zoo.get(name)!;
    const rTo: (number | null)[] = [];
    const sTo: (number | null)[] = [];
    const rMax: number[] = [];
    const sMax: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      // uniform random over bit patterns
      const cases = fc.sample(regionArbitrary('bits', { format: impl.format, op: impl.op, maxLength: 8 }), {
        seed,
        numRuns: budget,
      });
      let first: number | null = null;
      let worst = 0;
      for (let k = 0; k < cases.length; k++) {
        const r = await evaluate(impl, cases[k].x, cases[k].label);
        worst = Math.max(worst, r.maxUlps);
        if (first === null && r.findings.length) first = k + 1;
      }
      rTo.push(first);
      rMax.push(worst);
      // the search, from three benign inputs
      const starts = fc.sample(
        regionArbitrary('benign', { format: impl.format, op: impl.op, maxLength: 8 }),
        { seed, numRuns: 3 },
      );
      const pts = [];
      for (const c of starts) {
        const r = await evaluate(impl, c.x, c.label);
        pts.push({
          x: c.x,
          ...(c.label !== undefined ? { label: c.label } : {}),
          maxUlps: r.maxUlps,
          kinds: r.findings.map((f) => f.kind),
        });
      }
      const res = await searchWorst(
        pts,
        impl.format,
        impl.op,
        (x, l) => evaluate(impl, x, l),
        budget - 3,
        seed,
        name,
      );
      sTo.push(res.firstFindingAt === null ? null : res.firstFindingAt + 3);
      sMax.push(res.best.maxUlps);
    }
    const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    rows.push({
      impl: name,
      randomToFinding: median(rTo),
      searchToFinding: median(sTo),
      randomMaxUlps: med(rMax),
      searchMaxUlps: med(sMax),
    });
  }
  return { budget, seeds, rows };
}

export function formatSearchBench(r: SearchBenchResult): string {
  const head = `search vs uniform random over bit patterns: evaluations to a first finding and largest error within ${r.budget} evaluations (median of ${r.seeds} seed(s))\n`;
  const lines = r.rows.map((row) =>
    [
      row.impl.padEnd(32),
      `random ${String(row.randomToFinding ?? `>${r.budget}`).padStart(5)}`,
      `search ${String(row.searchToFinding ?? `>${r.budget}`).padStart(5)}`,
      `max ulps random ${String(row.randomMaxUlps).padStart(12)}`,
      `search ${String(row.searchMaxUlps).padStart(12)}`,
    ].join('  '),
  );
  return head + lines.join('\n') + '\n';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runSearchBench({ quick: process.argv.includes('--quick') });
  process.stdout.write(formatSearchBench(r));
}
