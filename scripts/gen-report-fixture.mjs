#!/usr/bin/env node
/**
 * Generates test/fixtures/report-run.json: a real `logitfuzz/run@2` record of a small campaign
 * over a dozen implementations chosen to exercise every part of the reports — known-bad formulas
 * that overflow and underflow (naive: wrong answers), a sum defect (lse), special-value findings,
 * a passing stable formulation, cross-entropy gradients, a third-party library that is only
 * inaccurate (tfjs log_softmax: cancellation within assert_close; environment: its versions),
 * WebGPU (environment: the adapter; f16 is unavailable on adapters without 'shader-f16', which
 * shows the unavailable path). The report tests (src/report/*.test.ts,
 * test/browser/report.test.ts) render it; a stored record keeps them fast and deterministic.
 *
 * Run from the repository root after building (`npx tsc -p tsconfig.build.json`):
 *
 *   node scripts/gen-report-fixture.mjs [--runs N] [--seed N]
 *
 * It overwrites test/fixtures/report-run.json. The cases are determined by the seed; timing and
 * environment fields differ from machine to machine. Takes about a minute of CPU.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const IMPLS = [
  'softmax/naive/f64',
  'softmax/max-shifted/f64',
  'softmax/lse/f64',
  'softmax/max-shifted/f16',
  'softmax/tfjs-cpu/f32',
  'log_softmax/tfjs-cpu/f32',
  'softmax/webgpu/f32',
  'softmax/webgpu/f16',
  'log_softmax/naive/f32',
  'log_softmax/bhh/f64',
  'logsumexp/naive/f32',
  'cross_entropy/naive/f16',
  'cross_entropy_grad/naive/f64',
  'cross_entropy_grad/max-shifted/f64',
];
const out = mkdtempSync(join(tmpdir(), 'logitfuzz-fixture-'));
try {
  const args = [
    'dist/src/cli/main.js',
    'run',
    '--impl',
    IMPLS.join(','),
    '--runs',
    arg('runs', '40'),
    '--seed',
    arg('seed', '7'),
    '--out',
    out,
    '--shrink-evals',
    '60',
  ];
  try {
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    // exit 1: some verdict differs from expected — still a record worth rendering
    if (e.status !== 1) throw e;
  }
  const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  // the temporary folder is noise in the stored command
  record.command = record.command.replace(out, 'reports/fixture');
  writeFileSync('test/fixtures/report-run.json', JSON.stringify(record) + '\n');
  console.log(
    `wrote test/fixtures/report-run.json: ${record.implementations.length} implementations, ${record.totals.cases} cases`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
