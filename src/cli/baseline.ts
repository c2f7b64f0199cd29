import { readFileSync } from 'node:fs';
import { WorkerPool } from '../campaign/pool.js';
import type { ImplSpec } from '../campaign/implSpec.js';
import type { JudgeOptions } from '../campaign/protocol.js';
import { decodeVector } from '../formats/jsonNumber.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { failsVerdict } from '../metrics/findings.js';
import type { Op } from '../vocabulary/Op.js';
import { compareRecords, formatComparison, type CompareOptions, type Comparison } from '../report/compare.js';
import { parseRunRecord, RecordError } from '../report/load.js';
import {
  VET_SCHEMA,
  type CounterexampleRecord,
  type ImplementationRecord,
  type RunRecord,
  type VetRecord,
} from '../report/schema.js';
import { InputError } from './errors.js';
import { write, type Io } from './io.js';

/** One stored counterexample of the baseline, run again on the code under test. */
export interface Replayed {
  readonly impl: string;
  readonly kind: string;
  readonly counterexample: CounterexampleRecord;
  /** Finding kinds the implementation shows on that input now. */
  readonly kindsNow: readonly string[];
  /** Those of them that are `wrong`. */
  readonly wrongNow: readonly string[];
}

/** Reads a `logitfuzz/run@2` (or run@1) baseline, or exits 2 naming what is wrong with it. */
export function loadBaseline(path: string): RunRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the baseline ${path}: ${(e as Error).message}`);
  }
  try {
    return parseRunRecord(text, path);
  } catch (e) {
    if (e instanceof RecordError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * Reads a `logitfuzz/vet@2` baseline (what `vet --json` writes) of `op` in `format`, or exits 2 naming what
 * is wrong.
 */
export function readVetBaseline(path: string, op: Op, format: FormatName): VetRecord {
  let v: VetRecord;
  try {
    v = JSON.parse(readFileSync(path, 'utf8')) as VetRecord;
  } catch (e) {
    throw new InputError(`cannot read the baseline ${path}: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || v.schema !== VET_SCHEMA || !Array.isArray(v.findings))
    throw new InputError(`${path} is not a vet baseline (schema ${VET_SCHEMA}, as vet --json writes)`);
  if (v.op !== op || v.format !== format)
    throw new InputError(`${path} is a baseline for ${v.op} in ${v.format}, not ${op} in ${format}`);
  return v;
}

/**
 * A vet baseline as the one-implementation run record the gate compares (`compareRecords`, the
 * same rules as `run --baseline` and `compare`): its verdict, finding counts, maximum error and
 * minimal counterexamples, under the name and options of `like`, the record of this vet.
 */
export function vetBaselineRecord(v: VetRecord, like: RunRecord): RunRecord {
  const head = like.implementations[0];
  const counterexamples: Record<string, CounterexampleRecord> = {};
  for (const f of v.findings)
    counterexamples[f.kind] = {
      caseId: -1,
      region: 'baseline',
      input: f.input,
      ...(f.label !== undefined ? { label: f.label } : {}),
      original: f.input,
      finding: {
        kind: f.kind,
        index: f.index,
        expected: null,
        actual: null,
        ulps: f.ulps,
        diagnosis: f.diagnosis,
        severity: f.severity,
      },
      expected: f.expected,
      actual: f.actual,
      shrinkEvaluations: 0,
      replay: f.replay,
    };
  return {
    ...like,
    seed: v.seed,
    logitfuzzVersion: v.logitfuzzVersion,
    implementations: [
      {
        ...head,
        verdict: v.verdict,
        verdicts: v.verdicts,
        cases: v.stats.cases,
        passes: v.stats.passes,
        severityCounts: v.stats.severityCounts,
        findingCounts: v.stats.findingCounts,
        // a vet record keeps one counterexample per kind: the kinds it showed wrong
        wrongCounts: Object.fromEntries(
          v.findings.filter((f) => f.severity === 'wrong').map((f) => [f.kind, 1]),
        ),
        counterexamples,
        ulp: { ...head.ulp, max: v.stats.maxUlps, p99: v.stats.p99Ulps, meanBits: v.stats.meanBits },
      },
    ],
  };
}

/**
 * Replays every counterexample stored in the baseline on the implementations of this run that
 * the baseline also measured — a fixed regression corpus, tried before any random case, so a
 * defect the baseline caught is looked for again whatever the new random cases happen to hit.
 */
