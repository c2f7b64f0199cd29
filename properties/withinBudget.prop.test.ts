/**
 * Every implementation of the registry that is expected to pass stays within its budget on every
 * input region of its format: `judge` (docs/design.md, "Findings": the findings table, budgets of the recommended
 * algorithm) finds nothing that fails a verdict — no `ulp`, `overflow`, `underflow`,
 * `spurious-nan`, `nan-swallowed`, `sum` or `argmax` finding; `special` findings (deviations on
 * ±Inf logits) are reported by the policy, not failed.
 *
 * And on long rows, where the budget is that of a pairwise sum, γ_{⌈log₂ n⌉+1}
 * (docs/design.md, "Budgets"), and a recursive sum drifts or stagnates past it: a handful per
 * format, 2^16 + 1 benign logits and 2^16 logits of the campaign's stagnation probe (a 0 among logits at
 * −(p + 1)·ln 2, each term below half an ULP of 1).
 *
 * Registry-driven: a new implementation is covered by adding it to the registry. Few cases per
 * implementation × region (see runs.ts); the probes and the corpus carry the known hard inputs.
 */
import { afterAll, describe, test } from 'vitest';
import { roundNumber } from '../src/formats/roundNumber.js';
import { formatSpec } from '../src/formats/specs.js';
import { mulberry32 } from '../src/generators/_internals/mulberry32.js';
import { regionArbitrary } from '../src/generators/regionArbitrary.js';
import type { Implementation } from '../src/impls/types.js';
import { budget } from '../src/metrics/budgets.js';
import { failsVerdict } from '../src/metrics/findings.js';
import { judge } from '../src/metrics/judge.js';
import type { FormatName } from '../src/vocabulary/FormatName.js';
import { needsLabel } from '../src/vocabulary/Op.js';
import { assertProperty } from './_support/assertProperty.js';
import { oracle } from '../src/oracle/oracle.js';
import { call, describe as describeFailure, evaluate } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { REGION_NAMES, regionConstraints } from './_support/regions.js';
import { runs } from './_support/runs.js';
import { replayLine, seedFor } from './_support/seed.js';

const FILE = 'properties/withinBudget.prop.test.ts';
const list = await subjects((impl) => impl.expected.inaccurate === 'pass');
afterAll(() => disposeAll(list));

describe.each(list.map((s) => [title(s), s] as const))('%s stays within its budget', (name, s) => {
  test.skipIf(s.unavailable !== null).each(REGION_NAMES.map((r) => [r]))('region %s', async (region) => {
    await assertProperty({
      file: FILE,
      testName: `${name} stays within its budget region ${region}`,
      seedParts: ['withinBudget', s.impl.name, region],
      arbitrary: regionArbitrary(region, regionConstraints(s.impl, region)),
      numRuns: region === 'long' ? runs(2) : runs(10),
      async check(c) {
        const e = await evaluate(s.impl, c.x, c.label);
        if (e.failing.length > 0)
          throw new Error(`outside its budget in region ${region}: ${describeFailure(s.impl, e)}`);
      },
    });
  });
});

/** A long row of one format, with the index of its max (the cross-entropy ops' label). */
interface LongRow {
  readonly name: string;
  readonly x: number[];
  readonly at: number;
}

/**
 * The long rows of a format, `runs(1)` of each kind, drawn from the suite seed: benign logits
 * (uniform in [−10, 10], the max 10 at a random index; an odd length, so a pairwise sum carries
 * an odd term up) and a stagnation row (0 at a random index, every other logit −(p + 1)·ln 2).
 */
function longRows(format: FormatName): LongRow[] {
  const fmt = formatSpec(format);
  const R = (v: number) => roundNumber(fmt, v);
  const out: LongRow[] = [];
  for (let k = 0; k < runs(1); k++) {
    const rand = mulberry32(seedFor('withinBudget', 'long rows', format, k));
    const benign = Array.from({ length: 2 ** 16 + 1 }, () => R(-10 + 20 * rand()));
    const top = Math.floor(rand() * benign.length);
    benign[top] = 10;
    out.push({ name: `benign #${k}`, x: benign, at: top });
    const stagnant = new Array<number>(2 ** 16).fill(R(-(fmt.precision + 1) * Math.LN2));
    const zero = Math.floor(rand() * stagnant.length);
    stagnant[zero] = 0;
    out.push({ name: `stagnation #${k}`, x: stagnant, at: zero });
  }
  return out;
}

const rowCache = new Map<FormatName, LongRow[]>();
/** The oracle's row and its default budget, per op, format and row name (short keys, not the logits). */
const referenceCache = new Map<string, { r: Float64Array; b: Float64Array }>();

/** Judges `impl` on one long row with the default budget (computed once per op, format and row). */
async function failingOnLongRow(impl: Implementation, row: LongRow): Promise<string | null> {
  const label = needsLabel(impl.op) ? row.at : undefined;
  const key = `${impl.op}/${impl.format}/${row.name}`;
  let cached = referenceCache.get(key);
  if (!cached) {
    const ref = oracle(impl.op, impl.format, row.x, label).values;
    cached = { r: ref, b: budget(impl.op, impl.format, row.x, label, undefined, ref) };
    referenceCache.set(key, cached);
  }
  const { r, b } = cached;
  const actual = await call(impl, row.x, label);
  const j = judge({ op: impl.op, format: impl.format, x: row.x, label, actual, reference: r, budget: b });
  const f = j.findings.find((v) => failsVerdict(v.kind, 'report'));
  if (!f) return null;
  const at = f.index >= 0 ? ` at ${f.index} (logit ${row.x[f.index]}, budget ${b[f.index]})` : '';
  return `${f.kind}${at}: ${f.diagnosis}`;
}

describe.each(list.map((s) => [title(s), s] as const))(
  '%s stays within its budget on long rows',
  (name, s) => {
    test.skipIf(s.unavailable !== null)(
      '2^16 + 1 benign logits and 2^16 of the stagnation probe',
      async () => {
        let rows = rowCache.get(s.impl.format);
        if (!rows) {
          rows = longRows(s.impl.format);
          rowCache.set(s.impl.format, rows);
        }
        for (const row of rows) {
          const why = await failingOnLongRow(s.impl, row);
          if (why !== null)
            throw new Error(
              `${replayLine(FILE, `${name} stays within its budget on long rows`)}\n` +
                `${s.impl.name} on the long row '${row.name}' (n = ${row.x.length}): ${why}`,
            );
        }
      },
    );
  },
);
