import fc from 'fast-check';
import { FORMAT_NAMES, type FormatName } from '../formats/types.js';
import { logits, type LogitCase, type LogitsConstraints } from '../generators/index.js';
import { OPS, type Op } from '../oracle/ops.js';
import type { CaseInput } from './protocol.js';
import { deriveSeed } from './seed.js';

/** An (op, format) pair: cases are generated per group and shared by its implementations. */
export interface Group {
  readonly op: Op;
  readonly format: FormatName;
}

/** The groups of a set of implementations, in canonical order (ops, then formats). */
export function groupsOf(impls: readonly { op: Op; format: FormatName }[]): Group[] {
  const out: Group[] = [];
  for (const op of OPS) for (const format of FORMAT_NAMES) if (impls.some((i) => i.op === op && i.format === format)) out.push({ op, format });
  return out;
}

export interface CaseSpace {
  readonly seed: number;
  readonly groups: readonly Group[];
  readonly constraints: Omit<LogitsConstraints, 'format' | 'op'>;
}

const arbCache = new WeakMap<CaseSpace, Map<string, fc.Arbitrary<LogitCase>>>();

/**
 * Case `id` of the campaign. Ids interleave the groups (id mod G picks the group, id div G the
 * case within it), so a prefix of ids covers every group evenly — which is what a time limit
 * cuts. Case j of a group is the single sample of `logits(...)` under seed
 * deriveSeed(seed, op, format, j): independent of every other case, of workers and of shards.
 */
export function caseAt(space: CaseSpace, id: number): CaseInput {
  const G = space.groups.length;
  const g = space.groups[id % G];
  const j = Math.floor(id / G);
  const key = `${g.op}/${g.format}`;
  let arbs = arbCache.get(space);
  if (!arbs) arbCache.set(space, (arbs = new Map()));
  let arb = arbs.get(key);
  if (!arb) arbs.set(key, (arb = logits({ ...space.constraints, format: g.format, op: g.op })));
  const [v] = fc.sample(arb, { seed: deriveSeed(space.seed, g.op, g.format, j), numRuns: 1 });
  return { id, op: g.op, format: g.format, region: v.region, x: Float64Array.from(v.x), label: v.label };
}

/** Whether case `id` belongs to shard `index` (1-based) of `count`. */
export function inShard(id: number, index: number, count: number): boolean {
  return id % count === index - 1;
}
