#!/usr/bin/env node
/**
 * Resource check, not run in CI (test/reliability/long-vectors.test.ts runs 10^5 there): rows of
 * 10^6 logits through every pure-JS CPU implementation and through the oracle.
 *
 * The row is x_i = (i mod 17) − 8, exact in every format. Its exact results follow from the
 * counts of its 17 distinct values (S = Σ_k c_k e^{k−8}, no long sum), computed with decimal.js
 * at 80 digits and rounded once into each format (roundDecimal): a correctly rounded reference
 * that does not come from the oracle. Then:
 *   1. every pure-JS implementation (registry backend 'js') runs once on the row: the time, the
 *      output's shape and format, and — for those expected to pass — the findings against that
 *      reference, judged as the campaign judges (judgeOutput, the derived budgets);
 *   2. the oracle, on the same row for every op and format, must equal the reference bit for bit;
 *      on n equal logits (softmax = 1/n, log_softmax = −ln n, logsumexp = x + ln n, rounded) too;
 *      and on pseudo-random rows (±10 and ±50, every op, f64 and f32) it must finish with every
 *      element decided, softmax must sum to about 1, and 16 elements and the label handed to the
 *      escalation (`oracleEscalating`) must come back unchanged. Each row prints the oracle's own
 *      time and which phase decided its elements (src/oracle/counters.ts); rows over the 5 s
 *      target are marked OVER (not failed: timings on a shared machine vary).
 *
 * Usage (after `npm run build`): node scripts/long-vectors.mjs [N] [--no-impls] [--no-oracle]
 * N defaults to 1000000. Exit code 1 on a wrong shape, a value outside the format, a NaN or a
 * failing finding from an implementation expected to pass in f64 or f32, or an oracle mismatch.
 * f16/bf16 findings are printed, not failed: at this length a recursive sum in f16 or bf16
 * stagnates (n·u ≫ 1), and the expected verdicts are about the generators' lengths (≤ 4096).
 *
 * Measured on this project's 2-core machine, shared with other work (N = 10^6): the
 * implementations 7 min (f64 37 s, f32 40 s, f16 128 s, bf16 218 s), judging the pass-expected
 * ones most of the rest (up to 30 s each). The oracle (`--no-impls`, load average about 4: 109 s
 * wall, 68 s CPU in all): 0.4–1.4 s per patterned row, 0.06–0.4 s per row of equal logits (exact
 * results, without the fast path), 0.46–1.4 s per pseudo-random row (on the patterned and random
 * rows the fast path decided every element); the same call with 17 elements handed to the escalation (one shared sum of
 * 10^6 fixed-point exponentials) 2.6–5.0 s. Before the escalation shared its sum, a row of equal
 * logits took 16–50 s and softmax on the pseudo-random row 3–7 min.
 */
import Decimal from 'decimal.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = (p) => new URL(`../dist/src/${p}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('impls/registry.js')))) {
  console.error('long-vectors: dist/ is missing: run npm run build first');
  process.exit(2);
}
const { allImplementations } = await import(dist('impls/registry.js'));
const { formatSpec, isRepresentable, roundDecimal, roundNumber } = await import(dist('formats/index.js'));
const { oracle, resetOracleCounters } = await import(dist('oracle/index.js'));
const { oracleEscalating } = await import(dist('oracle/oracle.js'));
const { judge } = await import(dist('metrics/judge.js'));
const { failsVerdict } = await import(dist('metrics/findings.js'));

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const K = 17;
const LABEL = 3;
const OPS = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'];
const FORMATS = ['f64', 'f32', 'f16', 'bf16'];
const scalar = (op) => op === 'logsumexp' || op === 'cross_entropy';
const labelled = (op) => op === 'cross_entropy' || op === 'cross_entropy_grad';

const D = Decimal.clone({ precision: 80 });
const X = Float64Array.from({ length: N }, (_, i) => (i % K) - 8);
const count = (k) => Math.floor(N / K) + (k < N % K ? 1 : 0);
let S = new D(0);
for (let k = 0; k < K; k++) S = S.plus(new D(k - 8).exp().times(count(k)));
const lnS = S.ln();

