import { browserImplementations } from './browser/index.js';
import { jsImplementations } from './js/index.js';
import { thirdPartyImplementations } from './thirdparty/index.js';
import { type Availability, type Implementation, Unavailable } from './types.js';
import { webgpuImplementations } from './webgpu/index.js';

/**
 * The built-in zoo: the pure-JS formulations (ordered by op, formulation, format), then the
 * WebGPU kernels, then the third-party adapters (tfjs, onnxruntime), then the implementations
 * that run in a browser (src/impls/browser/). Deterministic: the same
 * order on every call and machine, whether or not a device or library is present (constructors
 * load nothing; availability is decided by `setup`). Each call builds fresh objects.
 *
 * Throws an Error naming the duplicate if two implementations share a name (a programming
 * error: names are the keys of results, baselines and `--impl` globs).
 */
export function allImplementations(): Implementation[] {
  const all = [
    ...jsImplementations(),
    ...webgpuImplementations(),
    ...thirdPartyImplementations(),
    ...browserImplementations(),
  ];
  const seen = new Set<string>();
  for (const impl of all) {
    if (seen.has(impl.name)) throw new Error(`duplicate implementation name '${impl.name}'`);
    seen.add(impl.name);
  }
  return all;
}

/** A glob as an anchored RegExp: `*` matches any run of characters, '/' included; all else is literal. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/**
 * The implementations whose name matches any of `globs` (`*` matches any characters including
 * '/', everything else literally and case-sensitively; 'softmax/*' does not match
 * 'log_softmax/…'), in `allImplementations()` order, each once. The caller splits
 * comma-separated `--impl` values. No globs → no implementations. `from` (default: the whole
 * registry) is the list to filter, e.g. one already built.
 */
export function findImplementations(
  globs: readonly string[],
  from: readonly Implementation[] = allImplementations(),
): Implementation[] {
  const res = globs.map(globToRegExp);
  return from.filter((impl) => res.some((re) => re.test(impl.name)));
}

/**
 * Whether `impl` can run here: runs its `setup` (if any), and on success `dispose` (if any), so
 * the probe leaves no device or worker behind; the campaign sets implementations up itself.
 * An `Unavailable` thrown by setup becomes `{ available: false, reason }` (the reason with its
 * fix); any other error is a defect of the implementation and propagates.
 */
export async function availability(impl: Implementation): Promise<Availability> {
  try {
    await impl.setup?.();
  } catch (e) {
    if (e instanceof Unavailable || (e instanceof Error && e.name === 'Unavailable'))
      return { available: false, reason: e.message };
    throw e;
  }
  await impl.dispose?.();
  return { available: true };
}
