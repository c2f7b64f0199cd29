import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compareRecords, comparisonMarkdown, formatComparison } from '../report/compare.js';
import { parseRunRecord, RecordError } from '../report/load.js';
import type { RunRecord } from '../report/schema.js';
import { parseArgs } from './args.js';
import type { Command } from './command.js';
import { InputError, oneLine } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { SEVERITY_FLAGS } from './campaignFlags.js';

const FLAGS = {
  tolerance: {
    type: 'number',
    min: 0,
    default: 0,
    value: 'ULPS',
    help: 'growth of an implementation’s max ULP error allowed before it is a regression',
  },
  markdown: {
    type: 'string',
    value: 'FILE',
    help: 'also write the comparison as Markdown (it is appended to $GITHUB_STEP_SUMMARY too when that is set)',
  },
  'allow-missing': {
    type: 'boolean',
    help: 'an implementation of BASE missing or unavailable in HEAD is a note, not a regression',
  },
  'fail-on': SEVERITY_FLAGS['fail-on'],
} as const;

/**
 * Reads a run record from a results.json, or from a folder holding one; any problem is an exit-2 InputError
 * naming the file.
 */
function readRunRecord(path: string, role: string): RunRecord {
  let file = path;
  try {
    if (existsSync(path) && statSync(path).isDirectory()) file = join(path, 'results.json');
  } catch {
    // fall through to the read, which names the problem
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read the ${role} ${file}: ${code === 'ENOENT' ? 'no such file' : oneLine((e as Error).message)}`,
    );
  }
  try {
    return parseRunRecord(text, `the ${role} ${file}`);
  } catch (e) {
    if (e instanceof RecordError) throw new InputError(e.message);
    throw e;
  }
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'the regression gate: compare a run with a baseline run',
  help: formatHelp({
    name: 'compare',
    synopsis: 'BASE HEAD [--tolerance ULPS] [--fail-on inaccurate|wrong] [--markdown FILE] [--allow-missing]',
    description: [
      'Compares two results.json files written by `logitfuzz run` (or folders holding one): BASE, the stored baseline, and HEAD, the run to check. Made with the same seed and options, they hold the same cases, so every difference comes from the code.',
      'HEAD regresses when an implementation of BASE gains a finding kind, its max ULP error grows by more than --tolerance, it newly fails, or it is missing or unavailable in HEAD (unless --allow-missing). Improvements and new implementations are listed but do not fail.',
      'Exit code 1 on a regression; 2 when a file cannot be read or is not a run record.',
      'To update the baseline, copy HEAD’s results.json over the stored baseline and commit it (see docs/reports.md).',
    ],
    flags: FLAGS,
    examples: [
      'logitfuzz compare baseline/results.json reports/latest',
      'logitfuzz compare base.json head.json --tolerance 2 --markdown compare.md',
    ],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'compare',
      positionals: { min: 2, max: 2, name: 'BASE and HEAD (two results.json files or folders)' },
    });
    const base = readRunRecord(positionals[0], 'baseline');
    const head = readRunRecord(positionals[1], 'HEAD record');
    const c = compareRecords(base, head, {
      tolerance: flags.tolerance,
      allowMissing: flags['allow-missing'],
      failOn: flags['fail-on'],
    });
    await write(io.stdout, formatComparison(c));
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (flags.markdown !== undefined || summary) {
      const md = comparisonMarkdown(c);
      if (flags.markdown !== undefined) {
        try {
          mkdirSync(dirname(flags.markdown), { recursive: true });
          writeFileSync(flags.markdown, md);
        } catch (e) {
          throw new InputError(`cannot write ${flags.markdown}: ${oneLine((e as Error).message)}`);
        }
      }
      if (summary) {
        try {
          appendFileSync(summary, `${md}\n`);
        } catch (e) {
          await write(
            io.stderr,
            `logitfuzz: warning: cannot append to $GITHUB_STEP_SUMMARY (${summary}): ${oneLine((e as Error).message)}\n`,
          );
        }
      }
    }
    return c.ok ? 0 : 1;
  },
};
