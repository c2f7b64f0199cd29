import type { Availability, Implementation } from '../impls/types.js';
import { parseArgs, type FlagSpecs } from './args.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { formatHelp } from './help.js';
import { write, type Io } from './io.js';
import { formatTable } from './formatTable.js';
import { canProbeInChild, probeInChild } from './listProbe.js';
import { gradeOf } from '../vocabulary/Severity.js';

const FLAGS = {
  json: {
    type: 'boolean',
    help: 'write {"schema":"logitfuzz/list@2","implementations":[...]} instead of a table',
  },
  impl: {
    type: 'string',
    value: 'GLOB',
    multiple: true,
    help: 'only implementations whose name matches; comma-separated globs, * also matches /',
  },
  timeout: {
    type: 'integer',
    value: 'MS',
    min: 1,
    default: 10000,
    help: 'how long one implementation may take to set up before it is reported unavailable',
  },
} as const satisfies FlagSpecs;

/** One row of `logitfuzz list` (and one element of `list@2`'s "implementations"). */
export interface ListedImplementation {
  readonly name: string;
  readonly op: Implementation['op'];
  readonly format: Implementation['format'];
  readonly backend: Implementation['backend'];
  readonly formula: string;
  readonly expected: Implementation['expected'];
  readonly available: boolean;
  /** Why it is unavailable (absent when available). */
  readonly reason?: string;
  /** What it runs on, when the probe says (e.g. the GPU adapter). */
  readonly detail?: string;
}

/**
 * Probes each implementation's availability, one at a time (GPU implementations share one
 * device, and probing them concurrently would only contend for it), each bounded by
 * `timeoutMs`: a setup that hangs is reported unavailable instead of hanging `list`. A probe
 * that throws is reported unavailable with its message.
 */
export async function probeImplementations(
  impls: readonly Implementation[],
  probe: (impl: Implementation) => Promise<Availability>,
  timeoutMs: number,
): Promise<ListedImplementation[]> {
  const rows: ListedImplementation[] = [];
  for (const impl of impls) {
    let a: Availability;
    try {
      a = await withTimeout(probe(impl), timeoutMs);
    } catch (e) {
      a = {
        available: false,
        reason: e instanceof TimeoutError ? e.message : `probe failed: ${(e as Error).message ?? String(e)}`,
      };
    }
    const { name, op, format, backend, formula, expected } = impl;
    rows.push(
      a.available
        ? {
            name,
            op,
            format,
            backend,
            formula,
            expected,
            available: true,
            ...(a.detail ? { detail: a.detail } : {}),
          }
        : { name, op, format, backend, formula, expected, available: false, reason: a.reason },
    );
  }
  return rows;
}

class TimeoutError extends Error {}

/**
 * With LOGITFUZZ_DEBUG set (and not '0'), what the probes print goes to stderr, line by line,
 * each prefixed with the implementation being probed; otherwise undefined (kept out of sight).
 */
export function debugLines(io: Io): ((line: string, impl: string | undefined) => void) | undefined {
  const v = io.env.LOGITFUZZ_DEBUG;
  if (!v || v === '0') return undefined;
  return (line, impl) => io.stderr.write(`[${impl ?? 'probe'}] ${line}\n`);
}

/**
 * Every implementation's row, in order. Those without a `setup` (the pure-JS zoo) are available
 * by definition and answered here; the rest are set up in a child process (listProbe.ts), so that
 * what native code prints while they load (Dawn's warnings) reaches us on a pipe instead of the
 * terminal. Without the compiled child (sources run without a build), they are probed here.
 */
