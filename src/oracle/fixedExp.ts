import { exponentOf, pow2i } from './pow2i.js';

/**
 * Rigorous enclosures of e^d in binary fixed point (BigInt), for the oracle's shared-sum
 * escalation (oracle.ts, sharedSum.ts): at a working precision of W fractional bits an
 * exponential costs about a dozen W-bit integer products (about 2 µs at W ≈ 180), a hundred times
 * less than decimal.js's exp at the same precision, so a sum of 10^6 terms is enclosed again at a
 * higher precision in seconds.
 *
 * A quantity is a nonnegative integer X standing for X·2^−W ("units" of 2^−W).
 *
 * Method, for an exact d = x − m < 0 of two binary64 values:
 * 1. d to W fractional bits: D_lo = ⌊x·2^W⌋ − ⌈m·2^W⌉ ≤ d·2^W ≤ D_lo + (0, 1 or 2), exactly.
 * 2. Reduction: e^d = 2^k·e^r with r = d − k·ln 2 ∈ [0, 1), k = ⌊d/ln 2⌋ (chosen in binary64 and
 *    corrected when r's enclosure leaves [0, 1)), with ln 2 enclosed at W + 16 bits by its series
 *    Σ 1/(j·2^j): R_lo = D_lo + ⌊|k|·ln2_lo/2^16⌋ ≤ r·2^W ≤ R_lo + wR, wR = (0..2) + ⌈|k|·(ln2_hi −
 *    ln2_lo)/2^16⌉ + 2.
 * 3. e^(r_lo), r_lo = R_lo·2^−W, from below: r_lo = Σ_t c_t·2^(−10t) + ρ with `chunks` ten-bit
 *    chunks c_t and 0 ≤ ρ < 2^(−10·chunks): e^(r_lo) = e^ρ·Π_t e^(c_t·2^(−10t)), e^ρ by its
 *    Taylor polynomial of degree K (Horner's rule, coefficients ⌊2^W/j!⌋, every product
 *    truncated), each factor from a table of 1024 lower bounds (built at W + 16 bits by repeated
 *    multiplication with a lower bound of e^(2^(−10t)), itself a truncated Taylor series), every
 *    product truncated. Every step is monotone in nonnegative operands, so the result x is a
 *    lower bound of e^(r_lo)·2^W.
 * 4. The upper bound x + width, width = Δ + 6·wR, from two proven deficits:
 *    - Δ bounds e^(r_lo)·2^W − x. Horner: with a_j the exact value after step j and e_j its
 *      deficit, e_j ≤ 1 (coefficient) + ρ·e_(j+1) + 1 (truncation) ≤ 2 + e_(j+1), e_K ≤ 1, so the
 *      polynomial is short by at most 2K + 1 units, and the Taylor tail (below 2·ρ^(K+1)/(K+1)!
 *      ≤ 2^−W by the choice of K) by 1 more: ε_P ≤ 2K + 2. Each table product
 *      x' = ⌊x·T̂/2^W⌋ with T̂ = T·2^W − w' (0 ≤ w' ≤ w_t, the table's largest width hi − lo) and
 *      x = X·2^W − e: x·T̂/2^W ≥ X·T·2^W − X·w_t − e·T, so e' ≤ X·w_t + T·e + 1. Unrolled, with
 *      every partial product X and every product of later factors below e^r < e:
 *      deficit ≤ e·(ε_P + Σ_t (w_t + 1)) ≤ Δ = ⌈3·(2K + 2 + Σ_t (w_t + 1))⌉.
 *    - e^(r_hi) = e^(r_lo)·e^δ with δ = r_hi − r_lo ≤ wR·2^−W ≤ 1, and e^δ ≤ 1 + 2δ for δ ≤ 1;
 *      e^(r_lo)·2^W ≤ x + Δ and e^(r_lo) < e, so e^(r_hi)·2^W ≤ x + Δ + 2e·wR ≤ x + Δ + 6·wR.
 * So e^d ∈ 2^k·[x, x + width]·2^−W, width a few hundred units at most.
 *
 * Special cases: d = 0 gives exactly x = 2^W, width 0, k = 0.
 */

/** Bits per table index: tables of 2^CHUNK entries. */
const CHUNK = 10;
/** Extra bits the tables and ln 2 are built with, so their own roundings stay below a unit. */
const GUARD = 16;

/** What one working precision needs: ln 2, the tables, 1/j! and the deficit bound Δ. */
interface Context {
  readonly W: number;
  readonly bigW: bigint;
  readonly one: bigint;
  /** A lower bound of ln 2 at W + GUARD bits. */
  readonly ln2Lo: bigint;
  /** ln2_hi − ln2_lo, in units of 2^−(W + GUARD). */
  readonly ln2Width: number;
  /** Number of ten-bit chunks of r taken from tables. */
  readonly chunks: number;
  /** tab[t][c] ≤ e^(c·2^(−10(t+1)))·2^W, each within its table's largest width. */
  readonly tab: bigint[][];
  /** ⌊2^W/j!⌋ for j = 0..K. */
  readonly invFact: bigint[];
  /** Degree of the Taylor polynomial of e^ρ. */
  readonly K: number;
  /** Δ: a bound on the deficit of the lower path, in units (step 4 above). */
  readonly deficit: number;
  /** W − 10·chunks: the bits of ρ; R >> restBits is the chunks' part of R. */
  readonly restBits: bigint;
  readonly restMask: bigint;
}

