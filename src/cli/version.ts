import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The logitfuzz version from its package.json.
 *
 * Found by walking up from this file rather than by a fixed relative path, because this module
 * runs both from src/cli (tests) and from dist/src/cli (the bin), at different depths; and not
 * by importing the JSON, which would make tsc copy package.json into dist/.
 */
export function logitfuzzVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'logitfuzz' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // no package.json here (or not readable): keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("logitfuzz's package.json not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
