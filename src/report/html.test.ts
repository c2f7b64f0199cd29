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
      expect(count(h, new RegExp(tag, 'g')), tag).toBe(count(html, new RegExp(tag, 'g')));
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
});
