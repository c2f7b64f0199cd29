import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVector, type JsonNumber } from '../../src/formats/jsonNumber.js';
import { isRepresentable } from '../../src/formats/roundNumber.js';
import { formatSpec } from '../../src/formats/specs.js';
import { isFormatName, type FormatName } from '../../src/vocabulary/FormatName.js';
import { FINDING_KINDS, isFindingKind, type FindingKind } from '../../src/vocabulary/FindingKind.js';
import { isOp, needsLabel, type Op } from '../../src/vocabulary/Op.js';

/**
 * One stored counterexample (properties/corpus/NAME.json): `impl` once showed a finding of `kind`
 * on logits `x` (and `label`, for the cross-entropy ops). Numbers are encoded as everywhere in
 * logitfuzz ("inf", "-inf", "nan", "-0" as strings). `note` says where it came from and why it
 * matters.
 *
 * Replay (corpus.test.ts): an implementation the registry expects to fail must still show `kind`
 * there; one expected to pass must show nothing that fails a verdict — the regression stays
 * fixed, or a stable formulation keeps handling the input that breaks the naive one.
 */
export interface CorpusEntry {
  readonly file: string;
  readonly impl: string;
  readonly op: Op;
  readonly format: FormatName;
  readonly x: number[];
  readonly label?: number;
  readonly kind: FindingKind;
  readonly note: string;
}

/** A malformed corpus file: the message names the file and the field. */
export class CorpusError extends Error {
  constructor(file: string, field: string, message: string) {
    super(`${file}: ${field}: ${message}`);
    this.name = 'CorpusError';
  }
}

/** Parses and validates one corpus file's text. */
export function parseCorpusEntry(file: string, text: string): CorpusEntry {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CorpusError(file, '(file)', `not JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new CorpusError(file, '(file)', 'must be a JSON object');
  const o = v as Record<string, unknown>;
  const known = new Set(['impl', 'op', 'format', 'x', 'label', 'kind', 'note']);
  for (const k of Object.keys(o))
    if (!known.has(k)) throw new CorpusError(file, k, `unknown field (expected ${[...known].join(', ')})`);
  if (typeof o.impl !== 'string' || o.impl === '')
    throw new CorpusError(file, 'impl', 'must be an implementation name, e.g. "softmax/naive/f64"');
  if (typeof o.op !== 'string' || !isOp(o.op))
    throw new CorpusError(file, 'op', `unknown op ${JSON.stringify(o.op)}`);
  if (typeof o.format !== 'string' || !isFormatName(o.format))
    throw new CorpusError(file, 'format', `unknown format ${JSON.stringify(o.format)}`);
  if (!Array.isArray(o.x)) throw new CorpusError(file, 'x', 'must be an array of logits');
  let x: number[];
  try {
    x = Array.from(decodeVector(o.x as JsonNumber[]));
  } catch (e) {
    throw new CorpusError(file, 'x', (e as Error).message);
  }
  const fmt = formatSpec(o.format);
  x.forEach((val, i) => {
    if (!isRepresentable(fmt, val))
      throw new CorpusError(file, 'x', `element ${i} (${val}) is not representable in ${o.format}`);
  });
  let label: number | undefined;
  if (needsLabel(o.op)) {
    if (typeof o.label !== 'number' || !Number.isInteger(o.label) || o.label < 0 || o.label >= x.length)
      throw new CorpusError(file, 'label', `${o.op} needs an integer label in [0, ${x.length})`);
    label = o.label;
  } else if (o.label !== undefined) throw new CorpusError(file, 'label', `${o.op} takes no label`);
  const kind = o.kind;
  if (!isFindingKind(kind))
    throw new CorpusError(file, 'kind', `must be a finding kind: ${FINDING_KINDS.join(', ')}`);
  if (typeof o.note !== 'string' || o.note.trim() === '')
    throw new CorpusError(file, 'note', 'must say where the counterexample came from');
  return {
    file,
    impl: o.impl,
    op: o.op,
    format: o.format,
    x,
    ...(label !== undefined ? { label } : {}),
    kind,
    note: o.note,
  };
}

/** Every *.json of `dir`, parsed and validated, in file-name order. */
export function loadCorpus(dir: string): CorpusEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseCorpusEntry(f, readFileSync(join(dir, f), 'utf8')));
}
