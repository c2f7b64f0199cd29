/**
 * `logitfuzz list`'s probes, run in a child process whose stderr (and stdout) this process reads.
 *
 * Why a child: setting an implementation up loads native code that writes to file descriptor 2
 * directly — Dawn, behind the `webgpu` package, prints "Warning: Couldn't load Vulkan…" and
 * "maxDynamic…artificially reduced…" from C++ on every start — and nothing in a Node process can
 * intercept writes to its own fd 2. In a child, they arrive on a pipe. They are shown only
 * when they say something: with LOGITFUZZ_DEBUG set (every line, as it arrives, prefixed with
 * the implementation being probed), and in the reason of an implementation found unavailable
 * (the lines printed while it was set up — or while another one with the same reason was, since
 * the WebGPU implementations share one device and only the first probe's set-up talks).
 *
 * Protocol: the parent sends `{ names, timeoutMs }` over IPC; the child probes them in that order
 * (each bounded by `timeoutMs`, as in-process probing is), writes a marker line to its stderr
 * before each one (so that the parent can tell which probe printed what: native writes and the
 * marker go through the same file descriptor, in order), and sends `start` and `row` messages.
 * A child that dies or stops answering (a native crash, a setup that blocks the event loop: the
 * parent waits `timeoutMs` plus a grace period) leaves the implementation it was probing
 * unavailable with why, and a new child probes the rest.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Implementation } from '../impls/types.js';
import type { ListedImplementation } from './list.js';

/** What the parent sends the child. */
export interface ProbeRequest {
  readonly names: readonly string[];
  readonly timeoutMs: number;
}

/** What the child sends back. */
export type ProbeMessage =
  { readonly t: 'start'; readonly name: string } | { readonly t: 'row'; readonly row: ListedImplementation };

/** The line the child writes to its stderr before probing `name` ('' after the last one). */
export function probeMarker(name: string): string {
  return `\u0000logitfuzz-probe:${name}\n`;
}
const MARKER = /^\u0000logitfuzz-probe:(.*)$/;

/**
 * The compiled child entry beside this module; when this module runs from TypeScript sources (the
 * test runner), the one under dist/ (npm test builds first). Null when neither exists.
 */
