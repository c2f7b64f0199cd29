// Fault injection at the campaign level (beyond test/campaign/vet.test.ts): modules that return
// a non-array, NaN everywhere, exhaust the worker's heap, throw, or replace Math.exp, in one
// campaign with two built-in implementations — whose records must come out identical to a
// campaign without the faulty ones.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/report/schema.js';
import { builtin, campaign, implRecord, moduleImpl, stableImpl } from './_campaign.js';

const FAULTY = [
  moduleImpl('softmax/returns-string/f64', 'returnsString.mjs'),
  moduleImpl('softmax/returns-object/f64', 'returnsObject.mjs'),
  moduleImpl('softmax/returns-undefined/f64', 'returnsUndefined.mjs'),
  moduleImpl('softmax/returns-nan/f64', 'returnsNaN.mjs'),
  moduleImpl('softmax/oom/f64', 'oomOnLength.mjs'),
  moduleImpl('softmax/throws/f64', 'throws.mjs'),
  moduleImpl('softmax/patches-math/f64', 'patchesMath.mjs'),
];
const GOOD = [builtin('softmax/max-shifted/f64'), builtin('softmax/naive/f64')];

// The same options for both runs; memoryMb keeps the out-of-memory module's worker small (and
// fast to fill); a few shrinking probes keep the OOM module's shrinking cheap.
// single rows (maxBatch 1): the checks below read each case's one row
const OPTIONS = {
  seed: 21,
  runs: 20,
  workers: 2,
  memoryMb: 64,
  shrinkEvals: 4,
  timeoutMs: 60_000,
  maxBatch: 1,
} as const;

/** A store line (logitfuzz/cases@2) as these checks read it, with its row regenerated. */
interface StoredOutcome {
  impl: string;
  findings: { kind: string; diagnosis: string; severity: string | null }[];
  pass: boolean;
}
interface CaseLine {
  id: number;
  /** The case's logits in the oracle's JSON encoding, regenerated from (seed, id): the store keeps none. */
  x: unknown[];
  outcomes: StoredOutcome[];
}

const DIST_CASES = new URL('../../dist/src/campaign/cases.js', import.meta.url).href;
const DIST_JSON = new URL('../../dist/src/formats/jsonNumber.js', import.meta.url).href;

/** Reads the store back, each line with its case's row regenerated as the campaign generated it. */
async function readLines(file: string): Promise<CaseLine[]> {
  const { caseAt } = (await import(DIST_CASES)) as typeof import('../../src/campaign/cases.js');
  const { encodeVector } = (await import(DIST_JSON)) as typeof import('../../src/formats/jsonNumber.js');
  const space = {
    seed: OPTIONS.seed,
    groups: [{ op: 'softmax', format: 'f64' }] as const,
    constraints: { minLength: 1, maxLength: 16, specials: true },
    probes: true,
    maxBatch: OPTIONS.maxBatch,
  };
  type Raw = { id: number; outcomes: { impl: string; f?: StoredOutcome['findings'] }[] };
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(1)
    .map((l) => {
      const raw = JSON.parse(l) as Raw;
      return {
        id: raw.id,
        x: encodeVector(caseAt(space, raw.id).x),
        outcomes: raw.outcomes.map((o) => {
          const findings = o.f ?? [];
          return {
            impl: o.impl,
            findings,
            pass: !findings.some((f) => f.severity === 'wrong' || f.severity === 'inaccurate'),
          };
        }),
      };
    });
}

