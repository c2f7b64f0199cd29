/**
 * Test support: makes TypeScript sources runnable by a plain `node` child process (Node 20 runs
 * no TypeScript, and the project has no tsx). Transpiles an entry file and every file it imports
 * through relative specifiers (`./x.js` → `./x.ts`) with TypeScript's `transpileModule` (no type
 * check: tsc does that) into a fresh temporary folder that mirrors the absolute paths, with a
 * `package.json` of `"type": "module"` and a `node_modules` link to the project's, so bare
 * imports (`webgpu`) resolve as they do in the project.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Transpiles `entry` (an absolute .ts path) and its relative imports; returns the .js path of
 * the entry and a `cleanup` that removes the temporary folder (the link only, not its target).
 */
export function transpileForNode(
  entry: string,
  projectRoot: string,
): { script: string; cleanup: () => void } {
  const out = mkdtempSync(join(tmpdir(), 'logitfuzz-webgpu-'));
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(projectRoot, 'node_modules'), join(out, 'node_modules'), 'dir');
  const seen = new Set<string>();
  const todo = [resolve(entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1].replace(/\.js$/, '.ts'));
      if (existsSync(target)) todo.push(target);
    }
    const js = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    const dest = join(out, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  return {
    script: join(out, resolve(entry).replace(/\.ts$/, '.js')),
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}
