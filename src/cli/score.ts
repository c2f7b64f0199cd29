import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImplSpec } from '../campaign/implSpec.js';
import type { CaseInput } from '../campaign/protocol.js';
import { decodeVector, JsonNumberError } from '../formats/jsonNumber.js';
import { formatSpec, isRepresentable } from '../formats/index.js';
import { FORMAT_NAMES, isFormatName, type FormatName } from '../vocabulary/FormatName.js';
import { contentHash } from '../impls/load.js';
import { readJsonLines, TableError } from '../impls/table.js';
import { isOp, needsLabel, OPS, type Op } from '../vocabulary/Op.js';
import { parseArgs } from './args.js';
import {
  baseEnvironment,
  judgeOptions,
  defaultWorkers,
  gitCommit,
  SEVERITY_FLAGS,
  shellQuote,
} from './campaignFlags.js';
import type { Command } from './command.js';
import { InputError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { campaign } from './campaign.js';
import { formatSummary } from './summary.js';
import { logitfuzzVersion } from './version.js';
import { toVetRecord } from './vet.js';
import { SPECIALS_POLICIES } from '../vocabulary/SpecialsPolicy.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

const FLAGS = {
  json: {
    type: 'string',
    value: 'FILE',
    help: 'write the verdict as JSON (schema logitfuzz/vet@2, as vet writes it)',
  },
  budget: {
    type: 'number',
    min: 0,
    value: 'ULPS',
    help: 'per-element budget in ULPs instead of the derived budgets',
  },
  specials: {
    type: 'string',
    choices: SPECIALS_POLICIES,
    default: 'report',
    value: 'P',
    help: 'whether deviations on NaN/±Inf inputs fail the verdict',
  },
  ...SEVERITY_FLAGS,
} as const;

function readCases(file: string): { cases: CaseInput[]; op: Op; format: FormatName } {
  const rows = readJsonLines(file);
  if (rows.length === 0) throw new TableError(`${file} holds no cases`);
  const cases: CaseInput[] = [];
  let op: Op | undefined;
  let format: FormatName | undefined;
  rows.forEach((r, i) => {
    const where = `${file} case ${i + 1}`;
    if (typeof r.op !== 'string' || !isOp(r.op))
      throw new TableError(`${where}: "op" must be one of ${OPS.join(', ')}`);
    if (typeof r.format !== 'string' || !isFormatName(r.format))
      throw new TableError(`${where}: "format" must be one of ${FORMAT_NAMES.join(', ')}`);
    if (op !== undefined && (r.op !== op || r.format !== format))
      throw new TableError(
        `${where}: every case must have the same op and format (score one implementation at a time)`,
      );
    const rop: Op = r.op;
    const rformat: FormatName = r.format;
    op = rop;
    format = rformat;
    let x: Float64Array;
    try {
      x = decodeVector(r.x);
    } catch (e) {
      throw new TableError(
        `${where}: "x" ${e instanceof JsonNumberError ? e.message : 'must be an array of numbers'}`,
      );
    }
    // JSON.parse reads 1e999 as Infinity: a finite logit too large for binary64, not "inf" (as the oracle
    // command rules)
    const huge = (r.x as unknown[]).findIndex((v) => typeof v === 'number' && !Number.isFinite(v));
    if (huge >= 0)
      throw new TableError(
        `${where}: logit ${huge} is too large for binary64; write "inf" or "-inf" for an infinite logit`,
      );
    const fmt = formatSpec(rformat);
    const bad = Array.from(x).findIndex((v) => !isRepresentable(fmt, v));
    if (bad >= 0)
      throw new TableError(`${where}: logit ${bad} (${x[bad]}) is not representable in ${rformat}`);
    const label = r.label;
    if (
      needsLabel(rop) &&
      (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= x.length)
    )
      throw new TableError(`${where}: ${rop} needs "label", an integer in [0, ${x.length})`);
    cases.push({
      id: i,
      op: rop,
      format: rformat,
      region: 'scored',
      x,
      label: needsLabel(rop) ? (label as number) : undefined,
    });
  });
  return { cases, op: op!, format: format! };
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score outputs computed offline against the oracle, exactly as vet would',
  help: formatHelp({
    name: 'score',
    synopsis: 'CASES OUTPUTS [--json FILE] [--budget ULPS] [--specials P]',
    description: [
      'CASES is what `logitfuzz cases export` wrote; OUTPUTS holds one {"id","y"} line per case, computed by the implementation under test in any language. Judges every output against the correctly rounded oracle, with the same findings, verdict and JSON as vet (no shrinking: the outputs of other inputs are unknown). A case with no output line is a crash finding.',
      'Exit code 1 when the implementation fails at the --fail-on level.',
    ],
    flags: FLAGS,
    examples: [
      'logitfuzz cases export --seed 3 > cases.jsonl && python3 mine.py < cases.jsonl > out.jsonl && logitfuzz score cases.jsonl out.jsonl',
    ],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'score',
      positionals: { min: 2, max: 2, name: 'CASES OUTPUTS' },
    });
    const [casesFile, outputsFile] = positionals.map((p) => resolve(p));
    let parsed: ReturnType<typeof readCases>;
    try {
      parsed = readCases(casesFile);
      readJsonLines(outputsFile);
    } catch (e) {
      if (e instanceof TableError) throw new InputError(e.message);
      throw e;
    }
    const { cases, op, format } = parsed;
    const spec: ImplSpec = {
      kind: 'table',
      name: `${op}/scored/${format}`,
      casesFile,
      outputsFile,
      op,
      format,
    };
    const record = await campaign(io, {
      specs: [spec],
      meta: [
        {
          name: spec.name,
          op,
          format,
          backend: 'user',
          formula: `outputs in ${positionals[1]}`,
          expected: EXPECT_PASS,
        },
      ],
      seed: 0,
      runs: null,
      timeLimitS: null,
      shard: null,
      workers: Math.min(defaultWorkers(), 2),
      timeoutMs: 10_000,
      judge: judgeOptions(flags, false),
      failOn: flags['fail-on'],
      minLength: 0,
      maxLength: Number.MAX_SAFE_INTEGER,
      casesFile: null,
      resume: false,
      shrinkEvals: 0,
      cases,
      replayCommand: () => `npx logitfuzz score ${shellQuote(positionals[0])} ${shellQuote(positionals[1])}`,
      command: ['logitfuzz', 'score', ...argv].map(shellQuote).join(' '),
      version: logitfuzzVersion(),
      commit: gitCommit(),
      environment: baseEnvironment(),
    });
    const impl = record.implementations[0];
    if (impl.verdict === 'unavailable') throw new InputError(`cannot score: ${impl.unavailableReason}`);
    await write(io.stdout, formatSummary(record));
    const vet = toVetRecord(record, { op, format, module: null, exec: null, hash: contentHash(outputsFile) });
    if (flags.json) writeFileSync(flags.json, JSON.stringify(vet, null, 1) + '\n');
    await write(io.stdout, `\nverdict: ${impl.verdict.toUpperCase()} (${impl.cases} cases)\n`);
    return impl.verdict === 'fail' ? 1 : 0;
  },
};
