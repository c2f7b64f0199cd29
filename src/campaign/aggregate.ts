import { BIN_COUNT, binOf, errorBits } from '../metrics/histogram.js';
import type { FindingKind } from '../vocabulary/FindingKind.js';
import type { FindingData, ImplOutcome } from './protocol.js';
import { fromLine, type CaseLine } from './store.js';

/**
 * Upper edges of the bins of the error map's axes (largest |logit| and spread max − min): a value
 * falls in the first bin whose edge is ≥ it. Decades where softmax behaves differently: benign
 * (≤ 10), around f16's exp thresholds (≤ 100), f32/bf16's (≤ 1000), f64's (≤ 10^4), then huge.
 */
export const MAP_EDGES: readonly number[] = [1, 10, 100, 1e3, 1e4, 1e8, 1e16, 1e38, 1e308, Infinity];

/** Upper edges of the vector-length bins: 1, 2, 4, …, 2^20, then longer. */
export const LENGTH_EDGES: readonly number[] = [...Array.from({ length: 21 }, (_, k) => 2 ** k), Infinity];

function edgeBin(edges: readonly number[], v: number): number {
  for (let b = 0; b < edges.length; b++) if (v <= edges[b]) return b;
  return edges.length - 1;
}

/** One cell of a map: how many cases fell there, how many failed, the worst error and finding kinds. */
export interface Cell {
  cases: number;
  failures: number;
  maxUlps: number;
  kinds: Partial<Record<FindingKind, number>>;
}

function addToCell(cells: Record<string, Cell>, key: string, o: ImplOutcome): void {
  const cell = (cells[key] ??= { cases: 0, failures: 0, maxUlps: 0, kinds: {} });
  cell.cases++;
  if (!o.pass) cell.failures++;
  cell.maxUlps = Math.max(cell.maxUlps, Number.isNaN(o.maxUlps) ? Infinity : o.maxUlps);
  for (const f of o.findings) cell.kinds[f.kind] = (cell.kinds[f.kind] ?? 0) + 1;
}

/** A further row of a batch counterexample. */
export interface CounterexampleRow {
  readonly x: number[];
  readonly label?: number;
}

/** The first (lowest case id) counterexample of a finding kind, before and after shrinking. */
export interface Counterexample {
  readonly caseId: number;
  readonly region: string;
  readonly x: number[];
  readonly label?: number;
  /** Rows 2 … B of a batch [B, n]; absent for a single row. */
  readonly batch?: readonly CounterexampleRow[];
  readonly finding: FindingData;
}

/**
 * Where a kind was first found: the case id (its input is regenerated from the seed and the id
 * when needed, so that the aggregate does not grow with n), or, for an input no case id names
 * (the search's, case id −1), the input itself.
 */
export interface FirstFinding {
  readonly caseId: number;
  /** B·n of the case: the smaller of two counterexamples is the cheaper to shrink. */
  readonly size: number;
  readonly region: string;
  readonly finding: FindingData;
  readonly input?: Omit<Counterexample, 'caseId' | 'region' | 'finding'>;
}

/** What aggregation needs of a case: no logits (docs/design.md, "Campaign"). */
export interface CaseSummary {
  readonly id: number;
  readonly region: string;
  /** Row length n. */
  readonly n: number;
  /** Rows B (1 for a single row). */
  readonly B: number;
  /** Bins over MAP_EDGES of the largest finite |logit| and of the spread max − min, over every row. */
  readonly map: readonly [number, number];
}

/** The error map's bins of a case's rows (finite logits only). */
export function mapBins(rows: readonly ArrayLike<number>[]): [number, number] {
  let maxAbs = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of rows)
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) continue;
      maxAbs = Math.max(maxAbs, Math.abs(v));
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const spread = hi >= lo ? hi - lo : 0;
  return [edgeBin(MAP_EDGES, maxAbs), edgeBin(MAP_EDGES, spread)];
}

/** How many worst cases each implementation keeps as starting points of the search. */
const ELITE_SIZE = 4;

/**
 * The largest case (B·n logits) the search starts from: a search step on a 2^18-logit row costs
 * the oracle and the judge a second, and the search's mutations are single elements.
 */
const SEARCH_MAX_SIZE = 4096;

/** Running statistics of one implementation. Order-independent: merging in any order gives the same result. */
export interface ImplAggregate {
  cases: number;
  passes: number;
  /** Cases per finding kind. */
  findingCounts: Partial<Record<FindingKind, number>>;
  /** Cases per finding kind in which the kind was `wrong`. */
  wrongCounts: Partial<Record<FindingKind, number>>;
  /** Cases with a wrong finding. */
  wrongCases: number;
  /** Cases whose findings fail the strict level but none is wrong. */
  inaccurateCases: number;
  /** Per finding kind, the lowest-id counterexample where it was wrong, else the lowest-id one. */
  first: Partial<Record<FindingKind, FirstFinding>>;
  /** Histogram of per-case max ULP error over HIST_EDGES. */
  histogram: number[];
  maxUlps: number;
  /** Case id of the (lowest-id) worst case. */
  worstCase: number;
  /**
   * Σ over cases of log2(1 + max ULPs) in micro-bits, each term rounded to an integer first so the
   * sum is exact (integers below 2^53) and does not depend on the order cases finish in.
   */
  sumMicroBits: number;
  /** Cases per input region, and failing cases per region. */
  regions: Record<string, { cases: number; failures: number }>;
  /** Error map: key `${magnitudeBin},${spreadBin}` over MAP_EDGES. */
  map: Record<string, Cell>;
  /** Error against length: key = bin over LENGTH_EDGES. */
  lengths: Record<string, Cell>;
  /**
   * The worst cases of at most SEARCH_MAX_SIZE logits (by finding kinds, max ULPs, then lowest
   * id), at most ELITE_SIZE: where `--search` starts.
   */
  elite: { id: number; maxUlps: number; kinds: FindingKind[] }[];
  /** Total wall time of the calls in ms (timing: excluded from determinism). */
  ms: number;
  outOfFormat: number;
}