const contexts = new Map<number, Context>();

/** ⌈a/2^s⌉ for a ≥ 0. */
function shiftCeil(a: bigint, s: bigint): bigint {
  const q = a >> s;
  return q << s === a ? q : q + 1n;
}

/**
 * e^(2^−e) at P fractional bits, enclosed: its Taylor series Σ y^j/j! with y = 2^−e ≤ 2^−10,
 * each term truncated downwards (lower) or rounded upwards (upper); once a term's upper bound is
 * at most one unit, the rest of the series, below twice that term (y ≤ 1/2), is bounded by two
 * units.
 */
function expOfPow2(P: number, e: number): [bigint, bigint] {
  const one = 1n << BigInt(P);
  const be = BigInt(e);
  let tLo = one;
  let tHi = one;
  let sLo = one;
  let sHi = one;
  for (let j = 1n; ; j++) {
    tLo = (tLo >> be) / j;
    const q = shiftCeil(tHi, be);
    tHi = q % j === 0n ? q / j : q / j + 1n;
    if (tHi <= 1n) return [sLo + tLo, sHi + 2n];
    sLo += tLo;
    sHi += tHi;
  }
}

/**
 * ln 2 at P fractional bits, enclosed: Σ_{j=1..P} ⌊2^(P−j)/j⌋ is below P·ln 2·2^P by less than
 * P units (one per truncation) plus the tail Σ_{j>P} 2^(P−j)/j < 1.
 */
function ln2Bounds(P: number): [bigint, bigint] {
  let lo = 0n;
  const bp = BigInt(P);
  for (let j = 1n; j <= bp; j++) lo += (1n << (bp - j)) / j;
  return [lo, lo + bp + 1n];
}

function context(W: number): Context {
  let c = contexts.get(W);
  if (c) return c;
  // more chunks at high precision keep the Taylor degree moderate (16 chunks: ρ < 2^−160)
  const chunks = Math.max(4, Math.min(16, Math.ceil(W / 80)));
  const P = W + GUARD;
  const bigP = BigInt(P);
  const g = BigInt(GUARD);
  const size = 1 << CHUNK;
  const tab: bigint[][] = [];
  let tableTerms = 0; // Σ_t (w_t + 1) of step 4
  for (let t = 1; t <= chunks; t++) {
    const [bLo, bHi] = expOfPow2(P, CHUNK * t);
    const lo: bigint[] = new Array<bigint>(size);
    let xl = 1n << bigP;
    let xh = xl;
    lo[0] = 1n << BigInt(W);
    let w = 0n;
    for (let i = 1; i < size; i++) {
      xl = (xl * bLo) >> bigP;
      xh = ((xh * bHi) >> bigP) + 1n;
      lo[i] = xl >> g;
      const width = shiftCeil(xh, g) - lo[i];
      if (width > w) w = width;
    }
    tab.push(lo);
    tableTerms += Number(w) + 1;
  }
  // Taylor degree K: the tail Σ_{j>K} ρ^j/j! ≤ 2·ρ^(K+1)/(K+1)! with ρ < 2^(−10·chunks) is below
  // one unit 2^−W once (K + 1)·10·chunks + log2((K + 1)!) ≥ W + 1
  const rhoBits = CHUNK * chunks;
  let K = 0;
  let log2Fact = 0;
  while ((K + 1) * rhoBits + log2Fact < W + 1) {
    K++;
    log2Fact += Math.log2(K + 1);
  }
  const one = 1n << BigInt(W);
  const invFact: bigint[] = [one];
  let fact = 1n;
  for (let j = 1; j <= K; j++) {
    fact *= BigInt(j);
    invFact.push(one / fact);
  }
  const [ln2Lo, ln2Hi] = ln2Bounds(P);
  const restBits = BigInt(W - rhoBits);
  c = {
    W,
    bigW: BigInt(W),
    one,
    ln2Lo,
    ln2Width: Number(ln2Hi - ln2Lo),
    chunks,
    tab,
    invFact,
    K,
    deficit: Math.ceil(3 * (2 * K + 2 + tableTerms)),
    restBits,
    restMask: (1n << restBits) - 1n,
  };
  contexts.set(W, c);
  return c;
}

/** Masks and widths of groups of g ten-bit chunks (g = 1..5). */
const GROUP_BITS = [0, 1, 2, 3, 4, 5].map((g) => BigInt(CHUNK * g));
const GROUP_MASK = GROUP_BITS.map((b) => (1n << b) - 1n);

