import { readFileSync } from 'node:fs';
import { decodeVector, encodeVector } from '../formats/jsonNumber.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import { decodeAnswer } from './decodeAnswer.js';
import type { AnyImplementation } from './types.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

/** The key of an input: its logits as the oracle encodes them, and its label. */
function inputKey(x: ArrayLike<number>, label: number | undefined): string {
  return JSON.stringify([encodeVector(x), label ?? null]);
}

/** A malformed CASES or OUTPUTS file for `score`. */
export class TableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableError';
  }
}

/** Reads JSON lines, naming the file and line of the first malformed one. */
export function readJsonLines(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TableError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const out: Record<string, unknown>[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new TableError(`${file} line ${i + 1} is not JSON`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new TableError(`${file} line ${i + 1} is not a JSON object`);
    out.push(v as Record<string, unknown>);
  });
  return out;
}

/**
 * Answers computed offline by a program in any language (`logitfuzz cases export`, then the
 * program writes one `{"id","y"}` line per case, then `logitfuzz score CASES OUTPUTS`): an
 * implementation that looks each input up. An input the table does not hold (a shrinking probe,
 * or a case with no output line) fails the call, which is reported as a `crash` of that case.
 */
export function tableImplementation(
  name: string,
  casesFile: string,
  outputsFile: string,
  op: Op,
  format: FormatName,
): AnyImplementation {
  let table: Map<string, unknown> | undefined;
  const load = () => {
    const byId = new Map<number, unknown>();
    for (const o of readJsonLines(outputsFile)) if (typeof o.id === 'number') byId.set(o.id, o.y);
    table = new Map();
    for (const c of readJsonLines(casesFile)) {
      if (typeof c.id !== 'number' || !byId.has(c.id)) continue;
      table.set(
        inputKey(decodeVector(c.x), typeof c.label === 'number' ? c.label : undefined),
        byId.get(c.id),
      );
    }
  };
  return {
    name,
    op,
    format,
    backend: 'user',
    formula: `outputs in ${outputsFile}`,
    expected: EXPECT_PASS,
    async setup() {
      load();
    },
    async run(rows, labels) {
      if (!table) load();
      return rows.map((x, r) => {
        const key = inputKey(x, labels?.[r]);
        if (!table!.has(key)) throw new Error('OUTPUTS has no answer for this input');
        return decodeAnswer(table!.get(key));
      });
    },
  };
}
