import { describe, expect, it } from 'vitest';
import { bigRecord, fixtureRecord, mutableCopy } from '../report/_testutil/fixture.js';
import type { RunRecord } from '../report/schema.js';
import { EXPECT_INACCURATE, EXPECT_PASS, EXPECT_WRONG, type Expected } from '../vocabulary/Severity.js';
import { formatSummary, SUMMARY_MAX_LINES } from './summary.js';

const OPS = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'];
const FORMULATIONS = ['naive', 'max-shifted', 'lse', 'bhh', 'online', 'compensated', 'library'];
const FORMATS = ['f64', 'f32', 'f16', 'bf16'];

type Story = 'pass' | 'inaccurate' | 'wrong' | 'unavailable';

const VERDICTS = {
  pass: { inaccurate: 'pass', wrong: 'pass' },
  inaccurate: { inaccurate: 'fail', wrong: 'pass' },
  wrong: { inaccurate: 'fail', wrong: 'fail' },
  unavailable: { inaccurate: 'unavailable', wrong: 'unavailable' },
} as const;

/**
 * A record shaped like the whole zoo: 5 ops × 7 formulations × 4 formats = 140 implementations,
 * each with the grade and expectation `story` gives it, and counterexamples of 4096 logits (whose
 * replay commands spell them out) where it has findings.
 */
function zooRecord(story: (n: number) => { got: Story; expected: Expected }): RunRecord {
  const r = mutableCopy(bigRecord(140, { vecLen: 4, kindCount: 3 }));
  // one long vector shared by every counterexample (a deep copy of 140 × 3 of them is slow)
  const input = Array.from({ length: 4096 }, (_, k) => 709.7827128933844 - k * 1.0000000000000002e-7);
  const expectedOut = input.map(() => 0.015625000000000003);
  const actualOut = input.map(() => 'nan' as const);
  const inputJson = JSON.stringify(input);
  r.implementations.forEach((i, n) => {
    const op = OPS[Math.floor(n / 28)];
    const name = `${op}/${FORMULATIONS[Math.floor(n / 4) % 7]}/${FORMATS[n % 4]}`;
    const { got, expected } = story(n);
    i.name = name;
    i.op = op;
    i.format = FORMATS[n % 4];
    i.expected = { ...expected };
    i.verdicts = { ...VERDICTS[got] };
    i.verdict = got === 'unavailable' ? 'unavailable' : got === 'pass' ? 'pass' : 'fail';
    if (got === 'unavailable') i.unavailableReason = 'the adapter does not offer shader-f16';
    if (got === 'pass' || got === 'unavailable') {
      i.counterexamples = {};
      i.findingCounts = {};
    }
    for (const c of Object.values(i.counterexamples)) {
      c.finding.severity = got === 'wrong' ? 'wrong' : 'inaccurate';
      c.input = c.original = input;
      c.expected = expectedOut;
      c.actual = actualOut;
      c.replay = `npx logitfuzz replay --impl ${name} --x '${inputJson}'`;
    }
  });
  return r as unknown as RunRecord;
}

/** A mixed zoo: a fifth worse than expected, a fifth better, the rest as expected or unavailable. */
const mixed = (n: number): { got: Story; expected: Expected } =>
  [
    { got: 'wrong', expected: EXPECT_PASS },
    { got: 'inaccurate', expected: EXPECT_WRONG },
    { got: 'pass', expected: EXPECT_PASS },
    { got: 'wrong', expected: EXPECT_WRONG },
    n % 3 === 0
      ? { got: 'unavailable', expected: EXPECT_INACCURATE }
      : { got: 'inaccurate', expected: EXPECT_INACCURATE },
  ][n % 5] as { got: Story; expected: Expected };

const unexpectedNames = (r: RunRecord) =>
  r.implementations
    .filter(
      (i) =>
        i.verdict !== 'unavailable' &&
        (i.verdicts.inaccurate !== i.expected.inaccurate || i.verdicts.wrong !== i.expected.wrong),
    )
    .map((i) => i.name);

