import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImplMeta } from '../campaign/options.js';
import { encodeVector } from '../formats/jsonNumber.js';
import { contentHash, loadUserFunction, LoadError } from '../impls/load.js';
import { Unavailable } from '../impls/types.js';
import type { ImplSpec } from '../campaign/implSpec.js';
import { randomSeed } from '../campaign/seed.js';
import { REPLAY_INLINE_MAX } from './run.js';
import { VET_SCHEMA, type RunRecord, type VetRecord } from '../report/schema.js';
import { foldReplays, gate, readVetBaseline, replayBaseline, vetBaselineRecord } from './baseline.js';
import { parseArgs } from './args.js';
import {
  baseEnvironment,
  CAMPAIGN_FLAGS,
  judgeOptions,
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
import { campaign } from './campaign.js';
import { formatSummary } from './summary.js';
import { REPORT_FLAGS, writeReports } from './reportFlags.js';
import { logitfuzzVersion } from './version.js';
import type { Op } from '../vocabulary/Op.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

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
  batch: {
    type: 'boolean',
    help: 'with --exec: one request per batch of rows, {"shape":[B,n]} with x flat row-major, answered with y flat',
  },
  browser: {
    type: 'boolean',
    help: "run MODULE in a headless Chromium page (Debian's /usr/bin/chromium), served from a loopback server; TypeScript or bare imports are bundled with esbuild",
  },
  op: { ...OP_FLAG, default: 'softmax' },
  format: { ...FORMAT_FLAG, default: 'f64' },
  ...CAMPAIGN_FLAGS,
  runs: { ...CAMPAIGN_FLAGS.runs, default: 200 },
  json: { type: 'string', value: 'FILE', help: 'write the verdict as JSON (schema logitfuzz/vet@2)' },
  baseline: {
    type: 'string',
    value: 'FILE',
    help: 'regression gate: a vet@2 JSON of an earlier vet; its counterexamples are replayed first, then compared (exit 1 on a regression)',
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
  verbose: { type: 'boolean', help: 'print the counterexamples with whole vectors' },
  ...REPORT_FLAGS,
} as const;

/**
 * Loads the module into a page of a browser started here, so that a module that cannot load is
 * exit 2 before any worker starts (as for `vet MODULE`), then closes that browser.
 */
async function checkInBrowser(
  abs: string,
  op: Op,
  exportName: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const { loadBrowserUserFunctions } = await import('../impls/browser/module.js');
  const { closeBrowser } = await import('../impls/browser/session.js');
  let timer: NodeJS.Timeout | undefined;
  // a module that never finishes importing would hang here, before any worker's time limit applies
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LoadError(
            `module ${abs} did not finish loading in Chromium within ${timeoutMs} ms (--timeout, plus 30 s for starting the browser): does it loop or wait at import?`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([loadBrowserUserFunctions(abs, op, exportName), limit]);
  } finally {
    clearTimeout(timer);
    await closeBrowser();
  }
}

/** The `vet@2` document of a one-implementation campaign record (vet and score write the same JSON). */
export function toVetRecord(
  record: RunRecord,
  meta: { op: Op; format: FormatName; module: string | null; exec: string | null; hash: string | null },
): VetRecord {
  const impl = record.implementations[0];
  const seed = record.seed;
  return {
    schema: VET_SCHEMA,
    verdict: impl.verdict === 'fail' ? 'fail' : 'pass',
    verdicts: {
      inaccurate: impl.verdicts.inaccurate === 'fail' ? 'fail' : 'pass',
      wrong: impl.verdicts.wrong === 'fail' ? 'fail' : 'pass',
    },
    failOn: record.config.failOn,
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
      severity: c.finding.severity,
      seed,
      replay: c.replay,
    })),
    stats: {
      cases: impl.cases,
      passes: impl.passes,
      severityCounts: { ...impl.severityCounts },
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
      'MODULE [--browser] [--export NAME] [--op OP] [--format F] [--runs N] [--seed N] [--json FILE] [--html FILE] [--junit FILE] [--markdown FILE] | --exec CMD [--batch] …',
    description: [
      "Loads an ES module (.js, .mjs or .ts) whose export is (x: Float64Array | Float32Array, label?) => ArrayLike<number> | number | Promise<…> (Float32Array when --format f32), fuzzes it with extreme logits against the correctly rounded oracle, and prints a verdict with each finding kind's minimal counterexample and a replay command. The module runs in worker processes: if it hangs, throws, exits or crashes, that is a finding, and the run goes on.",
      'A module may also export a batch function, NAMEBatch beside NAME (softmaxBatch, log_softmaxBatch, …): (x, rows, cols, labels?: Int32Array) => the rows·cols answers flat (rows of them for logsumexp and cross_entropy), x the rows flat row-major. With it every batch is one call; without it the row function is called per row.',
      'With --exec CMD, the program is started once and spoken to in JSON lines: logitfuzz writes {"id","op","format","x","label"}, the program answers {"id","y"} (numbers as plain JSON, or "inf", "-inf", "nan", "-0"). With --batch, one request per batch instead: {"id","op","format","shape":[B,n],"x","labels"}, x the B rows flat row-major, answered {"id","y"} with y flat.',
      "With --browser, the module runs in a page of Debian's Chromium, headless (started through playwright-core, never a downloaded browser), served with its folder from a loopback server; a TypeScript module, or one importing a package or a file outside its folder, is bundled with esbuild first. The contract is the same; the page's crash is a crash and its hang a timeout.",
      'Exit code 1 when the implementation fails at the --fail-on level (inaccurate: any finding beyond the strict budget; wrong: only answers the --close check rejects); 2 when the module cannot be loaded.',
    ],
    flags: FLAGS,
    examples: [
      'logitfuzz vet ./softmax.mjs',
      'logitfuzz vet --browser ./webgpu-softmax.mjs --format f32',
      'logitfuzz vet ./lse.ts --op logsumexp --format f32',
      "logitfuzz vet --exec 'python3 my_softmax.py' --format f32",
      "logitfuzz vet --exec 'python3 my_softmax.py' --batch --op cross_entropy",
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
    if (flags.batch && !flags.exec)
      throw new UsageError('--batch goes with --exec CMD (a module exports its batch function instead)');
    if (flags.browser && !modulePath)
      throw new UsageError('--browser goes with a MODULE (it runs the module in a Chromium page)');
    const browser = flags.browser === true;
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
      try {
        // the browser's start and the page's set-up come on top of the module's own import
        if (browser) await checkInBrowser(abs, op, flags.export, flags.timeout + 30_000);
        else await loadUserFunction(abs, op, flags.export);
        hash = contentHash(abs);
      } catch (e) {
        if (e instanceof LoadError) throw new InputError(e.message);
        if (e instanceof Unavailable)
          throw new InputError(`cannot run ${modulePath} in the browser: ${e.message}`);
        throw e;
      }
      spec = {
        kind: 'module',
        name: `${op}/${browser ? 'user-chromium' : 'user'}/${format}`,
        path: abs,
        exportName: flags.export,
        op,
        format,
        ...(browser ? { browser: true } : {}),
      };
    } else {
      spec = {
        kind: 'exec',
        name: `${op}/exec/${format}`,
        command: flags.exec!,
        op,
        format,
        ...(flags.batch ? { batch: true } : {}),
      };
    }
    const seed = flags.seed ?? randomSeed();
    const target = modulePath
      ? [
          shellQuote(modulePath),
          ...(flags.export ? ['--export', shellQuote(flags.export)] : []),
          ...(browser ? ['--browser'] : []),
        ]
      : ['--exec', shellQuote(flags.exec!), ...(flags.batch ? ['--batch'] : [])];
    // a batch or a long row does not fit a command line: the same seed and options regenerate it
    const rerun = [
      'npx',
      'logitfuzz',
      'vet',
      ...argv,
      ...(flags.seed === undefined ? ['--seed', String(seed)] : []),
    ]
      .map(shellQuote)
      .join(' ');
    const replay = (_impl: string, x: number[], label: number | undefined, _kind: string, batch: boolean) =>
      batch || x.length > REPLAY_INLINE_MAX
        ? rerun
        : [
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
    const vetBase = flags.baseline ? readVetBaseline(flags.baseline, op, format) : undefined;
    const judge = judgeOptions(flags, true);
    const meta: ImplMeta = {
      name: spec.name,
      op,
      format,
      backend: 'user',
      formula: modulePath
        ? `export of ${modulePath}${browser ? ', in Chromium' : ''}`
        : `program: ${flags.exec}`,
      expected: EXPECT_PASS,
    };
    const measured = await campaign(io, {
      specs: [spec],
      meta: [meta],
      seed,
      runs: flags['time-limit'] !== undefined ? null : flags.runs,
      timeLimitS: flags['time-limit'] ?? null,
      shard: null,
      workers: Math.min(flags.workers ?? defaultWorkers(), 2),
      timeoutMs: flags.timeout,
      judge,
      failOn: flags['fail-on'],
      minLength: flags['min-length'],
      maxLength: flags['max-length'],
      maxBatch: flags['max-batch'],
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
    const base = vetBase ? vetBaselineRecord(vetBase, measured) : undefined;
    const replays = base ? await replayBaseline(base, [spec], [meta], judge, flags.timeout) : [];
    const record = base ? foldReplays(measured, replays) : measured;
    const impl = record.implementations[0];
    if (impl.verdict === 'unavailable')
      throw new InputError(`cannot run ${modulePath ?? flags.exec}: ${impl.unavailableReason}`);
    await write(io.stdout, formatSummary(record, { verbose: flags.verbose }));
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
    if (
      base &&
      !(await gate(io, base, record, replays, { tolerance: flags.tolerance, failOn: flags['fail-on'] })).ok
    )
      return 1;
    return impl.verdict === 'fail' ? 1 : 0;
  },
};
