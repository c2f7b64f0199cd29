#!/usr/bin/env node
/**
 * Measures what the long lengths cost to generate (docs/design.md, "Cases"): the median time to
 * build one 2^18-element `long` row of every pattern in every format (longRow: one seed,
 * mulberry32, one rounding per element), and the time to sample default `logits` cases (1 in 8
 * above 256, 1 in 64 above 16,384) against `maxLength: 64`. A measurement, not a test: timings
 * on a shared machine vary, so nothing here passes or fails.
 *
 * Run from the repository root after `npm run build` (it imports dist/):
 *
 *   node src/generators/_scripts/measure-long-rows.mjs [--reps N] [--cases N]
 *
 * Defaults: 5 timed builds per (format, pattern) after one warm-up; 2000 sampled cases.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const dist = (p) => new URL(`../../../dist/src/${p}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('generators/_internals/longRows.js')))) {
  console.error('measure-long-rows: dist/ is missing: run npm run build first');
  process.exit(2);
}
const { LONG_PATTERNS, longRow } = await import(dist('generators/_internals/longRows.js'));
const { resolveConstraints } = await import(dist('generators/_internals/resolveConstraints.js'));
const { logits } = await import(dist('generators/logits.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const REPS = arg('--reps', 5);
const CASES = arg('--cases', 2000);
const N = 262_144;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`ms to build one row of ${N} (median of ${REPS})`);
console.log(['pattern'.padEnd(16), 'f64', 'f32', 'f16', 'bf16'].map((s) => s.padStart(6)).join(' '));
for (const pattern of LONG_PATTERNS) {
  const cells = [];
  for (const format of ['f64', 'f32', 'f16', 'bf16']) {
    const r = resolveConstraints({ format, specials: true });
    longRow(r, N, pattern, 'anywhere', 0); // warm-up
    const times = [];
    for (let k = 1; k <= REPS; k++) {
      const t = performance.now();
      longRow(r, N, pattern, 'anywhere', k);
      times.push(performance.now() - t);
    }
    cells.push(median(times).toFixed(1));
  }
  console.log([pattern.padEnd(16), ...cells].map((s) => s.padStart(6)).join(' '));
}

for (const maxLength of [64, undefined]) {
  const arb = logits({ format: 'f32', op: 'softmax', ...(maxLength ? { maxLength } : {}) });
  const t = performance.now();
  const cases = fc.sample(arb, { seed: 1, numRuns: CASES });
  const ms = performance.now() - t;
  const elements = cases.reduce((s, c) => s + c.x.length, 0);
  const above = (n) => cases.filter((c) => c.x.length > n).length;
  console.log(
    `logits f32 softmax, maxLength ${maxLength ?? 'default (262144)'}: ${CASES} cases in ${ms.toFixed(0)} ms ` +
      `(${(ms / CASES).toFixed(2)} ms/case, ${elements} elements; >256: ${above(256)}, >16384: ${above(16_384)})`,
  );
}
