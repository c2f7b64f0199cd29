/**
 * `vet --browser MODULE`: a user's ES module run in a Chromium page, with the contract of
 * `vet MODULE` (docs/design.md, "Vetted modules"): the same exports chosen with the same
 * messages (`pickUserFunctions`), the same calls (`userImplementation`: a batch function once per
 * batch, else the row function per row, x a Float32Array in f32 and a Float64Array otherwise,
 * written back after the call), answers returned as given for `judge`. Only where the code runs
 * differs: each call crosses into the page (typed arrays in and out), where the module's export
 * is called and awaited.
 *
 * How the module reaches the page: a JavaScript module whose imports are all relative and inside
 * its own folder is served as it is, from that folder (its `import.meta.url`, its relative
 * imports and fetches work as in any web app); a TypeScript module, or one that imports a bare
 * specifier (a package) or a file outside its folder, is bundled first by esbuild (resolving
 * packages as Node does, for the browser platform) and the bundle is served. A module that
 * cannot be bundled (a syntax error, an import that does not resolve — `node:fs`, say) or
 * throws while being imported is a LoadError, as for `vet`.
 *
 * The page is the module's own (session.ts): its crash is a `crash` of the call that was running
 * and the next call imports the module into a new page; its hang is the worker's `timeout`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { FormatName } from '../../vocabulary/FormatName.js';
import type { Op } from '../../vocabulary/Op.js';
import { LoadError, pickUserFunctions, userImplementation, type UserFunctions } from '../load.js';
import type { AnyImplementation } from '../types.js';
import type { PwPage } from './chromium.js';
import { pageCallExport, pageImportModule } from './modulePage.js';
import { pageError } from './pageError.js';
import { browserHandle, releaseBrowser, retainBrowser, runtimePage, type BrowserHandle } from './session.js';

/** How the page gets the module: its folder served as it is, or a bundle. */
type Delivery = { readonly kind: 'folder' } | { readonly kind: 'bundle'; readonly code: string };

// The part of esbuild's API used here (imported lazily: only `vet --browser` needs it).
interface EsbuildMessage {
  readonly text: string;
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
}
interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: { path: string; kind: string; resolveDir: string }) => undefined,
  ): void;
}
interface Esbuild {
  build(options: {
    entryPoints: string[];
    bundle: true;
    write: false;
    format: 'esm';
    platform: 'browser';
    target: string;
    logLevel: 'silent';
    plugins: { name: string; setup(build: EsbuildPluginBuild): void }[];
  }): Promise<{ outputFiles: { text: string }[] }>;
}

function isTypeScript(path: string): boolean {
  return ['.ts', '.mts', '.cts', '.tsx'].includes(extname(path).toLowerCase());
}

/**
 * Bundles the module with esbuild and decides whether the bundle is needed (see the header).
 * @throws LoadError when esbuild is missing or the module cannot be bundled.
 */
async function deliver(abs: string, path: string): Promise<Delivery> {
  let esbuild: Esbuild;
  try {
    esbuild = (await import('esbuild')) as unknown as Esbuild;
  } catch (e) {
    throw new LoadError(
      `vet --browser needs esbuild to bundle ${path}, and it could not be loaded (${(e as Error).message}): npm install esbuild@0.28.2`,
    );
  }
  const folder = dirname(abs);
  let needsBundle = isTypeScript(abs);
  const scan = {
    name: 'logitfuzz-scan',
    setup(build: EsbuildPluginBuild): void {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.') && !args.path.startsWith('/')) needsBundle = true;
        else {
          const target = resolve(args.resolveDir, args.path);
          const rel = relative(folder, target);
          if (rel.startsWith('..') || isAbsolute(rel) || isTypeScript(target)) needsBundle = true;
        }
        return undefined;
      });
    },
  };
  let code: string;
  try {
    const out = await esbuild.build({
      entryPoints: [abs],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
      plugins: [scan],
    });
    code = out.outputFiles[0]?.text ?? '';
  } catch (e) {
    const errors = (e as { errors?: readonly EsbuildMessage[] }).errors ?? [];
    const first = errors[0];
    if (!first)
      throw new LoadError(`module ${path} could not be bundled for the browser: ${(e as Error).message}`);
    const where = first.location
      ? `${first.location.file}:${first.location.line}:${first.location.column}: `
      : '';
    const what = /^Could not resolve/.test(first.text)
      ? 'imports what cannot be found for the browser'
      : 'has a syntax error';
    throw new LoadError(`module ${path} ${what}: ${where}${first.text}`);
  }
  return needsBundle ? { kind: 'bundle', code } : { kind: 'folder' };
}

