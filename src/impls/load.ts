import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FormatName } from '../vocabulary/FormatName.js';
import { isScalarOp, needsLabel, type Op } from '../vocabulary/Op.js';
import type { Implementation } from './types.js';

/** The function a vetted module exports (DESIGN.md, `vet`). */
export type UserSoftmax = (x: Float64Array | Float32Array, label?: number) => unknown;

/** A module that cannot be vetted: missing, unparsable, throwing at import, or lacking the export. */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

/** An output that is not a number (scalar ops) or an array-like of numbers (vector ops). */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** The implementation changed the array it was given (DESIGN.md: a `mutation` finding). */
export class MutationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MutationError';
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
 * Converts what a user function returned into a row of `outLen` numbers, or throws ShapeError.
 * Scalar ops accept a number or a length-1 array-like; vector ops an array-like of numbers.
 */
export function toRow(value: unknown, op: Op, outLen: number): Float64Array {
  if (isScalarOp(op) && typeof value === 'number') return Float64Array.of(value);
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { length?: unknown }).length !== 'number'
  ) {
    throw new ShapeError(
      `returned ${value === null ? 'null' : typeof value}, expected ${isScalarOp(op) ? 'a number' : `an array of ${outLen} numbers`}`,
    );
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length !== outLen) throw new ShapeError(`returned ${arr.length} values, expected ${outLen}`);
  const row = new Float64Array(outLen);
  for (let i = 0; i < outLen; i++) {
    const v = arr[i];
    if (typeof v !== 'number')
      throw new ShapeError(`element ${i} is ${v === null ? 'null' : typeof v}, not a number`);
    row[i] = v;
  }
  return row;
}

/**
 * Wraps a user function as an Implementation named `name` (backend 'user', expected 'pass').
 * The function receives a Float32Array when the format is f32 (DESIGN.md), a Float64Array
 * otherwise, always a fresh copy, so mutation is detected by the caller comparing its own copy.
 */
export function userImplementation(
  name: string,
  fn: UserSoftmax,
  op: Op,
  format: FormatName,
  formula = 'user-supplied',
): Implementation {
  const labelled = needsLabel(op);
  return {
    name,
    op,
    format,
    backend: 'user',
    formula,
    expected: 'pass',
    async run(rows, labels) {
      const out: Float64Array[] = [];
      for (let r = 0; r < rows.length; r++) {
        const x = format === 'f32' ? Float32Array.from(rows[r]) : Float64Array.from(rows[r]);
        const y = await (labelled ? fn(x, labels?.[r]) : fn(x));
        for (let i = 0; i < x.length; i++) {
          if (!Object.is(x[i], rows[r][i]) && !(x[i] !== x[i] && rows[r][i] !== rows[r][i])) {
            throw new MutationError(`changed its input: element ${i} was ${rows[r][i]}, became ${x[i]}`);
          }
        }
        out.push(toRow(y, op, isScalarOp(op) ? 1 : rows[r].length));
      }
      return out;
    },
  };
}
