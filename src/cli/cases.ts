import { caseAt, groupsOf, probeCount, type CaseSpace } from '../campaign/cases.js';
import { randomSeed } from '../campaign/seed.js';
import { encodeVector } from '../formats/jsonNumber.js';
import { parseArgs } from './args.js';
import { FORMAT_FLAG, OP_FLAG } from './campaignFlags.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { SPECIALS_POLICIES } from '../vocabulary/SpecialsPolicy.js';

const FLAGS = {
  op: { ...OP_FLAG, default: 'softmax' },
  format: { ...FORMAT_FLAG, default: 'f64' },
  runs: { type: 'integer', min: 1, default: 200, value: 'N', help: 'random cases (after the fixed probes)' },
  seed: { type: 'integer', value: 'N', help: 'seed (random and printed on stderr when absent)' },
  specials: {
    type: 'string',
    choices: SPECIALS_POLICIES,
    default: 'report',
    value: 'P',
    help: 'include NaN/±Inf cases unless skip',
  },
  'min-length': { type: 'integer', min: 0, default: 1, value: 'N', help: 'shortest logit vector' },
  'max-length': {
    type: 'integer',
    min: 1,
    default: 262144,
    value: 'N',
    help: 'longest logit vector; 1 case in 8 is above 256 (below 256: short rows only)',
  },
  'no-probes': { type: 'boolean', help: 'leave out the fixed probes' },
} as const;

/**
 * The cases `vet` would generate for one op and format, for a program that cannot be driven
 * over stdin/stdout: run them in any language, write `{"id","y"}` lines, then `score`.
 */
export const casesCommand: Command = {
  name: 'cases',
  summary: 'cases export: write the generated cases as JSON lines, for scoring offline with score',
  help: formatHelp({
    name: 'cases',
    synopsis: 'export [--op OP] [--format F] [--runs N] [--seed N] > cases.jsonl',
    description: [
      'Writes one JSON line per case, {"id","op","format","x","label"} (numbers as the oracle encodes them: plain JSON, or "inf", "-inf", "nan", "-0"): the fixed probes, then N random cases from the seed — the same cases vet generates with these options. Answer each with a {"id","y"} line, then run `logitfuzz score cases.jsonl outputs.jsonl`.',
    ],
    flags: FLAGS,
    examples: ['logitfuzz cases export --format f32 --runs 500 --seed 3 > cases.jsonl'],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'cases',
      positionals: { min: 1, max: 1, name: 'export' },
    });
    if (positionals[0] !== 'export')
      throw new UsageError(`unknown subcommand '${positionals[0]}': the only one is 'cases export'`);
    if (flags['min-length'] > flags['max-length'])
      throw new UsageError(
        `--min-length ${flags['min-length']} is above --max-length ${flags['max-length']}`,
      );
    const seed = flags.seed ?? randomSeed();
    if (flags.seed === undefined) await write(io.stderr, `logitfuzz: seed ${seed}\n`);
    const space: CaseSpace = {
      seed,
      groups: groupsOf([{ op: flags.op, format: flags.format }]),
      constraints: {
        minLength: flags['min-length'],
        maxLength: flags['max-length'],
        specials: flags.specials !== 'skip',
      },
      probes: !flags['no-probes'],
      // an exported case is one row ({"id","x"}), which is what score reads back
      maxBatch: 1,
    };
    const total = probeCount(space) + flags.runs;
    for (let id = 0; id < total; id++) {
      const c = caseAt(space, id);
      const line: Record<string, unknown> = { id, op: c.op, format: c.format, x: encodeVector(c.x) };
      if (c.label !== undefined) line.label = c.label;
      await write(io.stdout, JSON.stringify(line) + '\n');
    }
    return 0;
  },
};
