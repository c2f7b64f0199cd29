import { describe, expect, it } from 'vitest';
import {
  EXP_THRESHOLDS,
  formatSpec,
  fromOrdinal,
  ordinal,
  pow2,
  roundNumber,
  ulpDistance,
} from '../formats/index.js';
import { type FormatName } from '../vocabulary/FormatName.js';
import { oracle } from '../oracle/index.js';
import { type Op } from '../vocabulary/Op.js';
import { algorithmBounds, expTermBound, underflowClamp } from './algorithmBounds.js';
import { boundToUlps, gridSteps, relativeUlps, ulpCap } from './boundToUlps.js';
import { budget, budgetBreakdown } from './budgets.js';
import { judge } from './judge.js';
import { gamma } from './gamma.js';
import { simulateRecommended, type SumOrder } from './simulateRecommended.js';
import { softmaxSumBound } from './softmaxSumBound.js';
import { summationDepth } from './summationDepth.js';

/** mulberry32: a small seeded PRNG so that every run checks the same inputs. */
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

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];
const OPS: readonly Op[] = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'];
/** The summation trees the budget assumes (summationDepth.ts). */
const TREES: readonly SumOrder[] = ['pairwise', 'halving'];
/** Recursive summation, within the contract only while n ≤ 5. */
const RECURSIVE: readonly SumOrder[] = ['forward', 'reverse'];

describe('gamma', () => {
  it('is k·u/(1 − k·u), rounded up, and infinite once k·u ≥ 1', () => {
    const u = 2 ** -11;
    expect(gamma(0, u)).toBe(0);
    expect(gamma(1, u)).toBeGreaterThanOrEqual(u / (1 - u));
    expect(gamma(1, u)).toBeLessThan((u / (1 - u)) * (1 + 2 ** -40));
    expect(gamma(1024, u)).toBeGreaterThanOrEqual(1); // 0.5/0.5
    expect(gamma(2047, u)).toBeGreaterThan(2000);
    expect(gamma(2048, u)).toBe(Infinity);
  });
});

/** The depth of a summation tree, built as the nested pairs it adds. */
type Tree = number | readonly [Tree, Tree];
function depth(t: Tree): number {
  return typeof t === 'number' ? 0 : 1 + Math.max(depth(t[0]), depth(t[1]));
}
/** Adjacent pairs level by level, an odd last one carried up (simulateRecommended's 'pairwise'). */
function levels(leaves: readonly Tree[]): Tree {
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Tree[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push([level[i], level[i + 1]]);
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}
/** The first ⌈m/2⌉ and the rest, recursively ('halving'). */
function halves(leaves: readonly Tree[]): Tree {
  if (leaves.length === 1) return leaves[0];
  const mid = Math.ceil(leaves.length / 2);
  return [halves(leaves.slice(0, mid)), halves(leaves.slice(mid))];
}

describe('summationDepth', () => {
  it('is min(m − 1, ⌈log₂ m⌉ + 1), 0 for one term or none', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 8, 9, 16, 17].map(summationDepth)).toEqual([
      0, 0, 1, 2, 3, 4, 4, 4, 5, 5, 6,
    ]);
    expect(summationDepth(2 ** 18)).toBe(19);
    expect(summationDepth(2 ** 18 + 1)).toBe(20);
    expect(summationDepth(2 ** 40)).toBe(41);
  });

  it('bounds the depth of every scheme its contract names, for every m up to 300', () => {
    for (let m = 1; m <= 300; m++) {
      const h = summationDepth(m);
      const leaves = Array.from({ length: m }, (_, i) => i);
      let pairwise = 0; // ⌈log₂ m⌉
      while (2 ** pairwise < m) pairwise++;
      expect(depth(levels(leaves)), `levels m=${m}`).toBe(pairwise);
      expect(depth(halves(leaves)), `halves m=${m}`).toBe(pairwise);
      // blocked pairwise, every block size: blocks summed pairwise, then the block sums pairwise
      for (let b = 1; b <= m; b++) {
        const blocks: Tree[] = [];
        for (let i = 0; i < m; i += b) blocks.push(levels(leaves.slice(i, i + b)));
        expect(depth(levels(blocks)), `blocked m=${m} b=${b}`).toBeLessThanOrEqual(h);
      }
      // one term added to a pairwise sum of the others: 1 + s
      if (m >= 2) expect(depth([0, levels(leaves.slice(1))]), `1 + s m=${m}`).toBeLessThanOrEqual(h);
      // recursive summation only while m ≤ 5
      expect(m - 1 <= h).toBe(m <= 5);
    }
  });

  it('is exceeded by what the contract leaves out: recursive blocks, and 1 + a blocked s', () => {
    // blocks of 16 summed recursively then pairwise (a strided per-thread loop): 15 + 3 at m = 128
    const leaves = Array.from({ length: 128 }, (_, i) => i);
    const recursive = (l: readonly Tree[]): Tree => l.reduce((a, t) => [a, t]);
    const blocks: Tree[] = [];
    for (let i = 0; i < 128; i += 16) blocks.push(recursive(leaves.slice(i, i + 16)));
    expect(depth(levels(blocks))).toBe(18);
    expect(summationDepth(128)).toBe(8);
    // 1 + s with s blocked: 25 terms in blocks of 5 have depth 3 + 3, and 1 + s 7 > h(26) = 6
    const s: Tree[] = [];
    for (let i = 1; i < 26; i += 5) s.push(levels(leaves.slice(i, i + 5)));
    expect(depth([0, levels(s)])).toBe(7);
    expect(summationDepth(26)).toBe(6);
  });
});