export async function replayBaseline(
  base: RunRecord,
  specs: readonly ImplSpec[],
  meta: readonly { name: string; op: Op; format: FormatName }[],
  judge: JudgeOptions,
  timeoutMs: number,
): Promise<Replayed[]> {
  const metaOf = new Map(meta.map((m) => [m.name, m]));
  const todo: { impl: ImplementationRecord; kind: string; c: CounterexampleRecord }[] = [];
  for (const impl of base.implementations) {
    if (!metaOf.has(impl.name)) continue;
    for (const [kind, c] of Object.entries(impl.counterexamples)) todo.push({ impl, kind, c });
  }
  if (todo.length === 0) return [];
  const used = new Set(todo.map((t) => t.impl.name));
  const pool = new WorkerPool(
    specs.filter((s) => used.has(s.name)),
    { workers: 1, timeoutMs },
  );
  const out: Replayed[] = [];
  try {
    const avail = await pool.start();
    for (const t of todo) {
      if (!avail[t.impl.name]?.available) continue;
      const m = metaOf.get(t.impl.name)!;
      const r = await pool.run(
        {
          id: -1,
          op: m.op,
          format: m.format,
          region: 'baseline',
          x: decodeVector(t.c.input),
          label: t.c.label,
        },
        [t.impl.name],
        judge,
      );
      const findings = r.outcomes[0]?.findings ?? [];
      const kindsNow = [...new Set(findings.map((f) => f.kind))].sort();
      const wrongNow = [...new Set(findings.filter((f) => f.severity === 'wrong').map((f) => f.kind))].sort();
      out.push({ impl: t.impl.name, kind: t.kind, counterexample: t.c, kindsNow, wrongNow });
    }
  } finally {
    await pool.close();
  }
  return out;
}

/**
 * HEAD with what the replays showed folded in: a finding kind that a replayed counterexample still
 * shows, and that the random cases of this run did not meet, is added with that counterexample,
 * so the gate does not report as fixed a defect that is merely unsampled.
 */
export function foldReplays(head: RunRecord, replays: readonly Replayed[]): RunRecord {
  const byImpl = new Map<string, Replayed[]>();
  for (const r of replays) byImpl.set(r.impl, [...(byImpl.get(r.impl) ?? []), r]);
  const failOn = head.config.failOn;
  return {
    ...head,
    implementations: head.implementations.map((impl) => {
      const rs = byImpl.get(impl.name);
      if (!rs || impl.verdict === 'unavailable') return impl;
      const findingCounts = { ...impl.findingCounts };
      const wrongCounts = { ...impl.wrongCounts };
      const counterexamples = { ...impl.counterexamples };
      let inaccurate = impl.verdicts.inaccurate;
      let wrong = impl.verdicts.wrong;
      for (const r of rs) {
        for (const kind of r.kindsNow) {
          const isWrong = r.wrongNow.includes(kind);
          if (isWrong && !wrongCounts[kind]) wrongCounts[kind] = 1;
          if (isWrong) wrong = 'fail';
          if (failsVerdict(kind, head.config.specials)) inaccurate = 'fail';
          if (findingCounts[kind]) continue;
          findingCounts[kind] = 1;
          counterexamples[kind] = { ...r.counterexample, region: 'baseline' };
        }
      }
      const verdicts = { inaccurate, wrong };
      return { ...impl, findingCounts, wrongCounts, counterexamples, verdicts, verdict: verdicts[failOn] };
    }),
  };
}

/** Prints the replays and the comparison; returns the comparison. */
export async function gate(
  io: Io,
  base: RunRecord,
  head: RunRecord,
  replays: readonly Replayed[],
  opts: CompareOptions,
): Promise<Comparison> {
  const still = replays.filter((r) => r.kindsNow.includes(r.kind)).length;
  let text = `\nbaseline: replayed ${replays.length} stored counterexample(s): ${still} still show their finding, ${replays.length - still} no longer do\n`;
  for (const r of replays)
    if (!r.kindsNow.includes(r.kind))
      text += `  ${r.impl} ${r.kind}: no longer reproduces${r.kindsNow.length ? ` (now: ${r.kindsNow.join(', ')})` : ''}\n`;
  const c = compareRecords(base, head, opts);
  text += formatComparison(c);
  await write(io.stdout, text.endsWith('\n') ? text : text + '\n');
  return c;
}