describe('faulty implementations in a campaign', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-faults-'));
  let withFaulty: RunRecord;
  let without: RunRecord;
  let lines: CaseLine[];

  beforeAll(async () => {
    // faulty modules first: a worker they kill is replaced before the built-ins run on that case
    withFaulty = await campaign([...FAULTY, ...GOOD], { ...OPTIONS, casesFile: join(dir, 'faulty.jsonl') });
    without = await campaign(GOOD, OPTIONS);
    lines = await readLines(join(dir, 'faulty.jsonl'));
  }, 110_000);

  it('records every case for every implementation, none lost to a dead worker', () => {
    expect(withFaulty.totals.cases).toBe(without.totals.cases);
    expect(withFaulty.totals.cases).toBeGreaterThan(OPTIONS.runs); // probes + runs
    expect(lines).toHaveLength(withFaulty.totals.cases);
    for (const i of withFaulty.implementations) expect(i.cases, i.name).toBe(withFaulty.totals.cases);
    for (const l of lines)
      expect(l.outcomes.map((o) => o.impl).sort()).toEqual(
        [...FAULTY, ...GOOD].map((i) => i.meta.name).sort(),
      );
  });

  it('a string, an object or undefined instead of an array is a shape finding on every case', () => {
    for (const [name, what] of [
      ['softmax/returns-string/f64', /returned string, expected an array of \d+ numbers?/],
      ['softmax/returns-object/f64', /returned object, expected an array of \d+ numbers?/],
      ['softmax/returns-undefined/f64', /returned undefined, expected an array of \d+ numbers?/],
    ] as const) {
      const r = implRecord(withFaulty, name);
      expect(r.verdict, name).toBe('fail');
      expect(r.passes, name).toBe(0);
      expect(r.findingCounts, name).toEqual({ shape: r.cases });
      expect(r.counterexamples.shape.finding.diagnosis, name).toMatch(what);
      expect(r.counterexamples.shape.actual, name).toBeNull();
      expect(r.ulp.max, name).toBe('inf');
    }
  });

  it('NaN everywhere fails every case whose correct result is a number', () => {
    const r = implRecord(withFaulty, 'softmax/returns-nan/f64');
    expect(r.verdict).toBe('fail');
    expect(r.findingCounts['spurious-nan']).toBeGreaterThan(0);
    expect(r.ulp.max).toBe('inf');
    const cex = r.counterexamples['spurious-nan'];
    expect(cex.actual!.every((v) => v === 'nan')).toBe(true);
    expect(cex.expected.every((v) => typeof v === 'number')).toBe(true);
    let failed = 0;
    for (const l of lines) {
      const o = l.outcomes.find((q) => q.impl === 'softmax/returns-nan/f64')!;
      const kinds = o.findings.map((f) => f.kind);
      if (l.x.includes('nan'))
        expect(kinds, JSON.stringify(l.x)).toEqual([]); // NaN is the right answer
      else if (l.x.includes('inf') || l.x.every((v) => v === '-inf')) {
        // deviations on the policy cases (+Inf logits, every logit −Inf) are 'special' findings,
        // which fail only under --specials strict; a row with some −Inf is a row of values
        expect(
          kinds.filter((k) => k !== 'special'),
          JSON.stringify(l.x),
        ).toEqual([]);
        expect(o.pass).toBe(true);
      } else {
        failed++;
        expect(o.pass, JSON.stringify(l.x)).toBe(false);
        expect(
          kinds.some((k) => k === 'spurious-nan' || k === 'overflow' || k === 'underflow'),
          `${JSON.stringify(l.x)}: ${kinds.join(',')}`,
        ).toBe(true);
      }
    }
    expect(r.cases - r.passes).toBe(failed);
    expect(failed).toBeGreaterThan(OPTIONS.runs / 2);
  });

  it('running out of memory is a crash of that case only, diagnosed as such, and the worker is replaced', () => {
    const r = implRecord(withFaulty, 'softmax/oom/f64');
    let ooms = 0;
    for (const l of lines) {
      const o = l.outcomes.find((q) => q.impl === 'softmax/oom/f64')!;
      const kinds = o.findings.map((f) => f.kind);
      if (l.x.length === 3) {
        ooms++;
        expect(kinds, JSON.stringify(l.x)).toEqual(['crash']);
        expect(o.findings[0].diagnosis).toMatch(
          /^ran out of memory \(worker heap limit\): .*heap out of memory/,
        );
      } else expect(kinds, JSON.stringify(l.x)).not.toContain('crash');
    }
    expect(ooms).toBeGreaterThanOrEqual(2);
    expect(r.findingCounts.crash).toBe(ooms);
    expect(r.counterexamples.crash.finding.diagnosis).toMatch(/ran out of memory/);
  });

  it('an exception is a crash finding naming it', () => {
    const r = implRecord(withFaulty, 'softmax/throws/f64');
    expect(r.findingCounts).toEqual({ crash: r.cases });
    expect(r.counterexamples.crash.finding.diagnosis).toBe('threw Error: boom');
  });

  it('a module that replaces Math.exp crashes (the worker froze Math) instead of changing everyone’s exp', () => {
    const r = implRecord(withFaulty, 'softmax/patches-math/f64');
    expect(r.findingCounts).toEqual({ crash: r.cases });
    expect(r.counterexamples.crash.finding.diagnosis).toMatch(
      /^threw TypeError: Cannot assign to read only property 'exp'/,
    );
  });

  it('leaves the other implementations’ records identical to a run without the faulty ones', () => {
    for (const { meta } of GOOD)
      expect(stableImpl(withFaulty, meta.name), meta.name).toEqual(stableImpl(without, meta.name));
    // and they are not trivially equal: the naive softmax has shrunk counterexamples, the max-shifted none
    expect(implRecord(without, 'softmax/naive/f64').verdict).toBe('fail');
    expect(Object.keys(implRecord(without, 'softmax/naive/f64').counterexamples)).toContain('overflow');
    expect(implRecord(without, 'softmax/max-shifted/f64').verdict).toBe('pass');
  });
});