describe('ulpCap', () => {
  it('is 2^(p−1) − 1 and keeps every relative error ≥ 1 out of reach', () => {
    expect(ulpCap(formatSpec('f16'))).toBe(1023);
    expect(ulpCap(formatSpec('bf16'))).toBe(127);
    expect(ulpCap(formatSpec('f32'))).toBe(2 ** 23 - 1);
    for (const f of FORMATS) {
      const F = formatSpec(f);
      const cap = BigInt(ulpCap(F));
      // from the bottom of a binade, 2r is cap + 1 steps up; from minNormal, 0 is cap + 1 down
      for (const r of [F.minNormal, 1, 2 ** 10]) {
        expect(ordinal(F, 2 * r) - ordinal(F, r)).toBe(cap + 1n);
      }
      expect(ordinal(F, F.minNormal)).toBe(cap + 1n);
    }
  });
});

describe('gridSteps', () => {
  it('bounds the number of format values in an interval, in every region of f16 and bf16', () => {
    const rnd = prng(7);
    for (const f of ['f16', 'bf16'] as const) {
      const F = formatSpec(f);
      const top = ordinal(F, F.maxFinite);
      for (let t = 0; t < 1200; t++) {
        // ordinals spread over subnormals, normals near minNormal, and the top
        const region = t % 3;
        const base = region === 0 ? 0n : region === 1 ? ordinal(F, F.minNormal) - 50n : top - 2000n;
        const i = base + BigInt(Math.floor(rnd() * 2000));
        const j = i + BigInt(Math.floor(rnd() * 300));
        if (j > top) continue;
        const a = fromOrdinal(F, i);
        const b = fromOrdinal(F, j);
        expect(gridSteps(F, a, b - a)).toBeGreaterThanOrEqual(Number(j - i));
      }
    }
  });

  it('counts 1/σ per unit below 2·minNormal and ln(1 + len/w)/u above', () => {
    const F = formatSpec('f16');
    expect(gridSteps(F, 0, 3 * F.minSubnormal)).toBeCloseTo(3, 10);
    const w = 1024;
    expect(gridSteps(F, w, 1)).toBeCloseTo(Math.log1p(1 / w) / F.unitRoundoff, 6);
    expect(gridSteps(F, 0, 0)).toBe(0);
  });
});

describe('relativeUlps', () => {
  it('turns a relative error k·u into about 2k ULPs, and ε ≥ 1 into Infinity', () => {
    const F = formatSpec('f32');
    const u = F.unitRoundoff;
    for (const k of [1, 3, 10, 100]) {
      const r = relativeUlps(F, k * u);
      expect(r).toBeGreaterThanOrEqual(2 * k);
      expect(r).toBeLessThan(2 * k * (1 + 1e-4) + 1e-6);
    }
    expect(relativeUlps(F, 1)).toBe(Infinity);
    expect(relativeUlps(F, NaN)).toBe(Infinity);
  });
});

