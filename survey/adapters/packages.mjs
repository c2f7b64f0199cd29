// Locates the survey's installed npm packages (survey/node_modules, or wherever Node's module
// resolution would find them from here) without going through their "exports" maps, so that an
// adapter can load the one module file that holds the function under test (a deep import) and
// read the package's own package.json for its version. Not an adapter: it has no ops.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The command that installs the survey's packages at the locked versions. */
export const INSTALL_FIX = 'npm ci --prefix survey --ignore-scripts';

/** The directory of the installed package `name`; throws naming the fix when it is not installed. */
export function packageDir(name) {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(
    `${name} is not installed for the survey adapters: run \`${INSTALL_FIX}\` in the repository root`,
  );
}

/** The version field of the installed package's own package.json. */
export function packageVersion(name) {
  return JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version;
}

/** A file:// URL of `file` inside the installed package, for import() past its "exports" map. */
export function packageFileUrl(name, file) {
  const path = join(packageDir(name), file);
  if (!existsSync(path))
    throw new Error(`${name} has no ${file}: the adapter was written for another version`);
  return pathToFileURL(path).href;
}

/** require() of `file` inside the installed package (for CommonJS packages). */
export function requirePackageFile(name, file) {
  const path = join(packageDir(name), file);
  if (!existsSync(path))
    throw new Error(`${name} has no ${file}: the adapter was written for another version`);
  return require(path);
}
