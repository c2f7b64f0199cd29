import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkerPool } from '../campaign/pool.js';
import type { ImplSpec } from '../campaign/implSpec.js';
import { decodeVector, encodeVector, JsonNumberError } from '../formats/jsonNumber.js';
import { formatSpec, isRepresentable } from '../formats/index.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import { parseRunRecord, RecordError } from '../report/load.js';
import { parseArgs } from './args.js';
import { FORMAT_FLAG, OP_FLAG } from './campaignFlags.js';
import type { Command } from './command.js';
import { InputError, UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { SPECIALS_POLICIES } from '../vocabulary/SpecialsPolicy.js';

const FLAGS = {
  impl: { type: 'string', value: 'NAME', help: 'a built-in implementation (see logitfuzz list)' },
  module: { type: 'string', value: 'PATH', help: 'an ES module, as for vet' },
  export: { type: 'string', value: 'NAME', help: 'the export of --module' },
  exec: { type: 'string', value: 'CMD', help: 'a JSON-lines program, as for vet --exec' },
  op: OP_FLAG,
  format: FORMAT_FLAG,
  x: {
    type: 'string',
    value: 'JSON',
    help: 'the logits, a JSON array (numbers, or "inf", "-inf", "nan", "-0")',
  },
  label: { type: 'integer', min: 0, value: 'K', help: 'the class label (cross-entropy ops)' },
  specials: {
    type: 'string',
    choices: SPECIALS_POLICIES,
    default: 'report',
    value: 'P',
    help: 'special-values policy',
  },
  budget: { type: 'number', min: 0, value: 'ULPS', help: 'per-element budget override' },
  timeout: { type: 'integer', min: 1, default: 10000, value: 'MS', help: 'per-call time limit' },
} as const;

interface Target {
  spec: ImplSpec;
  op: Op;
  format: FormatName;
  x: Float64Array;
  label?: number;
}

async function targetsFromFile(path: string): Promise<Target[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  // checked (schema and fields), so that a corrupt record is an input error naming the field, not a crash
  let doc: {
    implementations: readonly {
      name: string;
      op: Op;
      format: FormatName;
      counterexamples: Record<string, { input: unknown; label?: number }>;
    }[];
  };
  try {
    doc = parseRunRecord(text, path) as unknown as typeof doc;
  } catch (e) {
    if (e instanceof RecordError) throw new InputError(e.message);
    throw e;
  }
  const out: Target[] = [];
  for (const impl of doc.implementations) {
    for (const c of Object.values(impl.counterexamples ?? {})) {
      out.push({
        spec: { kind: 'builtin', name: impl.name },
        op: impl.op,
        format: impl.format,
        x: decodeVector(c.input),
        label: c.label,
      });
    }
  }
  return out;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'reproduce a finding: one input on one implementation, or every counterexample of a results file',
  help: formatHelp({
    name: 'replay',
    synopsis:
      '(--impl NAME | --module PATH | --exec CMD) --x JSON [--label K] [--op OP] [--format F] | RESULTS.json',
    description: [
      'Runs one implementation on one input in a worker process, prints the correctly rounded result, the output, the ULP error per element and the findings. Given a results.json instead, replays every stored counterexample and reports which still reproduce.',
      'Exit code 1 when a finding reproduces, 0 when none does.',
    ],
    flags: FLAGS,
    examples: [
      "logitfuzz replay --impl softmax/naive/f64 --x '[710]'",
      'logitfuzz replay reports/latest/results.json',
    ],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'replay',
      positionals: { min: 0, max: 1, name: 'RESULTS' },
    });
    let targets: Target[];
    if (positionals[0]) {
      targets = await targetsFromFile(positionals[0]);
      if (targets.length === 0) {
        await write(io.stdout, 'no counterexamples stored: nothing to replay\n');
        return 0;
      }
    } else {
      const chosen = [flags.impl, flags.module, flags.exec].filter((v) => v !== undefined).length;
      if (chosen !== 1)
        throw new UsageError(
          'give exactly one of --impl NAME, --module PATH, --exec CMD (or a results file)',
        );
      if (flags.x === undefined)
        throw new UsageError("--x is required: the logits as a JSON array, e.g. --x '[710, 0]'");
      let x: Float64Array;
      try {
        x = decodeVector(JSON.parse(flags.x));
      } catch (e) {
        throw new UsageError(
          `--x must be a JSON array of numbers (or "inf", "-inf", "nan", "-0"): ${e instanceof JsonNumberError || e instanceof SyntaxError ? e.message : String(e)}`,
        );
      }
      // JSON.parse reads 1e999 as Infinity: too large for binary64, not "inf" (as the oracle command rules)
      const huge = (JSON.parse(flags.x) as unknown[]).findIndex(
        (v) => typeof v === 'number' && !Number.isFinite(v),
      );
      if (huge >= 0)
        throw new UsageError(
          `--x element ${huge} is too large for binary64; write "inf" or "-inf" for an infinite logit`,
        );
      let op = flags.op ?? 'softmax';
      let format = flags.format ?? 'f64';
      let spec: ImplSpec;
      if (flags.impl) {
        const { allImplementations } = await import('../impls/registry.js');
        const impl = allImplementations().find((i) => i.name === flags.impl);
        if (!impl)
          throw new UsageError(`no built-in implementation named '${flags.impl}'; run 'logitfuzz list'`);
        op = impl.op;
        format = impl.format;
        spec = { kind: 'builtin', name: impl.name };
      } else if (flags.module)
        spec = {
          kind: 'module',
          name: `${op}/user/${format}`,
          path: resolve(flags.module),
          exportName: flags.export,
          op,
          format,
        };
      else spec = { kind: 'exec', name: `${op}/exec/${format}`, command: flags.exec!, op, format };
      const fmt = formatSpec(format);
      const bad = Array.from(x).findIndex((v) => !isRepresentable(fmt, v));
      if (bad >= 0) throw new UsageError(`--x element ${bad} (${x[bad]}) is not representable in ${format}`);
      if (needsLabel(op) && (flags.label === undefined || flags.label >= x.length))
        throw new UsageError(`${op} needs --label K with 0 ≤ K < ${x.length}`);
      targets = [{ spec, op, format, x, label: needsLabel(op) ? flags.label : undefined }];
    }
    let reproduced = 0;
    const specs = [...new Map(targets.map((t) => [t.spec.name, t.spec])).values()];
    const pool = new WorkerPool(specs, { workers: 1, timeoutMs: flags.timeout });
    try {
      const avail = await pool.start();
      for (const t of targets) {
        const a = avail[t.spec.name];
        if (!a?.available) throw new InputError(`${t.spec.name} is unavailable: ${a?.reason ?? 'unknown'}`);
        const r = await pool.run(
          { id: -1, op: t.op, format: t.format, region: 'replay', x: t.x, label: t.label },
          [t.spec.name],
          { specials: flags.specials, budget: flags.budget, checkDeterminism: true },
          true,
        );
        if (r.oracleError) throw new InputError(r.oracleError);
        const o = r.outcomes[0];
        let text = `${t.spec.name} on ${JSON.stringify(encodeVector(t.x))}${t.label !== undefined ? ` label ${t.label}` : ''}\n`;
        text += `  expected ${JSON.stringify(encodeVector(r.oracle!.values))}\n  actual   ${o.output ? JSON.stringify(encodeVector(o.output)) : '(no output)'}\n  max ulps ${o.maxUlps}\n`;
        if (o.findings.length === 0) text += '  no finding: within budget\n';
        for (const f of o.findings)
          text += `  ${f.kind}${f.index >= 0 ? ` at ${f.index}` : ''}: ${f.diagnosis}\n`;
        if (o.findings.length) reproduced++;
        await write(io.stdout, text);
      }
    } finally {
      await pool.close();
    }
    if (targets.length > 1)
      await write(io.stdout, `${reproduced} of ${targets.length} counterexample(s) reproduce\n`);
    return reproduced > 0 ? 1 : 0;
  },
};
