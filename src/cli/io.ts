import type { Readable, Writable } from 'node:stream';

/**
 * Where a command reads and writes. Commands never touch `process` directly, so tests drive
 * them in-process with in-memory streams, and the bin passes the real ones (`processIo`).
 */
export interface Io {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Environment variables (LOGITFUZZ_DEBUG, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and environment. */
export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * Writes `text` and, when the stream's buffer is full, waits until it drains — the backpressure
 * that keeps a command streaming a million lines from buffering them all in memory when the
 * reader is slower than the writer.
 *
 * Rejects when the stream errors or closes while we wait (e.g. the reader went away), instead of
 * waiting for a 'drain' that never comes.
 */
export async function write(stream: Writable, text: string): Promise<void> {
  if (stream.write(text)) return;
  // a stream that has already failed or closed sends neither 'drain' nor another 'close'
  if (stream.destroyed) throw stream.errored ?? new Error('the output stream closed');
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the output stream closed'));
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