describe('boundToUlps', () => {
  it('gives the cap, never Infinity, for a vacuous bound', () => {
    const F = formatSpec('f16');
    expect(boundToUlps(F, { relative: 1, absolute: 0, magnitudeLow: 1, magnitudeHigh: 1 })).toBe(1023);
    expect(boundToUlps(F, { relative: 0.1, absolute: Infinity, magnitudeLow: 1, magnitudeHigh: 1 })).toBe(
      1023,
    );
  });

  it('adds an absolute floor of a few steps for subnormal results', () => {
    // f16: |ŷ − y| ≤ u|y| + 2.5σ at y = 3σ: [y − 2.5σ − tiny, y + 2.5σ + tiny] holds 5 steps
    const h = formatSpec('f16');
    expect(
      boundToUlps(h, {
        relative: h.unitRoundoff,
        absolute: 2.5 * h.minSubnormal,
        magnitudeLow: 3 * h.minSubnormal,
        magnitudeHigh: 3 * h.minSubnormal,
      }),
    ).toBe(5);
    // f64: 2.5σ is not a binary64 value; 3σ gives 6 steps (plus slack)
    const F = formatSpec('f64');
    const b = boundToUlps(F, {
      relative: F.unitRoundoff,
      absolute: 3 * F.minSubnormal,
      magnitudeLow: 3 * F.minSubnormal,
      magnitudeHigh: 3 * F.minSubnormal,
    });
    expect(b).toBeGreaterThanOrEqual(6);
    expect(b).toBeLessThanOrEqual(8); // binary64's own subnormal steps in the bound arithmetic
  });

  it('adds one step when the result may round to Inf', () => {
    const F = formatSpec('f16');
    const near = boundToUlps(F, {
      relative: F.unitRoundoff,
      absolute: 0,
      magnitudeLow: 65000,
      magnitudeHigh: 65500,
    });
    const far = boundToUlps(F, {
      relative: F.unitRoundoff,
      absolute: 0,
      magnitudeLow: 1000,
      magnitudeHigh: 1000,
    });
    expect(near).toBe(far + 1);
  });
});

describe('derivation parts', () => {
  it('τ(D) ≈ (D + 2)u to first order, clamped at the underflow distance', () => {
    for (const f of FORMATS) {
      const F = formatSpec(f);
      const u = F.unitRoundoff;
      expect(expTermBound(F, 0)).toBe(0);
      const t = expTermBound(F, 5);
      expect(t).toBeGreaterThanOrEqual(Math.expm1(5 * u) + 2 * u * Math.exp(5 * u));
      expect(t).toBeLessThan(7.1 * u * 1.2);
      expect(expTermBound(F, 1e6)).toBe(expTermBound(F, underflowClamp(F) * 2));
      // the clamp is |underflow threshold| to within one ULP of the format
      expect(Math.abs(underflowClamp(F) + EXP_THRESHOLDS[f].underflow)).toBeLessThan(0.51);
    }
  });

  it('softmax budget ≈ 2(h(n) + 1 + W/u + (|x_i − max| + 2)[x_i < max]) ULPs: rigorous, not absurdly loose', () => {
    const x = Array.from({ length: 10 }, (_, i) => -i);
    const b = budget('softmax', 'f64', x);
    const { parts } = algorithmBounds('softmax', 'f64', x);
    const u = 2 ** -53;
    for (let i = 0; i < 10; i++) {
      const firstOrder = 2 * (summationDepth(10) + 1 + parts.W / u + (i > 0 ? i + 2 : 0));
      expect(b[i]).toBeGreaterThanOrEqual(Math.floor(firstOrder));
      expect(b[i]).toBeLessThanOrEqual(Math.ceil(firstOrder) + 12);
    }
  });

  it('means something where a recursive sum stagnates (n·u = 2 in f16): 2(h(n) + 1) ULPs, not the cap', () => {
    const n = 4096;
    const x = new Array<number>(n).fill(0);
    const bd = budgetBreakdown('softmax', 'f16', x);
    expect(bd.vacuous).toBeNull();
    expect(bd.parts?.depthAll).toBe(13);
    // equal logits: no term error (τ = 0, W = 0), so ε ≈ (h + 1)u: 28 ULPs and a little rounding
    for (const v of bd.ulps) {
      expect(v).toBeGreaterThanOrEqual(28);
      expect(v).toBeLessThanOrEqual(30);
    }
    expect(softmaxSumBound('f16', x).bound).toBeLessThan(16 * 2 ** -11);
    // the pairwise sum is exact here; the recursive one stops at 2048 and is 1024 ULPs off
    const r = oracle('softmax', 'f16', x).values;
    expect(r[0]).toBe(2 ** -12);
    expect(simulateRecommended('softmax', 'f16', x)[0]).toBe(2 ** -12);
    const recursive = simulateRecommended('softmax', 'f16', x, undefined, 'forward');
    expect(recursive[0]).toBe(2 ** -11);
    expect(ulpDistance(formatSpec('f16'), recursive[0], r[0])).toBeGreaterThan(bd.ulps[0]);
  });

  it('the logsumexp absolute term pays for cancellation near 0', () => {
    // a = RN(−ln 2): LSE([a, a]) = a + ln 2 ≈ 2.3e-17, computed as a + RN(ln 2) = 0
    const a = -Math.LN2;
    const r = oracle('logsumexp', 'f64', [a, a]).values;
    const sim = simulateRecommended('logsumexp', 'f64', [a, a]);
    expect(sim[0]).toBe(0);
    const err = ulpDistance(formatSpec('f64'), sim[0], r[0]);
    expect(err).toBeGreaterThan(2 ** 61);
    const b = budget('logsumexp', 'f64', [a, a], undefined, undefined, r);
    expect(b[0]).toBeGreaterThanOrEqual(err);
    // whereas log_softmax and cross_entropy (no cancellation in the shifted form) stay small
    expect(Math.max(...budget('log_softmax', 'f64', [a, a]))).toBeLessThan(20);
    expect(budget('cross_entropy', 'f64', [a, a], 0)[0]).toBeLessThan(20);
  });
});

