import { decodeNumber, encodeNumber, type JsonNumber } from '../formats/jsonNumber.js';
import { RUN_SCHEMA, type CellRecord, type ImplementationRecord, type RunRecord } from '../report/schema.js';
import { HIST_EDGES, quantile } from '../metrics/histogram.js';
import { CampaignError } from './CampaignError.js';

const num = (v: JsonNumber): number => decodeNumber(v);

/** B·n of the case a counterexample was first found on (records before cases@2 lack the shape). */
const sizeOf = (c: { originalShape?: readonly [number, number]; original?: readonly unknown[] }): number =>
  c.originalShape ? c.originalShape[0] * c.originalShape[1] : (c.original?.length ?? 0);

function mergeCells(
  a: Readonly<Record<string, CellRecord>>,
  b: Readonly<Record<string, CellRecord>>,
): Record<string, CellRecord> {
  const out: Record<string, CellRecord> = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[k];
    const y = b[k];
    if (!x || !y) {
      out[k] = (x ?? y)!;
      continue;
    }
    const kinds: Record<string, number> = {};
    for (const q of [...new Set([...Object.keys(x.kinds), ...Object.keys(y.kinds)])].sort())
      kinds[q] = (x.kinds[q] ?? 0) + (y.kinds[q] ?? 0);
    out[k] = {
      cases: x.cases + y.cases,
      failures: x.failures + y.failures,
      maxUlps: encodeNumber(Math.max(num(x.maxUlps), num(y.maxUlps))),
      kinds,
    };
  }
  return out;
}

function sumRecord(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
    out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}

function mergeImpl(
  a: ImplementationRecord,
  b: ImplementationRecord,
  failOn: RunRecord['config']['failOn'],
): ImplementationRecord {
  if (a.verdict === 'unavailable') return b;
  if (b.verdict === 'unavailable') return a;
  const histogram = a.ulp.histogram.map((v, i) => v + (b.ulp.histogram[i] ?? 0));
  const maxA = num(a.ulp.max);
  const maxB = num(b.ulp.max);
  const max = Math.max(maxA, maxB);
  const worstCaseId =
    maxA === maxB
      ? Math.min(a.ulp.worstCaseId, b.ulp.worstCaseId)
      : maxA > maxB
        ? a.ulp.worstCaseId
        : b.ulp.worstCaseId;
  const counterexamples: ImplementationRecord['counterexamples'] = {};
  for (const k of [
    ...new Set([...Object.keys(a.counterexamples), ...Object.keys(b.counterexamples)]),
  ].sort()) {
    const x = a.counterexamples[k];
    const y = b.counterexamples[k];
    (counterexamples as Record<string, (typeof a.counterexamples)[string]>)[k] = !x
      ? y!
      : !y
        ? x
        : // the counterexample aggregation keeps: a wrong one first, then the smallest case, then the lowest id
          (x.finding.severity === 'wrong') !== (y.finding.severity === 'wrong')
          ? x.finding.severity === 'wrong'
            ? x
            : y
          : sizeOf(x) !== sizeOf(y)
            ? sizeOf(x) < sizeOf(y)
              ? x
              : y
            : x.caseId <= y.caseId
              ? x
              : y;
  }
  const findingCounts = sumRecord(a.findingCounts, b.findingCounts);
  const cases = a.cases + b.cases;
  const sumMicroBits = a.ulp.sumMicroBits + b.ulp.sumMicroBits;
  const passes = a.passes + b.passes;
  const severityCounts = {
    inaccurate: a.severityCounts.inaccurate + b.severityCounts.inaccurate,
    wrong: a.severityCounts.wrong + b.severityCounts.wrong,
  };
  const verdicts = {
    inaccurate: passes < cases ? 'fail' : 'pass',
    wrong: severityCounts.wrong > 0 ? 'fail' : 'pass',
  } as const;
  const regions: Record<string, { cases: number; failures: number }> = {};
  for (const k of [...new Set([...Object.keys(a.regions), ...Object.keys(b.regions)])].sort()) {
    regions[k] = {
      cases: (a.regions[k]?.cases ?? 0) + (b.regions[k]?.cases ?? 0),
      failures: (a.regions[k]?.failures ?? 0) + (b.regions[k]?.failures ?? 0),
    };
  }
  const tripped = [a.trippedAfter, b.trippedAfter].filter((t): t is number => t !== undefined);
  return {
    ...a,
    verdict: verdicts[failOn],
    verdicts,
    ...(tripped.length ? { trippedAfter: tripped.reduce((s, t) => s + t, 0) } : {}),
    cases,
    passes,
    severityCounts,
    findingCounts,
    wrongCounts: sumRecord(a.wrongCounts, b.wrongCounts),
    counterexamples,
    ulp: {
      max: encodeNumber(max),
      p50: encodeNumber(quantile(histogram, max, 0.5)),
      p90: encodeNumber(quantile(histogram, max, 0.9)),
      p99: encodeNumber(quantile(histogram, max, 0.99)),
      meanBits: cases ? sumMicroBits / 1e6 / cases : 0,
      sumMicroBits,
      histogram,
      worstCaseId,
    },
    regions,
    errorMap: mergeCells(a.errorMap, b.errorMap),
    byLength: mergeCells(a.byLength, b.byLength),
    outOfFormat: a.outOfFormat + b.outOfFormat,
    timing: { ms: a.timing.ms + b.timing.ms },
  };
}

