import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImplSpec } from '../campaign/implSpec.js';
import type { ImplMeta } from '../campaign/options.js';
import { encodeVector } from '../formats/jsonNumber.js';
import { loadUserFunction, LoadError } from '../impls/load.js';
import { renderSurveyMarkdown } from '../report/survey.js';
import {
  SURVEY_SCHEMA,
  type SurveyEntryRecord,
  type SurveyExpectation,
  type SurveyRecord,
  type SurveyRowRecord,
  type SurveyRunRecord,
} from '../report/schema.js';
import { OPS, type Op } from '../vocabulary/Op.js';
import {
  EXPECT_INACCURATE,
  EXPECT_PASS,
  EXPECT_WRONG,
  gradeOf,
  type Expected,
} from '../vocabulary/Severity.js';
import { parseArgs } from './args.js';
import { campaign } from './campaign.js';
import {
  baseEnvironment,
  CAMPAIGN_FLAGS,
  defaultWorkers,
  gitCommit,
  judgeOptions,
  shellQuote,
} from './campaignFlags.js';
import type { Command } from './command.js';
import { InputError, UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { writeReports } from './reportFlags.js';
import { readSurveyManifest, type SurveyEntry, type SurveyManifest } from './surveyManifest.js';
import { logitfuzzVersion } from './version.js';

/** `--quick`: random cases per op × format (after the fixed probes), fixed so CI's run is reproducible. */
const QUICK_RUNS = 8;
/** `--quick`: shrink evaluations per counterexample. */
const QUICK_SHRINK = 30;
/** The seed when none is given: a survey is a document, reproducible by default. */
const DEFAULT_SEED = 1;

const FLAGS = {
  ...CAMPAIGN_FLAGS,
  runs: { ...CAMPAIGN_FLAGS.runs, default: 40 },
  'time-limit': {
    type: 'number',
    min: 1,
    value: 'S',
    help: 'seconds per entry instead of --runs (the campaign stops after S × entries seconds)',
  },
  out: {
    type: 'string',
    default: 'reports/survey',
    value: 'DIR',
    help: 'output folder: results.json, index.html and survey.md',
  },
  quick: {
    type: 'boolean',
    help: `${QUICK_RUNS} random cases per op × format after the probes, ${QUICK_SHRINK} shrink evaluations: a reproducible regression run`,
  },
  only: {
    type: 'string',
    value: 'IDS',
    help: 'comma-separated entry ids: survey only these',
  },
} as const;

const EXPECTED: Readonly<Record<Exclude<SurveyExpectation, 'unavailable'>, Expected>> = {
  pass: EXPECT_PASS,
  inaccurate: EXPECT_INACCURATE,
  wrong: EXPECT_WRONG,
};

/** The implementation name of an entry's op in a format. */
const implName = (e: SurveyEntry, op: Op, format: string) =>
  e.builtin ? `${op}/${e.builtin}/${format}` : `${op}/${e.id}/${format}`;

/** An exec entry's command line, run in the manifest's folder. */
const execCommand = (m: SurveyManifest, e: SurveyEntry) =>
  `cd ${shellQuote(relative(process.cwd(), m.dir) || '.')} && ${e.exec!}`;

/** Package versions of an entry, read at run time; problems become `{"error": …}` entries, never a crash. */
async function versionsOf(m: SurveyManifest, e: SurveyEntry): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    if (e.module) {
      const mod = (await import(pathToFileURL(resolve(m.dir, e.module)).href)) as { versions?: unknown };
      if (typeof mod.versions === 'object' && mod.versions !== null)
        for (const [k, v] of Object.entries(mod.versions)) if (typeof v === 'string') out[k] = v;
    }
    if (e.versions) {
      const text = execSync(e.versions, {
        cwd: m.dir,
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const v = JSON.parse(text.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
    }
    for (const pkg of e.dpkg ?? []) {
      try {
        out[`${pkg} (dpkg)`] = execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim();
      } catch {
        out[`${pkg} (dpkg)`] = 'not installed';
      }
    }
  } catch (err) {
    out.error = `versions not read: ${(err as Error).message.split('\n')[0]}`;
  }
  return out;
}

export const surveyCommand: Command = {
  name: 'survey',
  summary: 'vet every library of a manifest, in one campaign, and write a survey (HTML, Markdown, JSON)',
  help: formatHelp({
    name: 'survey',
    synopsis: 'MANIFEST [--out DIR] [--runs N | --time-limit S] [--quick] [--only IDS] [--seed N]',
    description: [
      `Reads a JSON manifest (schema logitfuzz/survey-manifest@1: entries each with an id, the library, its ecosystem, how to call it — "module": an ES module exporting a function per op as for vet, "exec": a JSON-lines program as for vet --exec, with "batch" and a "versions" command, or "builtin": a zoo formulation —, "calls" (op → the library function), "formats", and "expected" ("op/format" → pass, inaccurate, wrong or unavailable)), vets every entry × op × format in one campaign whose cases and oracle are shared by all entries, and writes DIR/results.json (the run record with a "survey" field), DIR/index.html (the report) and DIR/survey.md (the table, what was found, counterexamples and upstream reports).`,
      'A program that cannot do an op in a format answers the first request {"id","unavailable": reason}; the entry is then unavailable there.',
      'Exit code 1 when an entry does not earn the grade the manifest expects, 2 for a bad manifest.',
    ],
    flags: FLAGS,
    examples: [
      'logitfuzz survey survey/libraries.json',
      'logitfuzz survey my-libs.json --quick --out reports/mine',
    ],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'survey',
      positionals: { min: 1, max: 1, name: 'MANIFEST' },
    });
    if (flags['time-limit'] !== undefined && argv.some((a) => a === '--runs' || a.startsWith('--runs=')))
      throw new UsageError('give --runs or --time-limit, not both');
    const manifestPath = positionals[0];
    const manifest = readSurveyManifest(manifestPath);
    const only = flags.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = only?.filter((id) => !manifest.entries.some((e) => e.id === id));
    if (unknown?.length)
      throw new UsageError(
        `--only: no entry ${unknown.map((u) => JSON.stringify(u)).join(', ')} in ${manifestPath} (its ids: ${manifest.entries.map((e) => e.id).join(', ')})`,
      );
    const entries = manifest.entries.filter((e) => !only || only.includes(e.id));

    const specs: ImplSpec[] = [];
    const meta: ImplMeta[] = [];
    for (const e of entries)
      for (const op of OPS) {
        if (!(op in e.calls)) continue;
        // a module that cannot be loaded, or lacks an op's export, is a bad manifest: exit 2 before any worker
        if (e.module) {
          try {
            await loadUserFunction(resolve(manifest.dir, e.module), op, undefined);
          } catch (err) {
            if (err instanceof LoadError)
              throw new InputError(`${manifestPath}, entry ${e.id}: ${err.message}`);
            throw err;
          }
        }
        for (const format of e.formats) {
          const name = implName(e, op, format);
          specs.push(
            e.module
              ? { kind: 'module', name, path: resolve(manifest.dir, e.module), op, format }
              : e.exec
                ? {
                    kind: 'exec',
                    name,
                    command: execCommand(manifest, e),
                    op,
                    format,
                    ...(e.batch ? { batch: true } : {}),
                  }
                : { kind: 'builtin', name },
          );
          const want = e.expected[`${op}/${format}`];
          meta.push({
            name,
            op,
            format,
            backend: e.ecosystem,
            formula: `${e.library}: ${e.calls[op]}`,
            expected: want === 'unavailable' ? EXPECT_PASS : EXPECTED[want],
          });
        }
      }

    const quick = flags.quick === true;
    const seed = flags.seed ?? DEFAULT_SEED;
    const runs = quick ? QUICK_RUNS : flags['time-limit'] !== undefined ? null : flags.runs;
    const byName = new Map(
      entries.flatMap((e) => OPS.flatMap((op) => e.formats.map((f) => [implName(e, op, f), e] as const))),
    );
    const replay = (impl: string, x: number[], label: number | undefined, kind: string, batch: boolean) => {
      const e = byName.get(impl)!;
      const [op, , format] = impl.split('/');
      // a batch or a long row: the record holds it (or its case id), and replay --from reads it
      if (batch || x.length > 64)
        return `npx logitfuzz replay --from ${shellQuote(join(flags.out, 'results.json'))} --impl ${shellQuote(impl)} --kind ${kind}`;
      const target = e.module
        ? ['--module', shellQuote(relative(process.cwd(), resolve(manifest.dir, e.module)))]
        : e.exec
          ? ['--exec', shellQuote(execCommand(manifest, e)), ...(e.batch ? ['--batch'] : [])]
          : ['--impl', shellQuote(impl)];
      return [
        'npx logitfuzz replay',
        ...target,
        ...(e.builtin ? [] : ['--op', op, '--format', format]),
        '--x',
        shellQuote(JSON.stringify(encodeVector(x))),
        ...(label !== undefined ? ['--label', String(label)] : []),
      ].join(' ');
    };

    const measured = await campaign(io, {
      specs,
      meta,
      seed,
      runs,
      timeLimitS: flags['time-limit'] !== undefined ? flags['time-limit'] * entries.length : null,
      shard: null,
      workers: flags.workers ?? defaultWorkers(),
      timeoutMs: flags.timeout,
      judge: judgeOptions(flags, true),
      failOn: flags['fail-on'],
      minLength: flags['min-length'],
      maxLength: flags['max-length'],
      maxBatch: flags['max-batch'],
      casesFile: null,
      resume: false,
      shrinkEvals: quick ? Math.min(QUICK_SHRINK, flags['shrink-evals']) : flags['shrink-evals'],
      search: 0,
      replayCommand: replay,
      command: ['logitfuzz', 'survey', ...argv].map(shellQuote).join(' '),
      version: logitfuzzVersion(),
      commit: gitCommit(),
      environment: { ...baseEnvironment(), ...pythonEnvironment(entries) },
    });

    const impls = new Map(measured.implementations.map((i) => [i.name, i]));
    const surveyEntries: SurveyEntryRecord[] = [];
    for (const e of entries) {
      const versions = await versionsOf(manifest, e);
      // a zoo adapter states its library versions in its environment ("pkg@1.2.3 + pkg@1.2.3")
      if (e.builtin) {
        const first = measured.implementations.find((i) => i.name.split('/')[1] === e.builtin);
        for (const part of (first?.environment?.library ?? '').split(' + ')) {
          const at = part.lastIndexOf('@');
          if (at > 0) versions[part.slice(0, at)] = part.slice(at + 1);
        }
      }
      const rows: SurveyRowRecord[] = [];
      let ms = 0;
      for (const op of OPS) {
        if (!(op in e.calls)) continue;
        for (const format of e.formats) {
          const name = implName(e, op, format);
          const i = impls.get(name)!;
          ms += i.timing.ms;
          const grade: SurveyExpectation = i.verdict === 'unavailable' ? 'unavailable' : gradeOf(i.verdicts);
          const expected = e.expected[`${op}/${format}`];
          rows.push({ op, format, impl: name, expected, grade, asExpected: grade === expected });
        }
      }
      surveyEntries.push({
        id: e.id,
        library: e.library,
        ecosystem: e.ecosystem,
        how: e.module
          ? `module ${e.module}`
          : e.exec
            ? `exec ${e.exec}${e.batch ? ' (--batch)' : ''}`
            : `builtin ${e.builtin}`,
        call: {
          dir: relative(process.cwd(), manifest.dir) || '.',
          ...(e.module ? { module: e.module } : {}),
          ...(e.exec ? { exec: e.exec, ...(e.batch ? { batch: true } : {}) } : {}),
          ...(e.builtin ? { builtin: e.builtin } : {}),
        },
        versions,
        calls: e.calls,
        ...(e.notes ? { notes: e.notes } : {}),
        ...(e.summary ? { summary: e.summary } : {}),
        ...(e.tracker ? { tracker: e.tracker } : {}),
        ...(e.knownIssues ? { knownIssues: e.knownIssues } : {}),
        ms: Math.round(ms),
        rows,
      });
    }
    const survey: SurveyRecord = {
      schema: SURVEY_SCHEMA,
      title: manifest.title ?? `Survey of ${manifestPath}`,
      manifest: manifestPath,
      quick,
      entries: surveyEntries,
    };
    // the versions also go with each implementation, where the HTML report shows them
    const record: SurveyRunRecord = {
      ...measured,
      implementations: measured.implementations.map((i) => {
        const e = surveyEntries.find((s) => s.rows.some((r) => r.impl === i.name));
        return e ? { ...i, environment: { ...(i.environment ?? {}), ...e.versions } } : i;
      }),
      survey,
    };
    const outDir = resolve(flags.out);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(record, null, 1) + '\n');
    writeFileSync(join(outDir, 'survey.md'), renderSurveyMarkdown(record));
    await writeReports(io, record, { index: join(outDir, 'index.html') });
    const rows = surveyEntries.flatMap((e) => e.rows.map((r) => ({ e, r })));
    const width = Math.max(...rows.map(({ r }) => r.impl.length));
    let text = '';
    for (const { r } of rows)
      text += `${r.impl.padEnd(width)}  ${r.grade.padEnd(11)}${r.asExpected ? '' : `! expected ${r.expected}`}\n`;
    const off = rows.filter(({ r }) => !r.asExpected);
    text += `\n${rows.length} entry × op × format row${rows.length === 1 ? '' : 's'} over ${surveyEntries.length} entr${surveyEntries.length === 1 ? 'y' : 'ies'}: ${
      off.length ? `${off.length} not as expected` : 'all as expected'
    }\nwrote ${join(flags.out, 'results.json')}, ${join(flags.out, 'index.html')}, ${join(flags.out, 'survey.md')} (seed ${seed})\n`;
    await write(io.stdout, text);
    return off.length ? 1 : 0;
  },
};

/** The Python interpreter of exec entries that name one, as the record's environment states it. */
function pythonEnvironment(entries: readonly SurveyEntry[]): Record<string, string> {
  const py = entries
    .map((e) => /(\S*python3?(\.\d+)?)\b/.exec(e.exec ?? '')?.[1])
    .find((p) => p !== undefined);
  if (!py) return {};
  try {
    return {
      python: execFileSync(py, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(),
    };
  } catch {
    return {};
  }
}
