/**
 * Test support: whether this machine has a WebGPU adapter. Tests that need one skip ONLY when
 * there is none, and then print why and how to fix it. With LOGITFUZZ_REQUIRE_WEBGPU=1 (CI
 * sets it after installing the Debian packages) a missing adapter is a failure instead.
 */
import { Unavailable } from '../../types.js';
import { getGpuContext, type GpuContext } from '../device.js';

export interface GpuProbe {
  readonly ctx: GpuContext | undefined;
  /** Why there is no adapter (with the fix), or undefined when there is one. */
  readonly skipReason: string | undefined;
}

/** Acquires the process's GPU context, or explains why not; other errors propagate. */
export async function probeGpu(): Promise<GpuProbe> {
  try {
    return { ctx: await getGpuContext(), skipReason: undefined };
  } catch (e) {
    if (!(e instanceof Unavailable)) throw e;
    if (process.env.LOGITFUZZ_REQUIRE_WEBGPU === '1')
      throw new Error(`LOGITFUZZ_REQUIRE_WEBGPU=1 but: ${e.message}`, { cause: e });
    const reason = `webgpu tests skipped: ${e.message}`;
    console.warn(reason);
    return { ctx: undefined, skipReason: reason };
  }
}
