import { describe, expect, it } from 'vitest';
import { kindFails } from './common.js';
import { renderJunit } from './junit.js';
import { fixtureRecord, hostileRecord, mutableCopy } from './_testutil/fixture.js';
import type { RunRecord } from './schema.js';

/**
 * A strict check of the XML this renderer writes: a declaration, then only elements with
 * double-quoted attributes whose values hold no raw '<' or '&', text without raw '<' or bare
 * '&', balanced tags, and no character XML 1.0 forbids. (The browser test also parses it.)
 */
function assertWellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+);/;
  const stack: string[] = [];
  const body = xml.slice(xml.indexOf('?>') + 2);
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = token.exec(body))) {
    pos = token.lastIndex;
    if (m[5] !== undefined) {
      for (const amp of m[5].matchAll(/&/g)) expect(entity.test(m[5].slice(amp.index))).toBe(true);
      continue;
    }
    for (const a of m[3].matchAll(/="([^"]*)"/g))
      for (const amp of a[1].matchAll(/&/g))
        expect(a[1].slice(amp.index)).toMatch(new RegExp(`^${entity.source}`));
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]);
  }
  expect(pos).toBe(body.length);
  expect(stack).toEqual([]);
}

const attr = (xml: string, tag: string, name: string) =>
  Number(new RegExp(`<${tag}[^>]*\\s${name}="(\\d+)"`).exec(xml)![1]);

describe('renderJunit', () => {
  const r = fixtureRecord();
  const xml = renderJunit(r);

  it('writes well-formed XML with one suite per op and consistent counts', () => {
    assertWellFormed(xml);
    const cases = (xml.match(/<testcase /g) ?? []).length;
    expect(attr(xml, 'testsuites', 'tests')).toBe(cases);
    const suites = [...xml.matchAll(/<testsuite name="logitfuzz\.([^"]+)" tests="(\d+)" failures="(\d+)"/g)];
    expect(suites.map((s) => s[1])).toEqual([...new Set(r.implementations.map((i) => i.op))]);
    expect(suites.reduce((a, s) => a + Number(s[2]), 0)).toBe(cases);
    expect(attr(xml, 'testsuites', 'failures')).toBe((xml.match(/<failure /g) ?? []).length);
    expect(attr(xml, 'testsuites', 'skipped')).toBe((xml.match(/<skipped /g) ?? []).length);
  });

  it('has one testcase per implementation and finding kind, one per passing implementation, one skipped per unavailable one', () => {
    let expected = 0;
    for (const i of r.implementations) {
      if (i.verdict === 'unavailable') {
        expected++;
        expect(xml).toContain(`name="${i.name} › available"`);
        continue;
      }
      const kinds = Object.keys(i.findingCounts);
      expected += kinds.length;
      for (const k of kinds) expect(xml).toContain(`name="${i.name} › ${k}"`);
      if (i.verdict === 'pass' || !kinds.some((k) => kindFails(k, r))) expected++;
    }
    expect((xml.match(/<testcase /g) ?? []).length).toBe(expected);
  });

  it('fails exactly where a verdict is not as expected: known-bad implementations that fail pass, with a property', () => {
    const unexpected = r.implementations.filter(
      (i) => i.verdict !== 'unavailable' && i.verdict !== i.expected,
    );
    expect(attr(xml, 'testsuites', 'failures') > 0).toBe(unexpected.length > 0);
    const naive = r.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    expect(naive.expected).toBe('fail');
    const k = Object.keys(naive.findingCounts)[0];
    const tc = new RegExp(`<testcase [^>]*name="softmax/naive/f64 › ${k}"[^>]*>([\\s\\S]*?)</testcase>`).exec(
      xml,
    )![1];
    expect(tc).toContain('<property name="known-bad" value="true"/>');
    expect(tc).not.toContain('<failure');
    expect(tc).toContain('replay: npx logitfuzz replay');
  });

  it('fails an implementation expected to pass that fails, and a known-bad one that passes', () => {
    const m = mutableCopy(r);
    const naive = m.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    naive.expected = 'pass';
    const good = m.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    good.expected = 'fail';
    const out = renderJunit(m as unknown as RunRecord);
    assertWellFormed(out);
    for (const k of Object.keys(naive.findingCounts))
      expect(out).toMatch(
        new RegExp(
          `name="softmax/naive/f64 › ${k}"[^>]*>(<properties>.*?</properties>)?<failure message="${k} in \\d+ of \\d+ cases: `,
        ),
      );
    expect(out).toMatch(
      /name="softmax\/max-shifted\/f64 › verdict"[^>]*>(<properties>.*?<\/properties>)?<failure message="expected to fail, but no finding/,
    );
    expect(attr(out, 'testsuites', 'failures')).toBe(
      attr(xml, 'testsuites', 'failures') + Object.keys(naive.findingCounts).length + 1,
    );
  });

  it('escapes hostile names, messages and commands', () => {
    const out = renderJunit(hostileRecord());
    assertWellFormed(out);
    expect(out).not.toMatch(/<img|<script/);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('\\u0001');
  });
});
