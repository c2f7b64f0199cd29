import fc from 'fast-check';
import { FORMAT_NAMES, type FormatName } from '../vocabulary/FormatName.js';
import { logits, probes, type LogitCase, type LogitsConstraints } from '../generators/index.js';
import { OPS, type Op } from '../vocabulary/Op.js';
import { batchRows } from '../generators/batchRows.js';
import { rowsOf, shapeOf, type CaseHead, type CaseInput } from './protocol.js';
import { mapBins } from './aggregate.js';
import { deriveSeed } from './seed.js';

/** An (op, format) pair: cases are generated per group and shared by its implementations. */
export interface Group {
  readonly op: Op;
  readonly format: FormatName;
}

/** The groups of a set of implementations, in canonical order (ops, then formats). */
export function groupsOf(impls: readonly { op: Op; format: FormatName }[]): Group[] {
  const out: Group[] = [];
  for (const op of OPS)
    for (const format of FORMAT_NAMES)
      if (impls.some((i) => i.op === op && i.format === format)) out.push({ op, format });
  return out;
}

export interface CaseSpace {
  readonly seed: number;
  readonly groups: readonly Group[];
  readonly constraints: Omit<LogitsConstraints, 'format' | 'op'>;
  /** Run each group's fixed probes (generators/probes.ts) before its random cases. */
  readonly probes: boolean;
  /**
   * The largest batch B of a random case (generators/batchRows.ts); 1 for single rows only.
   * @defaultValue 64
   */
  readonly maxBatch?: number;
}

const probeCache = new WeakMap<CaseSpace, LogitCase[][]>();

function probesOf(space: CaseSpace): LogitCase[][] {
  let p = probeCache.get(space);
  if (!p) {
    const maxLen = space.constraints.maxLength ?? 64;
    const minLen = space.constraints.minLength ?? 1;
    p = space.groups.map((g) =>
      space.probes
        ? probes(g.format, g.op).filter(
            (c) => c.x.length >= minLen && (c.x.length <= maxLen || c.x.length <= 4096),
          )
        : [],
    );
    probeCache.set(space, p);
  }
  return p;
}

/** Number of probe cases: the campaign's ids 0 … probeCount − 1. */
export function probeCount(space: CaseSpace): number {
  return probesOf(space).reduce((s, p) => s + p.length, 0);
}

const arbCache = new WeakMap<CaseSpace, Map<string, fc.Arbitrary<LogitCase>>>();

/**
 * Case `id` of the campaign. The first ids are the groups' probes, group after group (fixed
 * inputs; see generators/probes.ts). The random ids after them interleave the groups (id mod G
 * picks the group, id div G the case within it), so a prefix of ids covers every group evenly —
 * which is what a time limit cuts. Random case j of a group is the single sample of `logits(...)`
 * under seed deriveSeed(seed, op, format, j): independent of every other case, of workers and of
 * shards.
 *
 * A random case is a batch [B, n] a quarter of the time (generators/batchRows.ts, from its own
 * derived seed): further rows of other character beside the generated one.
 *
 * Notes: the stagnation probes (f16: 2048 and 4096 equal logits; bf16: 256, 512) are longer than
 * the default maxLength; they are kept because their oracle is exact and cheap.
 */
export function caseAt(space: CaseSpace, id: number): CaseInput {
  const G = space.groups.length;
  const ps = probesOf(space);
  let rest = id;
  for (let gi = 0; gi < G; gi++) {
    if (rest < ps[gi].length) {
      const p = ps[gi][rest];
      const g = space.groups[gi];
      return { id, op: g.op, format: g.format, region: p.region, x: Float64Array.from(p.x), label: p.label };
    }
    rest -= ps[gi].length;
  }
  const g = space.groups[rest % G];
  const j = Math.floor(rest / G);
  const key = `${g.op}/${g.format}`;
  let arbs = arbCache.get(space);
  if (!arbs) arbCache.set(space, (arbs = new Map()));
  let arb = arbs.get(key);
  if (!arb) arbs.set(key, (arb = logits({ ...space.constraints, format: g.format, op: g.op })));
  const [v] = fc.sample(arb, { seed: deriveSeed(space.seed, g.op, g.format, j), numRuns: 1 });
  const more = batchRows(v.x, deriveSeed(space.seed, g.op, g.format, j, 'batch'), {
    format: g.format,
    op: g.op,
    maxBatch: space.maxBatch ?? 64,
    specials: space.constraints.specials ?? false,
  });
  return {
    id,
    op: g.op,
    format: g.format,
    region: v.region,
    x: Float64Array.from(v.x),
    label: v.label,
    ...(more.length
      ? {
          batch: more.map((b) => ({
            x: Float64Array.from(b.x),
            ...(b.label !== undefined ? { label: b.label } : {}),
          })),
        }
      : {}),
  };
}

/**
 * The group (op, format) of case `id`, without generating it: the supervisor schedules cases by
 * id and picks their implementations by group, and the worker generates the case (caseAt).
 */
export function groupAt(space: CaseSpace, id: number): Group {
  const ps = probesOf(space);
  let rest = id;
  for (let gi = 0; gi < space.groups.length; gi++) {
    if (rest < ps[gi].length) return space.groups[gi];
    rest -= ps[gi].length;
  }
  return space.groups[rest % space.groups.length];
}

/** What the store and the aggregate keep of a case: all but its logits. */
export function caseHead(c: CaseInput): CaseHead {
  return {
    id: c.id,
    op: c.op,
    format: c.format,
    region: c.region,
    shape: shapeOf(c),
    map: mapBins(rowsOf(c).map((r) => r.x)),
  };
}

/** Whether case `id` belongs to shard `index` (1-based) of `count`. */
export function inShard(id: number, index: number, count: number): boolean {
  return id % count === index - 1;
}
