import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeVector } from '../formats/jsonNumber.js';
import { implMeta, type ImplMeta } from '../campaign/options.js';
import type { ImplSpec } from '../campaign/implSpec.js';
import { randomSeed } from '../campaign/seed.js';
import { parseArgs } from './args.js';
import {
  baseEnvironment,
  CAMPAIGN_FLAGS,
  judgeOptions,
  defaultWorkers,
  FORMAT_FLAG,
  gitCommit,
  OP_FLAG,
  parseShard,
  shellQuote,
} from './campaignFlags.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { campaign } from './campaign.js';
import { write } from './io.js';
import { formatSummary } from './summary.js';
import { foldReplays, gate, loadBaseline, replayBaseline } from './baseline.js';
import { REPORT_FLAGS, writeReports } from './reportFlags.js';
import { compareStacks } from './stacks.js';
import { logitfuzzVersion } from './version.js';
import { gradeText, isUnexpected } from '../report/common.js';
import { gradeOf } from '../vocabulary/Severity.js';

const FLAGS = {
  impl: {
    type: 'string',
    multiple: true,
    value: 'GLOB',
    help: "implementations to fuzz: comma-separated globs whose '*' also matches '/' (default: the whole zoo)",
  },
  op: OP_FLAG,
  format: FORMAT_FLAG,
  ...CAMPAIGN_FLAGS,
  runs: { ...CAMPAIGN_FLAGS.runs, default: 25 },
  shard: {
    type: 'string',
    value: 'I/N',
    help: 'run only shard I of N (cases partitioned deterministically; join with merge)',
  },
  out: {
    type: 'string',
    default: 'reports/latest',
    value: 'DIR',
    help: 'output folder: results.json, cases.jsonl and index.html (the HTML report)',
  },
  search: {
    type: 'integer',
    min: 0,
    default: 0,
    value: 'N',
    help: 'after the cases, N error-maximising search steps per implementation, climbing from its worst cases',
  },
  baseline: {
    type: 'string',
    value: 'FILE',
    help: 'regression gate: replay the counterexamples stored in this results.json first, then compare (exit 1 on a regression)',
  },
  tolerance: {
    type: 'number',
    min: 0,
    default: 0,
    value: 'ULPS',
    help: 'with --baseline: max-error growth allowed before it is a regression',
  },
  'allow-missing': {
    type: 'boolean',
    help: 'with --baseline: an implementation missing from this run is not a regression',
  },
  resume: {
    type: 'boolean',
    help: 'continue an interrupted run in --out with the same options (no case lost or repeated)',
  },
  verbose: {
    type: 'boolean',
    help: "print every implementation's counterexamples with whole vectors (default: the grade table and what differs from expected)",
  },
  ...REPORT_FLAGS,
} as const;

/** Inputs longer than this are replayed from results.json (`--from`), not spelled out in `--x`. */
export const REPLAY_INLINE_MAX = 64;

function replayFor(
  impl: string,
  x: number[],
  label: number | undefined,
  kind: string,
  batch: boolean,
  results: string,
): string {
  if (batch || x.length > REPLAY_INLINE_MAX)
    return [
      'npx logitfuzz replay --from',
      shellQuote(results),
      '--impl',
      shellQuote(impl),
      '--kind',
      kind,
    ].join(' ');
  const parts = [
    'npx',
    'logitfuzz',
    'replay',
    '--impl',
    shellQuote(impl),
    '--x',
    shellQuote(JSON.stringify(encodeVector(x))),
  ];
  if (label !== undefined) parts.push('--label', String(label));
  return parts.join(' ');
}