/** The exact value of element i of op on X. */
function exact(op, i) {
  const v = new D(X[i]);
  switch (op) {
    case 'softmax':
      return v.exp().div(S);
    case 'log_softmax':
      return v.minus(lnS);
    case 'logsumexp':
      return lnS;
    case 'cross_entropy':
      return lnS.minus(X[LABEL]);
    default:
      return v
        .exp()
        .div(S)
        .minus(i === LABEL ? 1 : 0);
  }
}

/** The correctly rounded result of op on X in format (17 or 18 distinct values, each rounded once). */
function reference(op, format) {
  const fmt = formatSpec(format);
  const m = scalar(op) ? 1 : N;
  const out = new Float64Array(m);
  const byValue = new Map();
  for (let i = 0; i < m; i++) {
    const key = op === 'cross_entropy_grad' && i === LABEL ? 'label' : X[i];
    if (!byValue.has(key)) byValue.set(key, roundDecimal(fmt, exact(op, i), 'even'));
    out[i] = byValue.get(key);
  }
  return out;
}

let failures = 0;
const fail = (msg) => {
  failures++;
  console.log(`  FAIL ${msg}`);
};
const ms = (t, took = performance.now() - t) => `${took.toFixed(0)} ms`;
/** The oracle's time target per row: rows over it are marked, not failed (timings on a shared machine vary). */
const BUDGET_MS = 5000;

