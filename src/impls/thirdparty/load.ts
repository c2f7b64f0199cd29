import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Unavailable } from '../types.js';
import type { Importer } from './types.js';

const require = createRequire(import.meta.url);

/**
 * The folder of the third-party libraries under test: `thirdparty/` at logitfuzz's root, a
 * private package of its own (package.json with the tested versions, lockfile) that the root's
 * `npm ci` installs into `thirdparty/node_modules` (scripts/install-thirdparty.mjs). Null when
 * logitfuzz's package.json is not found above this module (it always is, in a checkout and in an
 * installed package alike; the published package ships only the folder's package.json).
 */
export const THIRDPARTY_DIR: string | null = ((): string | null => {
  // walk up: this module runs from src/impls/thirdparty (tests) and dist/src/impls/thirdparty
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'logitfuzz') return join(dir, 'thirdparty');
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
})();

/** The root script that installs the folder (root package.json). */
const SETUP_SCRIPT = 'setup:thirdparty';

/** The package name of a bare specifier: '@scope/name' or 'name', without a subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Versions the adapters were written and tested against: the `dependencies` of the folder's
 * package.json (the one list of them). Empty when the folder has none.
 */
export function testedVersions(folder: string | null = THIRDPARTY_DIR): Readonly<Record<string, string>> {
  if (folder === null) return {};
  try {
    const json = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, unknown>;
    };
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(json.dependencies ?? {})) if (typeof v === 'string') out[name] = v;
    return out;
  } catch {
    return {};
  }
}

/** `s` as one shell word (quoted only when it needs to be). */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that installs the given packages at the versions this project was tested with.
 *
 * - In a checkout (the folder has its lockfile): the root script that installs the whole folder
 *   from its lockfile (`npm run setup:thirdparty`, with `--prefix` naming logitfuzz's root when
 *   the working directory is elsewhere), whichever package is missing or wrong.
 * - Otherwise (logitfuzz installed as a package, no folder of libraries): `npm i -D` of each
 *   package at its tested version into the user's project, where the importer's fallback finds
 *   it.
 */
export function installCommand(
  packages: readonly string[],
  folder: string | null = THIRDPARTY_DIR,
  cwd: string = process.cwd(),
): string {
  if (folder !== null && existsSync(join(folder, 'package-lock.json'))) {
    const root = dirname(folder);
    const rel = relative(cwd, root);
    if (rel === '') return `npm run ${SETUP_SCRIPT}`;
    return `npm --prefix ${shellWord(rel.startsWith('..') || isAbsolute(rel) ? root : rel)} run ${SETUP_SCRIPT}`;
  }
  const versions = testedVersions(folder);
  return `npm i -D ${packages.map((p) => `${p}@${versions[p] ?? 'latest'}`).join(' ')}`;
}

/**
 * The directory a package is installed in: the folder's `node_modules/<pkg>` when the folder
 * has it, else found the way Node resolves bare specifiers (the node_modules folders from here
 * upwards), without importing it and without `require.resolve` of its package.json
 * (onnxruntime-web's `exports` map does not export it). Null when absent. The same order as
 * `libraryImporter`'s.
 */
export function packageDir(pkg: string, folder: string | null = THIRDPARTY_DIR): string | null {
  const own = folder === null ? [] : [join(folder, 'node_modules')];
  for (const base of [...own, ...(require.resolve.paths(pkg) ?? [])]) {
    const dir = join(base, pkg);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return null;
}

/**
 * An importer that loads a package from the folder when the folder has it installed, through
 * the folder's `import.mjs` (a plain `import()` written in the folder, so Node resolves the
 * name from the folder's node_modules with the same conditions and the same module cache as any
 * `import()`: a backend package and the tfjs-core it imports are one copy); otherwise by a plain
 * `import()` from here, so that a user who installed the library in their own project is served.
 */
export function libraryImporter(folder: string | null = THIRDPARTY_DIR): Importer {
  let viaFolder: Promise<Importer> | undefined;
  return async (specifier) => {
    const helper = folder === null ? null : join(folder, 'import.mjs');
    if (
      helper !== null &&
      existsSync(join(folder!, 'node_modules', packageName(specifier), 'package.json')) &&
      existsSync(helper)
    ) {
      viaFolder ??= import(pathToFileURL(helper).href).then((m: { default: Importer }) => m.default);
      return (await viaFolder)(specifier);
    }
    return import(specifier);
  };
}

/** The importer the adapters use unless a test injects another. */
export const defaultImporter: Importer = libraryImporter();

/** The version in a package's package.json, or null when it is not installed or unreadable. */
function packageVersion(pkg: string): string | null {
  const dir = packageDir(pkg);
  if (dir === null) return null;
  try {
    const json: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const version = (json as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/** 'pkg@version' for each package, or 'pkg (not installed)', joined with ' + '. */
export function describeLibrary(packages: readonly string[]): string {
  return packages
    .map((p) => {
      const v = packageVersion(p);
      return v === null ? `${p} (not installed)` : `${p}@${v}`;
    })
    .join(' + ');
}

/**
 * Imports `pkg` through `importer` and returns the object carrying the export `probe`: the
 * namespace itself, or its `default` (a CommonJS module imported from ESM may expose its
 * exports only there).
 *
 * Errors: any failure to load, or a module without `probe`, becomes `Unavailable` whose reason
 * names the package and the underlying error, and whose fix is the install command of
 * `installs` (all the packages the adapter needs, so one command fixes it).
 */
export async function importPackage<T extends object>(
  importer: Importer,
  pkg: string,
  probe: string,
  installs: readonly string[],
): Promise<T> {
  let ns: unknown;
  try {
    ns = await importer(pkg);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Unavailable(`${pkg} could not be loaded: ${why}`, installCommand(installs));
  }
  for (const candidate of [ns, (ns as { default?: unknown } | null)?.default]) {
    if (typeof candidate === 'object' && candidate !== null && probe in candidate) return candidate as T;
  }
  throw new Unavailable(
    `${pkg} loaded but has no export '${probe}' (not the expected library?)`,
    installCommand(installs),
  );
}
