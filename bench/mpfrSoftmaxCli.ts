/**
 * MPFR at 128 bits behind the same JSON-lines boundary as `logitfuzz oracle --format f64`: reads
 * lines of f64 logits (a JSON array each, numbers or "inf"/"-inf"/"nan"/"-0" strings) on stdin
 * and writes {"y":[...]} lines with the softmax rounded into binary64 (`MpfrSoftmax` of
 * oracle.bench.ts: max, e^(x_i − max), the sum and the quotients at 128 bits, then one rounding).
 * Not correctly rounded in every case (about 10^−38 relative error before the last rounding):
 * it is the yardstick of what a careful multiprecision reference costs through the same JSON,
 * for oracleCli.bench.ts.
 *
 * Run: `node dist/bench/mpfrSoftmaxCli.js < rows.jsonl`.
 */
import { createInterface } from 'node:readline';
import { decodeVector, encodeVector } from '../src/formats/jsonNumber.js';
import { formatSpec } from '../src/formats/index.js';
import { MpfrSoftmax, loadMpfr } from './oracle.bench.js';

async function main(): Promise<void> {
  const gmp = await loadMpfr();
  if (typeof gmp === 'string') throw new Error(gmp);
  const f64 = formatSpec('f64');
  let mpfr = new MpfrSoftmax(gmp, 256);
  let capacity = 256;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const chunks: string[] = [];
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const x = decodeVector(JSON.parse(line));
    if (x.length > capacity) {
      mpfr.dispose();
      capacity = x.length;
      mpfr = new MpfrSoftmax(gmp, capacity);
    }
    const y = new Float64Array(x.length);
    mpfr.run(f64, x, y);
    chunks.push(JSON.stringify({ y: encodeVector(y) }));
    if (chunks.length >= 64) {
      process.stdout.write(chunks.join('\n') + '\n');
      chunks.length = 0;
    }
  }
  if (chunks.length > 0) process.stdout.write(chunks.join('\n') + '\n');
  mpfr.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
