import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  decodeNumber,
  decodeVector,
  encodeNumber,
  encodeVector,
  type JsonNumber,
} from '../formats/jsonNumber.js';
import { CASES_SCHEMA, type FindingRecord } from '../report/schema.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import { CampaignError } from './CampaignError.js';
import type { CaseResult } from './pool.js';
import type { FindingData, ImplOutcome } from './protocol.js';

/**
 * The store stage of the campaign (docs/design.md, "Campaign"): `cases.jsonl`, one JSON line per
 * finished case after a header line `{"schema": "logitfuzz/cases@1", "key": …}`. A line is written
 * as soon as its case finishes, so a killed campaign loses at most the cases in flight; `--resume`
 * reads the lines back, checks that the header's key matches the options, and appends the rest.
 */

/** One implementation's outcome as a line of the store holds it. */
interface StoredOutcome {
  impl: string;
  findings: FindingRecord[];
  maxUlps: JsonNumber;
  maxBits: JsonNumber;
  pass: boolean;
  outOfFormat: number;
  ms: number;
}

/** One line of `cases.jsonl`: the case, the oracle's row and every implementation's outcome. */
export interface CaseLine {
  id: number;
  op: Op;
  format: FormatName;
  region: string;
  x: JsonNumber[];
  label?: number;
  oracle?: JsonNumber[];
  undetermined?: number[];
  oracleError?: string;
  outcomes: StoredOutcome[];
}

/** A finding as the record and the store write it: non-finite numbers in the oracle's encoding. */
export function encodeFinding(f: FindingData): FindingRecord {
  return {
    kind: f.kind,
    index: f.index,
    expected: f.expected === null ? null : encodeNumber(f.expected),
    actual: f.actual === null ? null : encodeNumber(f.actual),
    ulps: f.ulps === null ? null : encodeNumber(f.ulps),
    diagnosis: f.diagnosis,
    severity: f.severity,
  };
}

function decodeFinding(f: FindingRecord): FindingData {
  return {
    kind: f.kind,
    index: f.index,
    expected: f.expected === null ? null : decodeNumber(f.expected),
    actual: f.actual === null ? null : decodeNumber(f.actual),
    ulps: f.ulps === null ? null : decodeNumber(f.ulps),
    diagnosis: f.diagnosis,
    severity: f.severity,
  };
}

/** The line of a finished case. */
export function toLine(r: CaseResult): CaseLine {
  return {
    id: r.c.id,
    op: r.c.op,
    format: r.c.format,
    region: r.c.region,
    x: encodeVector(r.c.x),
    ...(r.c.label !== undefined ? { label: r.c.label } : {}),
    ...(r.oracle ? { oracle: encodeVector(r.oracle.values) } : {}),
    ...(r.oracle && r.oracle.undetermined.length ? { undetermined: [...r.oracle.undetermined] } : {}),
    ...(r.oracleError ? { oracleError: r.oracleError } : {}),
    outcomes: r.outcomes.map((o) => ({
      impl: o.impl,
      findings: o.findings.map(encodeFinding),
      maxUlps: encodeNumber(o.maxUlps),
      maxBits: encodeNumber(o.maxBits),
      pass: o.pass,
      outOfFormat: o.outOfFormat,
      ms: Math.round(o.ms * 1000) / 1000,
    })),
  };
}

/** The case (as aggregation needs it) and the outcomes of a line. */
export function fromLine(line: CaseLine): {
  c: { id: number; region: string; x: Float64Array; label: number | undefined };
  outcomes: ImplOutcome[];
} {
  return {
    c: { id: line.id, region: line.region, x: decodeVector(line.x), label: line.label },
    outcomes: line.outcomes.map((o) => ({
      impl: o.impl,
      findings: o.findings.map(decodeFinding),
      maxUlps: decodeNumber(o.maxUlps),
      maxBits: decodeNumber(o.maxBits),
      pass: o.pass,
      wrong: o.findings.some((f) => f.severity === 'wrong'),
      outOfFormat: o.outOfFormat,
      ms: o.ms,
    })),
  };
}

/**
 * Reads a cases.jsonl left by an earlier (possibly killed) run: the header must match `key`; a
 * last line cut short by a kill (no newline, or not JSON) is dropped, and `validBytes` says where
 * the complete lines end, so that appending continues cleanly after truncating there.
 */
function readForResume(file: string, key: string): { lines: CaseLine[]; validBytes: number } {
  const text = readFileSync(file).toString('utf8');
  const lines: CaseLine[] = [];
  let pos = 0;
  let validBytes = 0;
  let header = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break; // an unterminated last line: cut by a kill
    const raw = text.slice(pos, nl);
    pos = nl + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      break;
    }
    if (!header) {
      const h = obj as { schema?: string; key?: string };
      if (h.schema !== CASES_SCHEMA)
        throw new CampaignError(
          `${file} is not a logitfuzz cases file (no ${CASES_SCHEMA} header): remove it or choose another --out`,
        );
      if (h.key !== key)
        throw new CampaignError(
          `${file} was written with other options (seed, implementations, runs, shard or judging): --resume needs the same options, or remove the file`,
        );
      header = true;
    } else lines.push(obj as CaseLine);
    validBytes = Buffer.byteLength(text.slice(0, pos), 'utf8');
  }
  if (!header) return { lines: [], validBytes: 0 };
  return { lines, validBytes };
}

/** An open store: the lines an earlier run left (with `resume`), and where new lines go. */
export interface Store {
  /** Lines read back by `resume` (empty otherwise). */
  readonly resumed: readonly CaseLine[];
  append(line: CaseLine): void;
  close(): void;
}

/**
 * Opens `file` for a campaign whose options give `key`: with `resume` and an existing file,
 * reads it back and continues it; otherwise starts it afresh. A null file keeps nothing on disk.
 * Throws CampaignError for a file of another kind or of other options.
 */
export function openStore(file: string | null, key: string, resume: boolean): Store {
  if (file === null) return { resumed: [], append: () => {}, close: () => {} };
  mkdirSync(dirname(file), { recursive: true });
  let resumed: CaseLine[] = [];
  let fd: number;
  if (resume && existsSync(file)) {
    const read = readForResume(file, key);
    resumed = read.lines;
    fd = openSync(file, 'r+');
    ftruncateSync(fd, read.validBytes);
    closeSync(fd);
    fd = openSync(file, 'a');
    if (read.validBytes === 0) writeSync(fd, JSON.stringify({ schema: CASES_SCHEMA, key }) + '\n');
  } else {
    fd = openSync(file, 'w');
    writeSync(fd, JSON.stringify({ schema: CASES_SCHEMA, key }) + '\n');
  }
  let open = true;
  return {
    resumed,
    append(line) {
      writeSync(fd, JSON.stringify(line) + '\n');
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