export const runCommand: Command = {
  name: 'run',
  summary: 'fuzz the built-in zoo; write results.json and cases.jsonl',
  help: formatHelp({
    name: 'run',
    synopsis:
      '[--impl GLOB] [--op OP] [--format F] [--runs N | --time-limit S] [--seed N] [--shard I/N] [--out DIR] [--resume] [--fail-on LEVEL] [--close C] [--verbose] [--html FILE] [--junit FILE] [--markdown FILE]',
    description: [
      'Fuzzes the built-in implementations with extreme logits, judges every output against the correctly rounded oracle, shrinks each finding to a minimal counterexample, prints a summary and writes DIR/results.json (schema logitfuzz/run@2) and DIR/cases.jsonl (one line per case, written as cases finish).',
      'Every finding is wrong (it would also fail the --close check, PyTorch’s assert_close by default) or only inaccurate (beyond the strict error budget); each implementation’s grade is pass, inaccurate or wrong. Exit code 1 when a grade differs from what the implementation is expected to earn at either level (the naive formulas are expected to give wrong answers).',
    ],
    flags: FLAGS,
    examples: [
      'logitfuzz run',
      "logitfuzz run --impl 'softmax/*/f16' --runs 200 --seed 7",
      'logitfuzz run --shard 1/2 --seed 7 --out reports/s1',
    ],
  }),
  async run(argv, io) {
    const { flags } = parseArgs(argv, FLAGS, { command: 'run' });
    if (flags['time-limit'] !== undefined && argv.some((a) => a === '--runs' || a.startsWith('--runs=')))
      throw new UsageError('give --runs or --time-limit, not both');
    if (flags['min-length'] > flags['max-length'])
      throw new UsageError(
        `--min-length ${flags['min-length']} is above --max-length ${flags['max-length']}`,
      );
    const shard = parseShard(flags.shard);
    const registry = await import('../impls/registry.js');
    const globs = flags.impl.flatMap((g) => g.split(',')).filter((g) => g !== '');
    let impls = globs.length ? registry.findImplementations(globs) : registry.allImplementations();
    if (flags.op) impls = impls.filter((i) => i.op === flags.op);
    if (flags.format) impls = impls.filter((i) => i.format === flags.format);
    if (impls.length === 0)
      throw new UsageError(`no implementation matches the selection; run 'logitfuzz list' to see the names`);
    const seed = flags.seed ?? randomSeed();
    const outDir = resolve(flags.out);
    const meta: ImplMeta[] = impls.map(implMeta);
    const specs: ImplSpec[] = impls.map((i) => ({ kind: 'builtin', name: i.name }));
    const judge = judgeOptions(flags, true);
    const base = flags.baseline ? loadBaseline(flags.baseline) : undefined;
    const replays = base ? await replayBaseline(base, specs, meta, judge, flags.timeout) : [];
    const measured = await campaign(io, {
      specs,
      meta,
      seed,
      runs: flags['time-limit'] !== undefined ? null : flags.runs,
      timeLimitS: flags['time-limit'] ?? null,
      shard,
      workers: flags.workers ?? defaultWorkers(),
      timeoutMs: flags.timeout,
      judge,
      failOn: flags['fail-on'],
      minLength: flags['min-length'],
      maxLength: flags['max-length'],
      maxBatch: flags['max-batch'],
      casesFile: join(outDir, 'cases.jsonl'),
      resume: flags.resume,
      shrinkEvals: flags['shrink-evals'],
      search: flags.search,
      replayCommand: (impl, x, label, kind, batch) =>
        replayFor(impl, x, label, kind, batch, join(flags.out, 'results.json')),
      command: ['logitfuzz', 'run', ...argv].map(shellQuote).join(' '),
      version: logitfuzzVersion(),
      commit: gitCommit(),
      environment: baseEnvironment(),
    });
    const record = base ? foldReplays(measured, replays) : measured;
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(record, null, 1) + '\n');
    await write(io.stdout, formatSummary(record, { verbose: flags.verbose }));
    const reports = await writeReports(
      io,
      record,
      {
        index: join(flags.out, 'index.html'),
        html: flags.html,
        junit: flags.junit,
        markdown: flags.markdown,
      },
      // the same WGSL kernel on each WebGPU stack that ran (Dawn in Node, Chromium), side by side
      { stacks: compareStacks(record, join(outDir, 'cases.jsonl')) },
    );
    await write(
      io.stdout,
      `\nwrote ${join(flags.out, 'results.json')}, ${join(flags.out, 'cases.jsonl')}${reports.length ? `, ${reports.join(', ')}` : ''} (seed ${seed})\n`,
    );
    let regressed = false;
    if (base)
      regressed = !(
        await gate(io, base, record, replays, {
          tolerance: flags.tolerance,
          failOn: flags['fail-on'],
          allowMissing: flags['allow-missing'],
        })
      ).ok;
    const unexpected = record.implementations.filter(isUnexpected);
    if (unexpected.length) {
      // the table marks every one; a few here, so that the last line says why the exit code is 1
      const what = unexpected
        .slice(0, 5)
        .map((i) => `${i.name} (${gradeText(i)}, expected ${gradeOf(i.expected)})`);
      const more = unexpected.length > 5 ? `, … and ${unexpected.length - 5} more (marked ! above)` : '';
      await write(io.stdout, `verdicts differing from expected: ${what.join(', ')}${more}\n`);
      return 1;
    }
    return regressed ? 1 : 0;
  },
};
