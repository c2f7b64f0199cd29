/**
 * The code of a vetted module's page (`vet --browser MODULE`): functions that run *inside the
 * browser*, sent by playwright's `page.evaluate` as their source text, so each is self-contained.
 * The module's namespace lives on the page's global object (`__logitfuzzModule`).
 */

/** The module's exports by name, each with its `typeof`; or why it did not import. */
export type PageImport =
  | { readonly ok: true; readonly exports: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly name: string; readonly message: string };

interface PageGlobals {
  __logitfuzzModule?: Record<string, unknown>;
}

/** In the page: imports the module at `url` and lists its exports. */
export async function pageImportModule(url: string): Promise<PageImport> {
  const g = globalThis as unknown as PageGlobals;
  try {
    // through Function, not a literal import(): a test runner that transforms this file (vitest)
    // rewrites a literal dynamic import into a call of its own, which does not exist in the page
    const load = new Function('u', 'return import(u)') as (u: string) => Promise<Record<string, unknown>>;
    const mod = await load(url);
    g.__logitfuzzModule = mod;
    const exports: Record<string, string> = {};
    for (const k of Object.keys(mod)) exports[k] = typeof mod[k];
    return { ok: true, exports };
  } catch (e) {
    const err = e as { name?: unknown; message?: unknown } | null;
    return {
      ok: false,
      name: typeof err?.name === 'string' ? err.name : 'Error',
      message: typeof err?.message === 'string' ? err.message : String(e),
    };
  }
}

/**
 * In the page: calls the module's export `name` with `args` (typed arrays arrive as copies) and
 * returns its answer, awaited, with the first argument as it is after the call when the call
 * changed it (so that a mutation of the input is seen on the other side; null when unchanged,
 * which spares sending it back).
 */
export async function pageCallExport(arg: {
  readonly name: string;
  readonly args: readonly unknown[];
}): Promise<{ readonly result: unknown; readonly numbers?: Float64Array; readonly x: unknown }> {
  const mod = (globalThis as unknown as PageGlobals).__logitfuzzModule;
  const f = mod?.[arg.name];
  if (typeof f !== 'function') throw new Error(`the module has no function '${arg.name}' in this page`);
  const x0 = arg.args[0];
  const bytesOf = (v: unknown): Uint8Array | null =>
    ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : null;
  const before = bytesOf(x0)?.slice() ?? null;
  const result: unknown = await (f as (...a: unknown[]) => unknown)(...arg.args);
  const after = bytesOf(x0);
  const changed = before !== null && after !== null && after.some((b, i) => b !== before[i]);
  const x = changed ? x0 : null;
  // A plain array of numbers crosses as one Float64Array (the same values, NaN and −0 included):
  // playwright sends an array element by element, which for a 2^18-logit row takes seconds.
  if (Array.isArray(result) && result.every((v) => typeof v === 'number'))
    return { result: null, numbers: Float64Array.from(result as number[]), x };
  return { result, x };
}
