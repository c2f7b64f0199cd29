import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { AnyImplementation } from './types.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

/** The function a vetted module exports (docs/design.md, "Vetted modules"). */
export type UserSoftmax = (x: Float64Array | Float32Array, label?: number) => unknown;

/** A module that cannot be vetted: missing, unparsable, throwing at import, or lacking the export. */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

/** SHA-256 of a file's bytes, for provenance ("which code was vetted"). */
export function contentHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function importTypeScript(abs: string): Promise<Record<string, unknown>> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw new LoadError(
      `${abs} is TypeScript, and the 'typescript' package is not installed: npm i -D typescript, or compile the module to .js first`,
    );
  }
  const out = ts.transpileModule(readFileSync(abs, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: abs,
  });
  // Written beside the source so that its relative imports resolve as they would for the .ts.
  const tmp = join(
    dirname(abs),
    `.${basename(abs, extname(abs))}.logitfuzz-${process.pid}-${Date.now()}.mjs`,
  );
  writeFileSync(tmp, out.outputText);
  try {
    return (await import(pathToFileURL(tmp).href)) as Record<string, unknown>;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Imports an ES module (.js, .mjs, or .ts, the latter transpiled with the installed TypeScript)
 * and returns its softmax-like export: `exportName`, else the op's name, else `default`.
 *
 * Throws LoadError with a one-line message for a missing file, a syntax error, an exception at
 * import time, or a missing or non-function export (naming the exports it does have).
 */
export async function loadUserFunction(path: string, op: Op, exportName?: string): Promise<UserSoftmax> {
  const abs = resolve(path);
  if (!existsSync(abs))
    throw new LoadError(`module not found: ${path} (give a path to a .js, .mjs or .ts file)`);
  let mod: Record<string, unknown>;
  try {
    mod =
      extname(abs) === '.ts' || extname(abs) === '.mts'
        ? await importTypeScript(abs)
        : ((await import(pathToFileURL(abs).href)) as Record<string, unknown>);
  } catch (e) {
    if (e instanceof LoadError) throw e;
    const err = e as Error;
    const what = err instanceof SyntaxError ? 'has a syntax error' : 'threw while being imported';
    throw new LoadError(`module ${path} ${what}: ${err?.message ?? String(e)}`);
  }
  const names = exportName ? [exportName] : [op, 'default'];
  for (const n of names) {
    const f = mod[n];
    if (typeof f === 'function') return f as UserSoftmax;
    if (exportName && f !== undefined)
      throw new LoadError(`export '${n}' of ${path} is a ${typeof f}, not a function`);
  }
  const have = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
  throw new LoadError(
    `module ${path} has no export ${names.map((n) => `'${n}'`).join(' or ')}` +
      (have.length
        ? `; its function exports are ${have.join(', ')} (use --export NAME)`
        : '; it exports no function'),
  );
}

/**
 * Wraps a user function as an implementation named `name` (backend 'user', expected 'pass').
 * The function receives a Float32Array when the format is f32
 * (docs/design.md, "Vetted modules"), the row itself otherwise; its answers are returned as they are, for
 * `judge` to check.
 */
export function userImplementation(
  name: string,
  fn: UserSoftmax,
  op: Op,
  format: FormatName,
  formula = 'user-supplied',
): AnyImplementation {
  const labelled = needsLabel(op);
  return {
    name,
    op,
    format,
    backend: 'user',
    formula,
    expected: EXPECT_PASS,
    async run(rows, labels) {
      const answers: unknown[] = [];
      for (let r = 0; r < rows.length; r++) {
        // f64 rows are handed over as they are; an f32 row goes as a Float32Array copy whose
        // values are written back after the call, so that the caller sees a mutation either way
        const x = format === 'f32' ? Float32Array.from(rows[r]) : rows[r];
        answers.push(await (labelled ? fn(x, labels?.[r]) : fn(x)));
        if (x !== rows[r]) rows[r].set(x);
      }
      return answers;
    },
  };
}
