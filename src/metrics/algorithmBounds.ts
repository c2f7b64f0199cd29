import { formatSpec } from '../formats/specs.js';
import type { FormatSpec } from '../formats/types.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import type { ErrorBound } from './boundToUlps.js';
import { down, up } from './directed.js';
import { gamma } from './gamma.js';
import { summationDepth } from './summationDepth.js';

/**
 * Accuracy granted to the recommended algorithm's exp and log1p: 1 ULP of the format, i.e.
 * |f̂(v) − f(v)| ≤ max(2u·|f(v)|, σ) ≤ 2u·|f(v)| + σ (one ULP is at most 2u relative in the normal
 * range, σ = the smallest subnormal below it). fdlibm, which V8's Math.exp and Math.log1p port,
 * documents "< 1 ulp"; a binary64 result rounded once into f32, f16 or bf16 is within
 * u + 2^−52 relative, also under 1 ULP. Both functions are assumed exact where the result is
 * exact and representable: exp(0) = 1, log1p(0) = 0.
 */
const EXP_ULPS = 1;
/** See {@link EXP_ULPS}. */
const LOG1P_ULPS = 1;

/**
 * (p − emin)·ln 2 rounded up: the distance below the max past which e^(x_j − max) is under half
 * the smallest subnormal, e^−that = σ/2 (745.13 for f64, 103.97 for f32, 17.33 for f16, 92.88 for
 * bf16: the magnitudes of EXP_THRESHOLDS' underflow values).
 */
export function underflowClamp(fmt: FormatSpec): number {
  return up((fmt.precision - fmt.emin) * Math.LN2);
}

/**
 * τ(D): the relative error bound of one computed term ê = exp(fl(x_j − a)) against
 * e = e^(x_j − a), for D = a − x_j > 0, in |ê − e| ≤ τ·e + σ.
 *
 * Derivation: d̂ = fl(x_j − a) = d(1 + δ), |δ| ≤ u (a subtraction that lands in the subnormal
 * range is exact), so exp(d̂) = e·e^(dδ) with |dδ| ≤ u·D, and |exp(d̂) − e| ≤ e·α,
 * α = e^(u·D) − 1. The 1-ULP exp adds EXP_ULPS·(2u·exp(d̂) + σ) ≤ 2u·e(1 + α) + σ. So
 * τ = α + 2u(1 + α). For D beyond the underflow clamp Λ_u = (p − emin)·ln 2, e ≤ σ/2 and
 * exp(d̂) ≤ e^(−Λ_u(1 − u)) = (σ/2)·e^(u·Λ_u) ≤ 0.72σ (bf16 is the worst case, u·Λ_u = 0.363), so
 * a 1-ULP exp returns 0 or σ and |ê − e| ≤ σ: clamping D at Λ_u keeps the formula valid and
 * the min(|x_i − max|, |underflow threshold|) of docs/design.md, "Budgets" appears. First order: τ ≈ (D + 2)·u.
 */
export function expTermBound(fmt: FormatSpec, D: number): number {
  if (!(D > 0)) return 0;
  const u = fmt.unitRoundoff;
  const alpha = up(Math.expm1(up(u * Math.min(D, underflowClamp(fmt)))));
  return up(alpha + up(EXP_ULPS * 2 * u * up(1 + alpha)));
}

