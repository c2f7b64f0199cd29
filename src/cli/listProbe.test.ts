import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Implementation } from '../impls/types.js';
import { probeInChild, probeMarker } from './listProbe.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

const impl = (name: string): Implementation => ({
  name,
  op: 'softmax',
  format: 'f32',
  backend: 'webgpu',
  formula: 'f',
  expected: EXPECT_PASS,
  setup: () => Promise.resolve(),
  run: async (rows) => rows.map((r) => r.slice()),
});

/**
 * A stand-in for listProbeChild.js speaking the same protocol, whose "set-ups" print to fd 2 the
 * way native code does (fs.writeSync(2)) and behave by name: 'ok*' available after printing
 * noise, 'gone*' unavailable after printing why, 'cached*' unavailable with gone's reason and
 * printing nothing, 'crash*' aborts the process, 'hang*' blocks the event loop, 'chatty*' prints
 * on stdout.
 */
const FAKE_CHILD = `
import { writeSync } from 'node:fs';
const row = (name, extra) => ({ name, op: 'softmax', format: 'f32', backend: 'webgpu', formula: 'f', expected: { inaccurate: 'pass', wrong: 'pass' }, ...extra });
const send = (m) => new Promise((r) => process.send(m, r));
process.once('message', async ({ names }) => {
  for (const name of names) {
    writeSync(1, ${JSON.stringify(probeMarker('NAME'))}.replace('NAME', name));
    writeSync(2, ${JSON.stringify(probeMarker('NAME'))}.replace('NAME', name));
    await send({ t: 'start', name });
    if (name.startsWith('ok')) {
      writeSync(2, 'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced\\n');
      await send({ t: 'row', row: row(name, { available: true }) });
    } else if (name.startsWith('gone') || name.startsWith('cached')) {
      if (name.startsWith('gone')) {
        writeSync(2, "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file\\n");
        writeSync(2, '    at operator() (/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)\\n\\n');
        writeSync(2, "Warning: Couldn't create the default EGL display.\\n");
      }
      await send({ t: 'row', row: row(name, { available: false, reason: 'no WebGPU adapter (fix: apt-get …)' }) });
    } else if (name.startsWith('crash')) {
      writeSync(2, 'Assertion failed: device != nullptr\\n');
      process.abort();
    } else if (name.startsWith('hang')) {
      for (;;);
    } else if (name.startsWith('chatty')) {
      console.log('Hi, looks like you are running TensorFlow.js in Node.js');
      await send({ t: 'row', row: row(name, { available: true }) });
    }
  }
  writeSync(1, ${JSON.stringify(probeMarker(''))});
  writeSync(2, ${JSON.stringify(probeMarker(''))});
  process.exit(0);
});
`;

describe('probeInChild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-probe-'));
  const entry = join(dir, 'child.mjs');
  writeFileSync(entry, FAKE_CHILD);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a probe's stderr out of sight unless it explains an unavailable implementation", async () => {
    const seen: string[] = [];
    const rows = await probeInChild(['ok1', 'gone1', 'cached1', 'ok2', 'chatty1'].map(impl), 5000, {
      entry,
      onLine: (line, name) => seen.push(`${name}: ${line}`),
    });
    expect(rows.map((r) => [r.name, r.available, r.reason])).toEqual([
      ['ok1', true, undefined],
      [
        'gone1',
        false,
        "no WebGPU adapter (fix: apt-get …) [printed while setting up: Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file | Warning: Couldn't create the default EGL display.]",
      ],
      ['cached1', false, 'no WebGPU adapter (fix: apt-get …) [printed while setting up: see gone1]'],
      ['ok2', true, undefined],
      ['chatty1', true, undefined],
    ]);
    // every line reached onLine (what LOGITFUZZ_DEBUG prints), with the probe that printed it
    expect(seen).toEqual([
      'ok1: Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced',
      "gone1: Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file",
      'gone1:     at operator() (/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)',
      "gone1: Warning: Couldn't create the default EGL display.",
      'ok2: Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced',
      'chatty1: Hi, looks like you are running TensorFlow.js in Node.js',
    ]);
  });

  it('a native crash makes the probed implementation unavailable with what it printed; a new child probes the rest', async () => {
    const rows = await probeInChild(['ok1', 'crash1', 'ok2'].map(impl), 5000, { entry });
    expect(rows.map((r) => [r.name, r.available])).toEqual([
      ['ok1', true],
      ['crash1', false],
      ['ok2', true],
    ]);
    expect(rows[1].reason).toBe(
      'probe process killed by SIGABRT (native crash): Assertion failed: device != nullptr',
    );
  });

  it('a set-up that blocks the event loop is killed after the timeout and the grace period', async () => {
    const t0 = performance.now();
    const rows = await probeInChild(['hang1', 'ok1'].map(impl), 200, { entry, graceMs: 300 });
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(rows.map((r) => [r.name, r.available])).toEqual([
      ['hang1', false],
      ['ok1', true],
    ]);
    expect(rows[0].reason).toBe(
      'setup did not finish within 200 ms (probe process killed: no answer within 500 ms of starting hang1)',
    );
  });

  it('a child that cannot start makes every implementation unavailable, saying why', async () => {
    const rows = await probeInChild(['ok1', 'ok2'].map(impl), 5000, { entry: join(dir, 'missing.mjs') });
    for (const r of rows) {
      expect(r.available).toBe(false);
      expect(r.reason).toMatch(/^probe process exited with code 1: .*Cannot find module/);
    }
  });
});
