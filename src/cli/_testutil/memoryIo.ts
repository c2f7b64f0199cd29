import { Readable, Writable } from 'node:stream';
import type { Io } from '../io.js';

/** A Writable that keeps everything written, as text. */
export class TextSink extends Writable {
  text = '';
  constructor(options: { highWaterMark?: number } = {}) {
    super({ decodeStrings: false, ...options });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    cb();
  }
}

/** An in-memory `Io`: stdin holds `input`, stdout and stderr collect text. */
export function memoryIo(
  input = '',
  env: Record<string, string | undefined> = {},
): Io & { stdout: TextSink; stderr: TextSink } {
  return { stdin: Readable.from([input]), stdout: new TextSink(), stderr: new TextSink(), env };
}
