import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeNumber, encodeNumber, type JsonNumber } from '../formats/jsonNumber.js';
import { CASES_SCHEMA, type FindingRecord } from '../report/schema.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import { CampaignError } from './CampaignError.js';
import type { CaseResult } from './pool.js';
import { failsAt } from '../vocabulary/Severity.js';
import type { CaseSummary } from './aggregate.js';
import type { FindingData, ImplOutcome } from './protocol.js';

/**
 * The store stage of the campaign (docs/design.md, "Campaign"): `cases.jsonl`, one JSON line per
 * finished case after a header line `{"schema": "logitfuzz/cases@2", "key": …}`. A line is written
 * as soon as its case finishes, so a killed campaign loses at most the cases in flight; `--resume`
 * streams the lines back, checks that the header's key matches the options, and appends the rest.
 *
 * A line holds only what cannot be regenerated: cases are a function of (seed, id), so the logits,
 * the oracle's rows and the outputs are not stored, and a line's size does not grow with n
 * (about 150 bytes for a passing case of one implementation). Findings keep their values; a
 * counterexample's input is regenerated from (seed, id) when the campaign shrinks it.
 */

/** One implementation's outcome as a line of the store holds it (pass and wrong follow from the findings). */
interface StoredOutcome {
  impl: string;
  /** Max ULP error. */
  u: JsonNumber;
  ms: number;
  /** The findings, when there are any. */
  f?: FindingRecord[];
  /** Outputs that had to be rounded into the format, when there are any. */
  oof?: number;
}

/** One line of `cases.jsonl`: what the case was and every implementation's outcome. */
export interface CaseLine {
  id: number;
  op: Op;
  format: FormatName;
  region: string;
  /** [B, n]: B rows of n logits. */
  shape: [number, number];
  /** The error map's bins of the case (aggregate.ts `mapBins`). */
  map: [number, number];
  /** How many output elements the oracle left undetermined, when any. */
  undetermined?: number;
  /** The oracle's time on the case in ms (timing: excluded from determinism). */
  oms: number;
  oracleError?: string;
  outcomes: StoredOutcome[];
}

/** A finding as the record and the store write it: non-finite numbers in the oracle's encoding. */
export function encodeFinding(f: FindingData): FindingRecord {
  return {
    kind: f.kind,
    ...(f.row !== undefined ? { row: f.row } : {}),
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
    ...(f.row !== undefined ? { row: f.row } : {}),
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
  const h = r.head;
  return {
    id: h.id,
    op: h.op,
    format: h.format,
    region: h.region,
    shape: h.shape,
    map: h.map,
    ...(r.undetermined ? { undetermined: r.undetermined } : {}),
    oms: Math.round(r.oracleMs * 1000) / 1000,
    ...(r.oracleError ? { oracleError: r.oracleError } : {}),
    outcomes: r.outcomes.map((o) => ({
      impl: o.impl,
      u: encodeNumber(o.maxUlps),
      ms: Math.round(o.ms * 1000) / 1000,
      ...(o.findings.length ? { f: o.findings.map(encodeFinding) } : {}),
      ...(o.outOfFormat ? { oof: o.outOfFormat } : {}),
    })),
  };
}

/** The case (as aggregation needs it) and the outcomes of a line. */
export function fromLine(line: CaseLine): { c: CaseSummary; outcomes: ImplOutcome[] } {
  return {
    c: { id: line.id, region: line.region, n: line.shape[1], B: line.shape[0], map: line.map },
    outcomes: line.outcomes.map((o) => {
      const findings = (o.f ?? []).map(decodeFinding);
      const maxUlps = decodeNumber(o.u);
      return {
        impl: o.impl,
        findings,
        maxUlps,
        maxBits: Math.log2(1 + maxUlps),
        pass: !findings.some((f) => failsAt('inaccurate', f.severity)),
        wrong: findings.some((f) => f.severity === 'wrong'),
        outOfFormat: o.oof ?? 0,
        ms: o.ms,
      };
    }),
  };
}

/** Bytes read per step when streaming a store back. */
const CHUNK = 1 << 20;

/**
 * Streams a cases.jsonl left by an earlier (possibly killed) run, line by line, without reading
 * the whole file: the header must match `key`; a last line cut short by a kill (no newline, or
 * not JSON) ends the stream, and the result says where the complete lines end, so that appending
 * continues cleanly after truncating there. Each complete line goes to `onLine`.
 */
function streamForResume(file: string, key: string, onLine: (line: CaseLine) => void): number {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    let offset = 0;
    let validBytes = 0;
    let header = false;
    for (;;) {
      const got = readSync(fd, buf, 0, CHUNK, offset);
      if (got === 0) break;
      offset += got;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      let pos = 0;
      for (;;) {
        const nl = data.indexOf(10, pos);
        if (nl < 0) break;
        let obj: unknown;
        try {
          obj = JSON.parse(data.toString('utf8', pos, nl));
        } catch {
          return header ? validBytes : 0;
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
        } else onLine(obj as CaseLine);
        validBytes += nl + 1 - pos;
        pos = nl + 1;
      }
      carry = Buffer.from(data.subarray(pos));
    }
    return header ? validBytes : 0;
  } finally {
    closeSync(fd);
  }
}

/** An open store: where new lines go. */
export interface Store {
  append(line: CaseLine): void;
  close(): void;
}

/**
 * Opens `file` for a campaign whose options give `key`: with `resume` and an existing file,
 * streams its lines to `onResumed` and continues it; otherwise starts it afresh. A null file keeps
 * nothing on disk. Throws CampaignError for a file of another kind or of other options.
 */
export function openStore(
  file: string | null,
  key: string,
  resume: boolean,
  onResumed: (line: CaseLine) => void = () => {},
): Store {
  if (file === null) return { append: () => {}, close: () => {} };
  mkdirSync(dirname(file), { recursive: true });
  let fd: number;
  if (resume && existsSync(file)) {
    const validBytes = streamForResume(file, key, onResumed);
    fd = openSync(file, 'r+');
    ftruncateSync(fd, validBytes);
    closeSync(fd);
    fd = openSync(file, 'a');
    if (validBytes === 0) writeSync(fd, JSON.stringify({ schema: CASES_SCHEMA, key }) + '\n');
  } else {
    fd = openSync(file, 'w');
    writeSync(fd, JSON.stringify({ schema: CASES_SCHEMA, key }) + '\n');
  }
  let open = true;
  return {
    append(line) {
      writeSync(fd, JSON.stringify(line) + '\n');
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
