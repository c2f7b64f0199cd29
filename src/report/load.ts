/**
 * Reading a `logitfuzz/run@1` record back from disk (for `compare`, and for anything else that
 * renders a stored results.json): checks the structure the reports rely on, so a corrupt file, a
 * file of another schema or a hand-edited record ends in one clear message instead of a crash
 * deep inside a renderer.
 */
import { ASSERT_CLOSE } from '../metrics/closeness.js';
import { RUN_SCHEMA, RUN_SCHEMA_V1, CASES_SCHEMA, type RunRecord } from './schema.js';
import { OPS } from '../vocabulary/Op.js';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';

/** A cases stream of this version (CASES_SCHEMA) or an earlier one: named as such, not as an unknown schema. */
const isCasesSchema = (s: unknown): boolean =>
  s === CASES_SCHEMA || (typeof s === 'string' && s.startsWith('logitfuzz/cases@'));

/** A file that is not a usable run record; the message names the file and the problem. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isJsonNumber = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) || v === 'inf' || v === '-inf' || v === 'nan' || v === '-0';
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses and checks a run record. `source` names the file in messages. Throws a `RecordError`
 * for text that is not JSON, a record of another schema (naming it: a vet verdict or a
 * cases@1 stream is not a run record), and for missing or mistyped fields (naming the first
 * one, with its path, e.g. `implementations[3].ulp.histogram`).
 */
export function parseRunRecord(text: string, source: string): RunRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    // a JSON-lines file (cases.jsonl) fails as a whole: name it by its first line
    let first: unknown;
    try {
      first = JSON.parse(text.slice(0, text.indexOf('\n') >>> 0));
    } catch {
      first = undefined;
    }
    if (isObj(first) && isCasesSchema(first.schema))
      throw new RecordError(
        `${source} is a cases stream (${String(first.schema)}); give the results.json beside it`,
      );
    throw new RecordError(
      `${source} is not valid JSON (${(e as Error).message}); expected a results.json written by 'logitfuzz run'`,
    );
  }
  return checkRunRecord(v, source);
}

