import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/api/_testutil/linkedProject.ts). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Fails with a clear message unless dist/src/api is built and newer than src/api: the consumer
 * tests import the package as a dependency would, through package.json's exports into dist/.
 * `npm test` builds before it runs vitest.
 */
export function assertBuilt(): void {
  const src = join(REPO, 'src/api');
  for (const f of readdirSync(src)) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    const out = join(REPO, 'dist/src/api', f.replace(/\.ts$/, '.js'));
    if (!existsSync(out)) throw new Error(`${out} is missing: run \`npm run build\` first (npm test does)`);
    if (statSync(out).mtimeMs + 1000 < statSync(join(src, f)).mtimeMs)
      throw new Error(`${out} is older than src/api/${f}: run \`npm run build\` first (npm test does)`);
  }
}

/**
 * A throw-away project directory whose node_modules links `logitfuzz` to this repository (as
 * `npm install` does for `"logitfuzz": "file:../.."`) and the given packages to the repository's
 * own installed copies — no registry, no network. `files` are written into it (with a
 * package.json of `"type": "module"` unless they bring one); `cleanup()` removes it.
 */
export function linkedProject(
  files: Readonly<Record<string, string>>,
  packages: readonly string[] = ['vitest', 'vite', 'fast-check', 'typescript', '@types/node'],
): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-consumer-'));
  const nm = join(dir, 'node_modules');
  mkdirSync(nm);
  symlinkSync(REPO, join(nm, 'logitfuzz'), 'dir');
  for (const p of packages) {
    const target = join(REPO, 'node_modules', p);
    if (!existsSync(target)) throw new Error(`the repository has no node_modules/${p}: run npm ci`);
    mkdirSync(dirname(join(nm, p)), { recursive: true });
    symlinkSync(target, join(nm, p), 'dir');
  }
  const all = { 'package.json': JSON.stringify({ private: true, type: 'module' }), ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment for a child vitest or node: this one's, without the variables of the vitest run we are inside. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST' && k !== 'NODE_ENV') env[k] = v;
  return env;
}

/** Runs `node args…` in `dir` (synchronously, with a time limit), returning its exit status and output. */
export function runNode(dir: string, args: readonly string[], timeoutMs = 90_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, {
    cwd: dir,
    env: childEnv(),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}

/** Runs the project's vitest (the repository's copy, linked) in `dir`, with extra arguments (e.g. a reporter). */
export function runVitest(
  dir: string,
  args: readonly string[] = [],
  timeoutMs = 120_000,
): SpawnSyncReturns<string> {
  return runNode(
    dir,
    [join(dir, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--no-color', ...args],
    timeoutMs,
  );
}

/** Type-checks the project's TypeScript with the repository's compiler (strict, NodeNext). */
export function runTsc(dir: string, timeoutMs = 120_000): SpawnSyncReturns<string> {
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  return runNode(dir, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], timeoutMs);
}
