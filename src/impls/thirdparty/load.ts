import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Unavailable } from '../types.js';
import type { Importer } from './types.js';

const require = createRequire(import.meta.url);

/** The command that installs the given packages at the versions this project was tested with. */
export function installCommand(packages: readonly string[]): string {
  return `npm i -D ${packages.map((p) => `${p}@${TESTED_VERSIONS[p] ?? 'latest'}`).join(' ')}`;
}

/** Versions the adapters were written and tested against (package.json devDependencies). */
const TESTED_VERSIONS: Readonly<Record<string, string>> = {
  '@tensorflow/tfjs-core': '4.22.0',
  '@tensorflow/tfjs-backend-cpu': '4.22.0',
  '@tensorflow/tfjs-backend-wasm': '4.22.0',
  '@tensorflow/tfjs-backend-webgpu': '4.22.0',
  'onnxruntime-node': '1.30.0',
  'onnxruntime-web': '1.30.0',
  webgpu: '0.6.2',
};

/**
 * The directory a package is installed in, found the way Node resolves bare specifiers (the
 * node_modules folders from here upwards), without importing it and without `require.resolve` of
 * its package.json (onnxruntime-web's `exports` map does not export it). Null when absent.
 */
export function packageDir(pkg: string): string | null {
  for (const base of require.resolve.paths(pkg) ?? []) {
    const dir = join(base, pkg);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return null;
}

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