/**
 * A lower bound of e^r·2^W for r = R·2^−W, 0 ≤ R < 2^W (step 3): the Taylor polynomial of the
 * remainder ρ by Horner's rule, then the table factors of the chunks, every product truncated.
 */
function expLower(c: Context, R: bigint): bigint {
  const { bigW, chunks, K, invFact, tab } = c;
  const rho = R & c.restMask;
  let x = invFact[K];
  for (let j = K - 1; j >= 0; j--) x = invFact[j] + ((x * rho) >> bigW);
  // the chunks' bits, at most five chunks (50 bits) per binary64 conversion, lowest chunk first
  let rest = R >> c.restBits;
  for (let t = chunks - 1; t >= 0;) {
    const group = Math.min(5, t + 1);
    let v = Number(group === chunks ? rest : rest & GROUP_MASK[group]);
    if (group < t + 1) rest >>= GROUP_BITS[group];
    for (let g = 0; g < group; g++, t--) {
      const idx = v % 1024;
      v = (v - idx) / 1024;
      if (idx !== 0) x = (x * tab[t][idx]) >> bigW; // idx 0: the factor is exactly 1
    }
  }
  return x;
}

/** ⌊v·2^W⌋ for a finite binary64 v, exactly, and whether it is exact (v·2^W an integer). */
function toFixed(v: number, W: number): { floor: bigint; exact: boolean } {
  if (v === 0) return { floor: 0n, exact: true };
  const a = Math.abs(v);
  // a = M·2^e with an integer M < 2^53: e = exponent − 52 (normal) or −1074 (subnormal)
  const e = Math.max(exponentOf(a) - 52, -1074);
  // a·2^−e exactly (in two steps past 2^1023; scaling by powers of two is exact short of overflow)
  const M = BigInt(-e <= 1023 ? a * pow2i(-e) : a * pow2i(1023) * pow2i(-e - 1023));
  const sh = e + W;
  if (sh >= 0) {
    const m = M << BigInt(sh);
    return { floor: v > 0 ? m : -m, exact: true };
  }
  const s = BigInt(-sh);
  const q = M >> s;
  const exact = q << s === M;
  // the floor of a positive value is q; of a negative one −q, or −q − 1 when inexact
  if (v > 0) return { floor: q, exact };
  return { floor: exact ? -q : -q - 1n, exact };
}

/** A fixed-point enclosure of e^d: 2^k·lo·2^−W ≤ e^d ≤ 2^k·(lo + width)·2^−W, lo < 3·2^W. */
export interface FixedExp {
  readonly k: number;
  readonly lo: bigint;
  /** A small integer (a few hundred units at most). */
  readonly width: number;
}

/** The row's max m at W bits, reused for every term of a sum. */
export interface FixedBase {
  readonly W: number;
  readonly m: number;
  /** ⌈m·2^W⌉. */
  readonly mCeil: bigint;
  /** 1 when m·2^W is not an integer (⌈·⌉ − ⌊·⌋), else 0. */
  readonly mInexact: number;
}

/** m at W bits, for `fixedExp`. */
export function fixedBase(m: number, W: number): FixedBase {
  const f = toFixed(m, W);
  return { W, m, mCeil: f.exact ? f.floor : f.floor + 1n, mInexact: f.exact ? 0 : 1 };
}

/**
 * Encloses e^(x − m) for binary64 values x ≤ m (exactly x − m, however far apart), at W
 * fractional bits. Preconditions: x and m finite, x ≤ m, and x − m ≥ −2^20 (far beyond any
 * term the oracle does not cut).
 *
 * Special cases: x = m gives exactly 2^W (k = 0, width 0).
 */
export function fixedExp(base: FixedBase, x: number): FixedExp {
  const { W, m } = base;
  const c = context(W);
  if (x === m) return { k: 0, lo: c.one, width: 0 };
  const xf = toFixed(x, W);
  const dLo = xf.floor - base.mCeil; // ≤ d·2^W ≤ dLo + widthD
  const widthD = (xf.exact ? 0 : 1) + base.mInexact;
  // k ≤ 0 from the binary64 difference (within a few units of d/ln 2), then corrected
  let k = Math.floor((x - m) / Math.LN2);
  const g = BigInt(GUARD);
  for (let tries = 0; ; tries++) {
    if (tries > 4) throw new Error(`internal: fixedExp could not reduce ${x} − ${m}`);
    const kk = -k; // ≥ 0: r = d + |k|·ln 2
    const rLo = dLo + ((BigInt(kk) * c.ln2Lo) >> g);
    // r·2^W ≤ rLo + wR: ⌈|k|·ln2_hi/2^16⌉ − ⌊|k|·ln2_lo/2^16⌋ ≤ |k|·(ln2_hi − ln2_lo)/2^16 + 2
    const wR = widthD + Math.ceil((kk * c.ln2Width) / 2 ** GUARD) + 2;
    if (rLo < 0n) k--;
    else if (rLo + BigInt(wR) >= c.one) k++;
    else return { k, lo: expLower(c, rLo), width: c.deficit + 6 * wR };
  }
}
