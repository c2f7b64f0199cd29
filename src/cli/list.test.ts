import { describe, expect, it } from 'vitest';
import type { Availability, Implementation } from '../impls/types.js';
import { findImplementations } from '../impls/registry.js';
import { debugLines, formatList, probeImplementations } from './list.js';
import { runCli } from './runCli.js';
import { memoryIo } from './_testutil/memoryIo.js';
import { EXPECT_PASS, EXPECT_WRONG } from '../vocabulary/Severity.js';

const impl = (name: string, over: Partial<Implementation> = {}): Implementation => ({
  name,
  op: 'softmax',
  format: 'f64',
  backend: 'js',
  formula: 'exp(x_i - max) / sum_j exp(x_j - max)',
  expected: EXPECT_PASS,
  run: async (rows) => rows.map((r) => r.slice()),
  ...over,
});

describe('probeImplementations', () => {
  it('reports each availability in order, bounding each probe by the timeout', async () => {
    const impls = [
      impl('a/ok/f64'),
      impl('b/gone/f32', { format: 'f32', backend: 'webgpu' }),
      impl('c/hangs/f64'),
      impl('d/throws/f64'),
      impl('e/gpu/f32'),
    ];
    const probes: string[] = [];
    const probe = (i: Implementation): Promise<Availability> => {
      probes.push(i.name);
      switch (i.name) {
        case 'a/ok/f64':
          return Promise.resolve({ available: true });
        case 'b/gone/f32':
          return Promise.resolve({ available: false, reason: 'no GPU adapter (fix: apt-get install …)' });
        case 'c/hangs/f64':
          return new Promise(() => {});
        case 'd/throws/f64':
          return Promise.reject(new Error('bug in setup'));
        default:
          return Promise.resolve({ available: true, detail: 'llvmpipe' });
      }
    };
    const rows = await probeImplementations(impls, probe, 50);
    expect(probes).toEqual(impls.map((i) => i.name));
    expect(rows.map((r) => [r.name, r.available, r.reason ?? r.detail])).toEqual([
      ['a/ok/f64', true, undefined],
      ['b/gone/f32', false, 'no GPU adapter (fix: apt-get install …)'],
      ['c/hangs/f64', false, 'setup did not finish within 50 ms'],
      ['d/throws/f64', false, 'probe failed: bug in setup'],
      ['e/gpu/f32', true, 'llvmpipe'],
    ]);
    expect(rows[1]).toMatchObject({
      op: 'softmax',
      format: 'f32',
      backend: 'webgpu',
      expected: EXPECT_PASS,
      formula: impls[1].formula,
    });
    // rows are plain data: list@2 serialises them as they are
    expect(JSON.parse(JSON.stringify(rows[0]))).toEqual({
      name: 'a/ok/f64',
      op: 'softmax',
      format: 'f64',
      backend: 'js',
      formula: impls[0].formula,
      expected: EXPECT_PASS,
      available: true,
    });
  });
});

describe('formatList', () => {
  it('prints a row per implementation and numbered reasons for the unavailable ones', () => {
    const text = formatList([
      {
        name: 'softmax/naive/f64',
        op: 'softmax',
        format: 'f64',
        backend: 'js',
        formula: 'exp(x_i) / sum_j exp(x_j)',
        expected: EXPECT_WRONG,
        available: true,
      },
      {
        name: 'softmax/webgpu/f32',
        op: 'softmax',
        format: 'f32',
        backend: 'webgpu',
        formula: 'f',
        expected: EXPECT_PASS,
        available: false,
        reason: 'no adapter',
      },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+OP\s+FORMAT\s+BACKEND\s+EXPECTED\s+AVAILABLE\s+FORMULA$/);
    expect(lines[2]).toMatch(
      /^softmax\/naive\/f64\s+softmax\s+f64\s+js\s+wrong\s+yes\s+exp\(x_i\) \/ sum_j exp\(x_j\)$/,
    );
    expect(lines[3]).toMatch(/^softmax\/webgpu\/f32\s+softmax\s+f32\s+webgpu\s+pass\s+no \[1\]\s+f$/);
    expect(text).toContain('[1] softmax/webgpu/f32: no adapter');
    expect(text).toContain('2 implementation(s), 1 available here');
    // columns line up: every row puts OP at the same offset
    expect(lines[2].indexOf('softmax ', 5)).toBe(lines[0].indexOf('OP'));
  });
});

describe('logitfuzz list (the real zoo, pure-JS implementations only)', () => {
  it('writes list@2 JSON for comma-separated and repeated globs, in registry order', async () => {
    const io = memoryIo();
    const code = await runCli(
      ['list', '--json', '--impl', 'softmax/naive/*,logsumexp/bhh/f64', '--impl=log_softmax/bhh/f16'],
      io,
    );
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout.text) as {
      schema: string;
      implementations: { name: string; available: boolean; backend: string }[];
    };
    expect(doc.schema).toBe('logitfuzz/list@2');
    const names = doc.implementations.map((i) => i.name);
    expect(names).toEqual(
      findImplementations(['softmax/naive/*', 'logsumexp/bhh/f64', 'log_softmax/bhh/f16']).map((i) => i.name),
    );
    expect(names).toContain('softmax/naive/f16');
    expect(names).toContain('logsumexp/bhh/f64');
    expect(names).not.toContain('log_softmax/naive/f64'); // 'softmax/*' is anchored
    // pure-JS implementations need nothing to run
    for (const i of doc.implementations) expect(i).toMatchObject({ backend: 'js', available: true });
  });

  it('exits 2 when no implementation matches', async () => {
    const io = memoryIo();
    expect(await runCli(['list', '--impl', 'nosuch/*'], io)).toBe(2);
    expect(io.stderr.text).toMatch(
      /^logitfuzz list: no implementation matches --impl nosuch\/\*; run 'logitfuzz list' to see the names/,
    );
  });
});

describe('debugLines', () => {
  it("writes the probes' lines to stderr, prefixed with the probe, only under LOGITFUZZ_DEBUG", () => {
    for (const off of [{}, { LOGITFUZZ_DEBUG: '' }, { LOGITFUZZ_DEBUG: '0' }])
      expect(debugLines(memoryIo('', off))).toBeUndefined();
    const io = memoryIo('', { LOGITFUZZ_DEBUG: '1' });
    const onLine = debugLines(io)!;
    onLine('Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced', 'softmax/webgpu/f32');
    onLine('a line outside any probe', undefined);
    expect(io.stderr.text).toBe(
      '[softmax/webgpu/f32] Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced\n' +
        '[probe] a line outside any probe\n',
    );
  });
});