function childEntry(): string | null {
  for (const rel of ['./listProbeChild.js', '../../dist/src/cli/listProbeChild.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}

/** Whether probes can run in a child here (the compiled entry exists). */
export function canProbeInChild(): boolean {
  return childEntry() !== null;
}

export interface ChildProbeOptions {
  /** Called with each line the children print (stdout or stderr), when set (LOGITFUZZ_DEBUG). */
  readonly onLine?: (line: string, impl: string | undefined) => void;
  /** How long past `timeoutMs` a child may stay silent before it is killed. @defaultValue 5000 */
  readonly graceMs?: number;
  /** The child entry (tests). @defaultValue the compiled listProbeChild.js */
  readonly entry?: string;
}

/** What one child reported before it ended. */
interface ChildResult {
  readonly rows: Map<string, ListedImplementation>;
  /** The lines printed on stderr while each implementation was being probed. */
  readonly lines: Map<string, string[]>;
  /** The implementation it had started and not finished, if any. */
  readonly current: string | undefined;
  /** Whether any implementation was started. */
  readonly started: boolean;
  /** How it ended, when it did not end by finishing: 'killed: …' or 'exited …'. */
  readonly death: string | undefined;
  /** The last lines it printed outside any probe (a start-up failure's message). */
  readonly tail: string[];
}

/**
 * Probes `impls` (built-in implementations, found in the child by name) in child processes, in
 * order, and returns one row each, in the same order. Never rejects: a probe that cannot finish
 * is an unavailable row saying why.
 */
export async function probeInChild(
  impls: readonly Implementation[],
  timeoutMs: number,
  options: ChildProbeOptions = {},
): Promise<ListedImplementation[]> {
  const entry = options.entry ?? childEntry();
  const rows = new Map<string, ListedImplementation>();
  const lines = new Map<string, string[]>();
  const byName = new Map(impls.map((i) => [i.name, i]));
  let remaining = impls.map((i) => i.name);
  while (remaining.length > 0) {
    const r =
      entry === null
        ? failedStart('could not start: dist/src/cli/listProbeChild.js is missing (npm run build)')
        : await runChild(entry, remaining, timeoutMs, options);
    for (const [name, row] of r.rows) rows.set(name, row);
    for (const [name, l] of r.lines) lines.set(name, [...(lines.get(name) ?? []), ...l]);
    remaining = remaining.filter((n) => !rows.has(n));
    if (remaining.length === 0) break;
    const why = r.death ?? 'ended early';
    const tail = explain(r.current === undefined ? r.tail : (r.lines.get(r.current) ?? []));
    const reason = `probe process ${why}${tail ? `: ${tail}` : ''}`;
    // blame the implementation it was probing; one that never got going blames them all
    const culprits = r.started ? [r.current ?? remaining[0]] : remaining;
    for (const name of culprits) {
      const reasonOf = why.startsWith('killed: no answer')
        ? `setup did not finish within ${timeoutMs} ms (${reason})`
        : reason;
      rows.set(name, unavailableRow(byName.get(name)!, reasonOf));
      lines.delete(name); // already in the reason
    }
    remaining = remaining.filter((n) => !rows.has(n));
  }
  return withExplanations(
    impls.map((i) => rows.get(i.name)!),
    lines,
  );
}

function failedStart(death: string): ChildResult {
  return { rows: new Map(), lines: new Map(), current: undefined, started: false, death, tail: [] };
}

function unavailableRow(impl: Implementation, reason: string): ListedImplementation {
  const { name, op, format, backend, formula, expected } = impl;
  return { name, op, format, backend, formula, expected, available: false, reason };
}

/**
 * Up to 4 lines that say something, trimmed, joined with ' | ', at most 600 characters: blank
 * lines, the source locations Dawn adds after a warning ('at operator() (…/BackendVk.cpp:368)')
 * and the native stack Node prints after a crash are left out.
 */
function explain(lines: readonly string[]): string {
  // Node's own report of a native crash ends with the native stack: the line before says it
  const stack = lines.findIndex((l) => /^-+ Native stack trace -+$/.test(l.trim()));
  const text = (stack < 0 ? lines : lines.slice(0, stack))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at \S.*:\d+\)?$/.test(l))
    .slice(0, 4)
    .join(' | ');
  return text.length > 600 ? `${text.slice(0, 599)}…` : text;
}

/**
 * Adds to each unavailable row's reason what was printed while it was set up. A row that printed
 * nothing but shares its reason with one that did (the WebGPU implementations share one device:
 * the first probe's set-up prints, the others get the cached answer) points to that one instead
 * of repeating it. Available rows keep nothing: their set-up printed only noise.
 */
function withExplanations(
  rows: readonly ListedImplementation[],
  lines: ReadonlyMap<string, readonly string[]>,
): ListedImplementation[] {
  const first = new Map<string, string>();
  return rows.map((r) => {
    if (r.available || r.reason === undefined) return r;
    const said = explain(lines.get(r.name) ?? []);
    if (said !== '') {
      if (!first.has(r.reason)) first.set(r.reason, r.name);
      return { ...r, reason: `${r.reason} [printed while setting up: ${said}]` };
    }
    const other = first.get(r.reason);
    return other === undefined ? r : { ...r, reason: `${r.reason} [printed while setting up: see ${other}]` };
  });
}

function runChild(
  entry: string,
  names: readonly string[],
  timeoutMs: number,
  options: ChildProbeOptions,
): Promise<ChildResult> {
  const graceMs = options.graceMs ?? 5000;
  return new Promise((resolve) => {
    const rows = new Map<string, ListedImplementation>();
    const lines = new Map<string, string[]>();
    const tail: string[] = [];
    let current: string | undefined;
    let started = false;
    let death: string | undefined;
    let killedWhy: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const child = fork(entry, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const kill = (why: string) => {
      killedWhy ??= why;
      child.kill('SIGKILL');
    };
    const watch = (ms: number, why: string) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => kill(why), ms);
    };
    // start-up, then each probe: a child whose event loop is blocked sends nothing
    watch(timeoutMs + graceMs, `no answer within ${timeoutMs + graceMs} ms of starting`);

    // stderr: split into lines, markers switch the implementation the lines belong to
    let stderrImpl: string | undefined;
    const lineSplitter = (onLine: (line: string) => void) => {
      let partial = '';
      return {
        push(chunk: Buffer) {
          const parts = (partial + chunk.toString('utf8')).split('\n');
          partial = parts.pop() ?? '';
          for (const l of parts) onLine(l);
        },
        end() {
          if (partial !== '') onLine(partial);
          partial = '';
        },
      };
    };
    const err = lineSplitter((line) => {
      const m = MARKER.exec(line);
      if (m) {
        stderrImpl = m[1] === '' ? undefined : m[1];
        return;
      }
      if (stderrImpl !== undefined) lines.set(stderrImpl, [...(lines.get(stderrImpl) ?? []), line]);
      else {
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
      if (line.trim() !== '') options.onLine?.(line, stderrImpl);
    });
    // stdout: a library's chatter (never list's output), shown only to onLine; its own markers
    // say whose it is (the IPC messages can overtake the pipe)
    let stdoutImpl: string | undefined;
    const out = lineSplitter((line) => {
      const m = MARKER.exec(line);
      if (m) {
        stdoutImpl = m[1] === '' ? undefined : m[1];
        return;
      }
      if (line.trim() !== '') options.onLine?.(line, stdoutImpl ?? current);
    });
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.stdout?.on('data', (b: Buffer) => out.push(b));

    child.on('message', (m: ProbeMessage) => {
      if (m.t === 'start') {
        current = m.name;
        started = true;
        watch(timeoutMs + graceMs, `no answer within ${timeoutMs + graceMs} ms of starting ${m.name}`);
      } else if (m.t === 'row') {
        rows.set(m.row.name, m.row);
        current = undefined;
        if (rows.size === names.length)
          // every answer is in: it has `graceMs` to release what it holds and exit
          watch(graceMs, 'did not exit after its last probe');
        else watch(timeoutMs + graceMs, `no answer within ${timeoutMs + graceMs} ms`);
      }
    });
    child.on('error', (e) => {
      death ??= `could not start: ${e.message}`;
      finish();
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (rows.size < names.length)
        death ??= killedWhy
          ? `killed: ${killedWhy}`
          : signal
            ? `killed by ${signal}${signal === 'SIGSEGV' || signal === 'SIGABRT' ? ' (native crash)' : ''}`
            : `exited with code ${code}`;
      // 'close' follows once its pipes are drained; don't wait on a pipe held by a grandchild
      setTimeout(finish, 1000).unref();
    });
    child.on('close', finish);

    function finish() {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      err.end();
      out.end();
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ rows, lines, current, started, death, tail });
    }

    child.send({ names, timeoutMs } satisfies ProbeRequest, (e) => {
      if (e) {
        death ??= `could not be sent its work: ${e.message}`;
        kill('could not be sent its work');
      }
    });
  });
}