/**
 * Joins the records of the shards 1/N … N/N of one campaign (same seed, implementations and
 * options) into the record an unsharded run would have produced: counts, histograms and maps add
 * up; the max and the worst case are the max over shards; each finding kind's counterexample is the
 * one found on the lowest case id, which is the one the unsharded run shrinks (shrinking is
 * deterministic). Throws CampaignError when the records do not belong together or a shard is
 * missing or repeated.
 */
export function mergeRecords(records: readonly RunRecord[], command: string): RunRecord {
  if (records.length === 0) throw new CampaignError('merge needs at least one shard result');
  for (const r of records)
    if (r.schema !== RUN_SCHEMA)
      throw new CampaignError(`not a ${RUN_SCHEMA} record (schema ${JSON.stringify(r.schema)})`);
  const first = records[0];
  const key = (r: RunRecord) =>
    JSON.stringify({ ...r.config, shard: null, seed: r.seed, impls: r.implementations.map((i) => i.name) });
  for (const r of records)
    if (key(r) !== key(first))
      throw new CampaignError(
        'the shard results come from different campaigns (seed, implementations or options differ): merge only shards of one run',
      );
  const count = first.config.shard?.count ?? 1;
  const seen = new Set<number>();
  for (const r of records) {
    const s = r.config.shard ?? { index: 1, count: 1 };
    if (s.count !== count) throw new CampaignError(`shard counts differ (${count} and ${s.count})`);
    if (seen.has(s.index)) throw new CampaignError(`shard ${s.index}/${count} is given twice`);
    seen.add(s.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new CampaignError(
      `missing shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')}: merge needs all ${count}`,
    );
  const ordered = [...records].sort((x, y) => (x.config.shard?.index ?? 1) - (y.config.shard?.index ?? 1));
  const implementations = first.implementations.map((impl, idx) =>
    ordered.slice(1).reduce((acc, r) => mergeImpl(acc, r.implementations[idx], first.config.failOn), impl),
  );
  return {
    ...first,
    command,
    config: { ...first.config, shard: null },
    histogramEdges: first.histogramEdges ?? HIST_EDGES.map((e) => encodeNumber(e)),
    totals: {
      cases: ordered.reduce((s, r) => s + r.totals.cases, 0),
      oracleUndetermined: ordered.reduce((s, r) => s + r.totals.oracleUndetermined, 0),
    },
    implementations,
    timing: {
      startedAt: ordered.map((r) => r.timing.startedAt).sort()[0],
      wallMs: ordered.reduce((s, r) => Math.max(s, r.timing.wallMs), 0),
      oracleMs: ordered.reduce((s, r) => s + r.timing.oracleMs, 0),
      workers: ordered.reduce((s, r) => s + r.timing.workers, 0),
    },
  };
}
