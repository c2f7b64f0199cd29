/** The outcome of the `argmax` check. */
export interface ArgmaxCheck {
  /** False when the largest output is not at a largest logit (ties aside). */
  readonly ok: boolean;
  /** First index holding the largest output (−1 when the check does not apply). */
  readonly outputIndex: number;
  /** First index holding the largest logit (−1 when the check does not apply). */
  readonly logitIndex: number;
}

/**
 * Whether the largest output of a softmax or log_softmax sits at a largest logit (both are
 * increasing in x_i, so the exact results have their max exactly there).
 *
 * Ties aside: the check passes when any index that attains the largest output also attains the
 * largest logit; and, given the correctly rounded `reference`, when the largest output is at an
 * index whose reference equals the largest reference — the format itself cannot order those
 * two, so an output one ULP off there is not an argmax defect.
 *
 * Special cases: the check does not apply (ok, indices −1) to fewer than two elements, to an
 * input with a NaN or +Inf logit or without a finite one, or to an output holding NaN.
 */
export function argmaxCheck(
  x: ArrayLike<number>,
  output: ArrayLike<number>,
  reference?: ArrayLike<number>,
): ArgmaxCheck {
  const skip: ArgmaxCheck = { ok: true, outputIndex: -1, logitIndex: -1 };
  const n = x.length;
  if (n < 2 || output.length !== n) return skip;
  let xmax = -Infinity;
  let k = -1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v || v === Infinity) return skip;
    if (v > xmax) {
      xmax = v;
      k = i;
    }
  }
  if (k < 0) return skip;
  let omax = -Infinity;
  let o = -1;
  for (let i = 0; i < n; i++) {
    const v = output[i];
    if (v !== v) return skip;
    if (o < 0 || v > omax) {
      omax = v;
      o = i;
    }
  }
  let rmax = -Infinity;
  if (reference) for (let i = 0; i < n; i++) if (reference[i] > rmax) rmax = reference[i];
  for (let i = 0; i < n; i++) {
    if (output[i] !== omax) continue;
    if (x[i] === xmax) return { ok: true, outputIndex: o, logitIndex: k };
    if (reference && reference[i] === rmax) return { ok: true, outputIndex: o, logitIndex: k };
  }
  return { ok: false, outputIndex: o, logitIndex: k };
}
