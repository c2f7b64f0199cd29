// `logitfuzz vet` with its default shapes (no length or batch-size flags) tells each
// realistic-shape defect from its correct twin (test/fixtures/modules/realShapes/,
// test/fixtures/exec/realShapes/; fixtures.test.ts shows by direct calls that the defects are
// real and the twins right). Every defect here lives only at shapes a short-row fuzzer never
// makes — rows past one 256-lane tile, past V8's argument limit (~125,000), long enough for a
// bf16 total to stagnate, or batches of two rows or more — so these tests hold only while the
// default lengths reach 262,144 and the default campaign batches rows.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../campaign/_cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-real-shapes-'));
const path = (kind: 'modules' | 'exec', name: string) =>
  fileURLToPath(new URL(`../fixtures/${kind}/realShapes/${name}`, import.meta.url));

/** The fields of vet's `--json` (schema logitfuzz/vet@2) these tests read. */
interface VetJson {
  verdict: 'pass' | 'fail';
  verdicts: { inaccurate: 'pass' | 'fail'; wrong: 'pass' | 'fail' };
  findings: { kind: string; severity: string | null; input: unknown[] }[];
}

/** The seed and case count of every run: enough random cases to reach the long rows and batches. */
const SEED = '3';
const RUNS = '40';
/**
 * What the runs leave out: the error-maximising search and most of the shrinking. Neither decides
 * a verdict here (the cases do), and both cost an oracle call per probe, about a second on a
 * 262,144-element row: with the defaults (search 200, shrink-evals 100) shrinking spreadMax's
 * crash alone took over two minutes.
 */
const COST = ['--search', '0', '--shrink-evals', '10'];
/** One vet of a long-row campaign may take a while on a shared 2-core machine. */
const TIMEOUT_MS = 240_000;

function vet(
  args: string[],
  name: string,
): { status: number | null; json: VetJson | undefined; out: string } {
  const file = join(dir, `${name}.json`);
  const r = cli(['vet', ...args, '--runs', RUNS, '--seed', SEED, ...COST, '--json', file], {
    timeoutMs: TIMEOUT_MS,
  });
  let json: VetJson | undefined;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as VetJson;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, out: `${r.stdout}\n${r.stderr}` };
}

interface Pair {
  /** What the defect is, for the test names. */
  readonly what: string;
  readonly defective: string;
  readonly twin: string;
  /** Flags other than lengths and batch sizes (the format the fixture is written for). */
  readonly flags: readonly string[];
  /** A finding kind the defective one must show, when the defect has a kind of its own. */
  readonly kind?: string;
}

const modulePairs: readonly Pair[] = [
  {
    what: 'a tiled reduction that drops the partial last tile',
    defective: 'tileTailDropped.mjs',
    twin: 'tileTailHandled.mjs',
    flags: [],
  },
  {
    what: 'Math.max(...x) past the argument limit',
    defective: 'spreadMax.mjs',
    twin: 'loopMax.mjs',
    flags: [],
    kind: 'crash',
  },
  {
    what: 'an f32 softmax whose cross-tile total stagnates in bf16',
    defective: 'bf16TileTotal.mjs',
    twin: 'f32TileTotal.mjs',
    flags: ['--format', 'f32'],
  },
  {
    what: 'a batch whose running sum is not reset between rows',
    defective: 'batchSumNotReset.mjs',
    twin: 'batchSumReset.mjs',
    flags: [],
    kind: 'batch',
  },
  {
    what: 'a batch read with a padded row pitch',
    defective: 'batchPitchPadded.mjs',
    twin: 'batchPitchPacked.mjs',
    flags: [],
    kind: 'batch',
  },
];

const execPairs: readonly Pair[] = modulePairs.filter((p) => p.defective.startsWith('batch'));

describe('vet MODULE with the default shapes', () => {
  for (const p of modulePairs) {
    it(
      `fails ${p.defective} (${p.what}) with a wrong verdict, exit 1`,
      () => {
        const html = join(dir, `${p.defective}.html`);
        const r = vet([path('modules', p.defective), ...p.flags, '--html', html], p.defective);
        expect(r.status, r.out).toBe(1);
        expect(r.json!.verdicts.wrong, r.out).toBe('fail');
        if (p.kind) {
          expect(r.json!.findings.map((f) => f.kind)).toContain(p.kind);
          // and the report shows it: the kind's chip on a counterexample
          expect(readFileSync(html, 'utf8')).toMatch(new RegExp(`<span class="chip [^"]*">${p.kind}</span>`));
        }
      },
      TIMEOUT_MS,
    );
    it(
      `passes its twin ${p.twin}, exit 0`,
      () => {
        const r = vet([path('modules', p.twin), ...p.flags], p.twin);
        expect(r.status, r.out).toBe(0);
        expect(r.json!.verdict).toBe('pass');
      },
      TIMEOUT_MS,
    );
  }
});

describe('vet --exec PROGRAM --batch with the default shapes', () => {
  const command = (name: string) =>
    `${JSON.stringify(process.execPath)} ${JSON.stringify(path('exec', name))}`;
  for (const p of execPairs) {
    it(
      `fails the program ${p.defective} (${p.what}) with a wrong verdict, exit 1`,
      () => {
        const r = vet(['--exec', command(p.defective), '--batch', ...p.flags], `exec-${p.defective}`);
        expect(r.status, r.out).toBe(1);
        expect(r.json!.verdicts.wrong, r.out).toBe('fail');
      },
      TIMEOUT_MS,
    );
    it(
      `passes the program ${p.twin}, exit 0`,
      () => {
        const r = vet(['--exec', command(p.twin), '--batch', ...p.flags], `exec-${p.twin}`);
        expect(r.status, r.out).toBe(0);
        expect(r.json!.verdict).toBe('pass');
      },
      TIMEOUT_MS,
    );
  }
});