describe('special-value budgets', () => {
  it('NaN and empty inputs are exact; overrides are constant', () => {
    expect(Array.from(budget('softmax', 'f32', [NaN, 1]))).toEqual([0, 0]);
    expect(Array.from(budget('logsumexp', 'f32', []))).toEqual([0]);
    expect(budget('softmax', 'f32', [])).toHaveLength(0);
    expect(Array.from(budget('softmax', 'f32', [1, 2, 3], undefined, 4))).toEqual([4, 4, 4]);
    expect(() => budget('softmax', 'f32', [1], undefined, -1)).toThrow(RangeError);
    expect(() => budget('cross_entropy', 'f32', [1, 2])).toThrow(RangeError);
  });

  it('+Inf logits are budgeted as the limit, −Inf ones as exact zeros', () => {
    // softmax([Inf, 0, Inf]) = [1/2, 0, 1/2]: as softmax([0, −Inf, 0])
    expect(Array.from(budget('softmax', 'f64', [Infinity, 0, Infinity]))).toEqual(
      Array.from(budget('softmax', 'f64', [0, -Infinity, 0])),
    );
    expect(budget('softmax', 'f64', [0, -Infinity, 0])[1]).toBe(0);
    expect(Array.from(budget('softmax', 'f64', [0, -Infinity, 0]))).toEqual([
      budget('softmax', 'f64', [0, 0])[0],
      0,
      budget('softmax', 'f64', [0, 0])[1],
    ]);
    expect(Array.from(budget('logsumexp', 'f64', [Infinity, 0]))).toEqual([0]);
    expect(Array.from(budget('cross_entropy', 'f64', [0, -Infinity], 1))).toEqual([0]);
    const g = budget('cross_entropy_grad', 'f64', [0, 1, -Infinity], 2);
    expect(g[2]).toBe(0);
    expect(g[0]).toBeGreaterThan(0);
    expect(Array.from(budget('softmax', 'f64', [-Infinity, -Infinity]))).toEqual([0, 0]);
  });
});

