import { describe, expect, it } from 'vitest';
import { compareRecords, comparisonMarkdown, formatComparison } from './compare.js';
import { fixtureRecord, hostileRecord, mutableCopy } from './_testutil/fixture.js';
import { RUN_SCHEMA, RUN_SCHEMA_V1, type RunRecord } from './schema.js';

const asRecord = (m: unknown) => m as RunRecord;

describe('compareRecords', () => {
  const base = fixtureRecord();

  it('passes an unchanged record', () => {
    const c = compareRecords(base, fixtureRecord());
    expect(c.ok).toBe(true);
    expect(c.regressions).toEqual([]);
    expect(c.improvements).toEqual([]);
    expect(c.notes).toEqual([]);
    expect(c.compared).toBe(base.implementations.filter((i) => i.verdict !== 'unavailable').length);
    expect(formatComparison(c)).toMatch(/^no regression against the baseline/);
  });

  it('flags an injected regression: a new finding kind, with its diagnosis and replay command', () => {
    const head = mutableCopy(base);
    const good = head.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    const donor = head.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    good.findingCounts = { overflow: 3 };
    good.counterexamples = { overflow: donor.counterexamples.overflow };
    good.verdict = 'fail';
    good.verdicts = { inaccurate: 'fail', wrong: 'pass' };
    const c = compareRecords(base, asRecord(head));
    expect(c.ok).toBe(false);
    expect(c.regressions.map((r) => [r.impl, r.kind])).toEqual([
      ['softmax/max-shifted/f64', 'newly-fails'],
      ['softmax/max-shifted/f64', 'new-finding'],
    ]);
    expect(c.regressions[1].message).toContain('new finding kind overflow in 3 of');
    expect(c.regressions[1].message).toContain('replay: npx logitfuzz replay');
    expect(formatComparison(c)).toMatch(/^2 regressions against the baseline/);
  });

  it('flags max ULP growth beyond the tolerance, and any growth to a non-finite error', () => {
    const head = mutableCopy(base);
    const good = head.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    const before = good.ulp.max as number;
    good.ulp.max = before + 5;
    expect(compareRecords(base, asRecord(head)).regressions.map((r) => r.kind)).toEqual(['ulp-growth']);
    expect(compareRecords(base, asRecord(head), { tolerance: 5 }).ok).toBe(true);
    expect(compareRecords(base, asRecord(head), { tolerance: 4 }).ok).toBe(false);
    good.ulp.max = 'inf';
    expect(compareRecords(base, asRecord(head), { tolerance: 1e300 }).regressions.map((r) => r.kind)).toEqual(
      ['ulp-growth'],
    );
    // a smaller error is an improvement
    good.ulp.max = before - 1;
    const c = compareRecords(base, asRecord(head));
    expect(c.ok).toBe(true);
    expect(c.improvements.map((r) => r.kind)).toEqual(['ulp-improved']);
  });

  it('treats an implementation missing or unavailable in HEAD as a regression unless allowed', () => {
    const head = mutableCopy(base);
    head.implementations = head.implementations.filter((i) => i.name !== 'softmax/naive/f64');
    const tf = head.implementations.find((i) => i.name === 'softmax/tfjs-cpu/f32')!;
    tf.verdict = 'unavailable';
    tf.unavailableReason = 'library missing';
    const c = compareRecords(base, asRecord(head));
    expect(c.regressions.map((r) => [r.impl, r.kind])).toEqual([
      ['softmax/naive/f64', 'missing'],
      ['softmax/tfjs-cpu/f32', 'unavailable'],
    ]);
    const allowed = compareRecords(base, asRecord(head), { allowMissing: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.notes.map((n) => n.kind)).toEqual(['missing', 'unavailable']);
  });

  it('lists improvements, new implementations and differing options without failing', () => {
    const head = mutableCopy(base);
    const naive = head.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    delete (naive.findingCounts as Record<string, number>).ulp;
    head.implementations.push({ ...head.implementations[0], name: 'softmax/new/f64' });
    head.seed = base.seed + 1;
    const c = compareRecords(base, asRecord(head));
    expect(c.ok).toBe(true);
    expect(c.improvements.map((r) => [r.impl, r.kind])).toContainEqual(['softmax/naive/f64', 'finding-gone']);
    expect(c.notes.map((n) => n.kind).sort()).toEqual(['new-implementation', 'options-differ']);
    expect(c.notes.find((n) => n.kind === 'options-differ')!.message).toContain(
      `seed ${base.seed} → ${base.seed + 1}`,
    );
  });

  it('writes Markdown with every string escaped', () => {
    const h = hostileRecord();
    const head = mutableCopy(h);
    head.implementations[0].findingCounts = { ...head.implementations[0].findingCounts, argmax: 1 };
    const md = comparisonMarkdown(compareRecords(h, asRecord(head)));
    expect(md).toMatch(/^### ❌ logitfuzz compare: 1 regression/);
    const prose = md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(prose).not.toMatch(/<img|<script/);
    for (const row of md.split('\n').filter((l) => l.startsWith('| `')))
      expect(row.replace(/\\\|/g, '').split('|').length).toBe(5);
  });
});

describe('compareRecords per severity', () => {
  const v2 = () => {
    const m = mutableCopy(fixtureRecord());
    m.schema = RUN_SCHEMA;
    return m;
  };

  it('an implementation going from inaccurate to wrong regresses at both levels, its kinds unchanged', () => {
    const base = v2();
    const b = base.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    b.findingCounts = { ulp: 2 };
    b.wrongCounts = {};
    b.verdicts = { inaccurate: 'fail', wrong: 'pass' };
    b.verdict = 'fail';
    const head = mutableCopy(asRecord(base));
    const h = head.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    h.wrongCounts = { ulp: 1 };
    h.verdicts = { inaccurate: 'fail', wrong: 'fail' };
    for (const failOn of ['inaccurate', 'wrong'] as const) {
      const c = compareRecords(asRecord(base), asRecord(head), { failOn });
      expect(c.ok, failOn).toBe(false);
      expect(c.regressions.map((r) => r.kind)).toEqual(['newly-wrong', 'new-wrong-finding']);
      expect(c.regressions[0].message).toMatch(/now gives wrong answers \(baseline: inaccurate\)/);
    }
  });

  it('at --fail-on wrong a new inaccurate kind, a newly failing strict verdict or ULP growth are notes', () => {
    const base = v2();
    const head = mutableCopy(asRecord(base));
    const h = head.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    h.findingCounts = { ulp: 3 };
    h.verdicts = { inaccurate: 'fail', wrong: 'pass' };
    h.verdict = 'fail';
    h.ulp.max = 1e6;
    const strict = compareRecords(asRecord(base), asRecord(head));
    expect(strict.regressions.map((r) => r.kind)).toEqual(['newly-fails', 'new-finding', 'ulp-growth']);
    const lenient = compareRecords(asRecord(base), asRecord(head), { failOn: 'wrong' });
    expect(lenient.ok).toBe(true);
    expect(lenient.notes.map((r) => r.kind)).toEqual(['newly-fails', 'ulp-growth']);
  });

  it('reads run@1 records (no severities) at the strict level only, and says so', () => {
    const base = v2();
    base.schema = RUN_SCHEMA_V1;
    const head = v2();
    const h = head.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    h.verdicts = { inaccurate: 'pass', wrong: 'fail' };
    const c = compareRecords(asRecord(base), asRecord(head), { failOn: 'wrong' });
    expect(c.regressions.map((r) => r.kind)).not.toContain('newly-wrong');
    expect(c.notes[0].message).toMatch(
      /logitfuzz\/run@1, without severities: compared at the strict level only/,
    );
  });
});
