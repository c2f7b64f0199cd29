import {
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  createReadStream,
  createWriteStream,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { CampaignError } from '../campaign/CampaignError.js';
import { mergeRecords } from '../campaign/merge.js';
import { renderHtml } from '../report/html.js';
import { CASES_SCHEMA, type RunRecord } from '../report/schema.js';
import { parseRunRecord, RecordError } from '../report/load.js';
import { parseArgs } from './args.js';
import { shellQuote } from './campaignFlags.js';
import type { Command } from './command.js';
import { InputError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { formatSummary } from './summary.js';

const FLAGS = {} as const;

function readRecord(dir: string): RunRecord {
  const file = existsSync(join(dir, 'results.json')) ? join(dir, 'results.json') : dir;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read a results.json in ${dir}: ${(e as Error).message}`);
  }
  // checked, so that a corrupt or hand-edited record is an input error naming the field, not a crash in mergeRecords
  try {
    return parseRunRecord(text, file);
  } catch (e) {
    if (e instanceof RecordError) throw new InputError(e.message);
    throw e;
  }
}

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'join the results of run --shard I/N into one result',
  help: formatHelp({
    name: 'merge',
    synopsis: 'OUT DIR...',
    description: [
      'Reads DIR/results.json of every shard of one campaign (run --shard 1/N … N/N with the same seed and options), writes OUT/results.json as an unsharded run would have written it, its report OUT/index.html, and OUT/cases.jsonl with every shard’s cases.',
    ],
    flags: FLAGS,
    examples: ['logitfuzz merge reports/all reports/s1 reports/s2'],
  }),
  async run(argv, io) {
    const { positionals } = parseArgs(argv, FLAGS, {
      command: 'merge',
      positionals: { min: 2, max: 10_000, name: 'OUT DIR...' },
    });
    const [out, ...dirs] = positionals;
    const records = dirs.map(readRecord);
    let merged: RunRecord;
    try {
      merged = mergeRecords(records, ['logitfuzz', 'merge', ...argv].map(shellQuote).join(' '));
    } catch (e) {
      if (e instanceof CampaignError) throw new InputError(e.message);
      throw e;
    }
    // a replay command of a long or batched counterexample names the results.json it sits in
    // (`replay --from DIR/results.json`): in the merged record, that is OUT's
    const here = shellQuote(join(out, 'results.json'));
    const there = dirs.map((d) => shellQuote(join(d, 'results.json')));
    merged = JSON.parse(
      JSON.stringify(merged, (key, value: unknown) =>
        key === 'replay' && typeof value === 'string'
          ? there.reduce((v, t) => v.split(`--from ${t} `).join(`--from ${here} `), value)
          : value,
      ),
    ) as RunRecord;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.json'), JSON.stringify(merged, null, 1) + '\n');
    writeFileSync(join(out, 'index.html'), renderHtml(merged));
    const cases = createWriteStream(join(out, 'cases.jsonl'));
    await write(cases, JSON.stringify({ schema: CASES_SCHEMA, key: 'merged', shards: dirs }) + '\n');
    for (const d of dirs) {
      const f = join(d, 'cases.jsonl');
      if (!existsSync(f)) continue;
      // streamed: a long campaign's cases.jsonl exceeds memory, and V8's longest string (~512 MiB)
      const rl = createInterface({ input: createReadStream(f), crlfDelay: Infinity });
      let header = true;
      for await (const line of rl) {
        if (header) header = false;
        else if (line.trim()) await write(cases, line + '\n');
      }
    }
    await new Promise<void>((resolve) => cases.end(resolve));
    await write(
      io.stdout,
      formatSummary(merged) +
        `\nwrote ${join(out, 'results.json')}, ${join(out, 'index.html')} and ${join(out, 'cases.jsonl')}\n`,
    );
    return 0;
  },
};