if (!args.includes('--no-impls')) {
  console.log(`1. every pure-JS implementation on one row of ${N} logits`);
  const impls = allImplementations().filter((i) => i.backend === 'js');
  const byFormat = {};
  for (const impl of impls) {
    await impl.setup?.();
    const labels = labelled(impl.op) ? [LABEL] : undefined;
    const t = performance.now();
    let y;
    try {
      [y] = await impl.run([X], labels);
    } catch (e) {
      fail(`${impl.name} threw: ${e.message}`);
      continue;
    }
    const took = performance.now() - t;
    byFormat[impl.format] = (byFormat[impl.format] ?? 0) + took;
    const n = scalar(impl.op) ? 1 : N;
    if (!(y instanceof Float64Array) || y.length !== n) {
      fail(`${impl.name}: returned ${y?.length} values, expected ${n}`);
      continue;
    }
    const fmt = formatSpec(impl.format);
    const outside = y.findIndex((v) => !isRepresentable(fmt, v));
    if (outside >= 0)
      fail(`${impl.name}: element ${outside} (${y[outside]}) is not a value of ${impl.format}`);
    let line = `  ${impl.name.padEnd(44)} ${took.toFixed(0).padStart(6)} ms  expected ${impl.expected}`;
    if (impl.expected === 'pass') {
      if (y.some((v) => Number.isNaN(v))) fail(`${impl.name}: NaN in the output`);
      const t2 = performance.now();
      const j = judge({
        op: impl.op,
        format: impl.format,
        x: X,
        label: labels?.[0],
        actual: y,
        reference: reference(impl.op, impl.format),
        specials: 'report',
        maxPerKind: 1,
      });
      let maxUlps = 0;
      for (const u of j.ulps ?? [Infinity]) maxUlps = Math.max(maxUlps, u !== u ? Infinity : u);
      const failing = j.findings.filter((f) => failsVerdict(f.kind, 'report'));
      line += `  max ${maxUlps} ulps, ${failing.length ? `fails: ${failing.map((f) => f.kind).join(', ')}` : 'within budget'} (judged in ${ms(t2)})`;
      if (failing.length && (impl.format === 'f64' || impl.format === 'f32'))
        fail(`${impl.name}: ${failing.map((f) => f.diagnosis).join('; ')}`);
    }
    console.log(line);
    await impl.dispose?.();
  }
  console.log(
    `  time per format: ${Object.entries(byFormat)
      .map(([f, t]) => `${f} ${(t / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
}

if (!args.includes('--no-oracle')) {
  console.log(
    `2. the oracle on rows of ${N} logits (oracle time only; the share of elements each phase decided)`,
  );
  /** Times one oracle call and describes what decided its elements (src/oracle/counters.ts). */
  const timed = (op, format, x, label) => {
    resetOracleCounters();
    const t = performance.now();
    const r = oracle(op, format, x, label);
    const took = performance.now() - t;
    const c = resetOracleCounters();
    const all = c.fastElements + c.slowElements + c.directSlowElements;
    const pct = (v) => `${((100 * v) / all).toFixed(v === 0 || v === all ? 0 : 4)}%`;
    const phases =
      c.directSlowElements > 0
        ? `all ${c.directSlowElements} by the slow path (every finite logit equal)`
        : `fast ${pct(c.fastElements)}, slow ${c.slowElements} (${pct(c.slowElements)})`;
    const shared = c.sharedSums ? `, ${c.sharedSums} shared sum(s), ${c.slowExponentials} exponentials` : '';
    const slowMark = took > BUDGET_MS ? `  OVER ${BUDGET_MS / 1000} s` : '';
    return { r, line: `${ms(t, took).padStart(9)}  ${phases}${shared}${slowMark}` };
  };
  for (const format of FORMATS) {
    for (const op of OPS) {
      const { r, line } = timed(op, format, X, labelled(op) ? LABEL : undefined);
      const ref = reference(op, format);
      const bad = ref.findIndex((v, i) => !Object.is(v, r.values[i]));
      const und = r.undetermined.length;
      console.log(
        `  (i mod 17) − 8  ${op.padEnd(19)} ${format.padEnd(4)} ${line}${und ? `  ${und} undetermined` : ''}`,
      );
      if (bad >= 0)
        fail(
          `oracle ${op} ${format}: element ${bad} is ${r.values[bad]}, the exact result rounds to ${ref[bad]}`,
        );
      if (und) fail(`oracle ${op} ${format}: ${und} undetermined`);
    }
  }
  // n equal logits: softmax 1/n, log_softmax −ln n, logsumexp x + ln n
  const c = 3;
  const equal = new Float64Array(N).fill(c);
  for (const format of ['f64', 'f32']) {
    const fmt = formatSpec(format);
    const want = {
      softmax: new D(1).div(N),
      log_softmax: new D(N).ln().neg(),
      logsumexp: new D(N).ln().plus(c),
    };
    for (const op of ['softmax', 'log_softmax', 'logsumexp']) {
      const { r, line } = timed(op, format, equal);
      const w = roundDecimal(fmt, want[op], 'even');
      const bad = r.values.findIndex((v) => !Object.is(v, w));
      console.log(`  ${N} equal logits  ${op.padEnd(19)} ${format.padEnd(4)} ${line}`);
      if (bad >= 0)
        fail(`oracle ${op} ${format} on equal logits: element ${bad} is ${r.values[bad]}, expected ${w}`);
      if (r.undetermined.length)
        fail(`oracle ${op} ${format} on equal logits: ${r.undetermined.length} undetermined`);
    }
  }
  // pseudo-random rows, every op in f64 and f32: every element decided, softmax sums to about 1,
  // and 16 elements (and the label) handed to the escalation come back unchanged
  for (const spread of [20, 100]) {
    let s = 12345;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const random = Float64Array.from({ length: N }, () => (rnd() - 0.5) * spread);
    for (const format of ['f64', 'f32']) {
      const fmt = formatSpec(format);
      const x = format === 'f64' ? random : random.map((v) => roundNumber(fmt, v));
      for (const op of OPS) {
        const label = labelled(op) ? LABEL : undefined;
        const { r, line } = timed(op, format, x, label);
        const picks = Array.from({ length: 16 }, (_, i) => Math.floor((i * r.values.length) / 16));
        if (label !== undefined) picks.push(label);
        const t = performance.now();
        const forced = oracleEscalating(op, format, x, label, picks);
        const escalated = ms(t);
        console.log(
          `  random in ±${String(spread / 2).padEnd(3)}    ${op.padEnd(19)} ${format.padEnd(4)} ${line}  (17 escalated: ${escalated})`,
        );
        if (r.undetermined.length)
          fail(`oracle ${op} ${format} on a random row: ${r.undetermined.length} undetermined`);
        const off = forced.values.findIndex((v, i) => !Object.is(v, r.values[i]));
        if (off >= 0)
          fail(
            `oracle ${op} ${format} on a random row: escalated element ${off} is ${forced.values[off]}, the fast path's ${r.values[off]}`,
          );
        if (op === 'softmax') {
          let sum = 0;
          for (const v of r.values) sum += v;
          if (Math.abs(sum - 1) > N * 2 ** -(fmt.precision - 1))
            fail(`oracle softmax ${format} on a random row sums to ${sum}`);
        }
      }
    }
  }
}

console.log(failures ? `long-vectors: ${failures} failure(s)` : 'long-vectors: all checks passed');
process.exit(failures ? 1 : 0);