describe('formatSummary (default)', () => {
  const record = zooRecord(mixed);
  const text = formatSummary(record);
  const lines = text.trimEnd().split('\n');

  it('fits a whole-zoo record on a screen and still names every implementation not graded as expected', () => {
    expect(lines.length).toBeLessThanOrEqual(SUMMARY_MAX_LINES);
    expect(SUMMARY_MAX_LINES).toBeLessThanOrEqual(146); // the header, "wrote …" and the exit line fit under 150
    const names = unexpectedNames(record);
    expect(names.length).toBeGreaterThan(50);
    for (const n of names) expect(text).toContain(n);
    // no vector, replay command or name list runs off the screen
    for (const l of lines) expect(l.length, l).toBeLessThan(300);
    expect(text).not.toContain(JSON.stringify(record.implementations[0].counterexamples.overflow.input));
  });

  it('still fits, and names them all, when every implementation differs from what was expected', () => {
    const all = zooRecord(() => ({ got: 'wrong', expected: EXPECT_PASS }));
    const t = formatSummary(all);
    expect(t.trimEnd().split('\n').length).toBeLessThanOrEqual(SUMMARY_MAX_LINES);
    for (const i of all.implementations) expect(t).toContain(i.name);
  });

  it('is a table of op/formulation rows and format columns, marking grades that differ from expected', () => {
    expect(lines[0].trim().split(/\s+/)).toEqual(['f64', 'f32', 'f16', 'bf16']);
    const row = (label: string) =>
      lines
        .find((l) => l.startsWith(label + ' '))!
        .trim()
        .split(/\s+/);
    // softmax/naive is n = 0..3: wrong expected pass, inaccurate expected wrong, pass, wrong as expected
    expect(row('softmax/naive')).toEqual(['softmax/naive', 'WRONG!', 'inaccurate!', 'ok', 'WRONG']);
    // n = 4..7: n = 4 inaccurate as expected, n = 9 (row lse) unavailable
    expect(row('softmax/max-shifted')[1]).toBe('inaccurate');
    expect(row('softmax/lse')[2]).toBe('n/a');
    // one row per op and formulation (an implementation's own line has its format: softmax/naive/f64:)
    expect(
      lines.filter((l) =>
        /^(softmax|log_softmax|logsumexp|cross_entropy|cross_entropy_grad)\/[^/\s]+\s/.test(l),
      ),
    ).toHaveLength(5 * 7);
    expect(text).toMatch(
      /^ok: no finding · inaccurate: .* · WRONG: fails assert_close · n\/a: could not run · !: not the grade expected/m,
    );
    expect(text).toMatch(/^n\/a: softmax\/lse\/f32, .* — the adapter does not offer shader-f16$/m);
  });

  it('shows counterexamples only of implementations not graded as expected, with severity, elided vectors and a replay', () => {
    const section = text.slice(text.indexOf('Not graded as expected'));
    expect(section).toMatch(
      /^softmax\/naive\/f64: wrong, expected ok; findings in 12345 cases: overflow 100/m,
    );
    expect(section).toMatch(/^ {2}WRONG overflow: NaN at 3: exp overflows/m);
    expect(section).toMatch(
      /^ {4}input {4}\[709\.7827128933844, 709\.78271\d+, 709\.78271\d+, … 4,090 more …, 709\.78\d+, 709\.78\d+, 709\.78\d+\]$/m,
    );
    expect(section).toMatch(/^ {4}expected \[0\.015625000000000003 ×4096\]$/m);
    expect(section).toMatch(/^ {4}actual {3}\[nan ×4096\]$/m);
    expect(section).toMatch(
      /^ {4}replay {3}npx logitfuzz replay --impl softmax\/naive\/f64 --x @FILE {2}\(FILE: the 4096 logits as a JSON array; --verbose prints the whole command\)$/m,
    );
    // worse than expected first
    expect(section.indexOf('softmax/naive/f64:')).toBeLessThan(section.indexOf('softmax/naive/f32'));
    expect(section).not.toMatch(/(^|[\s,])softmax\/naive\/bf16/); // wrong, as expected
    expect(section).not.toMatch(/(^|[\s,])softmax\/max-shifted\/f64/); // inaccurate, as expected
  });

  it('ends with the counts of wrong, only inaccurate and unexpected implementations', () => {
    const count = (g: Story) => record.implementations.filter((_, n) => mixed(n).got === g).length;
    const worse = record.implementations.filter((_, n) => n % 5 === 0).length;
    const better = record.implementations.filter((_, n) => n % 5 === 1).length;
    expect(lines.at(-2)).toBe(
      `140 implementations: ${count('wrong')} wrong, ${count('inaccurate')} only inaccurate, ${count('pass')} ok, ${count('unavailable')} n/a; ${worse + better} not as expected (${worse} worse, ${better} better)`,
    );
    expect(lines.at(-1)).toMatch(/^\d+ case\(s\), [\d.]+ s, seed \d+$/);
  });

  it('is plain text: no ANSI escapes', () => {
    expect(text).not.toMatch(/\u001b/);
  });

  it('has no counterexample section when every grade is as expected', () => {
    const t = formatSummary(zooRecord(() => ({ got: 'wrong', expected: EXPECT_WRONG })));
    expect(t).not.toContain('Not graded as expected');
    expect(t).not.toContain('replay');
    expect(t).toMatch(/140 implementations: 140 wrong, 0 only inaccurate, 0 ok; all as expected\n/);
  });

  it("shows a one-implementation record's own counterexamples (vet), as expected or not", () => {
    for (const expected of [EXPECT_PASS, EXPECT_WRONG]) {
      const zoo = zooRecord(() => ({ got: 'wrong', expected }));
      const t = formatSummary({ ...zoo, implementations: [zoo.implementations[0]] });
      expect(t).toMatch(/^Counterexamples:\nsoftmax\/naive\/f64: wrong; findings in 12345 cases/m);
      for (const k of ['overflow', 'underflow', 'ulp']) expect(t).toMatch(new RegExp(`^  WRONG ${k}: `, 'm'));
      expect(t).toContain('1 implementation: 1 wrong');
      // the legend explains only the marks the table has
      expect(t).toMatch(
        expected === EXPECT_PASS
          ? /^ok: no finding · inaccurate: [^\n]* · WRONG: fails assert_close · !: not the grade expected$/m
          : /^ok: no finding · inaccurate: [^\n]* · WRONG: fails assert_close$/m,
      );
    }
  });

  it('shows first the counterexample of a kind that was wrong, even when the stored one is only inaccurate', () => {
    const zoo = zooRecord(() => ({ got: 'wrong', expected: EXPECT_PASS }));
    const i = mutableCopy({ ...zoo, implementations: [zoo.implementations[0]] });
    for (const c of Object.values(i.implementations[0].counterexamples)) c.finding.severity = 'inaccurate';
    i.implementations[0].wrongCounts = { ulp: 2 };
    const t = formatSummary(i as unknown as RunRecord);
    expect(t).toMatch(
      /findings in 12345 cases: overflow 100, underflow 100, ulp 100 \(2 wrong\)\n {2}inaccurate ulp: /,
    );
  });

  it('keeps short vectors whole and replay commands as recorded', () => {
    const r = fixtureRecord();
    const t = formatSummary(r);
    for (const i of r.implementations)
      for (const c of Object.values(i.counterexamples))
        if (c.input && c.input.length <= 16 && c.replay.length <= 240 && t.includes(`${i.name}:`)) {
          expect(t).toContain(c.replay);
        }
  });
});

describe('formatSummary --verbose', () => {
  it('prints every implementation and all its counterexamples with whole vectors', () => {
    const record = zooRecord(mixed);
    const t = formatSummary(record, { verbose: true });
    for (const i of record.implementations) expect(t).toContain(i.name);
    const vec = record.implementations[0].counterexamples.overflow.input;
    expect(t).toContain(`input ${JSON.stringify(vec)}`);
    expect(t).toContain(record.implementations[0].counterexamples.overflow.replay);
    // the implementations graded as expected too
    expect(t).toMatch(/^softmax\/naive\/bf16:\n {2}WRONG overflow: /m);
    expect(t).toMatch(/^softmax\/max-shifted\/f64:\n {2}inaccurate overflow: /m);
    expect(t.trimEnd().split('\n').at(-2)).toMatch(/^140 implementations: /);
  });
});