/** The parts of the derivation, rounded outward (upper bounds unless named Low). */
export interface BoundParts {
  /** Length of the (finite) input. */
  readonly n: number;
  /** a = max x. */
  readonly max: number;
  /** k: the first index of the max (the BHH algorithm leaves it out of s). */
  readonly maxIndex: number;
  /** m: how many logits equal the max (their terms are exactly 1). */
  readonly maxCount: number;
  /** s = Σ_{j≠k} e^(x_j − a), enclosed. */
  readonly sLow: number;
  readonly sHigh: number;
  /** W = Σ_j τ_j·e_j / S: the term errors averaged with the weights of the sum S = 1 + s. */
  readonly W: number;
  /** B = (n − m)·σ: the absolute error the terms' subnormal steps can add to the sum. */
  readonly B: number;
  /** h(n) = min(n − 1, ⌈log₂ n⌉ + 1): the summation depth of all n terms (softmax's 1 + s). */
  readonly depthAll: number;
  /** γ_{h(n)}: the summation of all n terms. */
  readonly gammaAll: number;
  /** Θ: the relative error bound of the computed S (softmax, cross_entropy_grad). */
  readonly theta: number;
  /** h(n − 1): the summation depth of the n − 1 terms of s. */
  readonly depthS: number;
  /** γ_{h(n−1)}: the summation of the n − 1 terms of s. */
  readonly gammaS: number;
  /** Δs: the absolute error bound of the computed ŝ. */
  readonly deltaS: number;
  /** λ: the absolute error bound of log1p(ŝ) against L = log1p(s). */
  readonly lambda: number;
  /** Λ: the absolute error bound of the computed L̂ = fl(log1p(ŝ)). */
  readonly bigLambda: number;
  /** L = log1p(s), enclosed. */
  readonly LLow: number;
  readonly LHigh: number;
}

/** The a-priori bounds of the recommended algorithm on one finite input. */
export interface AlgorithmBounds {
  /**
   * One bound per output element; `null` where the algorithm is exact (one logit: softmax 1,
   * log_softmax 0, logsumexp a, cross_entropy 0 and its gradient 0, all computed exactly).
   */
  readonly elements: readonly (ErrorBound | null)[];
  /**
   * Element i's bound, computed on demand: `elements[i]` without building all n of them (a judge
   * needs bounds only where the output is not the correctly rounded value; rows run to 2^18).
   */
  readonly at: (i: number) => ErrorBound | null;
  /** Why no a-priori bound exists (the budget is then ulpCap), or null. */
  readonly vacuous: string | null;
  readonly parts: BoundParts;
}

