#!/usr/bin/env node
/**
 * Writes src/generators/_fixtures/max-length-64.json: what `logits` generated under maxLength < 256
 * before the long lengths became the default (docs/design.md, "Cases"), so that
 * src/generators/maxLength64.test.ts can check that `--max-length 64` / `maxLength: 64` (and any
 * maxLength below 256) still gives the very same cases for the same seed.
 *
 * Run from the repository root after `npm run build` (it imports dist/, the built generators):
 *
 *   node src/generators/_fixtures/capture-max-length-64.mjs
 *
 * The fixture was captured from the code before the change; rerunning it now rewrites the same
 * file only as long as the maxLength < 256 path is unchanged. Deterministic: fixed seeds.
 *
 * Contents: `samples`, 20 cases of logits({ format: 'f32', op: 'softmax', maxLength: 64 }) under
 * seed 42, readable; `digests`, the SHA-256 of 30 cases under seed 7 for every format × op ×
 * specials × length bounds (maxLength 64; minLength 5, maxLength 7; maxLength 200). A case is
 * encoded as `region label=L x=v,v,…` (label `-` when absent; −0 as `-0`; NaN, ±Infinity by
 * name); a digest covers the encodings joined by newlines. maxLength64.test.ts encodes the same
 * way (a copy of `encode` below).
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const dist = (p) => new URL(`../../../dist/src/${p}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('generators/logits.js')))) {
  console.error('capture-max-length-64: dist/ is missing: run npm run build first');
  process.exit(2);
}
const { logits } = await import(dist('generators/logits.js'));

/** One case as a line of text (the test's `encode` is a copy of this). */
const encode = (c) =>
  `${c.region} label=${c.label ?? '-'} x=${c.x.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}`;

const digest = (cases) => createHash('sha256').update(cases.map(encode).join('\n')).digest('hex');

const FORMATS = ['f64', 'f32', 'f16', 'bf16'];
const OPS = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'];
const BOUNDS = [{ maxLength: 64 }, { minLength: 5, maxLength: 7 }, { maxLength: 200 }];

const samples = fc
  .sample(logits({ format: 'f32', op: 'softmax', maxLength: 64 }), { seed: 42, numRuns: 20 })
  .map(encode);
const digests = {};
for (const format of FORMATS)
  for (const op of OPS)
    for (const specials of [false, true])
      for (const bounds of BOUNDS) {
        const key = `${format} ${op} specials=${specials} ${bounds.minLength ?? 1}..${bounds.maxLength}`;
        const arb = logits({ format, op, specials, ...bounds });
        digests[key] = digest(fc.sample(arb, { seed: 7, numRuns: 30 }));
      }

const out = fileURLToPath(new URL('./max-length-64.json', import.meta.url));
const fixture = { generator: 'src/generators/_fixtures/capture-max-length-64.mjs', samples, digests };
writeFileSync(out, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${out}: ${samples.length} samples, ${Object.keys(digests).length} digests`);
