import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { fixtureRecord, hostileRecord, mutableCopy } from './_testutil/fixture.js';
import type { RunRecord } from './schema.js';

/** Cells of a Markdown table row, split at unescaped pipes. */
const cells = (row: string) => row.replace(/\\\|/g, '\u0000').split('|').slice(1, -1);

describe('renderMarkdown', () => {
  const r = fixtureRecord();

  it('fits one screen: a headline, one row per op, how to reproduce', () => {
    const md = renderMarkdown(r);
    expect(md.split('\n').length).toBeLessThan(40);
    expect(md).toMatch(/^### ✅ logitfuzz: all \d+ implementations as expected/);
    for (const op of new Set(r.implementations.map((i) => i.op)))
      expect(md).toContain(`| ${op.replace(/_/g, '\\_')} |`);
    expect(md).toContain('Reproduce: `logitfuzz run');
  });

  it('lists what is not as expected, at most ten, with a replay command', () => {
    const m = mutableCopy(r);
    for (const i of m.implementations)
      if (i.verdict !== 'unavailable') i.expected = i.verdict === 'pass' ? 'fail' : 'pass';
    const md = renderMarkdown(m as unknown as RunRecord);
    expect(md).toMatch(/^### ❌ logitfuzz: 12 of 12 implementations not as expected/);
    expect(md).toContain('(the first 10)');
    expect(md).toContain('… and 2 more');
    expect(md).toMatch(/Replay `[^`]+`’s worst counterexample: `npx logitfuzz replay/);
    expect(md.split('\n').length).toBeLessThan(40);
  });

  it('says the verdict of a single vetted implementation in the headline', () => {
    const m = mutableCopy(r);
    m.implementations = m.implementations.filter((i) => i.name === 'softmax/naive/f64');
    m.implementations[0].expected = 'pass';
    expect(renderMarkdown(m as unknown as RunRecord)).toMatch(
      /^### ❌ logitfuzz: `softmax\/naive\/f64` fails\n/,
    );
    m.implementations = m.implementations.map((i) => ({
      ...i,
      name: 'softmax/user/f64',
      verdict: 'pass' as const,
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
      if (i.verdict !== 'unavailable') i.expected = i.verdict === 'pass' ? 'fail' : 'pass';
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
