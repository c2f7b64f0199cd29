// The report's "WebGPU stacks side by side": the same WGSL kernel in Node (Dawn, llvmpipe here)
// and in Chromium (SwiftShader here), on the same cases, their errors side by side and the inputs
// where they disagree — in index.html and in the Markdown summary.
//
// Needs /usr/bin/chromium and Mesa's EGL (CI installs both); never downloads a browser.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/report/schema.js';
import { cli } from '../campaign/_cli.js';

describe('WebGPU stacks side by side', () => {
  it('compares the kernel on both stacks case by case, with the inputs where they disagree', () => {
    const out = mkdtempSync(join(tmpdir(), 'logitfuzz-stacks-'));
    const md = join(out, 'summary.md');
    const r = cli(
      [
        'run',
        '--impl',
        'log_softmax/webgpu/f32,log_softmax/webgpu-chromium/f32',
        '--runs',
        '6',
        '--seed',
        '7',
        '--max-length',
        '16',
        '--shrink-evals',
        '0',
        '--out',
        out,
        '--markdown',
        md,
      ],
      { timeoutMs: 300_000 },
    );
    expect(r.status, r.stderr).not.toBe(2);
    const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunRecord;
    const both = record.implementations.every((i) => i.verdict !== 'unavailable');
    expect(both, record.implementations.map((i) => i.unavailableReason).join('; ')).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h2 id="stacks">WebGPU stacks side by side</h2>');
    const text = readFileSync(md, 'utf8');
    const m = /(\d+) cases on every stack; they agree on (\d+) and disagree on (\d+)\./.exec(text);
    expect(m).not.toBeNull();
    // every case ran on both stacks
    expect(Number(m![1])).toBe(record.totals.cases);
    expect(Number(m![2]) + Number(m![3])).toBe(record.totals.cases);
    // each stack is labelled with what it ran on
    expect(text).toMatch(/log_softmax\/webgpu\/f32 \(Dawn in Node · /);
    expect(text).toMatch(/log_softmax\/webgpu-chromium\/f32 \(Chromium \d+[^)]* · /);
    // each listed disagreement shows its input and differs between the stacks
    const rows = text.split('\n').filter((l) => /^\| \d+ \| `\[/.test(l));
    expect(rows.length).toBe(Math.min(Number(m![3]), 20));
    for (const row of rows) {
      const cells = row.split(' | ');
      expect(cells[2], row).not.toBe(cells[3].replace(/ \|$/, ''));
    }
  }, 320_000);
});