/**
 * The error bounds of the recommended stable algorithm (Blanchard, Higham & Higham 2021, §4 and
 * their Algorithm: a = max x, k its first index, s = Σ_{j≠k} exp(x_j − a)) for `op` on finite
 * logits `x` in `format`, every operation in the format:
 *   softmax_i       = exp(x_i − a) / (1 + s)
 *   log_softmax_i   = (x_i − a) − log1p(s)
 *   logsumexp       = a + log1p(s)
 *   cross_entropy   = (a − x_l) + log1p(s)           (= −log_softmax_l: no cancellation)
 *   cross_entropy_grad_i = softmax_i − [i = l]       (softmax_l − 1 rounded once)
 * with exp and log1p within 1 ULP (EXP_ULPS), +, −, ÷ correctly rounded, and the sums pairwise:
 * s by a summation tree of depth at most h(n − 1), S = 1 + s (or S summed over all n terms, the
 * max's exp(0) = 1 among them) by one of depth at most h(n), h(m) = min(m − 1, ⌈log₂ m⌉ + 1)
 * (summationDepth.ts: plain pairwise for s, then 1 + s; or blocked pairwise over all n terms
 * with any one block size). Recursive summation is covered only for n ≤ 5.
 *
 * Derivation (u = 2^−p, σ = smallest subnormal, e_j = e^(x_j − a), D_j = a − x_j ≥ 0,
 * S = Σ_j e_j = 1 + s ≥ 1, every quantity below rounded outward by directed.ts):
 * 1. Terms: |ê_j − e_j| ≤ τ_j·e_j + σ·[D_j > 0] (expTermBound); ê_j = 1 exactly when D_j = 0.
 *    So |Σ ê_j − S| ≤ W·S + B with W = Σ τ_j e_j / S and B = (n − m)·σ.
 * 2. Sum (Higham §4.2, a tree of depth h(n)): |Ŝ − Σ ê_j| ≤ γ_{h(n)}·Σ ê_j ≤ γ_{h(n)}(S(1 + W) + B),
 *    hence Ŝ = S(1 + θ) with |θ| ≤ Θ = W + γ_{h(n)}(1 + W) + B(1 + γ_{h(n)}) (using S ≥ 1).
 * 3. softmax: ê_i/Ŝ = y_i(1 + θ_i)/(1 + θ) + β_i/Ŝ with |(1 + θ_i)/(1 + θ) − 1| ≤
 *    φ_i = (τ_i + Θ)/(1 − Θ) and |β_i/Ŝ| ≤ b_i = σ[D_i > 0]/(1 − Θ). The division rounds:
 *    |fl(q) − q| ≤ u|q| + σ/2. So ε_i = φ_i + u(1 + φ_i), A_i = b_i(1 + u) + σ/2.
 *    First order: ε_i ≈ (τ_i/u + h(n) + W/u + 1)·u with τ_i ≈ (D_i + 2)u off the max and 0 at
 *    it, i.e. about 2(h(n) + 1 + W/u + (D_i + 2)[D_i > 0]) ULPs (relativeUlps: k·u is worth 2k
 *    ULPs) — the ⌈log₂ n⌉ + 2 + min(|x_i − max|, |underflow threshold|) of
 *    docs/design.md, "Budgets", doubled by the honest conversion, plus the weighted term errors W
 *    that the sum carries into every element.
 * 4. s and L: |Σ_{j≠k} ê_j − s| ≤ E_s = W·S + B (τ_k = 0), the n − 1 terms sum with γ_{h(n−1)}:
 *    |ŝ − s| ≤ Δs = E_s + γ_{h(n−1)}(s + E_s). Then log1p(ŝ) − L = log1p(z), z = (ŝ − s)/(1 + s),
 *    |z| ≤ z* = Δs/(1 + s), so |log1p(ŝ) − L| ≤ λ = −log1p(−z*) (z* < 1). The 1-ULP log1p
 *    adds 2u(L + λ) + σ: |L̂ − L| ≤ Λ = λ + 2u(L + λ) + σ. First order
 *    λ ≈ W + γ_{h(n−1)}·s/(1 + s) + B/(1 + s): the (γ terms)·s/(1 + s) of the sum, where
 *    W ≈ τ·s/(1 + s) when the terms' τ_j are alike.
 * 5. log_softmax_i: |fl(d̂_i − L̂) − y_i| ≤ u·D_i + Λ + u(|y_i| + u·D_i + Λ) ≤ u(2 + u)|y_i| + Λ(1 + u)
 *    since D_i ≤ |y_i| = D_i + L (both parts have one sign: nothing cancels). ε = u(2 + u),
 *    A = Λ(1 + u), |y_i| ≥ D_i + L. cross_entropy is the same with D_l.
 * 6. logsumexp: |fl(a + L̂) − y| ≤ Λ + u(|y| + Λ): ε = u, A = Λ(1 + u). Here a < 0 < L can
 *    cancel: |y| = |a + L| is only enclosed, and the absolute term A is what the budget pays
 *    near 0 (boundToUlps.absoluteUlps).
 * 7. cross_entropy_grad at the label: fl(ŷ_l − 1) with |ŷ_l − y_l| ≤ ε_l·y_l + A_l (step 3):
 *    |ĝ − g| ≤ (ε_l·y_l + A_l)(1 + u) + u|g| — the softmax's absolute error carried to
 *    g = y_l − 1 = −Σ_{j≠l} e_j / S, whose magnitude is enclosed without cancellation. Elsewhere
 *    the gradient is the softmax.
 * A bound is vacuous when γ_{h(n)} or γ_{h(n−1)} is infinite (h·u ≥ 1: more than 2^(2^p − 2)
 * terms), or Θ ≥ 1, or z* ≥ 1 (Θ ≈ W + h·u with W ≤ max τ_j ≤ τ(Λ_u), 0.45 in bf16: rows of
 * any length that fits in memory stay below 1). Under recursive summation (γ_{n−1}) f16
 * bounds were vacuous from n = 2048 and bf16 ones from n = 256.
 *
 * Special cases: x must be finite and non-empty (budgets.ts reduces ±Inf and NaN by the policy);
 * n = 1 is exact. `label` is required for the cross-entropy ops.
 */
/** Bounds of `length` elements given by `at`, the array built only if `elements` is read. */
function lazyBounds(
  length: number,
  at: (i: number) => ErrorBound | null,
  vacuous: string | null,
  parts: BoundParts,
): AlgorithmBounds {
  let built: (ErrorBound | null)[] | undefined;
  return {
    get elements() {
      return (built ??= Array.from({ length }, (_, i) => at(i)));
    },
    at,
    vacuous,
    parts,
  };
}

