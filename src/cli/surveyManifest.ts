import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FORMAT_NAMES, type FormatName } from '../vocabulary/FormatName.js';
import { OPS, type Op } from '../vocabulary/Op.js';
import type { SurveyExpectation } from '../report/schema.js';
import { InputError } from './errors.js';

/** The manifest's schema name: `logitfuzz survey MANIFEST` reads this version. */
export const SURVEY_MANIFEST_SCHEMA = 'logitfuzz/survey-manifest@1';

/**
 * One library (or one way of calling it) in a survey manifest (docs/design.md, "Survey").
 * Exactly one of `module`, `exec` and `builtin` says how it is called.
 */
export interface SurveyEntry {
  /** A short slug, unique in the manifest: the implementations are named `op/<id>/format`. */
  readonly id: string;
  /** The library as people name it (`@huggingface/transformers`, `torch`). */
  readonly library: string;
  /** Where it comes from: `npm`, `python`, … (free text, shown in the table). */
  readonly ecosystem: string;
  /** An ES module path, relative to the manifest, exporting a function per op (as for `vet MODULE`). */
  readonly module?: string;
  /** A JSON-lines program (as for `vet --exec`), run through the shell in the manifest's folder. */
  readonly exec?: string;
  /** A formulation of the built-in zoo (`tfjs-cpu`, `onnxruntime-node`): `op/<builtin>/format`. */
  readonly builtin?: string;
  /** With `exec`: the program takes batch requests (`vet --exec --batch`). @defaultValue false */
  readonly batch?: boolean;
  /** With `exec`: a command printing one JSON line `{"package": "version", …}`. */
  readonly versions?: string;
  /** Debian packages whose installed version (`dpkg-query`) the record keeps. */
  readonly dpkg?: readonly string[];
  /** The library function each op calls (the ops to vet are its keys). */
  readonly calls: Readonly<Partial<Record<Op, string>>>;
  /** The formats to vet every op in. */
  readonly formats: readonly FormatName[];
  /** The expected grade for every `op/format` of `calls` × `formats`. */
  readonly expected: Readonly<Record<string, SurveyExpectation>>;
  /** How it was installed or called, caveats (shown in the report). */
  readonly notes?: string;
  /** What the survey found, in plain words (written once the grades are known; shown first). */
  readonly summary?: string;
  /** The library's issue tracker, for the upstream reports. */
  readonly tracker?: string;
  /** Existing upstream reports, by `op` or `op/format`: a URL each. */
  readonly knownIssues?: Readonly<Record<string, string>>;
}

export interface SurveyManifest {
  readonly schema: typeof SURVEY_MANIFEST_SCHEMA;
  readonly title?: string;
  readonly entries: readonly SurveyEntry[];
  /** The manifest's folder: module paths and exec commands are relative to it. */
  readonly dir: string;
}

const EXPECTATIONS: readonly SurveyExpectation[] = ['pass', 'inaccurate', 'wrong', 'unavailable'];
const ID = /^[a-z0-9][a-z0-9.+_-]*$/;

/**
 * Reads and checks a survey manifest. Every problem is an InputError naming the file, the field
 * (`entries[2].expected`) and what it must be, so a bad manifest stops before any library runs.
 */