/** Checks an already parsed value (see `parseRunRecord`). */
export function checkRunRecord(v: unknown, source: string): RunRecord {
  if (!isObj(v)) throw new RecordError(`${source} is not a logitfuzz run record (the JSON is not an object)`);
  const schema = v.schema;
  const v1 = schema === RUN_SCHEMA_V1;
  if (schema !== RUN_SCHEMA && !v1) {
    const what =
      typeof schema === 'string' && schema.startsWith('logitfuzz/vet@')
        ? `a 'vet --json' verdict (${schema.slice(0, 60)})`
        : isCasesSchema(schema)
          ? `a cases stream (${String(schema)}); give the results.json beside it`
          : typeof schema === 'string'
            ? `of schema ${JSON.stringify(schema.slice(0, 60))}`
            : 'without a schema field';
    throw new RecordError(
      `${source} is ${what}, not a run record (${RUN_SCHEMA}, the results.json written by 'logitfuzz run')`,
    );
  }
  const bad = (path: string, want: string): never => {
    throw new RecordError(
      `${source}: ${path} should be ${want}; the file is corrupt or was not written by logitfuzz`,
    );
  };
  const need = (
    o: Record<string, unknown>,
    key: string,
    path: string,
    ok: (x: unknown) => boolean,
    want: string,
  ): void => {
    if (!ok(o[key])) bad(`${path}${key}`, want);
  };
  const str = (x: unknown) => typeof x === 'string';
  const numArr = (x: unknown) => Array.isArray(x) && x.every(isJsonNumber);
  const countMap = (x: unknown) => isObj(x) && Object.values(x).every(isCount);
  need(v, 'seed', '', (x) => typeof x === 'number' && Number.isFinite(x), 'a number');
  need(v, 'command', '', str, 'a string');
  need(v, 'logitfuzzVersion', '', str, 'a string');
  if (v.commit !== undefined) need(v, 'commit', '', str, 'a string');
  need(v, 'config', '', isObj, 'an object');
  need(
    v.config as Record<string, unknown>,
    'specials',
    'config.',
    (x) => x === 'strict' || x === 'report' || x === 'skip',
    '"strict", "report" or "skip"',
  );
  const cs = (v.config as Record<string, unknown>).caseSpace;
  if (cs !== undefined && cs !== null)
    need(
      v.config as Record<string, unknown>,
      'caseSpace',
      'config.',
      (x) =>
        isObj(x) &&
        Array.isArray(x.groups) &&
        x.groups.every(
          (g) =>
            isObj(g) &&
            (OPS as readonly unknown[]).includes(g.op) &&
            (FORMAT_NAMES as readonly unknown[]).includes(g.format),
        ) &&
        isObj(x.constraints) &&
        typeof x.probes === 'boolean' &&
        Number.isInteger(x.maxBatch) &&
        (x.maxBatch as number) >= 1,
      'null or {groups: [{op, format}], constraints, probes, maxBatch}',
    );
  need(v, 'histogramEdges', '', numArr, 'an array of numbers');
  need(v, 'mapEdges', '', numArr, 'an array of numbers');
  need(v, 'lengthEdges', '', numArr, 'an array of numbers');
  need(v, 'totals', '', isObj, 'an object');
  need(v.totals as Record<string, unknown>, 'cases', 'totals.', isCount, 'a count');
  need(v, 'environment', '', (x) => isObj(x) && Object.values(x).every(str), 'an object of strings');
  need(v, 'timing', '', isObj, 'an object');
  need(v, 'implementations', '', Array.isArray, 'an array');
  const cells = (x: unknown) =>
    isObj(x) &&
    Object.values(x).every(
      (c) =>
        isObj(c) && isCount(c.cases) && isCount(c.failures) && isJsonNumber(c.maxUlps) && countMap(c.kinds),
    );
  const impls = v.implementations as unknown[];
  const seen = new Set<string>();
  impls.forEach((imp, n) => {
    const p = `implementations[${n}].`;
    if (!isObj(imp)) bad(`implementations[${n}]`, 'an object');
    const i = imp as Record<string, unknown>;
    for (const k of ['name', 'op', 'format', 'backend', 'formula']) need(i, k, p, str, 'a string');
    if (seen.has(i.name as string)) bad(`${p}name`, `unique (${JSON.stringify(i.name)} appears twice)`);
    seen.add(i.name as string);
    const level = (x: unknown) => x === 'pass' || x === 'fail';
    if (v1) need(i, 'expected', p, level, '"pass" or "fail"');
    else
      need(i, 'expected', p, (x) => isObj(x) && level(x.inaccurate) && level(x.wrong), '{inaccurate, wrong}');
    need(
      i,
      'verdict',
      p,
      (x) => x === 'pass' || x === 'fail' || x === 'unavailable',
      '"pass", "fail" or "unavailable"',
    );
    if (i.unavailableReason !== undefined) need(i, 'unavailableReason', p, str, 'a string');
    need(i, 'cases', p, isCount, 'a count');
    need(i, 'passes', p, isCount, 'a count');
    need(i, 'findingCounts', p, countMap, 'an object of counts');
    need(i, 'counterexamples', p, isObj, 'an object');
    for (const [kind, c] of Object.entries(i.counterexamples as Record<string, unknown>)) {
      const cp = `${p}counterexamples.${kind}.`;
      if (!isObj(c)) bad(cp.slice(0, -1), 'an object');
      const cx = c as Record<string, unknown>;
      // absent for a whole long case, which the case id and config.caseSpace regenerate
      if (cx.input !== undefined) need(cx, 'input', cp, numArr, 'an array of numbers');
      else
        need(
          cx,
          'caseId',
          cp,
          (x) => typeof x === 'number' && x >= 0 && isObj((v.config as Record<string, unknown>).caseSpace),
          'a case id ≥ 0 with config.caseSpace (the counterexample stores no input)',
        );
      need(cx, 'expected', cp, numArr, 'an array of numbers');
      need(cx, 'actual', cp, (x) => x === null || numArr(x), 'an array of numbers or null');
      need(cx, 'replay', cp, str, 'a string');
      need(cx, 'region', cp, str, 'a string');
      need(cx, 'finding', cp, isObj, 'an object');
      const f = cx.finding as Record<string, unknown>;
      need(f, 'kind', `${cp}finding.`, str, 'a string');
      need(f, 'diagnosis', `${cp}finding.`, str, 'a string');
      need(f, 'index', `${cp}finding.`, (x) => typeof x === 'number', 'a number');
      for (const k of ['expected', 'actual', 'ulps'])
        need(f, k, `${cp}finding.`, (x) => x === null || isJsonNumber(x), 'a number or null');
      if (cx.original !== undefined) need(cx, 'original', cp, numArr, 'an array of numbers');
      if (cx.batch !== undefined) {
        need(cx, 'batch', cp, Array.isArray, 'an array of rows');
        (cx.batch as unknown[]).forEach((row, k) => {
          const rp = `${cp}batch.${k}.`;
          if (!isObj(row)) bad(rp.slice(0, -1), 'an object');
          const r = row as Record<string, unknown>;
          need(r, 'input', rp, numArr, 'an array of numbers');
          need(r, 'expected', rp, numArr, 'an array of numbers');
          need(r, 'actual', rp, (x) => x === null || numArr(x), 'an array of numbers or null');
        });
      }
    }
    need(i, 'ulp', p, isObj, 'an object');
    const u = i.ulp as Record<string, unknown>;
    for (const k of ['max', 'p50', 'p90', 'p99']) need(u, k, `${p}ulp.`, isJsonNumber, 'a number');
    need(u, 'meanBits', `${p}ulp.`, (x) => typeof x === 'number', 'a number');
    need(u, 'histogram', `${p}ulp.`, (x) => Array.isArray(x) && x.every(isCount), 'an array of counts');
    need(
      i,
      'regions',
      p,
      (x) => isObj(x) && Object.values(x).every((r) => isObj(r) && isCount(r.cases) && isCount(r.failures)),
      'an object of {cases, failures}',
    );
    need(i, 'errorMap', p, cells, 'an object of cells');
    need(i, 'byLength', p, cells, 'an object of cells');
    need(i, 'outOfFormat', p, isCount, 'a count');
    if (i.environment !== undefined)
      need(i, 'environment', p, (x) => isObj(x) && Object.values(x).every(str), 'an object of strings');
  });
  return v1 ? fromV1(v) : (v as unknown as RunRecord);
}

/**
 * A run@1 record in run@2's shape. run@1 had no severities: its verdict and expectation were the
 * strict level's, and here every failing finding counts as wrong too (`verdicts.wrong` is the old
 * verdict); `compare` therefore compares such a record at the strict level only, and says so.
 */
function fromV1(v: Record<string, unknown>): RunRecord {
  const config = v.config as Record<string, unknown>;
  return {
    ...v,
    config: { ...config, failOn: 'inaccurate', close: ASSERT_CLOSE },
    implementations: (v.implementations as Record<string, unknown>[]).map((i) => ({
      ...i,
      expected: { inaccurate: i.expected, wrong: i.expected },
      verdicts: { inaccurate: i.verdict, wrong: i.verdict },
      severityCounts: { inaccurate: 0, wrong: (i.cases as number) - (i.passes as number) },
      wrongCounts: i.findingCounts,
      counterexamples: Object.fromEntries(
        Object.entries(i.counterexamples as Record<string, Record<string, unknown>>).map(([k, c]) => [
          k,
          { ...c, finding: { ...(c.finding as object), severity: 'wrong' } },
        ]),
      ),
    })),
  } as unknown as RunRecord;
}
