/**
 * Test support: runs campaigns through the campaign API of the built dist/ (the worker pool forks
 * dist/src/campaign/worker.js, so the API must come from dist, as the bin's does; npm test builds
 * before vitest runs). Types come from src.
 */
import { fileURLToPath } from 'node:url';
import type * as CampaignModule from '../../src/campaign/runCampaign.js';
import { implMeta, type CampaignOptions, type ImplMeta } from '../../src/campaign/options.js';
import type { ImplSpec } from '../../src/campaign/implSpec.js';
import type { FormatName } from '../../src/vocabulary/FormatName.js';
import type { Op } from '../../src/vocabulary/Op.js';
import type { ImplementationRecord, RunRecord } from '../../src/report/schema.js';
import { allImplementations } from '../../src/impls/registry.js';
import { EXPECT_PASS } from '../../src/vocabulary/Severity.js';

const DIST_CAMPAIGN = new URL('../../dist/src/campaign/runCampaign.js', import.meta.url).href;

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/modules/${name}`, import.meta.url));

/** A user module as the campaign sees it (what `vet MODULE` builds). */
export function moduleImpl(
  name: string,
  file: string,
  op: Op = 'softmax',
  format: FormatName = 'f64',
): { spec: ImplSpec; meta: ImplMeta } {
  return {
    spec: { kind: 'module', name, path: fixture(file), op, format },
    meta: { name, op, format, backend: 'user', formula: `export of ${file}`, expected: EXPECT_PASS },
  };
}

/** A built-in implementation by its registry name. */
export function builtin(name: string): { spec: ImplSpec; meta: ImplMeta } {
  const impl = allImplementations().find((i) => i.name === name);
  if (!impl) throw new Error(`no built-in ${name}`);
  return {
    spec: { kind: 'builtin', name },
    meta: implMeta(impl),
  };
}

/** Runs a campaign over `impls` with small, fast defaults; `extra` overrides any option. */
export async function campaign(
  impls: readonly { spec: ImplSpec; meta: ImplMeta }[],
  extra: Partial<CampaignOptions> = {},
): Promise<RunRecord> {
  const { runCampaign } = (await import(DIST_CAMPAIGN)) as typeof CampaignModule;
  return runCampaign({
    specs: impls.map((i) => i.spec),
    meta: impls.map((i) => i.meta),
    seed: 1,
    runs: 10,
    timeLimitS: null,
    shard: null,
    workers: 1,
    timeoutMs: 10_000,
    judge: { specials: 'report', checkDeterminism: true },
    minLength: 1,
    maxLength: 16,
    casesFile: null,
    resume: false,
    shrinkEvals: 10,
    replayCommand: (impl, x) => `replay ${impl} ${JSON.stringify(x)}`,
    command: 'test',
    version: '0.0.0-test',
    environment: {},
    ...extra,
  });
}

/** An implementation's record by name (throws when absent). */
export function implRecord(r: RunRecord, name: string): ImplementationRecord {
  const i = r.implementations.find((x) => x.name === name);
  if (!i) throw new Error(`no record for ${name}; have ${r.implementations.map((x) => x.name).join(', ')}`);
  return i;
}

/** An implementation's record without the fields that may differ between identical runs (timing). */
export function stableImpl(r: RunRecord, name: string): Omit<ImplementationRecord, 'timing'> {
  const { timing: _timing, ...rest } = implRecord(r, name);
  return rest;
}