export function readSurveyManifest(path: string): SurveyManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the survey manifest ${path}: ${(e as Error).message}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path} is not JSON: ${(e as Error).message}`);
  }
  return parseSurveyManifest(v, path);
}

/** `readSurveyManifest` on an already parsed value (see there). */
export function parseSurveyManifest(v: unknown, path: string): SurveyManifest {
  const bad = (field: string, want: string): never => {
    throw new InputError(`${path}: ${field} must be ${want}`);
  };
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(v))
    return bad('the manifest', `a JSON object {"schema": "${SURVEY_MANIFEST_SCHEMA}", "entries": […]}`);
  if (v.schema !== SURVEY_MANIFEST_SCHEMA) bad('schema', `"${SURVEY_MANIFEST_SCHEMA}"`);
  if (v.title !== undefined && typeof v.title !== 'string') bad('title', 'a string');
  if (!Array.isArray(v.entries) || v.entries.length === 0) bad('entries', 'a non-empty array of entries');
  const seen = new Set<string>();
  const entries = (v.entries as unknown[]).map((raw, k): SurveyEntry => {
    const p = `entries[${k}]`;
    if (!isObj(raw)) return bad(p, 'an object');
    const e = raw;
    const str = (key: string, optional = false): string | undefined => {
      if (e[key] === undefined && optional) return undefined;
      if (typeof e[key] !== 'string' || e[key] === '') bad(`${p}.${key}`, 'a non-empty string');
      return e[key] as string;
    };
    const id = str('id')!;
    if (!ID.test(id))
      bad(`${p}.id`, `a slug of lower-case letters, digits and . + _ - (got ${JSON.stringify(id)})`);
    if (seen.has(id)) bad(`${p}.id`, `unique (${JSON.stringify(id)} appears twice)`);
    seen.add(id);
    const library = str('library')!;
    const ecosystem = str('ecosystem')!;
    const module = str('module', true);
    const exec = str('exec', true);
    const builtin = str('builtin', true);
    const ways = [module, exec, builtin].filter((w) => w !== undefined).length;
    if (ways !== 1) bad(p, 'given exactly one of "module", "exec" and "builtin"');
    if (e.batch !== undefined && (typeof e.batch !== 'boolean' || exec === undefined))
      bad(`${p}.batch`, 'true or false, and only with "exec"');
    const versions = str('versions', true);
    if (versions !== undefined && exec === undefined)
      bad(`${p}.versions`, 'given only with "exec" (a module exports `versions`)');
    if (
      e.dpkg !== undefined &&
      !(Array.isArray(e.dpkg) && e.dpkg.every((d) => typeof d === 'string' && /^[a-z0-9.+-]+$/.test(d)))
    )
      bad(`${p}.dpkg`, 'an array of Debian package names');
    if (!isObj(e.calls) || Object.keys(e.calls).length === 0)
      bad(`${p}.calls`, `an object {op: "the function it calls"} with ops among ${OPS.join(', ')}`);
    const calls = e.calls as Record<string, unknown>;
    for (const [op, fn] of Object.entries(calls)) {
      if (!(OPS as readonly string[]).includes(op))
        bad(`${p}.calls`, `keyed by ops (${OPS.join(', ')}); got ${JSON.stringify(op)}`);
      if (typeof fn !== 'string' || fn === '') bad(`${p}.calls.${op}`, 'a non-empty string');
    }
    if (
      !Array.isArray(e.formats) ||
      e.formats.length === 0 ||
      !e.formats.every((f) => (FORMAT_NAMES as readonly unknown[]).includes(f))
    )
      bad(`${p}.formats`, `a non-empty array of ${FORMAT_NAMES.join(', ')}`);
    const formats = [...new Set(e.formats as FormatName[])];
    if (!isObj(e.expected)) bad(`${p}.expected`, 'an object {"op/format": grade}');
    const expected = e.expected as Record<string, unknown>;
    for (const op of Object.keys(calls))
      for (const f of formats) {
        const want = expected[`${op}/${f}`];
        if (!(EXPECTATIONS as readonly unknown[]).includes(want))
          bad(
            `${p}.expected["${op}/${f}"]`,
            `one of ${EXPECTATIONS.join(', ')} (every op of "calls" in every format of "formats" needs one)`,
          );
      }
    for (const key of Object.keys(expected)) {
      const [op, f] = key.split('/');
      if (!(op in calls) || !formats.includes(f as FormatName))
        bad(`${p}.expected["${key}"]`, 'an "op/format" of "calls" × "formats"');
    }
    const notes = str('notes', true);
    const summary = str('summary', true);
    const tracker = str('tracker', true);
    if (
      e.knownIssues !== undefined &&
      !(
        isObj(e.knownIssues) &&
        Object.values(e.knownIssues).every((u) => typeof u === 'string' && /^https?:\/\//.test(u))
      )
    )
      bad(`${p}.knownIssues`, 'an object {"op" or "op/format": "https://…"}');
    return {
      id,
      library,
      ecosystem,
      ...(module !== undefined ? { module } : {}),
      ...(exec !== undefined ? { exec } : {}),
      ...(builtin !== undefined ? { builtin } : {}),
      ...(e.batch === true ? { batch: true } : {}),
      ...(versions !== undefined ? { versions } : {}),
      ...(e.dpkg !== undefined ? { dpkg: e.dpkg as string[] } : {}),
      calls: calls as Partial<Record<Op, string>>,
      formats,
      expected: expected as Record<string, SurveyExpectation>,
      ...(notes !== undefined ? { notes } : {}),
      ...(summary !== undefined ? { summary } : {}),
      ...(tracker !== undefined ? { tracker } : {}),
      ...(e.knownIssues !== undefined ? { knownIssues: e.knownIssues as Record<string, string> } : {}),
    };
  });
  return {
    schema: SURVEY_MANIFEST_SCHEMA,
    ...(typeof v.title === 'string' ? { title: v.title } : {}),
    entries,
    dir: dirname(resolve(path)),
  };
}