/** Logits of format `f`: families of random and extreme inputs. */
function inputs(f: FormatName, rnd: () => number): number[][] {
  const F = formatSpec(f);
  const R = (v: number) => roundNumber(F, v);
  const { underflow: Tu, overflow: To } = EXP_THRESHOLDS[f];
  const big = f === 'f16' ? 60000 : f === 'f64' ? 1e300 : 1e37;
  const masked = f === 'f16' ? -60000 : -1e9;
  const lengths = [1, 2, 3, 7, 40];
  const out: number[][] = [];
  const uni = (n: number, lo: number, hi: number) =>
    Array.from({ length: n }, () => R(lo + (hi - lo) * rnd()));
  for (const n of lengths) {
    out.push(uni(n, -1, 1));
    out.push(uni(n, -10, 10));
    out.push(uni(n, 1.5 * Tu, 0));
    out.push(uni(n, -big, big));
    // results near the subnormal range: x_i − max within a few units of the underflow threshold
    out.push([0, ...uni(n - 1 || 1, Tu - 3, Tu + 3)]);
    // logits past the overflow threshold (shifting keeps the algorithm safe)
    out.push(uni(n, To, 2 * To));
    // masked rows (tfjs#5394) and ties
    out.push(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? R(rnd()) : R(masked))));
    out.push(new Array<number>(n).fill(R(rnd() * 4 - 2)));
    // logsumexp cancellation: every logit ≈ −ln n, so a + log1p(s) ≈ 0
    out.push(Array.from({ length: n }, () => R(-Math.log(n) + (rnd() - 0.5) * 2 ** -8)));
    // tiny logits
    out.push(uni(n, -(2 ** -20), 2 ** -20));
  }
  // −Inf entries flow through the algorithm as the policy says
  out.push([R(1.5), -Infinity, R(-2), -Infinity]);
  return out.map((x) => x.map((v) => (Number.isNaN(v) ? 0 : v)).filter((v) => v !== Infinity));
}

function checkWithinBudget(
  op: Op,
  f: FormatName,
  x: number[],
  label: number | undefined,
  order: SumOrder,
): void {
  const F = formatSpec(f);
  const r = oracle(op, f, x, label).values;
  const sim = simulateRecommended(op, f, x, label, order);
  const b = budget(op, f, x, label, undefined, r);
  for (let i = 0; i < r.length; i++) {
    const d = ulpDistance(F, sim[i], r[i]);
    if (!(d <= b[i])) {
      throw new Error(
        `${op} ${f} order=${order} x=[${x.join(', ')}] label=${label}: element ${i} = ${sim[i]}, reference ${r[i]}: ${d} ulps > budget ${b[i]}`,
      );
    }
  }
  const j = judge({ op, format: f, x, label, actual: sim, reference: r });
  if (j.findings.length > 0) {
    throw new Error(`${op} ${f} x=[${x.join(', ')}] label=${label}: findings ${JSON.stringify(j.findings)}`);
  }
}

