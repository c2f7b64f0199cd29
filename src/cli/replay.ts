import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { caseAt } from '../campaign/cases.js';
import { WorkerPool } from '../campaign/pool.js';
import type { CaseSpaceRecord, SurveyEntryRecord } from '../report/schema.js';
import type { ImplSpec } from '../campaign/implSpec.js';
import { decodeVector, describeJson, encodeVector, JsonNumberError } from '../formats/jsonNumber.js';
import { formatSpec, isRepresentable } from '../formats/index.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import { parseRunRecord, RecordError } from '../report/load.js';
import { elideVector } from '../report/elide.js';
import { parseArgs } from './args.js';
import { FORMAT_FLAG, OP_FLAG, shellQuote } from './campaignFlags.js';
import type { Command } from './command.js';
import { InputError, UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { SPECIALS_POLICIES } from '../vocabulary/SpecialsPolicy.js';

const FLAGS = {
  impl: { type: 'string', value: 'NAME', help: 'a built-in implementation (see logitfuzz list)' },
  module: { type: 'string', value: 'PATH', help: 'an ES module, as for vet' },
  export: { type: 'string', value: 'NAME', help: 'the export of --module' },
  browser: { type: 'boolean', help: 'with --module: run it in a Chromium page, as for vet --browser' },
  exec: { type: 'string', value: 'CMD', help: 'a JSON-lines program, as for vet --exec' },
  batch: {
    type: 'boolean',
    help: 'with --exec: send requests with "shape": [B, n] and a flat "x", as for vet --exec --batch',
  },
  op: OP_FLAG,
  format: FORMAT_FLAG,
  x: {
    type: 'string',
    value: 'JSON',
    help: 'the logits, a JSON array (numbers, or "inf", "-inf", "nan", "-0"); or @FILE, a file holding that array or one JSON line {"x":[…],"label":K}',
  },
  from: {
    type: 'string',
    value: 'FILE',
    help: 'a results.json: replay the counterexample it stores for --impl NAME and --kind KIND (its input, label, op and format)',
  },
  kind: {
    type: 'string',
    value: 'KIND',
    help: 'with --from: the finding kind of the counterexample (overflow, ulp, …)',
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
  /** Rows 2 … B of a batch counterexample. */
  batch?: { x: Float64Array; label?: number }[];
}

type StoredCounterexample = {
  input?: unknown;
  label?: number;
  caseId: number;
  batch?: { input: unknown; label?: number }[];
};

/** A stored counterexample's further batch rows, decoded. */
function batchOf(c: StoredCounterexample): Pick<Target, 'batch'> {
  if (!c.batch?.length) return {};
  return {
    batch: c.batch.map((b) => ({
      x: decodeVector(b.input),
      ...(b.label !== undefined ? { label: b.label } : {}),
    })),
  };
}

/** Vectors longer than this are printed elided (`[0 ×4096]`, `[1, 2, 3, … 4,090 more …, …]`). */
const PRINT_MAX = 64;

/** A vector as JSON, or elided when it is long. */
function shown(v: ArrayLike<number>): string {
  const e = encodeVector(v);
  return e.length <= PRINT_MAX ? JSON.stringify(e) : elideVector(e);
}

/** The parts of a run record replay reads. */
interface StoredRecord {
  seed: number;
  config: { caseSpace?: CaseSpaceRecord | null };
  /** A survey's entries (`logitfuzz survey`): how each implementation that is not the zoo's is called. */
  survey?: { entries: readonly Pick<SurveyEntryRecord, 'call' | 'rows'>[] };
  implementations: readonly {
    name: string;
    op: Op;
    format: FormatName;
    counterexamples: Record<string, StoredCounterexample>;
  }[];
}

function readRecord(path: string): StoredRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  // checked (schema and fields), so that a corrupt record is an input error naming the field, not a crash
  try {
    return parseRunRecord(text, path) as unknown as StoredRecord;
  } catch (e) {
    if (e instanceof RecordError) throw new InputError(e.message);
    throw e;
  }
}

function targetsFromFile(path: string): Target[] {
  const doc = readRecord(path);
  const out: Target[] = [];
  for (const impl of doc.implementations) {
    for (const c of Object.values(impl.counterexamples ?? {})) {
      out.push({
        spec: specOfStored(doc, impl),
        op: impl.op,
        format: impl.format,
        ...rowsOfStored(doc, path, c),
      });
    }
  }
  return out;
}

/**
 * How to call a stored implementation: a survey entry's module or program (paths as the survey
 * ran them, relative to its folder), else the zoo's implementation of that name.
 */
function specOfStored(doc: StoredRecord, impl: { name: string; op: Op; format: FormatName }): ImplSpec {
  const e = doc.survey?.entries.find((x) => x.rows.some((r) => r.impl === impl.name));
  const { name, op, format } = impl;
  if (e?.call.module) return { kind: 'module', name, path: resolve(e.call.dir, e.call.module), op, format };
  if (e?.call.exec)
    return {
      kind: 'exec',
      name,
      command: `cd ${shellQuote(e.call.dir)} && ${e.call.exec}`,
      op,
      format,
      ...(e.call.batch ? { batch: true } : {}),
    };
  return { kind: 'builtin', name };
}

/**
 * A stored counterexample's rows: its input, or, for a whole long case the record does not store,
 * the case regenerated from the record's seed and case space (campaign/cases.ts `caseAt`).
 */
function rowsOfStored(
  doc: StoredRecord,
  path: string,
  c: StoredCounterexample,
): Pick<Target, 'x' | 'label' | 'batch'> {
  if (c.input !== undefined) return { x: decodeVector(c.input), label: c.label, ...batchOf(c) };
  const space = doc.config.caseSpace;
  if (!space || c.caseId < 0)
    throw new InputError(
      `${path} does not store the input of case ${c.caseId} and has no config.caseSpace to regenerate it from: rerun the campaign that wrote it`,
    );
  const k = caseAt({ seed: doc.seed, ...space }, c.caseId);
  return {
    x: k.x,
    ...(k.label !== undefined ? { label: k.label } : {}),
    ...(k.batch?.length
      ? { batch: k.batch.map((b) => ({ x: b.x, ...(b.label !== undefined ? { label: b.label } : {}) })) }
      : {}),
  };
}

/** A few names of a list for a message: `a, b, c and 7 more`. */
function someOf(names: readonly string[], n = 4): string {
  if (names.length <= n) return names.join(', ');
  return `${names.slice(0, n).join(', ')} and ${names.length - n} more`;
}

/** The counterexample `replay --from FILE --impl NAME --kind KIND` names, as one target. */
function targetFromRecord(path: string, name: string, kind: string): Target {
  const doc = readRecord(path);
  const impl = doc.implementations.find((i) => i.name === name);
  if (!impl)
    throw new InputError(
      `${path} has no implementation named '${name}' (it has ${someOf(doc.implementations.map((i) => i.name))}); copy --impl from the summary or the report of that run`,
    );
  const kinds = Object.keys(impl.counterexamples ?? {});
  const c = impl.counterexamples?.[kind];
  if (!c)
    throw new InputError(
      kinds.length
        ? `${path} stores no ${kind} counterexample for ${name}; its kinds: ${kinds.join(', ')} (give one as --kind)`
        : `${path} stores no counterexample for ${name}: it had no finding to replay`,
    );
  return {
    spec: specOfStored(doc, impl),
    op: impl.op,
    format: impl.format,
    ...rowsOfStored(doc, path, c),
  };
}

/**
 * The logits of `--x`: inline JSON, or `@FILE` holding a JSON array or one JSON line
 * `{"x":[…],"label":K}`. Throws a UsageError for bad inline JSON and an InputError for a bad file,
 * each naming the problem and the form expected.
 */
function readLogits(arg: string): { x: Float64Array; label?: number; source: string } {
  const file = arg.startsWith('@') ? arg.slice(1) : undefined;
  const source = file !== undefined ? file : '--x';
  const forms =
    file !== undefined
      ? 'a JSON array of logits, e.g. [710, 0], or one JSON line {"x": [710, 0], "label": 0} (numbers, or "inf", "-inf", "nan", "-0")'
      : 'a JSON array of numbers (or "inf", "-inf", "nan", "-0"), e.g. --x \'[710, 0]\', or @FILE for a file holding one';
  const fail = (problem: string): never => {
    throw file !== undefined
      ? new InputError(`${source} ${problem}: it must hold ${forms}`)
      : new UsageError(`--x ${problem}: it must be ${forms}`);
  };
  let text = arg;
  if (file !== undefined) {
    if (file === '') throw new UsageError("--x @FILE needs a file name after '@', e.g. --x @input.json");
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(
        `cannot read --x @${file}: ${(e as Error).message}; give a file that holds ${forms}`,
      );
    }
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return fail(`is not JSON (${(e as Error).message})`);
  }
  let raw: unknown = v;
  let label: number | undefined;
  if (file !== undefined && typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (!('x' in o)) fail('holds an object without "x"');
    raw = o.x;
    if (o.label !== undefined) {
      if (typeof o.label !== 'number' || !Number.isSafeInteger(o.label) || o.label < 0)
        fail(`has "label" ${describeJson(o.label)}, not an integer ≥ 0`);
      label = o.label as number;
    }
  }
  let x: Float64Array;
  try {
    x = decodeVector(raw);
  } catch (e) {
    if (e instanceof JsonNumberError) return fail(`is not an array of numbers (${e.message})`);
    throw e;
  }
  // JSON.parse reads 1e999 as Infinity: too large for binary64, not "inf" (as the oracle command rules)
  const huge = (raw as unknown[]).findIndex((n) => typeof n === 'number' && !Number.isFinite(n));
  if (huge >= 0) {
    const msg = `${file !== undefined ? source : '--x'} element ${huge} is too large for binary64; write "inf" or "-inf" for an infinite logit`;
    throw file !== undefined ? new InputError(msg) : new UsageError(msg);
  }
  return { x, label, source };
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'reproduce a finding: one input on one implementation, or every counterexample of a results file',
  help: formatHelp({
    name: 'replay',
    synopsis:
      '(--impl NAME | --module PATH [--browser] | --exec CMD) --x (JSON | @FILE) [--label K] [--op OP] [--format F] | --from RESULTS.json --impl NAME --kind KIND | RESULTS.json',
    description: [
      'Runs one implementation on one input in a worker process, prints the correctly rounded result, the output, the ULP error per element and the findings. The input is --x, inline or from a file (@FILE), or one counterexample stored in a results.json (--from, with the implementation and finding kind). Given a results.json alone, replays every stored counterexample and reports which still reproduce.',
      'Exit code 1 when a finding reproduces, 0 when none does.',
    ],
    flags: FLAGS,
    examples: [
      "logitfuzz replay --impl softmax/naive/f64 --x '[710]'",
      'logitfuzz replay --impl cross_entropy/naive/f32 --x @case.json',
      'logitfuzz replay --from reports/latest/results.json --impl softmax/naive/f16 --kind sum',
      'logitfuzz replay reports/latest/results.json',
    ],
  }),
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, {
      command: 'replay',
      positionals: { min: 0, max: 1, name: 'RESULTS' },
    });
    let targets: Target[];
    if (flags.kind !== undefined && flags.from === undefined)
      throw new UsageError(
        '--kind goes with --from FILE: give the results.json whose counterexample to replay',
      );
    if (positionals[0] && flags.from !== undefined)
      throw new UsageError(
        `give a RESULTS file (replays all its counterexamples) or --from FILE --impl NAME --kind KIND (one), not both`,
      );
    if (positionals[0]) {
      targets = targetsFromFile(positionals[0]);
      if (targets.length === 0) {
        await write(io.stdout, 'no counterexamples stored: nothing to replay\n');
        return 0;
      }
    } else if (flags.from !== undefined) {
      if (flags.module !== undefined || flags.exec !== undefined)
        throw new UsageError(
          '--from replays a built-in implementation stored in the record: give --impl NAME, not --module or --exec (for those, use --x @FILE)',
        );
      for (const [flag, what] of [
        ['x', 'the input'],
        ['label', 'the label'],
        ['op', 'the op'],
        ['format', 'the format'],
      ] as const)
        if (flags[flag] !== undefined)
          throw new UsageError(`--from takes ${what} from the record: drop --${flag}`);
      if (flags.impl === undefined || flags.kind === undefined)
        throw new UsageError(
          `--from ${flags.from} needs --impl NAME and --kind KIND: which implementation's counterexample of which finding kind to replay`,
        );
      // a survey's module or program is called as the survey called it; anything else is the zoo's
      const surveyed = readRecord(flags.from).survey?.entries.some(
        (e) => !e.call.builtin && e.rows.some((r) => r.impl === flags.impl),
      );
      const { allImplementations } = await import('../impls/registry.js');
      if (!surveyed && !allImplementations().some((i) => i.name === flags.impl))
        throw new UsageError(`no built-in implementation named '${flags.impl}'; run 'logitfuzz list'`);
      targets = [targetFromRecord(flags.from, flags.impl, flags.kind)];
    } else {
      if (flags.batch && flags.exec === undefined)
        throw new UsageError('--batch goes with --exec CMD (a module exports its batch function instead)');
      if (flags.browser && flags.module === undefined)
        throw new UsageError('--browser goes with --module PATH (it runs the module in a Chromium page)');
      const chosen = [flags.impl, flags.module, flags.exec].filter((v) => v !== undefined).length;
      if (chosen !== 1)
        throw new UsageError(
          'give exactly one of --impl NAME, --module PATH, --exec CMD (or a results file)',
        );
      if (flags.x === undefined)
        throw new UsageError(
          "--x is required: the logits as a JSON array, e.g. --x '[710, 0]', or @FILE for a file holding them (or --from results.json --impl NAME --kind KIND)",
        );
      const logits = readLogits(flags.x);
      const x = logits.x;
      if (logits.label !== undefined && flags.label !== undefined && logits.label !== flags.label)
        throw new UsageError(
          `--label ${flags.label} differs from the label ${logits.label} in ${logits.source}: give it once`,
        );
      const givenLabel = flags.label ?? logits.label;
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
          name: `${op}/${flags.browser ? 'user-chromium' : 'user'}/${format}`,
          path: resolve(flags.module),
          exportName: flags.export,
          op,
          format,
          ...(flags.browser ? { browser: true } : {}),
        };
      else
        spec = {
          kind: 'exec',
          name: `${op}/exec/${format}`,
          command: flags.exec!,
          op,
          format,
          ...(flags.batch ? { batch: true } : {}),
        };
      const fmt = formatSpec(format);
      const bad = Array.from(x).findIndex((v) => !isRepresentable(fmt, v));
      if (bad >= 0)
        throw new UsageError(`${logits.source} element ${bad} (${x[bad]}) is not representable in ${format}`);
      if (needsLabel(op) && (givenLabel === undefined || givenLabel >= x.length))
        throw new UsageError(`${op} needs --label K with 0 ≤ K < ${x.length}`);
      targets = [{ spec, op, format, x, label: needsLabel(op) ? givenLabel : undefined }];
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
          {
            id: -1,
            op: t.op,
            format: t.format,
            region: 'replay',
            x: t.x,
            label: t.label,
            ...(t.batch ? { batch: t.batch } : {}),
          },
          [t.spec.name],
          { specials: flags.specials, budget: flags.budget, checkDeterminism: true },
          true,
        );
        if (r.oracleError) throw new InputError(r.oracleError);
        const o = r.outcomes[0];
        const rows = t.batch ? ` (row 1 of a batch of ${t.batch.length + 1})` : '';
        let text = `${t.spec.name} on ${shown(t.x)}${t.label !== undefined ? ` label ${t.label}` : ''}${rows}\n`;
        text += `  expected ${shown(r.oracle!.values)}\n  actual   ${o.output ? shown(o.output) : '(no output)'}\n`;
        (t.batch ?? []).forEach((b, k) => {
          const out = o.batchOutput?.[k];
          text += `  row ${k + 2} on ${shown(b.x)}${b.label !== undefined ? ` label ${b.label}` : ''}\n`;
          text += `    expected ${shown(r.oracle!.batch![k].values)}\n    actual   ${out ? shown(out) : '(no output)'}\n`;
        });
        text += `  max ulps ${o.maxUlps}\n`;
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
