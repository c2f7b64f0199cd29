import { readFileSync, writeFileSync } from 'node:fs';
import { WorkerPool } from '../campaign/pool.js';
import type { JudgeOptions } from '../campaign/protocol.js';
import { decodeNumber, decodeVector, type JsonNumber, encodeVector } from '../formats/jsonNumber.js';
import { failsVerdict } from '../metrics/findings.js';
import { type FindingKind } from '../vocabulary/FindingKind.js';
import { resolve } from 'node:path';
import { contentHash, LoadError } from '../impls/load.js';
import type { ImplSpec } from '../campaign/implSpec.js';
import { randomSeed } from '../campaign/seed.js';
import { VET_SCHEMA, type RunRecord } from '../report/schema.js';
import { parseArgs } from './args.js';
import {
  baseEnvironment,
  CAMPAIGN_FLAGS,
  defaultWorkers,
  gitCommit,
  OP_FLAG,
  FORMAT_FLAG,
  shellQuote,
} from './campaignFlags.js';
import type { Command } from './command.js';
import { InputError, UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { campaign } from './run.js';
import { formatSummary } from './summary.js';
import { REPORT_FLAGS, writeReports } from './reportFlags.js';
import { logitfuzzVersion } from './version.js';
import type { Op } from '../vocabulary/Op.js';
import type { FormatName } from '../vocabulary/FormatName.js';

const FLAGS = {
  export: {
    type: 'string',
    value: 'NAME',
    help: "the module's export to vet (default: the op's name, then default)",
  },
  exec: {
    type: 'string',
    value: 'CMD',
    help: 'vet a program in any language speaking JSON lines instead of a module',
  },
  op: { ...OP_FLAG, default: 'softmax' },
  format: { ...FORMAT_FLAG, default: 'f64' },
  ...CAMPAIGN_FLAGS,
  runs: { ...CAMPAIGN_FLAGS.runs, default: 200 },
  json: { type: 'string', value: 'FILE', help: 'write the verdict as JSON (schema logitfuzz/vet@1)' },
  baseline: {
    type: 'string',
    value: 'FILE',
    help: 'regression gate: a vet@1 JSON of an earlier vet; its counterexamples are replayed first, then compared (exit 1 on a regression)',
  },
  tolerance: {
    type: 'number',
    min: 0,
    default: 0,
    value: 'ULPS',
    help: 'with --baseline: max-error growth allowed',
  },
  search: {
    type: 'integer',
    min: 0,
    default: 200,
    value: 'N',
    help: 'error-maximising search steps after the cases (0: none)',
  },
  ...REPORT_FLAGS,
} as const;

/** The `vet@1` document (DESIGN.md). */
export interface VetRecord {
  readonly schema: typeof VET_SCHEMA;
  readonly verdict: 'pass' | 'fail';
  readonly op: Op;
  readonly format: FormatName;
  readonly module: string | null;
  readonly exec: string | null;
  readonly hash: string | null;
  readonly seed: number;
  readonly logitfuzzVersion: string;
  readonly findings: readonly {
    kind: string;
    input: ReturnType<typeof encodeVector>;
    label?: number;
    expected: ReturnType<typeof encodeVector>;
    actual: ReturnType<typeof encodeVector> | null;
    ulps: unknown;
    index: number;
    diagnosis: string;
    seed: number;
    replay: string;
  }[];
  readonly stats: {
    cases: number;
    passes: number;
    findingCounts: Record<string, number>;
    maxUlps: unknown;
    p99Ulps: unknown;
    meanBits: number;
    wallMs: number;
  };
}

/** Reads a vet@1 baseline for the same op and format, or exits 2 naming the problem. */
function loadVetBaseline(path: string, op: Op, format: FormatName): VetRecord {
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

/** Runs every stored counterexample of the baseline again: the kinds each shows now. */
async function replayVetBaseline(
  base: VetRecord,
  spec: ImplSpec,
  op: Op,
  format: FormatName,
  judge: JudgeOptions,
  timeoutMs: number,
): Promise<{ kind: string; kindsNow: string[] }[]> {
  if (base.findings.length === 0) return [];
  const pool = new WorkerPool([spec], { workers: 1, timeoutMs });
  const out: { kind: string; kindsNow: string[] }[] = [];
  try {
    const av = await pool.start();
    if (!av[spec.name]?.available) return [];
    for (const f of base.findings) {
      const r = await pool.run(
        { id: -1, op, format, region: 'baseline', x: decodeVector(f.input), label: f.label },
        [spec.name],
        judge,
      );
      out.push({
        kind: f.kind,
        kindsNow: [...new Set((r.outcomes[0]?.findings ?? []).map((g) => g.kind))].sort(),
      });
    }
  } finally {
    await pool.close();
  }
  return out;
}

/** What got worse against a vet baseline: new finding kinds (from the fuzz or the replays), pass → fail, max error growth. */
function vetRegressions(
  base: VetRecord,
  head: VetRecord,
  replayed: readonly { kind: string; kindsNow: string[] }[],
  tolerance: number,
): string[] {
  const out: string[] = [];
  const baseKinds = new Set(base.findings.map((f) => f.kind));
  const headKinds = new Set([...head.findings.map((f) => f.kind), ...replayed.flatMap((r) => r.kindsNow)]);
  if (base.verdict === 'pass' && head.verdict === 'fail') out.push('newly fails (baseline pass)');
  for (const k of [...headKinds].sort())
    if (!baseKinds.has(k) && failsVerdict(k as FindingKind, 'report')) out.push(`new finding kind ${k}`);
  const ub = decodeNumber(base.stats.maxUlps as JsonNumber);
  const uh = decodeNumber(head.stats.maxUlps as JsonNumber);
  if (uh > ub && (uh === Infinity || uh - ub > tolerance))
    out.push(`max error grew from ${ub} to ${uh} ulps${tolerance ? ` (tolerance ${tolerance})` : ''}`);
  return out;
}

/** The `vet@1` document of a one-implementation campaign record (vet and score write the same JSON). */
export function toVetRecord(
  record: RunRecord,
  meta: { op: Op; format: FormatName; module: string | null; exec: string | null; hash: string | null },
): VetRecord {
  const impl = record.implementations[0];
  const seed = record.seed;
  return {
    schema: VET_SCHEMA,
    verdict: impl.verdict === 'fail' ? 'fail' : 'pass',
    op: meta.op,
    format: meta.format,
    module: meta.module,
    exec: meta.exec,
    hash: meta.hash,
    seed,
    logitfuzzVersion: record.logitfuzzVersion,
    findings: Object.values(impl.counterexamples).map((c) => ({
      kind: c.finding.kind,
      input: c.input,
      ...(c.label !== undefined ? { label: c.label } : {}),
      expected: c.expected,
      actual: c.actual,
      ulps: c.finding.ulps,
      index: c.finding.index,
      diagnosis: c.finding.diagnosis,
      seed,
      replay: c.replay,
    })),
    stats: {
      cases: impl.cases,
      passes: impl.passes,
      findingCounts: { ...impl.findingCounts },
      maxUlps: impl.ulp.max,
      p99Ulps: impl.ulp.p99,
      meanBits: impl.ulp.meanBits,
      wallMs: record.timing.wallMs,
    },
  };
}

export const vetCommand: Command = {
  name: 'vet',
  summary: 'fuzz one softmax (an ES module or, with --exec, a program in any language)',
  help: formatHelp({
    name: 'vet',
    synopsis:
      'MODULE [--export NAME] [--op OP] [--format F] [--runs N] [--seed N] [--json FILE] [--html FILE] [--junit FILE] [--markdown FILE] | --exec CMD …',
    description: [
      "Loads an ES module (.js, .mjs or .ts) whose export is (x: Float64Array | Float32Array, label?) => ArrayLike<number> | number | Promise<…> (Float32Array when --format f32), fuzzes it with extreme logits against the correctly rounded oracle, and prints a verdict with each finding kind's minimal counterexample and a replay command. The module runs in worker processes: if it hangs, throws, exits or crashes, that is a finding, and the run goes on.",
      'With --exec CMD, the program is started once and spoken to in JSON lines: logitfuzz writes {"id","op","format","x","label"}, the program answers {"id","y"} (numbers as plain JSON, or "inf", "-inf", "nan", "-0").',
      'Exit code 1 when the implementation fails; 2 when the module cannot be loaded.',
    ],
    flags: FLAGS,
    examples: [
      'logitfuzz vet ./softmax.mjs',
      'logitfuzz vet ./lse.ts --op logsumexp --format f32',
      "logitfuzz vet --exec 'python3 my_softmax.py' --format f32",
    ],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'vet',
      positionals: { min: 0, max: 1, name: 'MODULE' },
    });
    const modulePath = positionals[0];
    if (!modulePath && !flags.exec) throw new UsageError('vet needs a MODULE path or --exec CMD');
    if (modulePath && flags.exec) throw new UsageError('give a MODULE or --exec CMD, not both');
    if (flags['time-limit'] !== undefined && argv.some((a) => a === '--runs' || a.startsWith('--runs=')))
      throw new UsageError('give --runs or --time-limit, not both');
    if (flags['min-length'] > flags['max-length'])
      throw new UsageError(
        `--min-length ${flags['min-length']} is above --max-length ${flags['max-length']}`,
      );
    const op = flags.op;
    const format = flags.format;
    let hash: string | null = null;
    let spec: ImplSpec;
    if (modulePath) {
      const abs = resolve(modulePath);
      // load once here, so a missing module or export is exit 2 before any worker starts
      const { loadUserFunction } = await import('../impls/load.js');
      try {
        await loadUserFunction(abs, op, flags.export);
        hash = contentHash(abs);
      } catch (e) {
        if (e instanceof LoadError) throw new InputError(e.message);
        throw e;
      }
      spec = {
        kind: 'module',
        name: `${op}/user/${format}`,
        path: abs,
        exportName: flags.export,
        op,
        format,
      };
    } else {
      spec = { kind: 'exec', name: `${op}/exec/${format}`, command: flags.exec!, op, format };
    }
    const seed = flags.seed ?? randomSeed();
    const target = modulePath
      ? [shellQuote(modulePath), ...(flags.export ? ['--export', shellQuote(flags.export)] : [])]
      : ['--exec', shellQuote(flags.exec!)];
    const replay = (_impl: string, x: number[], label: number | undefined) =>
      [
        'npx',
        'logitfuzz',
        'replay',
        ...(modulePath ? ['--module', ...target] : target),
        '--op',
        op,
        '--format',
        format,
        '--x',
        shellQuote(JSON.stringify(encodeVector(x))),
        ...(label !== undefined ? ['--label', String(label)] : []),
      ].join(' ');
    const base = flags.baseline ? loadVetBaseline(flags.baseline, op, format) : undefined;
    const replayed = base
      ? await replayVetBaseline(
          base,
          spec,
          op,
          format,
          { specials: flags.specials, budget: flags.budget, checkDeterminism: true },
          flags.timeout,
        )
      : [];
    const record = await campaign(io, {
      specs: [spec],
      meta: [
        {
          name: spec.name,
          op,
          format,
          backend: 'user',
          formula: modulePath ? `export of ${modulePath}` : `program: ${flags.exec}`,
          expected: 'pass',
        },
      ],
      seed,
      runs: flags['time-limit'] !== undefined ? null : flags.runs,
      timeLimitS: flags['time-limit'] ?? null,
      shard: null,
      workers: Math.min(flags.workers ?? defaultWorkers(), 2),
      timeoutMs: flags.timeout,
      judge: { specials: flags.specials, budget: flags.budget, checkDeterminism: true },
      minLength: flags['min-length'],
      maxLength: flags['max-length'],
      casesFile: null,
      resume: false,
      shrinkEvals: flags['shrink-evals'],
      search: flags.search,
      replayCommand: replay,
      command: ['logitfuzz', 'vet', ...argv].map(shellQuote).join(' '),
      version: logitfuzzVersion(),
      commit: gitCommit(),
      environment: baseEnvironment(),
    });
    const impl = record.implementations[0];
    if (impl.verdict === 'unavailable')
      throw new InputError(`cannot run ${modulePath ?? flags.exec}: ${impl.unavailableReason}`);
    await write(io.stdout, formatSummary(record));
    const vet = toVetRecord(record, {
      op,
      format,
      module: modulePath ? resolve(modulePath) : null,
      exec: flags.exec ?? null,
      hash,
    });
    if (flags.json) writeFileSync(flags.json, JSON.stringify(vet, null, 1) + '\n');
    await writeReports(io, record, { html: flags.html, junit: flags.junit, markdown: flags.markdown });
    await write(io.stdout, `\nverdict: ${impl.verdict.toUpperCase()} (${impl.cases} cases, seed ${seed})\n`);
    if (base) {
      const regressions = vetRegressions(base, vet, replayed, flags.tolerance);
      await write(
        io.stdout,
        `\nbaseline ${flags.baseline}: replayed ${replayed.length} counterexample(s); ${regressions.length ? `${regressions.length} regression(s):\n${regressions.map((r) => `  ${r}`).join('\n')}` : 'no regression'}\n`,
      );
      if (regressions.length) return 1;
    }
    return impl.verdict === 'fail' ? 1 : 0;
  },
};
