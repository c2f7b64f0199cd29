/**
 * Entry of the child process that probes implementations for `logitfuzz list` (listProbe.ts
 * forks it and reads its stderr): takes `{ names, timeoutMs }`, probes the built-in
 * implementations of those names in that order as `list` does in-process, reports each row, then
 * releases the GPU device and exits.
 */
import { writeSync } from 'node:fs';
import { allImplementations, availability } from '../impls/registry.js';
import { probeImplementations } from './list.js';
import { probeMarker, type ProbeMessage, type ProbeRequest } from './listProbe.js';

function send(m: ProbeMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(m, (e: Error | null) => (e ? reject(e) : resolve())));
}

process.once('message', (raw) => {
  void (async () => {
    const { names, timeoutMs } = raw as ProbeRequest;
    const all = new Map(allImplementations().map((i) => [i.name, i]));
    for (const name of names) {
      const impl = all.get(name);
      if (!impl) throw new Error(`no built-in implementation named '${name}'`);
      // synchronous, on fds 1 and 2 themselves: ordered with whatever native code writes there
      writeSync(1, probeMarker(name));
      writeSync(2, probeMarker(name));
      await send({ t: 'start', name });
      const [row] = await probeImplementations([impl], availability, timeoutMs);
      await send({ t: 'row', row });
    }
    writeSync(1, probeMarker(''));
    writeSync(2, probeMarker(''));
    // the WebGPU probes leave the shared device alive; a setup that timed out may hold more,
    // so exit explicitly once the device is gone
    const { releaseGpu } = await import('../impls/webgpu/index.js');
    await releaseGpu();
    process.exit(0);
  })().catch((e: unknown) => {
    writeSync(2, `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
});
// the parent went away: nothing left to report to
process.on('disconnect', () => process.exit(0));
