/**
 * The WebGPU stacks of a run, compared case by case (report/stacks.ts renders it): the
 * implementations named `op/webgpu/format` (Dawn in Node) and `op/webgpu-PLACE/format` (the same
 * WGSL kernel elsewhere: `webgpu-chromium`, Chromium's WebGPU) that ran, grouped by op and format,
 * and read from the run's store (`cases.jsonl`: each case's largest error in ULPs and findings per
 * implementation). The inputs of the disagreeing cases are regenerated from the record's seed and
 * case space (campaign/cases.ts `caseAt`), as `replay --from` does: the store keeps no logits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { caseAt } from '../campaign/cases.js';
import { encodeVector, type JsonNumber } from '../formats/jsonNumber.js';
import type { ImplementationRecord, RunRecord } from '../report/schema.js';
import {
  DISAGREEMENTS_SHOWN,
  INPUT_SHOWN,
  type Stack,
  type StackCase,
  type StackComparison,
} from '../report/stacks.js';

/** The WGSL kernels' formulation names: 'webgpu' (Dawn in Node) and 'webgpu-PLACE'. */
const KERNEL = /^webgpu(-[a-z0-9-]+)?$/;

/** What a stack ran on, in a few words, from the implementation's environment. */
function label(i: ImplementationRecord): string {
  const env = i.environment ?? {};
  const adapter =
    [env.vendor, env.architecture].filter(Boolean).join(' ') || env.adapter || env.description || '?';
  if (env.browser) return `${env.browser} · ${adapter}`;
  const backend = env.backend ? ` (${env.backend}${env.featureLevel ? `, ${env.featureLevel}` : ''})` : '';
  return `Dawn in Node · ${env.adapter || env.description || adapter}${backend}`;
}

interface StoreOutcome {
  readonly impl: string;
  readonly u?: JsonNumber;
  readonly f?: readonly { readonly kind: string }[];
}

/** The store's case lines (the header and any line that is not a case are skipped). */
function readStore(file: string): { id: number; outcomes: StoreOutcome[] }[] {
  const out: { id: number; outcomes: StoreOutcome[] }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    const c = v as { id?: unknown; outcomes?: unknown };
    if (typeof c.id === 'number' && Array.isArray(c.outcomes))
      out.push({ id: c.id, outcomes: c.outcomes as StoreOutcome[] });
  }
  return out.sort((a, b) => a.id - b.id);
}

function larger(a: JsonNumber, b: JsonNumber): JsonNumber {
  const n = (v: JsonNumber): number =>
    typeof v === 'number' ? v : v === 'inf' ? Infinity : v === 'nan' ? NaN : -Infinity;
  const x = n(a);
  const y = n(b);
  return y > x || (Number.isNaN(y) && !Number.isNaN(x)) ? b : a;
}

/**
 * The comparisons of `record`'s WebGPU stacks, from its store `casesFile`: one per (op, format)
 * that ran on two stacks or more. Empty when there is none, or no store.
 */
export function compareStacks(record: RunRecord, casesFile: string): StackComparison[] {
  const groups = new Map<string, ImplementationRecord[]>();
  for (const i of record.implementations) {
    const [, form] = i.name.split('/');
    if (i.verdict === 'unavailable' || form === undefined || !KERNEL.test(form)) continue;
    const key = `${i.op}/${i.format}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const multi = [...groups.values()].filter((g) => g.length >= 2);
  if (multi.length === 0 || !existsSync(casesFile)) return [];
  const lines = readStore(casesFile);
  // one object for every caseAt: the probes are cached per case space object
  const space = record.config.caseSpace ? { seed: record.seed, ...record.config.caseSpace } : null;
  return multi.map((impls) => {
    const stacks: Stack[] = impls.map((i) => ({ impl: i.name, label: label(i) }));
    let compared = 0;
    let agree = 0;
    const maxUlps: JsonNumber[] = impls.map(() => 0);
    const withFindings = impls.map(() => 0);
    const disagreements: StackCase[] = [];
    for (const line of lines) {
      const outs = impls.map((i) => line.outcomes.find((o) => o.impl === i.name));
      if (outs.some((o) => o === undefined)) continue;
      compared++;
      const ulps = outs.map((o) => o!.u ?? null);
      const kinds = outs.map((o) => [...new Set((o!.f ?? []).map((f) => f.kind))].sort());
      ulps.forEach((u, s) => {
        if (u !== null) maxUlps[s] = larger(maxUlps[s], u);
        if (kinds[s].length) withFindings[s]++;
      });
      const same =
        ulps.every((u) => JSON.stringify(u) === JSON.stringify(ulps[0])) &&
        kinds.every((k) => k.join() === kinds[0].join());
      if (same) {
        agree++;
        continue;
      }
      if (disagreements.length >= DISAGREEMENTS_SHOWN) continue;
      let input: JsonNumber[] = [];
      let length = 0;
      let rows = 1;
      if (space) {
        const c = caseAt(space, line.id);
        input = encodeVector(c.x.subarray(0, INPUT_SHOWN));
        length = c.x.length;
        rows = 1 + (c.batch?.length ?? 0);
      }
      disagreements.push({ id: line.id, input, length, rows, ulps, kinds });
    }
    return {
      op: impls[0].op,
      format: impls[0].format,
      stacks,
      compared,
      agree,
      maxUlps,
      withFindings,
      disagreements,
    };
  });
}
