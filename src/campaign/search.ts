import type { FindingKind } from '../vocabulary/FindingKind.js';
import { formatSpec, fromOrdinal, isRepresentable, ordinal, roundNumber } from '../formats/index.js';
import { EXP_THRESHOLDS } from '../formats/thresholds.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { mulberry32 } from '../generators/_internals/mulberry32.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { FindingData } from './protocol.js';
import { deriveSeed } from './seed.js';

/** A point of the search: an input and what the implementation did on it. */
export interface SearchPoint {
  readonly x: number[];
  readonly label?: number;
  readonly maxUlps: number;
  readonly kinds: readonly FindingKind[];
}

/** Runs the implementation on an input: its max ULP error and its finding kinds. */
export type Evaluate = (
  x: number[],
  label: number | undefined,
) => Promise<{ maxUlps: number; findings: readonly FindingData[] }>;

export interface SearchResult {
  readonly evaluations: number;
  /** The worst point reached. */
  readonly best: SearchPoint;
  /** For each finding kind the search met: the first input showing it, and its finding. */
  readonly found: ReadonlyMap<FindingKind, { x: number[]; label?: number; finding: FindingData }>;
  /** Evaluations until the first finding (any kind), or null if none. */
  readonly firstFindingAt: number | null;
}

/**
 * One random mutation of an input, every value kept representable in the format: nudge an
 * element by a few to a few thousand ULPs, scale one by 2, ½ or 10, shift all by a constant
 * (which moves the spread past nothing but moves every logit towards a threshold), put an element
 * on an exp threshold, swap two, duplicate one, delete one. These are the moves that walk an input
 * towards the places softmax breaks: thresholds, cancellation, spreads, ties.
 */
function mutate(
  x: readonly number[],
  label: number | undefined,
  format: FormatName,
  op: Op,
  rand: () => number,
): { x: number[]; label?: number } {
  const fmt = formatSpec(format);
  const R = (v: number) => roundNumber(fmt, v);
  const { overflow: To, underflow: Tu } = EXP_THRESHOLDS[format];
  const out = x.slice();
  let lab = label;
  const pick = () => Math.floor(rand() * out.length);
  const finite = (v: number) => Number.isFinite(v) && isRepresentable(fmt, v);
  const move = Math.floor(rand() * 8);
  if (out.length === 0) out.push(0);
  const i = pick();
  switch (move) {
    case 0: {
      if (!Number.isFinite(out[i])) break;
      const steps = [1, 2, 16, 256, 4096][Math.floor(rand() * 5)] * (rand() < 0.5 ? -1 : 1);
      const k = ordinal(fmt, out[i]) + BigInt(steps);
      const limit = ordinal(fmt, fmt.maxFinite);
      if (k <= limit && k >= -limit) out[i] = fromOrdinal(fmt, k);
      break;
    }
    case 1: {
      const f = [2, 0.5, 10, 0.1][Math.floor(rand() * 4)];
      const v = R(out[i] * f);
      if (finite(v)) out[i] = v;
      break;
    }
    case 2: {
      const c = [1, 10, 100, To / 2, -1, -10, -100, -To / 2][Math.floor(rand() * 8)];
      const shifted = out.map((v) => R(v + c));
      if (shifted.every((v) => finite(v) || !Number.isFinite(v)))
        for (let j = 0; j < out.length; j++) out[j] = shifted[j];
      break;
    }
    case 3: {
      let m = -Infinity;
      for (const v of out) if (v > m) m = v;
      const targets = [To, fromOrdinal(fmt, ordinal(fmt, To) + 1n), R(m + Tu), R(m - 2 * To)];
      const v = targets[Math.floor(rand() * targets.length)];
      if (finite(v)) out[i] = v;
      break;
    }
    case 4: {
      const j = pick();
      [out[i], out[j]] = [out[j], out[i]];
      if (lab === i) lab = j;
      else if (lab === j) lab = i;
      break;
    }
    case 5:
      if (out.length < 4096) out.splice(i, 0, out[i]);
      if (lab !== undefined && lab > i) lab++;
      break;
    case 6:
      if (out.length > 1 && lab !== i) {
        out.splice(i, 1);
        if (lab !== undefined && lab > i) lab--;
      }
      break;
    case 7:
      if (needsLabel(op)) lab = pick();
      else {
        const v = R(out[i] + (rand() < 0.5 ? 1 : -1));
        if (finite(v)) out[i] = v;
      }
      break;
  }
  return { x: out, ...(lab !== undefined ? { label: lab } : {}) };
}

/**
 * Consecutive evaluations that crashed or timed out after which the search gives up: such an
 * answer has no error to climb, and each costs a replaced worker or a whole timeout (a module
 * that exits on every call made `vet`'s default 200-step search take over a minute).
 */
export const SEARCH_GIVE_UP = 10;

/** Orders points: more finding kinds first, then larger error. */
function better(a: SearchPoint, b: SearchPoint): boolean {
  if (a.kinds.length !== b.kinds.length) return a.kinds.length > b.kinds.length;
  return a.maxUlps > b.maxUlps;
}

/**
 * Error-maximising search (`run --search N`), in the spirit of guided random testing (S3FP/BGRT):
 * starting from the worst inputs the random phase met, repeatedly mutate the current point and
 * move to the mutant when it is at least as bad (more finding kinds, or as many and an error at
 * least as large), so the walk climbs towards larger ULP error and across thresholds. After a run
 * of rejected mutants it restarts from the next starting point. Deterministic for a deterministic
 * implementation: mutations come from a generator seeded by (seed, implementation).
 */
export async function searchWorst(
  starts: readonly SearchPoint[],
  format: FormatName,
  op: Op,
  evaluate: Evaluate,
  budget: number,
  seed: number,
  implName: string,
): Promise<SearchResult> {
  const rand = mulberry32(deriveSeed(seed, 'search', implName));
  const found = new Map<FindingKind, { x: number[]; label?: number; finding: FindingData }>();
  let firstFindingAt: number | null = null;
  let evaluations = 0;
  if (starts.length === 0)
    return { evaluations, best: { x: [0], maxUlps: 0, kinds: [] }, found, firstFindingAt };
  let best = starts[0];
  let current = starts[0];
  let startIdx = 0;
  let rejected = 0;
  let dead = 0;
  while (evaluations < budget && dead < SEARCH_GIVE_UP) {
    const m = mutate(current.x, current.label, format, op, rand);
    const r = await evaluate(m.x, m.label);
    evaluations++;
    dead = r.findings.some((f) => f.kind === 'crash' || f.kind === 'timeout') ? dead + 1 : 0;
    for (const f of r.findings) {
      if (!found.has(f.kind))
        found.set(f.kind, { x: m.x, ...(m.label !== undefined ? { label: m.label } : {}), finding: f });
      if (firstFindingAt === null) firstFindingAt = evaluations;
    }
    const p: SearchPoint = {
      x: m.x,
      ...(m.label !== undefined ? { label: m.label } : {}),
      maxUlps: Number.isNaN(r.maxUlps) ? Infinity : r.maxUlps,
      kinds: [...new Set(r.findings.map((f) => f.kind))].sort(),
    };
    if (!better(current, p)) {
      current = p;
      rejected = 0;
      if (better(p, best)) best = p;
    } else if (++rejected >= 20) {
      startIdx = (startIdx + 1) % starts.length;
      current = starts[startIdx];
      rejected = 0;
    }
  }
  return { evaluations, best, found, firstFindingAt };
}
