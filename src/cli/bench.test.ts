import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_SCHEMA, type BenchRecord } from './bench.js';
import { runCli } from './runCli.js';
import { memoryIo } from './_testutil/memoryIo.js';

describe('logitfuzz bench', () => {
  it('runs every benchmark quickly, prints the tables and writes the same results to --json FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-bench-json-'));
    try {
      const file = join(dir, 'bench.json');
      const io = memoryIo();
      expect(await runCli(['bench', '--quick', '--seed', '7', '--json', file], io)).toBe(0);
      expect(io.stderr.text).toBe('');
      const out = io.stdout.text;
      expect(out.endsWith('\n')).toBe(true);
      // one row per format and length, and the seed passed through
      for (const f of ['f64', 'f32'])
        for (const n of [16, 256, 4096]) expect(out).toMatch(new RegExp(`^${f}\\s+${n}\\s`, 'm'));
      expect(out).toContain('seed 7');
      const rec = JSON.parse(readFileSync(file, 'utf8')) as BenchRecord;
      expect(rec.schema).toBe(BENCH_SCHEMA);
      expect(rec.quick).toBe(true);
      expect(rec.machine.cores).toBeGreaterThan(0);
      // the oracle table: one row per format and length, its rates as printed
      expect(rec.oracle.rows.map((r) => `${r.format}/${r.n}`)).toEqual(
        ['f64', 'f32'].flatMap((f) => [16, 256, 4096].map((n) => `${f}/${n}`)),
      );
      // by op and format: 5 ops × 4 formats × 3 lengths in quick mode, every element decided
      expect(rec.oracleOps.rows).toHaveLength(60);
      for (const r of rec.oracleOps.rows) {
        expect(r.logitsPerSecond).toBeGreaterThan(0);
        const out = r.op === 'logsumexp' || r.op === 'cross_entropy' ? r.rows : r.rows * r.n;
        expect(r.phases.lean + r.phases.second + r.phases.slow).toBe(out);
        if (r.op === 'softmax') expect(r.costMultiple).toBeGreaterThan(0);
        else expect(r.costMultiple).toBeNull();
      }
      // the CLI against MPFR: both programs ran and agreed within 1 ULP
      expect(rec.oracleCli.large).toBe(200);
      expect(rec.oracleCli.mpfrSeconds[1]).toBeGreaterThan(0);
      expect(out).toContain(`${rec.oracleCli.offByOne} elements 1 ULP apart`);
      expect(rec.oracleOps.seed).toBe(7);
      expect(rec.campaign.cases).toBeGreaterThan(0);
      // the campaign's CPU (Linux, where CI runs): whole processes, so at least a fraction of the
      // wall time, and the ceiling derived from the 1-worker run as printed
      const c = rec.campaign;
      for (const r of c.runs) expect(r.cpuMs).toBeGreaterThan(0.1 * r.wallMs);
      const one = c.runs.filter((r) => r.workers === 1)[0];
      expect(c.ceiling).toBeCloseTo(Math.min(2, (c.cores * one.wallMs) / one.cpuMs!), 10);
      expect(c.busy1).toBeCloseTo(one.cpuMs! / one.wallMs, 10);
      expect(out).toContain(`= ${c.ceiling!.toFixed(2)}×`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad flag', async () => {
    const io = memoryIo();
    expect(await runCli(['bench', '--seed', 'x'], io)).toBe(2);
    expect(io.stderr.text).toMatch(
      /^logitfuzz bench: bad value 'x' for --seed: expected an integer from 0 to 4294967295/,
    );
  });
});