export function emptyAggregate(): ImplAggregate {
  return {
    cases: 0,
    passes: 0,
    findingCounts: {},
    wrongCounts: {},
    wrongCases: 0,
    inaccurateCases: 0,
    first: {},
    histogram: new Array<number>(BIN_COUNT).fill(0),
    maxUlps: 0,
    worstCase: -1,
    sumMicroBits: 0,
    regions: {},
    map: {},
    lengths: {},
    elite: [],
    ms: 0,
    outOfFormat: 0,
  };
}

/** Adds one case's outcome. */
export function addOutcome(a: ImplAggregate, c: CaseSummary, o: ImplOutcome): void {
  a.cases++;
  if (o.pass) a.passes++;
  if (o.wrong) a.wrongCases++;
  else if (!o.pass) a.inaccurateCases++;
  a.ms += o.ms;
  a.outOfFormat += o.outOfFormat;
  // NaN is never written, but a damaged store could hold one: no distance counts as the worst
  const u = Number.isNaN(o.maxUlps) ? Infinity : o.maxUlps;
  a.histogram[binOf(u)]++;
  if (u > a.maxUlps || (u === a.maxUlps && (a.worstCase < 0 || c.id < a.worstCase))) {
    a.maxUlps = u;
    a.worstCase = c.id;
  }
  a.sumMicroBits += Math.round(errorBits(u) * 1e6);
  const r = (a.regions[c.region] ??= { cases: 0, failures: 0 });
  r.cases++;
  if (!o.pass) r.failures++;
  addToCell(a.map, `${c.map[0]},${c.map[1]}`, o);
  addToCell(a.lengths, String(edgeBin(LENGTH_EDGES, c.n)), o);
  const kinds = [...new Set(o.findings.map((f) => f.kind))].sort();
  if (c.B * c.n <= SEARCH_MAX_SIZE) a.elite.push({ id: c.id, maxUlps: u, kinds });
  a.elite.sort(
    (p, q) =>
      q.kinds.length - p.kinds.length ||
      (q.maxUlps > p.maxUlps ? 1 : q.maxUlps < p.maxUlps ? -1 : p.id - q.id),
  );
  if (a.elite.length > ELITE_SIZE) a.elite.length = ELITE_SIZE;
  const seen = new Set<string>();
  for (const f of o.findings) {
    if (seen.has(f.kind)) continue;
    seen.add(f.kind);
    a.findingCounts[f.kind] = (a.findingCounts[f.kind] ?? 0) + 1;
    const wrong = f.severity === 'wrong';
    if (wrong) a.wrongCounts[f.kind] = (a.wrongCounts[f.kind] ?? 0) + 1;
    const prev = a.first[f.kind];
    const prevWrong = prev?.finding.severity === 'wrong';
    const size = c.B * c.n;
    // wrong first, then the smallest case (shrinking a 2^18-logit row costs a second an evaluation), then the lowest id
    if (
      !prev ||
      (wrong && !prevWrong) ||
      (wrong === prevWrong && (size < prev.size || (size === prev.size && c.id < prev.caseId)))
    ) {
      a.first[f.kind] = { caseId: c.id, size, region: c.region, finding: f };
    }
  }
}

/**
 * The aggregate stage over every implementation of a campaign (docs/design.md, "Campaign"): each
 * line of the store, read back by `--resume` or fresh from the scheduler, is added once. The
 * result does not depend on the order lines are added in.
 */
export class Tally {
  readonly aggs: Map<string, ImplAggregate>;
  /**
   * Ids read back by --resume, to be skipped (fresh cases are only counted: a Set of every id would grow with
   * each case, and holds at most 2^24).
   */
  readonly resumedIds = new Set<number>();
  fresh = 0;
  /** Cases where the oracle left an element undetermined. */
  undetermined = 0;

  constructor(names: readonly string[]) {
    this.aggs = new Map(names.map((n) => [n, emptyAggregate()]));
  }

  add(line: CaseLine, resumed: boolean): void {
    if (resumed) this.resumedIds.add(line.id);
    else this.fresh++;
    if (line.undetermined) this.undetermined++;
    const { c, outcomes } = fromLine(line);
    for (const o of outcomes) {
      const agg = this.aggs.get(o.impl);
      if (agg) addOutcome(agg, c, o);
    }
  }

  get cases(): number {
    return this.resumedIds.size + this.fresh;
  }
}
