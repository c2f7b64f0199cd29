// The browser runner under fault: in one campaign, a module whose page runs out of heap mid-batch
// (its renderer dies), one whose page never returns, and one whose WGSL kernel never ends (the GPU
// process, which every page of the browser shares, is stuck), beside the WGSL softmax in Chromium
// and a JS formulation. The crash must be a `crash` finding and the hangs `timeout`s of those
// modules only, the browser restarted each time, and the run must complete with the other two
// records identical to a campaign without the faulty modules.
//
// Needs /usr/bin/chromium (CI installs it: apt-get install -y chromium); never downloads one.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImplSpec } from '../../src/campaign/implSpec.js';
import type { ImplMeta } from '../../src/campaign/options.js';
import type { RunRecord } from '../../src/report/schema.js';
import { EXPECT_PASS } from '../../src/vocabulary/Severity.js';
import { builtin, campaign, implRecord, stableImpl } from '../reliability/_campaign.js';

/** A fixture module run in a Chromium page, as `vet --browser` builds it. */
function browserModule(name: string, file: string): { spec: ImplSpec; meta: ImplMeta } {
  const path = fileURLToPath(new URL(`../fixtures/modules/browser/${file}`, import.meta.url));
  return {
    spec: { kind: 'module', name, path, op: 'softmax', format: 'f32', browser: true },
    meta: {
      name,
      op: 'softmax',
      format: 'f32',
      backend: 'user',
      formula: `export of ${file}, in Chromium`,
      expected: EXPECT_PASS,
    },
  };
}

const CRASHES = browserModule('softmax/crashes-page/f32', 'crashesPage.mjs');
const HANGS = browserModule('softmax/hangs-page/f32', 'hangsPage.mjs');
const HANGS_GPU = browserModule('softmax/hangs-gpu/f32', 'hangsGpu.mjs');
const GOOD = [builtin('softmax/webgpu-chromium/f32'), builtin('softmax/max-shifted/f32')];
const GOOD_NAMES = GOOD.map((g) => g.spec.name);

// Short rows (the crash needs rows of 6, the page's hang the probe [0, −20], the GPU's hang a row of
// 6 with a logit above 1e19: all among these cases), a time limit that the out-of-heap crash (about
// 3 s to fill a page's 1 GB heap) stays under.
const OPTIONS = {
  seed: 3,
  runs: 10,
  maxLength: 8,
  workers: 2,
  timeoutMs: 8000,
  shrinkEvals: 4,
  search: 0,
} as const;

describe('browser runner under a page crash and a page hang', () => {
  let withFaults: RunRecord;
  let without: RunRecord;

  beforeAll(async () => {
    withFaults = await campaign([...GOOD, CRASHES, HANGS, HANGS_GPU], OPTIONS);
    without = await campaign(GOOD, OPTIONS);
  }, 300_000);

  it('records the page that died mid-batch as a crash of that module', () => {
    const r = implRecord(withFaults, CRASHES.spec.name);
    expect(r.verdict).toBe('fail');
    expect(r.findingCounts.crash).toBeGreaterThan(0);
    const c = r.counterexamples.crash;
    expect(c?.finding.diagnosis).toMatch(/crashed mid-call/);
    // the crash is on rows of 6 logits, whatever else the case holds
    expect((c?.input as unknown[]).length).toBe(6);
  });

  it('records the page that never returned as a timeout of that module', () => {
    const r = implRecord(withFaults, HANGS.spec.name);
    expect(r.verdict).toBe('fail');
    expect(r.findingCounts.timeout).toBeGreaterThan(0);
    expect(r.counterexamples.timeout?.input).toEqual([0, -20]);
  });

  it('records a kernel that never ends, which stalls the browser’s GPU process, as a timeout of that module', () => {
    const r = implRecord(withFaults, HANGS_GPU.spec.name);
    expect(r.verdict).toBe('fail');
    expect(r.findingCounts.timeout).toBeGreaterThan(0);
    expect((r.counterexamples.timeout?.input as unknown[]).length).toBe(6);
  });

  it('finishes every case, and leaves the other implementations’ records unchanged', () => {
    expect(withFaults.implementations.map((i) => i.cases)).toEqual(
      withFaults.implementations.map(() => without.implementations[0].cases),
    );
    for (const name of GOOD_NAMES) expect(stableImpl(withFaults, name)).toEqual(stableImpl(without, name));
    // the kernel really ran in the browser, on its adapter
    const env = implRecord(without, 'softmax/webgpu-chromium/f32').environment ?? {};
    expect(env.browser).toMatch(/^Chromium \d+/);
    expect(env.vendor).toBeTruthy();
  });
});