async function probeAll(
  impls: readonly Implementation[],
  probe: (impl: Implementation) => Promise<Availability>,
  timeoutMs: number,
  onLine: ((line: string, impl: string | undefined) => void) | undefined,
): Promise<ListedImplementation[]> {
  const isolated = impls.filter((i) => i.setup !== undefined);
  const here = impls.filter((i) => i.setup === undefined);
  const byName = new Map<string, ListedImplementation>();
  for (const r of await probeImplementations(here, probe, timeoutMs)) byName.set(r.name, r);
  if (isolated.length > 0) {
    let rows: ListedImplementation[];
    if (canProbeInChild()) rows = await probeInChild(isolated, timeoutMs, { onLine });
    else {
      try {
        rows = await probeImplementations(isolated, probe, timeoutMs);
      } finally {
        // The WebGPU implementations share one process-wide device that their probes acquired
        // and their dispose() leaves alive; destroy it so probing leaves no device behind
        // (device.ts: releasing it is what lets the process exit promptly). main.ts also exits
        // explicitly, for a setup that timed out and may still hold something.
        const { releaseGpu } = await import('../impls/webgpu/index.js');
        await releaseGpu();
      }
    }
    for (const r of rows) byName.set(r.name, r);
  }
  return impls.map((i) => byName.get(i.name)!);
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`setup did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    // a pending timer would keep the process alive after the last probe
    clearTimeout(timer);
  }
}

/**
 * The table `logitfuzz list` prints: one row per implementation, then the reasons of the unavailable ones,
 * numbered.
 */
export function formatList(rows: readonly ListedImplementation[]): string {
  const notes: string[] = [];
  const table = formatTable(
    ['NAME', 'OP', 'FORMAT', 'BACKEND', 'EXPECTED', 'AVAILABLE', 'FORMULA'],
    rows.map((r) => {
      let avail = 'yes';
      if (!r.available) {
        notes.push(`[${notes.length + 1}] ${r.name}: ${r.reason}`);
        avail = `no [${notes.length}]`;
      }
      return [r.name, r.op, r.format, r.backend, gradeOf(r.expected), avail, r.formula];
    }),
  );
  const available = rows.filter((r) => r.available).length;
  const footer = `${rows.length} implementation(s), ${available} available here`;
  return notes.length ? `${table}\n${notes.join('\n')}\n\n${footer}\n` : `${table}\n${footer}\n`;
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list the built-in implementations and whether each runs here',
  help: formatHelp({
    name: 'list',
    synopsis: '[--json] [--impl GLOB] [--timeout MS]',
    description: [
      "Lists the implementation zoo: each one's name, op, format, backend, expected verdict, formula, and whether it is available on this machine — probed by setting it up (acquiring a GPU device, loading a library) and disposing of it; when unavailable, the reason and the fix.",
      "The set-ups run in a child process: what native code prints while loading (Dawn's warnings) is shown only in the reason of an implementation found unavailable, or, with LOGITFUZZ_DEBUG=1, on stderr as it comes.",
    ],
    flags: FLAGS,
    examples: ['logitfuzz list', "logitfuzz list --impl 'softmax/*/f32,*webgpu*' --json"],
  }),
  async run(argv, io) {
    const { flags } = parseArgs(argv, FLAGS, { command: 'list' });
    // imported here, not at the top: the zoo pulls in GPU and third-party bindings that the
    // other commands (oracle, --help) should not pay for at start-up
    const registry = await import('../impls/registry.js');
    const globs = flags.impl.flatMap((g) => g.split(',')).filter((g) => g !== '');
    const impls = globs.length ? registry.findImplementations(globs) : registry.allImplementations();
    if (globs.length && impls.length === 0) {
      throw new UsageError(
        `no implementation matches --impl ${globs.join(',')}; run 'logitfuzz list' to see the names`,
      );
    }
    const rows = await probeAll(impls, registry.availability, flags.timeout, debugLines(io));
    if (flags.json) {
      await write(
        io.stdout,
        JSON.stringify({ schema: 'logitfuzz/list@2', implementations: rows }, null, 2) + '\n',
      );
    } else {
      await write(io.stdout, formatList(rows));
    }
    return 0;
  },
};
