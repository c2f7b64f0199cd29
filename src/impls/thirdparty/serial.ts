/**
 * Runs async tasks one at a time, in the order they were queued. tfjs keeps its active backend
 * as global state and onnxruntime-web's wasm session does not take overlapping runs, so every
 * call into a library goes through one of these: two calls never interleave.
 *
 * A task that throws rejects its own promise only; the queue goes on with the next task.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => task());
    this.tail = result.catch(() => undefined);
    return result;
  }
}
