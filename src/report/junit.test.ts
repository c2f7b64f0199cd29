import { describe, expect, it } from 'vitest';
import { renderJunit } from './junit.js';
import { fixtureRecord, hostileRecord, mutableCopy } from './_testutil/fixture.js';
import type { RunRecord } from './schema.js';
import { EXPECT_INACCURATE, EXPECT_PASS, EXPECT_WRONG } from '../vocabulary/Severity.js';
import { isUnexpected } from './common.js';

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

  it('has one testcase per implementation and finding kind, one verdict testcase per implementation, one skipped per unavailable one', () => {
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
      // as expected: no kind testcase fails, so the verdict testcase says its grade
      expect(isUnexpected(i)).toBe(false);
      expect(xml).toContain(`name="${i.name} › verdict"`);
      expected++;
    }
    expect((xml.match(/<testcase /g) ?? []).length).toBe(expected);
  });

  /** The testcase named `name`, with its content. */
  const testcase = (out: string, name: string) =>
    new RegExp(
      `<testcase [^>]*name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</testcase>`,
    ).exec(out)?.[1];
  /** The names of the implementations with a failing testcase. */
  const failingImpls = (out: string) =>
    new Set(
      [
        ...out.matchAll(
          /<testcase [^>]*name="([^"]*) › [^"]*"[^>]*>(?:<properties>.*?<\/properties>)?<failure /g,
        ),
      ].map((m) => m[1]),
    );

  it('gives every testcase the grade and the expected grade, and every kind testcase its severity', () => {
    const naive = testcase(xml, 'softmax/naive/f64 › overflow')!;
    for (const p of [
      ['expected', 'wrong'],
      ['grade', 'wrong'],
      ['verdict-inaccurate', 'fail'],
      ['verdict-wrong', 'fail'],
      ['severity', 'wrong'],
    ])
      expect(naive).toContain(`<property name="${p[0]}" value="${p[1]}"/>`);
    expect(naive).toMatch(/<property name="wrong-cases" value="[1-9]\d*"\/>/);
    expect(naive).toContain('  severity wrong');
    const tfjs = testcase(xml, 'log_softmax/tfjs-cpu/f32 › cancellation')!;
    expect(tfjs).toContain('<property name="severity" value="inaccurate"/>');
    expect(tfjs).toContain('<property name="wrong-cases" value="0"/>');
    expect(tfjs).toContain('<property name="grade" value="inaccurate"/>');
    expect(tfjs).toContain('<property name="known-bad" value="true"/>');
    // the counterexample's error: ULPs, relative and absolute
    expect(tfjs).toMatch(/ {2}error {4}8\.2e8 ulps, rel 1\.0, abs 2\.1e-9 at element \d+/);
    expect(xml).toContain('<property name="fail-on" value="inaccurate"/>');
    expect(xml).toContain('<property name="close" value="assert_close"/>');
  });

  it('fails exactly the implementations whose grade is unexpected, at either level', () => {
    const variants: [string, (typeof EXPECT_PASS)[]][] = [
      ['as recorded', []],
      ['all expected to pass', [EXPECT_PASS]],
      ['all expected inaccurate', [EXPECT_INACCURATE]],
      ['all expected wrong', [EXPECT_WRONG]],
      ['mixed', [EXPECT_PASS, EXPECT_INACCURATE, EXPECT_WRONG]],
    ];
    for (const [what, expectations] of variants) {
      const m = mutableCopy(r);
      if (expectations.length)
        m.implementations.forEach((i, n) => (i.expected = expectations[n % expectations.length]));
      const rec = m as unknown as RunRecord;
      const out = renderJunit(rec);
      assertWellFormed(out);
      const unexpected = new Set(rec.implementations.filter(isUnexpected).map((i) => i.name));
      expect(failingImpls(out), what).toEqual(unexpected);
    }
  });

  it('fails exactly where a verdict is not as expected: known-bad implementations that fail pass, with a property', () => {
    const unexpected = r.implementations.filter(isUnexpected);
    expect(attr(xml, 'testsuites', 'failures') > 0).toBe(unexpected.length > 0);
    const naive = r.implementations.find((i) => i.name === 'softmax/naive/f64')!;
    expect(naive.expected).toEqual(EXPECT_WRONG);
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
    naive.expected = EXPECT_PASS;
    const good = m.implementations.find((i) => i.name === 'softmax/max-shifted/f64')!;
    good.expected = EXPECT_WRONG;
    const out = renderJunit(m as unknown as RunRecord);
    assertWellFormed(out);
    for (const k of Object.keys(naive.findingCounts))
      expect(out).toMatch(
        new RegExp(
          `name="softmax/naive/f64 › ${k}"[^>]*>(<properties>.*?</properties>)?<failure message="${k} (wrong in \\d+ of \\d+ cases \\(fails torch.testing.assert_close\\)|in \\d+ of \\d+ cases, beyond the strict budget), expected pass: `,
        ),
      );
    expect(out).toMatch(
      /name="softmax\/max-shifted\/f64 › verdict"[^>]*>(<properties>.*?<\/properties>)?<failure message="Passes, expected wrong answers: no finding in \d+ cases/,
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

  it('fails only the wrong kinds of an implementation expected to be inaccurate, and the verdict of one expected wrong that is only inaccurate', () => {
    const m = mutableCopy(r);
    const naive = m.implementations.find((i) => i.name === 'log_softmax/naive/f32')!;
    naive.expected = EXPECT_INACCURATE;
    const tfjs = m.implementations.find((i) => i.name === 'log_softmax/tfjs-cpu/f32')!;
    tfjs.expected = EXPECT_WRONG;
    const out = renderJunit(m as unknown as RunRecord);
    assertWellFormed(out);
    for (const k of Object.keys(naive.findingCounts)) {
      const tc = testcase(out, `log_softmax/naive/f32 › ${k}`)!;
      expect(tc.includes('<failure '), k).toBe((naive.wrongCounts[k] ?? 0) > 0);
    }
    expect(testcase(out, 'log_softmax/naive/f32 › verdict')).toBeUndefined();
    const verdict = testcase(out, 'log_softmax/tfjs-cpu/f32 › verdict')!;
    expect(verdict).toContain(
      '<failure message="Only inaccurate, expected wrong answers: no finding in 58 cases fails torch.testing.assert_close (more --runs may expose it)" type="verdict">',
    );
    for (const k of Object.keys(tfjs.findingCounts))
      expect(testcase(out, `log_softmax/tfjs-cpu/f32 › ${k}`)).not.toContain('<failure');
  });

  it('escapes a hostile closeness name and finding values', () => {
    const m = mutableCopy(hostileRecord());
    (m.config as { close: { name: string } }).close.name = '<img src=x>&"';
    for (const i of m.implementations)
      for (const c of Object.values(i.counterexamples))
        (c.finding as { actual: unknown }).actual = '<script>';
    const out = renderJunit(m as unknown as RunRecord);
    assertWellFormed(out);
    expect(out).not.toMatch(/<img|<script/);
  });
});
