import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
import { groupByLength, packRows, splitRows } from './rowBatch.js';
import type { AnyImplementation } from './types.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

/** The row function a vetted module exports (docs/design.md, "Vetted modules"): one row per call. */
export type UserSoftmax = (x: Float64Array | Float32Array, label?: number) => unknown;

/**
 * The batch function a vetted module may export beside it, `<name>Batch`
 * (docs/design.md, "Vetted modules"): `rows` rows of `cols` logits in one flat row-major `x`
 * (a Float32Array when the format is f32, a Float64Array otherwise), `labels` (the
 * cross-entropy ops only) one class index per row. Answers one flat array of rows·cols values
 * (rows values for the scalar ops), or a promise of it.
 */
export type UserBatch = (
  x: Float64Array | Float32Array,
  rows: number,
  cols: number,
  labels?: Int32Array,
) => unknown;

/** What a vetted module offers: its row function, its batch function, or both. */
export type UserFunctions =
  | { readonly row: UserSoftmax; readonly batch?: UserBatch }
  | { readonly row?: UserSoftmax; readonly batch: UserBatch };

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
 * and returns its softmax-like exports: the row function `exportName`, else the op's name, else
 * `default`; and the batch function `<exportName>Batch`, else `<op>Batch` (e.g. `softmaxBatch`,
 * `log_softmaxBatch`: the op's own spelling, no camelCase alias, as for the row function). At
 * least one of the two must be there.
 *
 * Throws LoadError with a one-line message for a missing file, a syntax error, an exception at
 * import time, a missing export (naming the function exports it does have), or a named or batch
 * export that is not a function.
 */
export async function loadUserFunction(path: string, op: Op, exportName?: string): Promise<UserFunctions> {
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
  return pickUserFunctions(mod, path, op, exportName);
}

/**
 * The row and batch functions among a module's exports, chosen as `loadUserFunction` documents
 * (the same choice and messages for a module imported here and one imported in a browser page,
 * whose exports are stand-ins that call into the page). Throws LoadError.
 */
export function pickUserFunctions(
  mod: Record<string, unknown>,
  path: string,
  op: Op,
  exportName?: string,
): UserFunctions {
  const names = exportName ? [exportName] : [op, 'default'];
  let row: UserSoftmax | undefined;
  for (const n of names) {
    const f = mod[n];
    if (typeof f === 'function') {
      row = f as UserSoftmax;
      break;
    }
    if (exportName && f !== undefined)
      throw new LoadError(`export '${n}' of ${path} is a ${typeof f}, not a function`);
  }
  const batchName = `${exportName ?? op}Batch`;
  const b = mod[batchName];
  // a batch export that is not a function is a mistake worth stopping for: ignoring it would
  // silently vet row by row what its author meant to be vetted in batches
  if (b !== undefined && typeof b !== 'function')
    throw new LoadError(`export '${batchName}' of ${path} is a ${typeof b}, not a function`);
  const batch = b as UserBatch | undefined;
  if (row) return { row, batch };
  if (batch) return { batch };
  const have = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
  throw new LoadError(
    `module ${path} has no export ${names.map((n) => `'${n}'`).join(' or ')} (nor '${batchName}')` +
      (have.length
        ? `; its function exports are ${have.join(', ')} (use --export NAME)`
        : '; it exports no function'),
  );
}

/**
 * Wraps a user's functions (or a bare row function) as an implementation named `name` (backend
 * 'user', expected 'pass'); answers are returned as given, for `judge` to check
 * (docs/design.md, "Vetted modules").
 *
 * With a batch function, `run` makes one call per distinct row length (one call for the
 * campaign's batches, whose rows share a length): the rows packed row-major into one flat copy,
 * written back into the rows after the call so that a mutation stays visible, and the flat
 * output split into per-row answers by `splitRows`, nothing corrected (a wrong length becomes
 * `shape` findings). Without one, the row function is called per row: an f64 row is handed over
 * as it is, an f32 row as a Float32Array copy written back after the call. A throw or rejection
 * fails the whole `run` (a `crash` of the batch).
 *
 * With a batch function, `run` rejects with a RangeError, before calling anything, when a
 * cross-entropy op is given labels that are not int32 integers (the caller's mistake, which the
 * conversion to Int32Array would hide).
 */
export function userImplementation(
  name: string,
  fns: UserSoftmax | UserFunctions,
  op: Op,
  format: FormatName,
  formula = 'user-supplied',
): AnyImplementation {
  const labelled = needsLabel(op);
  const { row, batch } = typeof fns === 'function' ? { row: fns, batch: undefined } : fns;
  const flatType = format === 'f32' ? Float32Array : Float64Array;
  const rowByRow = async (rows: readonly Float64Array[], labels?: readonly number[]) => {
    const answers: unknown[] = [];
    for (let r = 0; r < rows.length; r++) {
      const x = format === 'f32' ? Float32Array.from(rows[r]) : rows[r];
      answers.push(await (labelled ? row!(x, labels?.[r]) : row!(x)));
      if (x !== rows[r]) rows[r].set(x);
    }
    return answers;
  };
  const batched = async (rows: readonly Float64Array[], labels?: readonly number[]) => {
    if (labelled && labels) {
      const bad = labels.findIndex((l) => !Number.isInteger(l) || (l | 0) !== l);
      if (bad >= 0) throw new RangeError(`label ${bad} is ${String(labels[bad])}, not an int32 integer`);
    }
    const answers = new Array<unknown>(rows.length);
    for (const [n, indices] of groupByLength(rows)) {
      const x = packRows(rows, indices, n, flatType);
      const flat = await (labelled
        ? batch!(x, indices.length, n, labels ? Int32Array.from(indices, (r) => labels[r]) : undefined)
        : batch!(x, indices.length, n));
      indices.forEach((r, k) => rows[r].set(x.subarray(k * n, (k + 1) * n)));
      splitRows(flat, indices.length, outputLength(op, n)).forEach((a, k) => {
        answers[indices[k]] = a;
      });
    }
    return answers;
  };
  return {
    name,
    op,
    format,
    backend: 'user',
    formula,
    expected: EXPECT_PASS,
    run: batch ? batched : rowByRow,
  };
}
