import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  escapeXml,
  escapeXmlText,
  markdownCode,
  markdownCodeBlock,
} from './escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can start markup or end an attribute', () => {
    expect(escapeHtml(`<img src=x onerror=alert(1)>"'&`)).toBe(
      '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;',
    );
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('escapeXml', () => {
  it('escapes markup and keeps the document well-formed whatever the input', () => {
    expect(escapeXml(`<a b="c">'&`)).toBe('&lt;a b=&quot;c&quot;&gt;&apos;&amp;');
    // characters XML 1.0 cannot carry become visible escapes
    expect(escapeXml('a\u0000b\u0007c\uFFFEd\uFFFF')).toBe('a\\u0000b\\u0007c\\uFFFEd\\uFFFF');
    // lone surrogates are replaced, pairs are kept
    expect(escapeXml('x\uD800y\uDC00z')).toBe('x\\uD800y\\uDC00z');
    expect(escapeXml('😀')).toBe('😀');
    // tab, newline and carriage return survive attribute-value normalisation
    expect(escapeXml('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    // in element text, tab and newline may stay literal
    expect(escapeXmlText('<a>\tb\nc\rd\u0001')).toBe('&lt;a&gt;\tb\nc&#13;d\\u0001');
  });
});

describe('escapeMarkdown', () => {
  it('makes Markdown syntax, table pipes, HTML, links and mentions literal, on one line', () => {
    const out = escapeMarkdown('*bold* _it_ [x](http://e.com) `c` | <img src=x> & @here #1\nnext');
    expect(out).toBe(
      '\\*bold\\* \\_it\\_ \\[x\\]\\(http\\://e\\.com\\) \\`c\\` \\| &lt;img src\\=x\\> &amp; \\@here \\#1 next',
    );
    expect(out).not.toContain('\n');
    expect(out).not.toMatch(/(^|[^\\])\|/); // every pipe is escaped
  });
});

describe('markdownCode', () => {
  it('fences with more backticks than the content holds and escapes pipes in tables', () => {
    expect(markdownCode('a|b')).toBe('`a\\|b`');
    expect(markdownCode('a|b', false)).toBe('`a|b`');
    expect(markdownCode('x ``y`` z')).toBe('```x ``y`` z```');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('a\nb')).toBe('`a b`');
  });
  it('fences a block with a fence longer than any backtick run inside', () => {
    expect(markdownCodeBlock('a ```` b')).toBe('`````\na ```` b\n`````');
  });
});
