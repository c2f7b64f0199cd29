/**
 * The conformance checks every third-party adapter goes through (tests only; excluded from the
 * build by tsconfig.build.json's `_testutil` rule).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { F32, ulpDistance, ulpOf } from '../../../formats/index.js';
import { oracle } from '../../../oracle/index.js';
import type { ThirdPartyImplementation } from '../types.js';

/** Unit roundoff of f32, 2^-24. */
const U = F32.unitRoundoff;

/** mulberry32: a small seeded PRNG, so that every run tests the same rows. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Benign rows: logits uniform in [−1, 1], rounded to f32, of the given lengths. No overflow, no
 * underflow, no result near zero for softmax (every output ≥ e^−2/n).
 */
export function benignRows(seed: number, lengths: readonly number[]): Float64Array[] {
  const r = prng(seed);
  return lengths.map((n) => Float64Array.from({ length: n }, () => Math.fround(2 * r() - 1)));
}

/** Lengths that cross small powers of two and tfjs-webgpu's workgroup size (64). */
const BENIGN_LENGTHS: readonly number[] = [1, 2, 3, 5, 8, 13, 31, 32, 33, 63, 64, 65, 100, 7, 2, 1, 17, 40];

/**
 * The loose bound a library's f32 result `a` must meet on benign rows, as |a − r| ≤ tol, r the
 * correctly rounded result. It is meant to catch adapter mistakes (wrong row order, wrong op,
 * wrong reshaping, lost precision in conversion: errors of millions of ULPs), not to judge the
 * library (the campaign does that with the real budgets). Derivation, u = 2^-24, |x_i − max| ≤ 2
 * on these rows:
 * - softmax by the shifted algorithm, with a library exp of ≤ 3 ulp (polynomial, not correctly
 *   rounded; one ulp is ≤ 2u relative) and a division possibly done as reciprocal × multiply:
 *   relative error ≤ (|x_i − max| [rounding of the shift, amplified by exp] + 6 [exp of x_i] +
 *   (n − 1) [the sum, γ_{n−1}] + 6 [exp of the summands] + 2 [division]) u = (n + 15) u at most.
 *   One ulp(r) is at least u·|r|, so that is ≤ n + 15 ulps; the test allows 8(n + 2) ulps
 *   (≥ 1.5 times that for every n).
 * - log_softmax and logsumexp via log(sum): the sum s carries a relative error ≤ (n + 12) u,
 *   which log turns into an absolute error ≤ (n + 12) u; log's own error ≤ 6u·log s with
 *   log s ≤ log n; the rounding of the shift ≤ u|x_i − max| ≤ 2u; the final rounding ≤ u|r|.
 *   The absolute part, (n + 14 + 6 log n) u, is ≤ 8(n + 2) u for every n ≥ 1, the relative part
 *   u|r| ≤ ulp(r); the test allows 8(n + 2) u + 8 ulp(r). (The absolute term is why ULPs alone
 *   do not do: results near 0 are exactly where these formulas cancel.)
 */
function benignTolerance(op: ThirdPartyImplementation['op'], n: number, r: number): number {
  const ulp = ulpOf(F32, r);
  return op === 'softmax' ? 8 * (n + 2) * ulp : 8 * (n + 2) * U + 8 * ulp;
}

/** Per-element disagreements with the oracle beyond `benignTolerance`, as readable lines. */
function benignViolations(
  impl: ThirdPartyImplementation,
  rows: readonly Float64Array[],
  outs: readonly Float64Array[],
): string[] {
  const bad: string[] = [];
  rows.forEach((x, k) => {
    const r = oracle(impl.op, 'f32', x).values;
    const a = outs[k];
    if (!a || a.length !== r.length) {
      bad.push(`row ${k} (n=${x.length}): length ${a?.length} instead of ${r.length}`);
      return;
    }
    for (let i = 0; i < r.length; i++) {
      const tol = benignTolerance(impl.op, x.length, r[i]);
      if (!(Math.abs(a[i] - r[i]) <= tol)) {
        bad.push(
          `row ${k} (n=${x.length}) [${i}]: ${a[i]} vs ${r[i]} (${ulpDistance(F32, a[i], r[i])} ulps, tol ${tol})`,
        );
      }
    }
  });
  return bad;
}

/**
 * The cases that decide `expected` (see the adapters' doc comments). Each names the element whose
 * correctly rounded value r is nonzero while a library that fails returns 0 — a relative error
 * of 1, which fails every budget (docs/design.md, "The always-fail rule").
 * - cancellation: log_softmax([0, −20])_0 = −log1p(e^−20) ≈ −2.0611537e−9 and
 *   logsumexp([0, −20]) = log1p(e^−20): 1 + e^−20 rounds to 1 in f32, so log(sum) gives 0.
 * - subnormal: softmax([0, −90])_1 = e^−90/(1 + e^−90) ≈ 8.194009e−40, 584744 units of 2^−149
 *   in f32's subnormal range; a kernel that flushes subnormals returns 0.
 */
