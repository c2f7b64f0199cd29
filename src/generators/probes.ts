import { formatSpec } from '../formats/specs.js';
import { roundNumber } from '../formats/roundNumber.js';
import { EXP_THRESHOLDS } from '../formats/thresholds.js';
import { nextDown, nextUp } from '../formats/ulp.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { LogitCase } from './LogitCase.js';
import { maskValues } from './maskValues.js';

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
 * - a subnormal and a signed-zero pair.
 * Labels (cross-entropy ops): at the max (index 0) — the cancellation-prone choice — and, for
 * two-element rows, also at the other element.
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
  return out;
}
