import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml, REPORT_CSP } from './html.js';
import {
  bigRecord,
  cell,
  fixtureRecord,
  hostileRecord,
  HOSTILE,
  IMG_NAME,
  mutableCopy,
} from './_testutil/fixture.js';
import type { RunRecord } from './schema.js';
import { gradeTally, gradeText } from './common.js';
import { checkRunRecord } from './load.js';
import { EXPECT_INACCURATE, EXPECT_WRONG } from '../vocabulary/Severity.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('renderHtml', () => {
  const r = fixtureRecord();
  const html = renderHtml(r);

  it('is one self-contained page whose CSP allows exactly its own <style> and nothing else', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(REPORT_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(REPORT_CSP).toMatch(/^default-src 'none';/);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, '&#39;')}">`,
    );
    // the CSP meta comes before anything that could load
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(count(html, /<style/g)).toBe(1);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
    expect(html).not.toMatch(/\sstyle="/); // inline style attributes would need 'unsafe-inline'
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // every link is an in-page anchor
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(m[1]).toMatch(/^#[A-Za-z0-9_-]+$/);
  });

  it('links every anchor to an element of the page', () => {
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    for (const m of html.matchAll(/\shref="#([^"]+)"/g)) expect(ids.has(m[1]), m[1]).toBe(true);
  });

  it('draws one mark per non-empty bin of the record', () => {
    const measured = r.implementations.filter((i) => i.verdict !== 'unavailable');
    const bars = measured.reduce((a, i) => a + i.ulp.histogram.filter((c) => c > 0).length, 0);
    const cells = measured.reduce((a, i) => a + Object.keys(i.errorMap).length, 0);
    const lbars = measured.reduce((a, i) => a + Object.keys(i.byLength).length, 0);
    expect(count(html, /<rect class="bar[ "]/g)).toBe(bars);
    expect(count(html, /<rect class="cell"/g)).toBe(cells);
    expect(count(html, /<rect class="lbar"/g)).toBe(lbars);
    expect(count(html, /<path class="cdf"/g)).toBe(measured.filter((i) => i.cases > 0).length);
    // shared axes once, placed by every chart
    expect(count(html, /<g id="ax-h">/g)).toBe(1);
    expect(count(html, /<use href="#ax-m"\/>/g)).toBe(measured.length);
  });

  it('shows the summary, the claims, the counterexamples, the environment and how to reproduce', () => {
    expect(html).toContain('How to read this report');
    for (const i of r.implementations) expect(html).toContain(i.name);
    expect(html).toContain('The textbook claims, checked');
    expect(html).toContain('No overflow or underflow on extreme logits');
    expect(html).toContain('argmax preserved');
    expect(html).toContain('cross-entropy gradient');
    const naive = r.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    const cex = Object.values(naive.counterexamples)[0];
    expect(html).toContain(cex.replay.replace(/'/g, '&#39;'));
    expect(html).toContain(r.command.replace(/'/g, '&#39;'));
    expect(html).toContain(`seed ${r.seed}`);
    for (const v of Object.values(r.environment)) expect(html).toContain(v);
    const unavailable = r.implementations.find((i) => i.verdict === 'unavailable');
    if (unavailable) expect(html).toContain('Not run:');
  });

  it('is a pure function of the record', () => {
    expect(renderHtml(fixtureRecord())).toBe(html);
  });

  it('escapes hostile names, paths, messages and values everywhere', () => {
    const h = renderHtml(hostileRecord());
    // the environment section groups equal environments, which the hostile paths make distinct:
    // compare the structure of the page before it
    const before = (page: string) => page.slice(0, page.indexOf('<h2 id="environment">'));
    // no element or attribute came from the record
    expect(/<img|<script/i.test(h)).toBe(false);
    expect(h).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(h).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    // the same number of structural elements as the harmless page: nothing was injected or closed early
    for (const tag of [
      '<details',
      '</details>',
      '<table',
      '</table>',
      '<svg',
      '</svg>',
      '<pre',
      '<code',
      '<mark',
    ])
      expect(count(before(h), new RegExp(tag, 'g')), tag).toBe(count(before(html), new RegExp(tag, 'g')));
    // (fewer links: the hostile names hide which cross_entropy_grad twin belongs to which softmax)
    for (const m of h.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(m[1]).toMatch(/^#[A-Za-z0-9_-]+$/);
    expect(h).toContain(IMG_NAME.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(HOSTILE).toContain('<img');
  });

  it('survives odd records: unknown kinds, damaged cell keys, no cases, a huge replay command', () => {
    const m = mutableCopy(r);
    const i = m.implementations[0];
    i.findingCounts = { ...i.findingCounts, 'brand-new-kind': 2 };
    i.errorMap = { ...i.errorMap, 'x,y': cell(1, 1, 3, { 'brand-new-kind': 1 }), '99,99': cell(1, 0, 0) };
    i.byLength = { ...i.byLength, '-1': cell(1, 0, 0) };
    const k = Object.keys(i.counterexamples)[0];
    i.counterexamples[k].replay = 'npx logitfuzz replay ' + 'x'.repeat(100_000);
    m.implementations[1].cases = 0;
    m.implementations[1].ulp.histogram = m.implementations[1].ulp.histogram.map(() => 0);
    const h = renderHtml(m as unknown as RunRecord);
    expect(h).toContain('brand-new-kind');
    expect(h).toContain('characters long; copy it from results.json');
    expect(h.length).toBeLessThan(html.length + 50_000);
  });

  it('stays under 5 MB for ~140 implementations however long the campaign (it is built from bins)', () => {
    // every histogram and length bin filled, every reachable map cell, six kinds with 64-logit counterexamples
    const page = renderHtml(bigRecord(140, { kindCount: 6 }));
    expect(Buffer.byteLength(page, 'utf8')).toBeLessThan(5_000_000);
    expect(page).toContain('This page is large'); // the full page would not fit: it fell back to compact
    // even a synthetic record with every map cell filled and all 13 kinds stays near 5 MB
    expect(Buffer.byteLength(renderHtml(bigRecord(140, { cells: 'all' })), 'utf8')).toBeLessThan(5_500_000);
  });

  it('keeps a small record complete (not compact), and a compact page keeps every anchor', () => {
    expect(html).not.toContain('This page is large');
    const compact = renderHtml(r, { compact: true });
    const ids = new Set([...compact.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    for (const m of compact.matchAll(/\shref="#([^"]+)"/g)) expect(ids.has(m[1]), m[1]).toBe(true);
    expect(count(compact, /<rect class="cell"/g)).toBe(count(html, /<rect class="cell"/g));
  });

  describe('leads with severity', () => {
    /** The <details> section of the implementation named `name`. */
    const section = (page: string, rec: RunRecord, name: string) => {
      const n = rec.implementations.findIndex((i) => i.name === name);
      const start = page.indexOf(`<details class="impl" id="i${n}"`);
      const end = page.indexOf('<details class="impl"', start + 1);
      return page.slice(start, end < 0 ? page.indexOf('<h2 id="environment">') : end);
    };
    /** The summary row of the implementation at position n. */
    const row = (page: string, n: number) =>
      new RegExp(`<tr[^>]*><td><a href="#i${n}">[\\s\\S]*?</tr>`).exec(page)![0];

    it('says in the headline how many give wrong answers, how many are only inaccurate, how many are unexpected', () => {
      const g = gradeTally(r);
      expect(g.wrong).toBeGreaterThan(0);
      expect(g.inaccurate).toBeGreaterThan(0);
      const cards = /<div class="grades">([\s\S]*?)<\/div><div class="banner/.exec(html)![1];
      expect(cards).toContain(
        `<div class="wrong"><b>${g.wrong}</b><span class="gl">give wrong answers</span>`,
      );
      expect(cards).toContain(
        `<div class="inaccurate"><b>${g.inaccurate}</b><span class="gl">only inaccurate</span>`,
      );
      expect(cards).toContain(`<div class="pass"><b>${g.pass}</b><span class="gl">pass</span>`);
      expect(cards).toContain(`<b>${g.unexpected}</b><span class="gl">not as expected</span>`);
      expect(cards).toContain('fail torch.testing.assert_close');
      // the headline comes before everything else the page says
      expect(html.indexOf('class="grades"')).toBeLessThan(html.indexOf('How to read this report'));

      const m = mutableCopy(r);
      m.implementations.find((i) => i.name === 'log_softmax/tfjs-cpu/f32')!.expected = EXPECT_WRONG;
      m.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!.expected = EXPECT_INACCURATE;
      const h = renderHtml(m as unknown as RunRecord);
      expect(h).toContain('<div class="unexpected"><b>2</b><span class="gl">not as expected</span>');
      expect(h).toContain('✗ 2 of ');
    });

    it('shows the verdict at each level and the expected grade in the summary, marking the level that differs', () => {
      expect(html).toMatch(/<th title="[^"]*">inaccurate<br><span class="muted small">strict budget<\/span>/);
      expect(html).toMatch(/<th title="[^"]*">wrong<br><span class="muted small">assert_close<\/span>/);
      expect(html).toContain('<th>expected grade</th>');
      r.implementations.forEach((i, n) => {
        const tr = row(html, n);
        const badges = [...tr.matchAll(/<span class="badge (pass|fail|unavailable)[^"]*">/g)].map(
          (b) => b[1],
        );
        expect(badges, i.name).toEqual([i.verdicts.inaccurate, i.verdicts.wrong]);
        const grade =
          i.expected.wrong === 'fail' ? 'wrong' : i.expected.inaccurate === 'fail' ? 'inaccurate' : 'pass';
        expect(tr, i.name).toContain(`expected ${grade}`);
        expect(tr.includes('lv-off')).toBe(false);
      });
      // an implementation expected wrong that is only inaccurate: its row is red, the wrong level marked
      const m = mutableCopy(r);
      const n = m.implementations.findIndex((i) => i.name === 'log_softmax/tfjs-cpu/f32');
      m.implementations[n].expected = EXPECT_WRONG;
      const h = renderHtml(m as unknown as RunRecord);
      const tr = row(h, n);
      expect(tr).toMatch(/^<tr class="unexpected">/);
      expect(tr).toContain('✗ expected wrong');
      expect([...tr.matchAll(/<td class="lv-off" title="([^"]*)">/g)].map((x) => x[1])).toEqual([
        'expected fail at the wrong level',
      ]);
      // and it leads the "Needs attention" list, under what differs
      expect(h).toContain('<h3>Only inaccurate, expected wrong answers (1)</h3>');
      expect(h).toMatch(/no finding in \d+ cases fails torch\.testing\.assert_close/);
    });

    it('gives each implementation a grade badge and each counterexample a severity badge', () => {
      for (const i of r.implementations) {
        const d = section(html, r, i.name);
        const grade = gradeText(i);
        expect(d, i.name).toMatch(new RegExp(`^<details[^>]*><summary><span class="badge ${grade}"`));
        const cexs = [
          ...d.matchAll(
            /<div class="cex[^"]*" id="[^"]+"><div><span class="sev (\w+)"[^>]*>([A-Z ]+)<\/span>/g,
          ),
        ];
        expect(cexs.length, i.name).toBe(Object.keys(i.counterexamples).length);
        const severities = Object.values(i.counterexamples).map((c) => c.finding.severity ?? 'none');
        expect(cexs.map((c) => c[1]).sort(), i.name).toEqual(severities.sort());
        for (const c of cexs) expect(c[2]).toBe(c[1] === 'none' ? 'NO VERDICT' : c[1].toUpperCase());
        // wrong ones first
        const order = cexs.map((c) => (c[1] === 'wrong' ? 0 : c[1] === 'inaccurate' ? 1 : 2));
        expect(order, i.name).toEqual([...order].sort());
      }
      // both severities occur in the fixture
      expect(html).toContain('<span class="sev wrong"');
      expect(html).toContain('<span class="sev inaccurate"');
      // a finding reported without a verdict
      const m = mutableCopy(r);
      const i = m.implementations.find((q) => Object.keys(q.counterexamples).length)!;
      Object.values(i.counterexamples)[0].finding.severity = null;
      expect(renderHtml(m as unknown as RunRecord)).toContain('<span class="sev none"');
    });

    it('writes the relative and absolute error beside the ULP count', () => {
      const m = mutableCopy(r);
      const i = m.implementations.find((q) => q.name === 'softmax/naive/f64')!;
      const [a, b, c] = Object.values(i.counterexamples);
      Object.assign(a.finding, { expected: -4.248354255291589e-18, actual: 0, ulps: 4346984719898581500 });
      Object.assign(b.finding, { expected: 0.5, actual: 1, ulps: 4503599627370496 });
      Object.assign(c.finding, { expected: 1, actual: 'nan', ulps: 'inf' });
      const h = section(renderHtml(m as unknown as RunRecord), m as unknown as RunRecord, i.name);
      expect(h).toContain('error 4.3e18 ulps <span class="err">(rel 1.0, abs 4.2e-18)</span>');
      expect(h).toContain('error 4.5e15 ulps <span class="err">(rel 1.0, abs 0.50)</span>');
      // NaN: no relative error to give, the ULP count says it
      expect(h).toMatch(/error ∞ ulps · /);
      // the real fixture: every finite finding shows it
      for (const q of r.implementations)
        for (const x of Object.values(q.counterexamples))
          if (typeof x.finding.expected === 'number' && typeof x.finding.actual === 'number')
            expect(section(html, r, q.name)).toMatch(
              /<span class="err">\(rel [0-9.e∞-]+, abs [0-9.e-]+\)<\/span>/,
            );
    });

    it('says which claims wrong answers break, and which only inaccurate answers do', () => {
      const wrong = section(html, r, 'softmax/naive/f64');
      expect(wrong).toContain('<td class="claim-wrong">✗ broken: wrong answers</td>');
      expect(wrong).toMatch(/<span class="claim-wrong">\d claims? broken by wrong answers<\/span>/);
      const inaccurate = section(html, r, 'log_softmax/tfjs-cpu/f32');
      expect(inaccurate).toContain('<td class="claim-inaccurate">✗ broken: only inaccurate</td>');
      expect(inaccurate).not.toContain('claim-wrong');
      expect(inaccurate).toMatch(/cancellation in \d+ of \d+ cases \(none wrong\)/);
      // its own claims hold; its gradient (cross_entropy_grad/max-shifted/f64) is only inaccurate
      const holds = section(html, r, 'softmax/max-shifted/f64');
      expect(holds).not.toMatch(/claim-(wrong|broken)/);
      expect([...holds.matchAll(/<td class="claim-inaccurate">/g)].length).toBe(1);
      expect(holds).toMatch(/Its cross-entropy gradient[^<]*<\/td><td class="claim-inaccurate">/);
    });

    it('elides long vectors, keeping the marked element in view', () => {
      const m = mutableCopy(r);
      const i = m.implementations.find((q) => q.name === 'softmax/naive/f64')!;
      const c = Object.values(i.counterexamples)[0];
      c.input = new Array<number>(4096).fill(0);
      c.expected = new Array<number>(4096).fill(0.000244140625);
      c.actual = Array.from({ length: 4096 }, (_, k) => (k === 17 ? 0.5 : k));
      c.finding.index = 17;
      const h = renderHtml(m as unknown as RunRecord);
      expect(h).toContain('<code>[0 ×4096]</code>');
      expect(h).toContain(
        '<code>[0.000244140625 ×4096]</code> <span class="muted small">element 17:</span> <code><mark>0.000244140625</mark></code>',
      );
      expect(h).toMatch(
        /<code>\[0, 1, 2, … 4,090 more …, 4093, 4094, 4095\]<\/code> <span class="muted small">element 17:<\/span> <code><mark>0\.5<\/mark><\/code>/,
      );
    });

    it('escapes hostile severities, closeness names and finding values', () => {
      const m = mutableCopy(hostileRecord());
      (m.config as { close: { name: string } }).close.name = HOSTILE;
      for (const i of m.implementations)
        for (const c of Object.values(i.counterexamples)) {
          (c.finding as { severity: unknown }).severity = HOSTILE;
          (c.finding as { actual: unknown }).actual = HOSTILE;
          (c as { actual: unknown }).actual = [HOSTILE, 1];
        }
      const h = renderHtml(m as unknown as RunRecord);
      expect(/<img|<script/i.test(h)).toBe(false);
      expect(h).toContain('<span class="sev none"'); // an unknown severity is shown as none
      expect(h).toContain('(--close &lt;img src=x onerror=alert(1)&gt;');
      for (const x of h.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(x[1]).toMatch(/^#[A-Za-z0-9_-]+$/);
    });

    it('renders a run@1 record read back (no severities there: every finding counts as wrong)', () => {
      type Loose = Record<string, unknown> & {
        implementations: Record<string, unknown>[];
        config: Record<string, unknown>;
      };
      const v1 = JSON.parse(JSON.stringify(r)) as Loose;
      v1.schema = 'logitfuzz/run@1';
      delete v1.config.failOn;
      delete v1.config.close;
      for (const i of v1.implementations) {
        i.expected = (i.expected as { inaccurate: string }).inaccurate;
        delete i.verdicts;
        delete i.severityCounts;
        delete i.wrongCounts;
        for (const c of Object.values(
          i.counterexamples as Record<string, { finding: Record<string, unknown> }>,
        ))
          delete c.finding.severity;
      }
      const h = renderHtml(checkRunRecord(v1, 'run@1'));
      // (the badges of findings carry a title; the one in "How to read this report" does not)
      expect(h).toContain('<span class="sev wrong" title=');
      expect(h).not.toContain('<span class="sev inaccurate" title=');
      expect(h).toContain('✓ All');
      expect(h).toContain('<div class="inaccurate"><b>0</b>');
    });
  });
});