describe('the budget covers the recommended algorithm, simulated exactly in each format', () => {
  for (const f of FORMATS) {
    it(`${f}: random and extreme inputs, every op, both summation trees (and recursive sums while n ≤ 5)`, () => {
      const rnd = prng(0x5eed + f.length);
      let t = 0;
      for (const x of inputs(f, rnd)) {
        const orders = x.length <= 5 ? [...TREES, ...RECURSIVE] : TREES;
        for (const op of OPS) {
          const label =
            op === 'cross_entropy' || op === 'cross_entropy_grad' ? Math.floor(rnd() * x.length) : undefined;
          if (label !== undefined && x[label] === -Infinity && x.every((v) => v === -Infinity)) continue;
          checkWithinBudget(op, f, x, label, orders[t++ % orders.length]);
        }
      }
    });
  }

  it('f16 and bf16 past n·u = 1 (n = 4097 and 513), where a recursive sum stagnates', () => {
    const rnd = prng(2048);
    for (const [f, n] of [
      ['f16', 4097],
      ['bf16', 513],
    ] as const) {
      const F = formatSpec(f);
      const x = Array.from({ length: n }, () => roundNumber(F, (rnd() * 2 - 1) * 4));
      checkWithinBudget('softmax', f, x, undefined, 'pairwise');
      // adversarial for stagnation: terms just above half the spacing of a large partial sum
      const y = Array.from({ length: n }, (_, i) =>
        i === 0 ? 0 : roundNumber(F, Math.log(0.26 + 0.01 * rnd())),
      );
      checkWithinBudget('softmax', f, y, undefined, 'halving');
      checkWithinBudget('log_softmax', f, y, undefined, 'pairwise');
      checkWithinBudget('cross_entropy_grad', f, y, 0, 'halving');
      expect(budgetBreakdown('softmax', f, y).vacuous).toBeNull();
    }
  });

  it('f64 and f32 rows of 500', () => {
    const rnd = prng(1000);
    for (const f of ['f64', 'f32'] as const) {
      const F = formatSpec(f);
      const x = Array.from({ length: 500 }, () => roundNumber(F, (rnd() * 2 - 1) * 30));
      checkWithinBudget('softmax', f, x, undefined, 'halving');
      checkWithinBudget('logsumexp', f, x, undefined, 'pairwise');
    }
  });

  it('rows of 2^18 (2^14 for the log ops): trees within budget; a recursive sum that drifts is not', () => {
    // a dominant 0, then n − 1 logits whose terms are each below half an ULP of 1 in the format
    const TAIL: Readonly<Record<FormatName, number>> = { f64: -37.4, f32: -17.4, f16: -7.7, bf16: -5.6 };
    const rnd = prng(1 << 18);
    for (const f of FORMATS) {
      const F = formatSpec(f);
      const tail = new Array<number>(2 ** 18).fill(roundNumber(F, TAIL[f]));
      tail[0] = 0;
      expect(Math.exp(tail[1])).toBeLessThan(F.unitRoundoff);
      const benign = Array.from({ length: 2 ** 14 }, () => roundNumber(F, rnd() * 20 - 10));
      const rows: [Op, number[], number | undefined, SumOrder][] = [
        ['softmax', tail, undefined, 'pairwise'],
        ['logsumexp', tail, undefined, 'halving'],
        ['log_softmax', benign, undefined, 'pairwise'],
        ['cross_entropy_grad', benign, benign.indexOf(Math.max(...benign)), 'halving'],
      ];
      for (const [op, x, label, order] of rows) {
        const r = oracle(op, f, x, label).values;
        const bd = budgetBreakdown(op, f, x, label, r);
        expect(bd.vacuous).toBeNull();
        const worst = (sim: Float64Array) => {
          let w = 0;
          for (let i = 0; i < r.length; i++) w = Math.max(w, ulpDistance(F, sim[i], r[i]) / bd.ulps[i]);
          return w;
        };
        const tree = simulateRecommended(op, f, x, label, order);
        expect(worst(tree), `${op} ${f} ${order}`).toBeLessThanOrEqual(1);
        const j = judge({ op, format: f, x, label, actual: tree, reference: r, budget: bd.ulps });
        expect(j.findings, `${op} ${f} ${order}`).toEqual([]);
        // on the tail row the recursive sum of the n − 1 equal terms drifts (f32; f64's log1p(s),
        // whose s carries it at full weight) or stops growing (f16, bf16) far beyond the budget of
        // about 2(h(n) + 2 + |x_i − max|) ULPs
        if (x === tail && (op === 'logsumexp' || f !== 'f64'))
          expect(worst(simulateRecommended(op, f, x, label, 'forward')), `${op} ${f}`).toBeGreaterThan(2);
      }
    }
  });

  it('subnormal results: a 1-ULP tie at the subnormal boundary is within budget', () => {
    // e^d rounds to σ for d at the underflow threshold; its neighbours 0 and 2σ must be in budget
    for (const f of FORMATS) {
      const F = formatSpec(f);
      const x = [0, EXP_THRESHOLDS[f].underflow];
      const r = oracle('softmax', f, x).values;
      expect(r[1]).toBe(F.minSubnormal);
      const b = budget('softmax', f, x);
      expect(b[1]).toBeGreaterThanOrEqual(1);
      // the relative part (≈ 2·|x_1|·u) is worth nothing at σ: only the absolute floor remains;
      // for f64 binary64's own subnormal steps in the bound arithmetic add a few
      expect(b[1]).toBeLessThanOrEqual(f === 'f64' ? 10 : 6);
    }
    expect(pow2(-1074)).toBe(formatSpec('f64').minSubnormal);
  });
});
