/**
 * Test support, run as a plain node child process (transpiled by transpile.ts): acquires the
 * GPU, dispatches one batch, releases the device, and lets the process end by itself — no
 * process.exit — so a live handle or a crash at teardown shows as a hang or a non-zero code.
 * Prints one JSON line: logsumexp of [100, 0, 0] (exactly 100 in f32) and of [] (−Inf, as
 * null in JSON), and the backend.
 */
import { webgpuImplementations, releaseGpu } from '../index.js';

const lse = webgpuImplementations().find((i) => i.name === 'logsumexp/webgpu/f32');
if (!lse?.setup) throw new Error('logsumexp/webgpu/f32 missing');
await lse.setup();
const out = await lse.run([new Float64Array([100, 0, 0]), new Float64Array(0)]);
console.log(JSON.stringify({ y: out.map((r) => r[0]), backend: lse.describe().backend }));
await releaseGpu();
