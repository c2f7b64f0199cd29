import { describe, expect, it } from 'vitest';
import { renderStacksHtml, renderStacksMarkdown, type StackComparison } from './stacks.js';

const COMPARISON: StackComparison = {
  op: 'softmax',
  format: 'f32',
  stacks: [
    { impl: 'softmax/webgpu/f32', label: 'Dawn in Node · llvmpipe (opengles, compatibility)' },
    { impl: 'softmax/webgpu-chromium/f32', label: 'Chromium <b>156</b> · google swiftshader' },
  ],
  compared: 48,
  agree: 46,
  maxUlps: [7516984, 'inf'],
  withFindings: [7, 10],
  disagreements: [
    { id: 19, input: [1.401298464324817e-45, '-0'], length: 2, rows: 1, ulps: [1, 0], kinds: [[], []] },
    {
      id: 108,
      input: [1.125, -2.5],
      length: 92,
      rows: 3,
      ulps: [0, 'inf'],
      kinds: [[], ['special']],
    },
  ],
};

describe('stack comparison', () => {
  it('renders each stack with its errors side by side, and the inputs where they disagree', () => {
    const html = renderStacksHtml([COMPARISON]);
    expect(html).toContain('id="stacks"');
    expect(html).toContain('48 cases on every stack; they agree on 46 and disagree on 2.');
    expect(html).toContain('<td>7516984</td><td>inf</td>');
    expect(html).toContain('<code>[1.125, -2.5, … (92 logits)] (first of 3 rows)</code>');
    expect(html).toContain('<td>inf <span class="small">special</span></td>');
    // strings from the record are escaped
    expect(html).toContain('Chromium &lt;b&gt;156&lt;/b&gt;');
    expect(html).not.toContain('<b>156</b>');
  });

  it('renders the same as Markdown, and nothing without two stacks', () => {
    const md = renderStacksMarkdown([COMPARISON]);
    expect(md).toContain('| largest error (ULPs) | 7516984 | inf |');
    expect(md).toContain('| 19 | `[1.401298464324817e-45, -0]` | 1 | 0 |');
    expect(md).toContain('| 108 | `[1.125, -2.5, … (92 logits)] (first of 3 rows)` | 0 | inf special |');
    expect(renderStacksHtml([])).toBe('');
    expect(renderStacksMarkdown([])).toBe('');
  });
});
