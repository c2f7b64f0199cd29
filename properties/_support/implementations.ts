import { allImplementations, availability } from '../../src/impls/registry.js';
import type { Backend, Implementation } from '../../src/impls/types.js';

/**
 * Which backends the property suite covers: LOGITFUZZ_PROP_BACKENDS, a comma-separated list of
 * 'js', 'wasm', 'webgpu', 'native' (default 'js': the pure-JS zoo, tfjs-cpu included). The others
 * need a device or a native library and are slow; CI covers them in their own tests.
 */
const BACKENDS_VARIABLE = 'LOGITFUZZ_PROP_BACKENDS';
const KNOWN: readonly Backend[] = ['js', 'wasm', 'webgpu', 'native', 'user'];

function backends(): Backend[] {
  const raw = process.env[BACKENDS_VARIABLE];
  if (raw === undefined || raw.trim() === '') return ['js'];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const b of list)
    if (!(KNOWN as readonly string[]).includes(b))
      throw new RangeError(
        `${BACKENDS_VARIABLE}: unknown backend '${b}': expected a comma-separated list of ${KNOWN.join(', ')}`,
      );
  return list as Backend[];
}

/** An implementation of the registry selected for the suite, set up, or the reason it cannot run here. */
export interface Subject {
  readonly impl: Implementation;
  /** null when it is set up and can run; otherwise why not (it is skipped, with the reason in the test name). */
  readonly unavailable: string | null;
}

/**
 * The registry's implementations on the selected backends that `keep` accepts, in registry order,
 * each set up (`availability` probes setup and dispose; then setup again for the tests). New
 * implementations in the registry are covered with no new test code. Dispose with `disposeAll`.
 */
export async function subjects(keep: (impl: Implementation) => boolean = () => true): Promise<Subject[]> {
  const wanted = new Set(backends());
  const out: Subject[] = [];
  for (const impl of allImplementations()) {
    if (!wanted.has(impl.backend) || !keep(impl)) continue;
    const av = await availability(impl);
    if (!av.available) {
      out.push({ impl, unavailable: av.reason });
      continue;
    }
    await impl.setup?.();
    out.push({ impl, unavailable: null });
  }
  return out;
}

/** Disposes every available subject (afterAll). */
export async function disposeAll(list: readonly Subject[]): Promise<void> {
  for (const s of list) if (s.unavailable === null) await s.impl.dispose?.();
}

/** A test title for a subject: its name, and the reason when it is skipped. */
export function title(s: Subject): string {
  return s.unavailable === null ? s.impl.name : `${s.impl.name} (unavailable: ${s.unavailable})`;
}
