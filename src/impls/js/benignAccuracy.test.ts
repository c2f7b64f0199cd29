import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { roundNumber } from '../../formats/roundNumber.js';
import { formatSpec } from '../../formats/specs.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import { ulpDistance } from '../../formats/ulp.js';
import { oracle } from '../../oracle/index.js';
import { needsLabel, OPS, type Op } from '../../vocabulary/Op.js';
import type { Implementation } from '../types.js';
import { allowedUlps } from './_testutil/allowedUlps.js';
import { closedFormBound } from './_testutil/closedFormBound.js';
import { trackedArithmetic } from './_testutil/trackedArithmetic.js';
import { JS_FORMULATIONS, jsImplementations } from './index.js';
import type { RowKernel } from './JsFormulation.js';

/**
 * Every JS implementation against the oracle on benign logits: uniform-ish in [−10, 10],
 * lengths 1..50.
 *
 * The bound per element is the formulation's own running error bound (Higham, Accuracy and
 * Stability, §3.3; _testutil/trackedArithmetic.ts): the kernel is replayed on the same row
 * under an arithmetic that rounds exactly as the implementation's does and carries a rigorous
 * bound E on |computed − exact| through each of its operations (u|result| per rounding, the
 * libm's 1 ulp per exp/log/log1p, exact propagation of incoming errors). It is derived from
 * the formulation's operations and the row's actual magnitudes, so it is much tighter than an
 * a-priori theorem: for max-shifted softmax in f64 it is about
 * (|x_i − m| + Σ_j e^(x_j − m)|x_j − m|/s + Σ_k ŝ_k/s + 2·2 + 1)u, where Thm 4.3 allows
 * (n + 2 + 2(max − min))u. The element's allowed ULP distance to the oracle's correctly
 * rounded value r is then the distance of the farthest format value within E of a real that
 * rounds to r (_testutil/allowedUlps.ts).
 *
 * Besides, the implementation must return exactly the replayed value `v` (same operations,
 * same roundings), so the bound is about the code that runs.
 */

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];
const SEED = 20240611;
const RUNS = 40;
/**
 * Naive f16 only: Σ_j e^(x_j) must stay below f16's max 65504 for n ≤ 50 logits, so
 * max x ≤ ln(65504/50) ≈ 7.18; 7 keeps 50·RN(e^7) = 50·1097 = 54850 finite.
 */
const NAIVE_F16_MAX = 7;

interface Case {
  readonly impl: Implementation;
  readonly formulation: string;
  readonly kernel: RowKernel;
  readonly computeFormat: FormatName;
  readonly max: number;
}

function casesFor(op: Op, format: FormatName): Case[] {
  const byName = new Map(jsImplementations().map((i) => [i.name, i]));
  const out: Case[] = [];
  for (const f of JS_FORMULATIONS) {
    const def = f.ops[op];
    if (!def || !f.formats.includes(format)) continue;
    const impl = byName.get(`${op}/${f.name}/${format}`);
    if (!impl) throw new Error(`missing ${op}/${f.name}/${format}`);
    const max = f.name === 'naive' && format === 'f16' ? NAIVE_F16_MAX : 10;
    out.push({
      impl,
      formulation: f.name,
      kernel: def.kernel,
      computeFormat: f.computeFormat ? f.computeFormat(format) : format,
      max,
    });
  }
  return out;
}

/**
 * A logit in [−10, hi]: mostly uniform in value, sometimes uniform over binary64 bit patterns (small
 * magnitudes, ±0).
 */
function logit(format: FormatName, hi: number): fc.Arbitrary<number> {
  const fmt = formatSpec(format);
  const STEPS = 2 ** 20;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .integer({ min: 0, max: STEPS })
        .map((k) => roundNumber(fmt, -10 + ((hi + 10) * k) / STEPS)),
    },
    { weight: 1, arbitrary: fc.double({ min: -10, max: hi, noNaN: true }).map((v) => roundNumber(fmt, v)) },
  );
}

describe.each(OPS)('%s on benign logits', (op) => {
  test.each(FORMATS)('%s: every formulation within its running error bound of the oracle', async (format) => {
    const fmt = formatSpec(format);
    const cases = casesFor(op, format);
    expect(cases.length).toBeGreaterThanOrEqual(4);
    // one oracle call per row, shared by every formulation; naive f16 gets its own narrower rows
    let checkedClosedForms = 0;
    for (const group of [cases.filter((c) => c.max === 10), cases.filter((c) => c.max !== 10)]) {
      if (group.length === 0) continue;
      const row = fc
        .array(logit(format, group[0].max), { minLength: 1, maxLength: 50 })
        .map((a) => Float64Array.from(a));
      await fc.assert(
        fc.asyncProperty(row, fc.nat(), async (x, l) => {
          const k = needsLabel(op) ? l % x.length : -1;
          const copy = Float64Array.from(x);
          const r = oracle(op, format, x, needsLabel(op) ? k : undefined).values;
          for (const c of group) {
            const [a] = await c.impl.run([x], needsLabel(op) ? [k] : undefined);
            const tracked = c.kernel(x, k, trackedArithmetic(c.computeFormat));
            expect(a.length).toBe(r.length);
            for (let i = 0; i < r.length; i++) {
              expect(a[i], `${c.impl.name}[${i}] differs from its replay`).toBe(tracked[i].v);
              const allowed = allowedUlps(fmt, r[i], tracked[i].e);
              const d = ulpDistance(fmt, a[i], r[i]);
              if (!(Number.isFinite(allowed) && d <= allowed)) {
                throw new Error(
                  `${c.impl.name}[${i}] = ${a[i]}, oracle ${r[i]}: ${d} ULPs > running bound ${allowed} (E = ${tracked[i].e})`,
                );
              }
              const E = closedFormBound(c.formulation, op, format, x, i, r[i]);
              if (E !== undefined) {
                const documented = allowedUlps(fmt, r[i], E);
                if (!(d <= documented)) {
                  throw new Error(
                    `${c.impl.name}[${i}] = ${a[i]}, oracle ${r[i]}: ${d} ULPs > documented bound ${documented} (E = ${E})`,
                  );
                }
                checkedClosedForms++;
              }
            }
          }
          expect(x).toEqual(copy);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    }
    // the documented bounds were actually exercised where they exist
    if (op === 'softmax' || op === 'logsumexp') expect(checkedClosedForms).toBeGreaterThanOrEqual(RUNS);
  });
});
