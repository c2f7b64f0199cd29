/**
 * Throughput of a default campaign by length class: the realistic shapes (rows of 1 to 262,144
 * logits, batches [B, n]) cost what they cost, and this says where the time goes. A campaign with
 * the default lengths and batches runs on a few JS implementations with its store on disk; each
 * store line carries the case's shape, the oracle's time and each implementation's time, so the
 * time per length class and the oracle's share of it come from the store itself.
 * `runShapesBench` returns numbers, `formatShapesBench` prints them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { implMeta } from '../src/campaign/options.js';
import { runCampaign } from '../src/campaign/runCampaign.js';
import type { CaseLine } from '../src/campaign/store.js';
import { allImplementations } from '../src/impls/registry.js';

/** Length classes: upper bounds of n (a batch's rows have one n). */
const CLASSES: readonly { readonly name: string; readonly max: number }[] = [
  { name: 'n ≤ 256', max: 256 },
  { name: '256 < n ≤ 16,384', max: 16_384 },
  { name: 'n > 16,384', max: Infinity },
];

export interface ShapesBenchRow {
  readonly lengthClass: string;
  readonly cases: number;
  /** Logits over the cases' rows, B·n summed. */
  readonly elements: number;
  /** Time in the workers (oracle plus implementations), ms. */
  readonly ms: number;
  /** Share of that time spent in the oracle, 0 to 1. */
  readonly oracleShare: number;
}

export interface ShapesBenchResult {
  readonly impls: readonly string[];
  readonly runs: number;
  readonly workers: number;
  readonly wallMs: number;
  readonly cases: number;
  readonly rows: readonly ShapesBenchRow[];
}

/** A default campaign (lengths 1 to 262,144, batches) on the JS max-shifted and pairwise softmaxes. */
export async function runShapesBench(opts: { quick?: boolean } = {}): Promise<ShapesBenchResult> {
  const impls = allImplementations().filter(
    (i) =>
      i.backend === 'js' &&
      i.op === 'softmax' &&
      (i.format === 'f64' || i.format === 'f32') &&
      /\/(max-shifted|pairwise)\//.test(i.name),
  );
  const runs = opts.quick ? 30 : 400;
  const dir = mkdtempSync(join(tmpdir(), 'lf-shapes-bench-'));
  const casesFile = join(dir, 'cases.jsonl');
  const workers = 2;
  try {
    const t0 = performance.now();
    await runCampaign({
      specs: impls.map((i) => ({ kind: 'builtin', name: i.name })),
      meta: impls.map(implMeta),
      seed: 1,
      runs,
      timeLimitS: null,
      shard: null,
      workers,
      timeoutMs: 30_000,
      judge: { specials: 'report', checkDeterminism: true },
      minLength: 1,
      maxLength: 262_144,
      casesFile,
      resume: false,
      shrinkEvals: 0,
      replayCommand: () => '',
      command: 'bench',
      version: 'bench',
      environment: {},
    });
    const wallMs = performance.now() - t0;
    const acc = CLASSES.map(() => ({ cases: 0, elements: 0, oracle: 0, impl: 0 }));
    const lines = readFileSync(casesFile, 'utf8').split('\n').slice(1).filter(Boolean);
    for (const text of lines) {
      const line = JSON.parse(text) as CaseLine;
      const [B, n] = line.shape;
      const a = acc[CLASSES.findIndex((c) => n <= c.max)];
      a.cases++;
      a.elements += B * n;
      a.oracle += line.oms;
      for (const o of line.outcomes) a.impl += o.ms;
    }
    if (lines.length === 0) throw new Error('shapes bench: the campaign stored no case');
    return {
      impls: impls.map((i) => i.name),
      runs,
      workers,
      wallMs,
      cases: lines.length,
      rows: CLASSES.map((c, k) => ({
        lengthClass: c.name,
        cases: acc[k].cases,
        elements: acc[k].elements,
        ms: acc[k].oracle + acc[k].impl,
        oracleShare: acc[k].oracle + acc[k].impl > 0 ? acc[k].oracle / (acc[k].oracle + acc[k].impl) : 0,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatShapesBench(r: ShapesBenchResult): string {
  const rate = (v: number) =>
    v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(1);
  let out = `default campaign by length class (${r.cases} cases of ${r.impls.join(', ')}; ${r.workers} workers, ${(r.wallMs / 1000).toFixed(1)} s wall, ${((r.cases / r.wallMs) * 1000).toFixed(1)} cases/s overall)\n`;
  out += `${'length class'.padEnd(20)}${'cases'.padStart(8)}${'cases/s'.padStart(12)}${'elements/s'.padStart(14)}${'oracle share'.padStart(14)}\n`;
  for (const row of r.rows) {
    const s = row.ms / 1000;
    out += `${row.lengthClass.padEnd(20)}${String(row.cases).padStart(8)}${(s > 0 ? rate(row.cases / s) : '–').padStart(12)}${(s > 0 ? rate(row.elements / s) : '–').padStart(14)}${`${(row.oracleShare * 100).toFixed(0)} %`.padStart(14)}\n`;
  }
  out += '(rates per second of time in the workers: the oracle and the implementations, per case)\n';
  return out;
}