/** Bounds of `length` elements that are all null (exact, or no a-priori bound when `vacuous`). */
function noBounds(length: number, vacuous: string | null, parts: BoundParts): AlgorithmBounds {
  return lazyBounds(length, () => null, vacuous, parts);
}

export function algorithmBounds(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  label?: number,
): AlgorithmBounds {
  const fmt = formatSpec(format);
  const n = x.length;
  if (n === 0) throw new RangeError('algorithmBounds: empty input (budgets.ts handles it by the policy)');
  const u = fmt.unitRoundoff;
  const sigma = fmt.minSubnormal;
  // σ/2 of f64 underflows binary64 (to 0): σ stands in for it, an upper bound
  const halfSigma = sigma / 2 || sigma;

  let a = -Infinity;
  let k = -1;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!Number.isFinite(v)) throw new RangeError(`algorithmBounds: logit ${j} is ${v}; only finite logits`);
    if (v > a) {
      a = v;
      k = j;
    }
  }
  // D_j enclosures (a − x_j in binary64, rounded outward; exactly 0 at the maxima)
  const Dlo = new Float64Array(n);
  const Dhi = new Float64Array(n);
  const eLo = new Float64Array(n);
  const eHi = new Float64Array(n);
  const tau = new Float64Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (x[j] === a) {
      m++;
      eLo[j] = eHi[j] = 1;
      continue;
    }
    const D = a - x[j];
    Dlo[j] = down(D);
    Dhi[j] = up(D);
    eHi[j] = Math.min(1, up(Math.exp(-Dlo[j])));
    eLo[j] = Math.max(0, down(Math.exp(-Dhi[j])));
    tau[j] = expTermBound(fmt, Dhi[j]);
  }
  // Σ over j ≠ skip, rounded after every addition (loops, not arrays: rows run to 2^18 terms)
  const sumUpOthers = (arr: Float64Array, skip: number) => {
    let acc = 0;
    for (let j = 0; j < n; j++) if (j !== skip) acc = up(acc + arr[j]);
    return acc;
  };
  const sumDownOthers = (arr: Float64Array, skip: number) => {
    let acc = 0;
    for (let j = 0; j < n; j++) if (j !== skip) acc = Math.max(0, down(acc + arr[j]));
    return acc;
  };
  const sLow = sumDownOthers(eLo, k);
  const sHigh = sumUpOthers(eHi, k);
  const SLow = down(1 + sLow);
  const SHigh = up(1 + sHigh);
  let tauSum = 0;
  for (let j = 0; j < n; j++) tauSum = up(tauSum + (tau[j] === 0 ? 0 : up(tau[j] * eHi[j])));
  const W = up(tauSum / SLow);
  const B = up((n - m) * sigma);

  // softmax: step 2
  const depthAll = summationDepth(n);
  const gammaAll = gamma(depthAll, u);
  const theta = up(up(W + up(gammaAll * up(1 + W))) + up(B * up(1 + gammaAll)));
  // log1p(s): step 4
  const depthS = summationDepth(n - 1);
  const gammaS = gamma(depthS, u);
  const Es = up(tauSum + B);
  const deltaS = up(Es + up(gammaS * up(sHigh + Es)));
  const zStar = up(deltaS / down(1 + sLow));
  const lambda = n === 1 ? 0 : zStar < 1 ? up(-Math.log1p(-zStar)) : Infinity;
  const LLow = Math.max(0, down(Math.log1p(sLow)));
  const LHigh = up(Math.log1p(sHigh));
  const bigLambda = n === 1 ? 0 : up(lambda + LOG1P_ULPS * up(up(2 * u * up(LHigh + lambda)) + sigma));

  const parts: BoundParts = {
    n,
    max: a,
    maxIndex: k,
    maxCount: m,
    sLow,
    sHigh,
    W,
    B,
    depthAll,
    gammaAll,
    theta,
    depthS,
    gammaS,
    deltaS,
    lambda,
    bigLambda,
    LLow,
    LHigh,
  };
  const outLen = op === 'logsumexp' || op === 'cross_entropy' ? 1 : n;
  if (n === 1) return noBounds(outLen, null, parts);

  let l = -1;
  if (op === 'cross_entropy' || op === 'cross_entropy_grad') {
    if (label === undefined || !Number.isInteger(label) || label < 0 || label >= n) {
      throw new RangeError(`${op} needs a label: an integer in [0, ${n}), got ${label}`);
    }
    l = label;
  }

  const softmaxVacuous =
    theta < 1 ? null : vacuousReason(fmt, n, depthAll, 'sum of all n terms', gammaAll, 'Θ', theta);
  const logVacuous =
    zStar < 1 ? null : vacuousReason(fmt, n, depthS, 'sum s of n − 1 terms', gammaS, 'z*', zStar);
  const softmaxAt = (i: number): ErrorBound => {
    const oneMinusTheta = down(1 - theta);
    const phi = up(up(tau[i] + theta) / oneMinusTheta);
    const b = x[i] === a ? 0 : up(sigma / oneMinusTheta);
    return {
      relative: up(phi + up(u * up(1 + phi))),
      absolute: up(up(b * (1 + u)) + halfSigma),
      magnitudeLow: down(eLo[i] / SHigh),
      magnitudeHigh: Math.min(1, up(eHi[i] / SLow)),
    };
  };
  const logEps = up(u * (2 + u));
  const logA = up(bigLambda * (1 + u));
  const shiftedLog = (i: number): ErrorBound => ({
    relative: logEps,
    absolute: logA,
    magnitudeLow: down(Dlo[i] + LLow),
    magnitudeHigh: up(Dhi[i] + LHigh),
  });

  switch (op) {
    case 'softmax': {
      if (softmaxVacuous) return noBounds(n, softmaxVacuous, parts);
      return lazyBounds(n, softmaxAt, null, parts);
    }
    case 'log_softmax': {
      if (logVacuous) return noBounds(n, logVacuous, parts);
      return lazyBounds(n, shiftedLog, null, parts);
    }
    case 'cross_entropy': {
      if (logVacuous) return noBounds(1, logVacuous, parts);
      const e = shiftedLog(l);
      return lazyBounds(1, () => e, null, parts);
    }
    case 'logsumexp': {
      if (logVacuous) return noBounds(1, logVacuous, parts);
      // y = a + L with a < 0 possible: enclose it (each end rounded outward)
      const lo = down(a + LLow);
      const hi = up(a + LHigh);
      const magnitudeLow = lo > 0 ? lo : hi < 0 ? -hi : 0;
      const magnitudeHigh = Math.max(Math.abs(lo), Math.abs(hi));
      const e: ErrorBound = { relative: u, absolute: logA, magnitudeLow, magnitudeHigh };
      return lazyBounds(1, () => e, null, parts);
    }
    case 'cross_entropy_grad': {
      if (softmaxVacuous) return noBounds(n, softmaxVacuous, parts);
      const sl = softmaxAt(l);
      const restLow = sumDownOthers(eLo, l);
      const restHigh = sumUpOthers(eHi, l);
      const atLabel: ErrorBound = {
        relative: u,
        absolute: up(up(up(sl.relative * sl.magnitudeHigh) + sl.absolute) * (1 + u)),
        magnitudeLow: down(restLow / SHigh),
        magnitudeHigh: Math.min(1, up(restHigh / SLow)),
      };
      return lazyBounds(n, (i) => (i === l ? atLabel : softmaxAt(i)), null, parts);
    }
  }
}

/**
 * A one-line reason naming the numbers, e.g. "no a-priori bound: Θ = 1.02 ≥ 1 for the sum of all
 * n terms in bf16 (n = 300, depth h = 10)".
 */
function vacuousReason(
  fmt: FormatSpec,
  n: number,
  depth: number,
  what: string,
  g: number,
  name: string,
  value: number,
): string {
  const hu = depth * fmt.unitRoundoff;
  if (!Number.isFinite(g))
    return `pairwise sum too deep: h·u = ${hu.toPrecision(3)} ≥ 1 in ${fmt.name} (${what}, n = ${n}: no a-priori bound)`;
  return `no a-priori bound: ${name} = ${value.toPrecision(3)} ≥ 1 for the ${what} in ${fmt.name} (n = ${n}, depth h = ${depth})`;
}