const DECIDING_CASES: Readonly<
  Record<ThirdPartyImplementation['op'], { x: readonly number[]; index: number } | undefined>
> = {
  softmax: { x: [0, -90], index: 1 },
  log_softmax: { x: [0, -20], index: 0 },
  logsumexp: { x: [0, -20], index: 0 },
  cross_entropy: undefined,
  cross_entropy_grad: undefined,
};

/**
 * The a-priori budget (docs/design.md, "Budgets") of shifted softmax in ulps, n + 1 + min(|x_i − max|, 104), with the
 * subnormal floor (the same count in units of 2^−149); used here only to check that an adapter
 * marked 'pass' meets it on the deciding case (the campaign uses src/metrics/budgets.ts).
 */
function softmaxBudgetUlps(n: number, shift: number): number {
  return n + 1 + Math.min(Math.abs(shift), 104);
}

export interface SuiteOptions {
  /**
   * Called before setup: a reason to skip every test (printed), or undefined to run them. Only
   * for a missing machine capability (no GPU adapter): a missing package fails the suite, since
   * the packages are dev dependencies.
   */
  readonly skipReason?: () => Promise<string | undefined>;
}

/** Registers the conformance tests of the adapters `make()` returns. */
export function adapterSuite(
  title: string,
  make: () => ThirdPartyImplementation[],
  options: SuiteOptions = {},
): void {
  describe(title, () => {
    const impls = make();
    let skip: string | undefined;

    beforeAll(async () => {
      skip = await options.skipReason?.();
      if (skip !== undefined) {
        console.warn(`[${title}] skipped: ${skip}`);
        return;
      }
      for (const impl of impls) await impl.setup?.();
    });

    afterAll(async () => {
      for (const impl of impls) await impl.dispose?.();
    });

    for (const impl of impls) {
      describe(impl.name, () => {
        test('describes itself: name, f32, library version', (ctx) => {
          if (skip !== undefined) ctx.skip(skip);
          expect(impl.name.split('/')).toEqual([impl.op, expect.any(String), 'f32']);
          expect(impl.format).toBe('f32');
          expect(impl.library).toMatch(/@\d+\.\d+\.\d+/);
        });

        test('matches the oracle on benign rows, batched (all lengths in one run)', async (ctx) => {
          if (skip !== undefined) ctx.skip(skip);
          const rows = benignRows(0x5eed, BENIGN_LENGTHS);
          const outs = await impl.run(rows);
          expect(outs).toHaveLength(rows.length);
          expect(benignViolations(impl, rows, outs)).toEqual([]);
        });

        test('a batch of mixed lengths gives each row what it gives alone', async (ctx) => {
          if (skip !== undefined) ctx.skip(skip);
          const rows = benignRows(77, [3, 1, 5, 3, 70, 5, 1]);
          const batched = await impl.run(rows);
          const width = (n: number): number => (impl.op === 'logsumexp' ? 1 : n);
          expect(batched.map((r) => r.length)).toEqual(rows.map((r) => width(r.length)));
          for (let k = 0; k < rows.length; k++) {
            const [alone] = await impl.run([rows[k]]);
            expect(Array.from(batched[k])).toEqual(Array.from(alone));
          }
          expect(benignViolations(impl, rows, batched)).toEqual([]);
        });

        test('does not mutate its input', async (ctx) => {
          if (skip !== undefined) ctx.skip(skip);
          const rows = benignRows(9, [4, 4, 9, 1]);
          const copies = rows.map((r) => Float64Array.from(r));
          await impl.run(rows);
          expect(rows).toEqual(copies);
        });

        const deciding = DECIDING_CASES[impl.op];
        test(`'expected: ${impl.expected}' agrees with the deciding case ${JSON.stringify(deciding?.x)}`, async (ctx) => {
          if (skip !== undefined) ctx.skip(skip);
          if (!deciding) throw new Error(`no deciding case for ${impl.op}`);
          const x = Float64Array.from(deciding.x);
          const r = oracle(impl.op, 'f32', x).values[deciding.index];
          const [out] = await impl.run([x]);
          const a = out[deciding.index];
          expect(r).not.toBe(0);
          const relative = Math.abs(a - r) / Math.abs(r);
          if (impl.expected.inaccurate === 'fail') {
            // relative error ≥ 1 fails every budget: the library returned 0 (or worse)
            expect(relative).toBeGreaterThanOrEqual(1);
          } else {
            const shift = x[deciding.index] - Math.max(...x);
            if (impl.op === 'softmax')
              expect(ulpDistance(F32, a, r)).toBeLessThanOrEqual(softmaxBudgetUlps(x.length, shift));
            else expect(relative).toBeLessThan(1);
          }
        });
      });
    }
  });
}