/** What stands in, on this side, for an export that is not a function (only its `typeof` matters). */
function standIn(type: string): unknown {
  switch (type) {
    case 'number':
      return 0;
    case 'string':
      return '';
    case 'boolean':
      return false;
    case 'bigint':
      return 0n;
    case 'symbol':
      return Symbol('export');
    case 'undefined':
      return undefined;
    default:
      return {};
  }
}

/**
 * The module's row and batch functions, each a stand-in that calls the export in the module's
 * page. Starts the process's browser if needed.
 * @throws LoadError (missing, unbundlable, throws at import, no export), Unavailable (no Chromium).
 */
export async function loadBrowserUserFunctions(
  path: string,
  op: Op,
  exportName?: string,
): Promise<UserFunctions> {
  const abs = resolve(path);
  if (!existsSync(abs))
    throw new LoadError(`module not found: ${path} (give a path to a .js, .mjs or .ts file)`);
  const delivery = await deliver(abs, path);
  const id = createHash('sha256').update(abs).digest('hex').slice(0, 16);
  const key = `module:${abs}`;
  let exportsSeen: Readonly<Record<string, string>> | undefined;
  const init = async (page: PwPage, h: BrowserHandle): Promise<void> => {
    const url =
      delivery.kind === 'bundle'
        ? h.server.put(`bundle/${id}.mjs`, delivery.code)
        : h.server.mount(`module/${id}`, dirname(abs)) + encodeURIComponent(basename(abs));
    const imported = await page.evaluate(pageImportModule, url);
    if (!imported.ok) {
      const what = imported.name === 'SyntaxError' ? 'has a syntax error' : 'threw while being imported';
      throw new LoadError(`module ${path} ${what} (in Chromium): ${imported.message}`);
    }
    exportsSeen = imported.exports;
  };
  await runtimePage(key, init);
  const mod: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(exportsSeen!)) {
    mod[name] =
      type === 'function'
        ? async (...args: unknown[]): Promise<unknown> => {
            const page = await runtimePage(key, init);
            let answer: Awaited<ReturnType<typeof pageCallExport>>;
            try {
              answer = await page.evaluate(pageCallExport, { name, args });
            } catch (e) {
              throw pageError(e, `${path}'s ${name}`);
            }
            const { result, numbers, x } = answer;
            // the input as the module left it, written back so that a mutation is seen
            const x0 = args[0];
            if ((x0 instanceof Float32Array || x0 instanceof Float64Array) && ArrayBuffer.isView(x)) {
              const after = x as unknown as ArrayLike<number>;
              if (after.length === x0.length) x0.set(after);
            }
            // an array of numbers came as a Float64Array: the module's answer was an Array
            return numbers ? Array.from(numbers) : result;
          }
        : standIn(type);
  }
  return pickUserFunctions(mod, path, op, exportName);
}

/**
 * A vetted module in the browser, as an implementation named `name` (backend 'user', expected
 * 'pass'); `describe()` records the browser's version.
 */
export async function browserUserImplementation(
  name: string,
  path: string,
  op: Op,
  format: FormatName,
  exportName?: string,
): Promise<AnyImplementation> {
  retainBrowser();
  let fns: UserFunctions;
  let version: string;
  try {
    fns = await loadBrowserUserFunctions(path, op, exportName);
    version = (await browserHandle()).version;
  } catch (e) {
    releaseBrowser();
    throw e;
  }
  const impl = userImplementation(name, fns, op, format, `export of ${path}, in Chromium`);
  return Object.assign(impl, {
    describe: (): Record<string, string> => ({ browser: `Chromium ${version}` }),
    dispose: (): Promise<void> => {
      releaseBrowser();
      return Promise.resolve();
    },
  });
}
