import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { fixtureRecord, hostileRecord, mutableCopy } from './_testutil/fixture.js';
import type { RunRecord } from './schema.js';
import { EXPECT_INACCURATE, EXPECT_PASS, EXPECT_WRONG } from '../vocabulary/Severity.js';
import { gradeTally } from './common.js';

/** Cells of a Markdown table row, split at unescaped pipes. */
const cells = (row: string) => row.replace(/\\\|/g, '\u0000').split('|').slice(1, -1);

describe('renderMarkdown', () => {
  const r = fixtureRecord();

  it('fits one screen: a headline, one row per op, how to reproduce', () => {
    const md = renderMarkdown(r);
    expect(md.split('\n').length).toBeLessThan(40);
    expect(md).toMatch(/^### ✅ logitfuzz: all \d+ implementations as expected/);
    // the headline counts the grades
    const g = gradeTally(r);
    expect(md.split('\n')[0]).toContain(
      `· ${g.wrong} give wrong answers, ${g.inaccurate} only inaccurate, ${g.pass} pass`,
    );
    for (const op of new Set(r.implementations.map((i) => i.op)))
      expect(md).toContain(`| ${op.replace(/_/g, '\\_')} |`);
    expect(md).toContain('Reproduce: `logitfuzz run');
  });

  it('has a column per grade in the table of ops', () => {
    const lines = renderMarkdown(r).split('\n');
    const header = lines.find((l) => l.startsWith('| op |'))!;
    expect(cells(header).map((c) => c.trim())).toEqual([
      'op',
      'pass',
      'only inaccurate',
      'wrong',
      'not as expected',
      'unavailable',
      'worst error of those expected to pass (ulps)',
    ]);
    const softmax = cells(lines.find((l) => l.startsWith('| softmax |'))!).map((c) => c.trim());
    const impls = r.implementations.filter((i) => i.op === 'softmax');
    const graded = (g: string) =>
      impls.filter(
        (i) =>
          i.verdict !== 'unavailable' &&
          (g === 'wrong'
            ? i.verdicts.wrong === 'fail'
            : g === 'inaccurate'
              ? i.verdicts.inaccurate === 'fail' && i.verdicts.wrong === 'pass'
              : i.verdicts.inaccurate === 'pass'),
      ).length;
    expect(softmax.slice(1, 4)).toEqual([graded('pass'), graded('inaccurate'), graded('wrong')].map(String));
    expect(Number(softmax[2]) + Number(softmax[3])).toBeGreaterThan(0);
  });

  it('lists what is not as expected, at most ten, with a replay command', () => {
    const m = mutableCopy(r);
    for (const i of m.implementations)
      if (i.verdict !== 'unavailable') i.expected = i.verdict === 'pass' ? EXPECT_WRONG : EXPECT_PASS;
    const md = renderMarkdown(m as unknown as RunRecord);
    const measured = m.implementations.filter((i) => i.verdict !== 'unavailable').length;
    expect(md).toMatch(
      new RegExp(`^### ❌ logitfuzz: ${measured} of ${measured} implementations not as expected · `),
    );
    expect(md).toContain('(the first 10)');
    expect(md).toContain(`… and ${measured - 10} more`);
    expect(md).toMatch(/Replay `[^`]+`’s \S+ counterexample: `npx logitfuzz replay/);
    expect(md.split('\n').length).toBeLessThan(40);
  });

  it('shows the verdict at each level of what is not as expected, the differing one in bold', () => {
    const m = mutableCopy(r);
    m.implementations.find((i) => i.name === 'log_softmax/tfjs-cpu/f32')!.expected = EXPECT_WRONG;
    m.implementations.find((i) => i.name === 'softmax/naive/f64')!.expected = EXPECT_INACCURATE;
    const md = renderMarkdown(m as unknown as RunRecord);
    expect(md).toMatch(/^### ❌ logitfuzz: 2 of \d+ implementations not as expected/);
    const lines = md.split('\n');
    const header = lines.find((l) => l.startsWith('| implementation'))!;
    expect(
      cells(header)
        .map((c) => c.trim())
        .slice(0, 4),
    ).toEqual(['implementation', 'inaccurate', 'wrong', 'expected']);
    const tfjs = cells(lines.find((l) => l.startsWith('| `log_softmax/tfjs-cpu/f32`'))!).map((c) => c.trim());
    expect(tfjs.slice(1, 4)).toEqual(['fail', '**pass** (expected fail)', 'wrong']);
    expect(tfjs[6]).toMatch(
      /^Only inaccurate, expected wrong answers\\: no finding in \d+ cases fails torch\\.testing\\.assert\\_close/,
    );
    // its example is only inaccurate, with its relative and absolute error
    expect(tfjs[6]).toMatch(/— \S+ \(inaccurate, rel 1\\\.0, abs [\d.e\\-]+\)/);
    const naive = cells(lines.find((l) => l.startsWith('| `softmax/naive/f64`'))!).map((c) => c.trim());
    expect(naive.slice(1, 4)).toEqual(['fail', '**fail** (expected pass)', 'inaccurate']);
    expect(naive[6]).toMatch(
      /^Gives wrong answers, expected to be only inaccurate\\: wrong in \d+ of \d+ cases .* — \S+ \(wrong/,
    );
  });

  it('says the verdict of a single vetted implementation in the headline', () => {
    const m = mutableCopy(r);
    m.implementations = m.implementations.filter((i) => i.name === 'softmax/naive/f64');
    m.implementations[0].expected = EXPECT_PASS;
    expect(renderMarkdown(m as unknown as RunRecord)).toMatch(
      /^### ❌ logitfuzz: `softmax\/naive\/f64` fails: it gives wrong answers\n/,
    );
    // only inaccurate: fails at --fail-on inaccurate, passes at --fail-on wrong
    const inaccurate = mutableCopy(r);
    inaccurate.implementations = inaccurate.implementations.filter(
      (i) => i.name === 'log_softmax/tfjs-cpu/f32',
    );
    inaccurate.implementations[0].expected = EXPECT_PASS;
    expect(renderMarkdown(inaccurate as unknown as RunRecord)).toMatch(
      /^### ❌ logitfuzz: `log_softmax\/tfjs-cpu\/f32` fails: it is inaccurate \(but close by torch\\.testing\\.assert\\_close\)\n/,
    );
    (inaccurate.config as { failOn: string }).failOn = 'wrong';
    inaccurate.implementations[0].verdict = 'pass';
    expect(renderMarkdown(inaccurate as unknown as RunRecord)).toMatch(
      /^### ✅ logitfuzz: `log_softmax\/tfjs-cpu\/f32` passes at --fail-on wrong \(inaccurate, but close by /,
    );
    m.implementations = m.implementations.map((i) => ({
      ...i,
      name: 'softmax/user/f64',
      verdict: 'pass' as const,
      verdicts: { inaccurate: 'pass' as const, wrong: 'pass' as const },
      findingCounts: {},
      counterexamples: {},
    }));
    expect(renderMarkdown(m as unknown as RunRecord)).toMatch(
      /^### ✅ logitfuzz: `softmax\/user\/f64` passes\n/,
    );
  });

  it('escapes hostile names and messages: no HTML, no extra table cells, no links or mentions', () => {
    const m = mutableCopy(hostileRecord());
    for (const i of m.implementations)
      if (i.verdict !== 'unavailable') i.expected = i.verdict === 'pass' ? EXPECT_WRONG : EXPECT_PASS;
    const md = renderMarkdown(m as unknown as RunRecord);
    // code spans show their content literally (CommonMark: no HTML, links or emphasis inside), so only the
    // rest must be inert
    const prose = md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(prose).not.toMatch(/<img|<script|<\/details/);
    expect(prose).not.toMatch(/(^|[^\\])@here/);
    expect(prose).not.toMatch(/[^\\]\]\(http/);
    expect(prose).toContain('&lt;img src\\=x');
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    const header = md.split('\n').find((l) => l.startsWith('| implementation'))!;
    for (const row of rows.filter((l) => rows.indexOf(l) > rows.indexOf(header)))
      expect(cells(row).length).toBe(cells(header).length);
    expect(md.split('\n').every((l) => !/[\u0000-\u0008]/.test(l))).toBe(true);
  });
});
