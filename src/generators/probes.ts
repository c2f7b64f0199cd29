import { formatSpec } from '../formats/specs.js';
import { roundNumber } from '../formats/roundNumber.js';
import { EXP_THRESHOLDS } from '../formats/thresholds.js';
import { nextDown, nextUp } from '../formats/ulp.js';
import type { FormatSpec } from '../formats/types.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { LogitCase } from './LogitCase.js';
import { maskValues } from './maskValues.js';
import { fastRound } from './_internals/fastRound.js';
import { mulberry32 } from './_internals/mulberry32.js';

/** Lengths of the long probes: 2^18 (the default maxLength) and GPT-2's vocabulary. */
const LONG_PROBE_LENGTHS = { row: 262_144, vocabulary: 50_257 } as const;

/** The long probes of a format, each with the index of its max (the label of the cross-entropy ops). */
function longProbes(fmt: FormatSpec): { x: number[]; at: number }[] {
  const round = fastRound(fmt);
  const benign = (n: number, seed: number): number[] => {
    const rand = mulberry32(seed);
    return Array.from({ length: n }, () => round(-10 + 20 * rand()));
  };
  const tail = benign(LONG_PROBE_LENGTHS.row, 1);
  tail[tail.length - 1] = 10;
  const n = LONG_PROBE_LENGTHS.vocabulary;
  const vocab = benign(n, 2);
  const at = Math.floor(n / 256) * 256 + 40; // 50,216: 40 into the partial last tile of 256 (and of 1024)
  // 10 is the benign maximum; the gap makes every other probability negligible (as region `dominant`)
  vocab[at] = round(10 + (fmt.precision + 2) * Math.LN2 + Math.log(n));
  // the 2^18 rows only where the arithmetic is native: the zoo emulates f16 and bf16 at about a
  // microsecond an operation, and their vocabulary rows already stagnate there
  const wide = fmt.name === 'f64' || fmt.name === 'f32';
  const stagnant = new Array<number>(wide ? LONG_PROBE_LENGTHS.row : LONG_PROBE_LENGTHS.vocabulary).fill(
    round(-(fmt.precision + 1) * Math.LN2),
  );
  stagnant[0] = 0;
  return [...(wide ? [{ x: tail, at: tail.length - 1 }] : []), { x: vocab, at }, { x: stagnant, at: 0 }];
}

/**
 * The textbook-dangerous inputs of one op and format, as a fixed list: a campaign runs them
 * before its random cases so that every known failure mechanism is tried at least once, however
 * few random cases the budget allows. Each is the smallest input that exposes its mechanism:
 * - one logit at the exp-overflow threshold and one ULP past it (naive exp overflows: NaN/Inf);
 * - two logits whose spread sits at and just past the underflow threshold (e^(x_i − max) → 0);
 * - the extremes [max, max], [−max, max], [max, −max, 0] (x_i − max overflows in the format);
 * - [0, −k] for k in 1, 8, 20, 40 (log(1 + s) loses s once 1 + s rounds to 1: log_softmax and
 *   cross-entropy at the max, and softmax − 1 at a label on the max, cancel to 0);
 * - [1e17, 1e17] rounded into the format (the division-free softmax exp(x_i − LSE) returns 1, 1);
 * - masked rows: [0, mask], [mask, mask] with the format's masking values, and with −Inf;
 * - n equal logits with n around 1/u where a recursive sum in the format stagnates (f16: 2048,
 *   4096; bf16: 256, 512, 1024 — a compensated sum holds out to about 2/u): the computed sum
 *   stops growing and the probabilities come out too large;
 * - a subnormal and a signed-zero pair;
 * - long rows (`LONG_PROBE_LENGTHS`), longer than 4096 so that a campaign with a short maxLength
 *   leaves them out: in f64 and f32, 2^18 benign logits (uniform in [−10, 10]) with the max 10
 *   at the last element (a reduction that drops its tail or last tile, an argument-count limit);
 *   a GPT-2 vocabulary row of 50,257 benign logits with a dominant one at 50,216, inside the
 *   partial last tile of 256 and of 1024 ([50,176, 50,256]); and a recursive sum that stagnates
 *   in every format: 0 then n − 1 logits c ≈ −(p + 1)·ln 2 (n = 2^18 in f64 and f32, 50,257 in
 *   f16 and bf16), so each e^c is below half an ULP of the running sum 1 and a left-to-right sum
 *   in the format stays at 1 while the exact sum is 1 + (n − 1)·e^c (≈ 99 in bf16, ≈ 13 in f16,
 *   ≈ 1 + 2^−7 in f32, ≈ 1 + 2^−36 in f64).
 * Labels (cross-entropy ops): at the max (index 0; for the long rows their max) — the
 * cancellation-prone choice — and, for two-element rows, also at the other element.
 *
 * Special cases: every value is exactly representable in `format`; duplicates are removed.
 */
export function probes(format: FormatName, op: Op): LogitCase[] {
  const fmt = formatSpec(format);
  const { overflow: To, underflow: Tu } = EXP_THRESHOLDS[format];
  const r = (v: number) => roundNumber(fmt, v);
  const M = fmt.maxFinite;
  const rows: number[][] = [
    [To],
    [nextUp(fmt, To)],
    [0, Tu],
    [0, nextDown(fmt, Tu)],
    [nextUp(fmt, To), 0],
    [M, M],
    [-M, M],
    [M, -M, 0],
    [0, r(-1)],
    [0, r(-8)],
    [0, r(-20)],
    [0, r(-40)],
    [r(1e17), r(1e17)],
    ...maskValues(format, false).flatMap((m) => [
      [0, m],
      [m, m, 0],
    ]),
    // −Inf-masked rows are rows of values (docs/design.md, "Special values"), the mask first and
    // last: an online max that starts at −Inf computes −Inf − (−Inf) = NaN on the first
    [-Infinity, 0, 1],
    [1, -Infinity],
    [fmt.minSubnormal, -0],
  ];
  const stagnation = format === 'f16' ? [2048, 4096] : format === 'bf16' ? [256, 512, 1024] : [];
  for (const n of stagnation) rows.push(new Array<number>(n).fill(0));
  const out: LogitCase[] = [];
  const seen = new Set<string>();
  const push = (x: number[], label?: number) => {
    const key = JSON.stringify([x.map((v) => (Object.is(v, -0) ? '-0' : v)), label]);
    // finite logits, or −Inf masks beside finite ones (values, not policy cases)
    if (seen.has(key) || x.some((v) => v !== -Infinity && !Number.isFinite(v))) return;
    seen.add(key);
    out.push(label === undefined ? { region: 'probes', x } : { region: 'probes', x, label });
  };
  for (const x of rows) {
    if (!needsLabel(op)) push(x);
    else {
      push(x, 0);
      if (x.length === 2) push(x, 1);
    }
  }
  for (const { x, at } of longProbes(fmt))
    out.push(needsLabel(op) ? { region: 'probes', x, label: at } : { region: 'probes', x });
  return out;
}
