/**
 * How bad a finding is (docs/design.md, "Severity"): `wrong` when the output would also fail the
 * check the ecosystem already uses (PyTorch's `assert_close` with its defaults, unless another
 * closeness is chosen), `inaccurate` when it is only less accurate than the best algorithm allows.
 * A finding that is reported without a verdict (`special` under `--specials report`) has none.
 */
export type Severity = 'wrong' | 'inaccurate';

/** Both levels, the stricter first: the order of tables and help texts. */
export const SEVERITIES: readonly Severity[] = ['inaccurate', 'wrong'];

/**
 * Whether a finding of `severity` fails a verdict given at `level` (`--fail-on`): at `wrong` only
 * wrong findings fail; at `inaccurate` every finding with a severity does.
 */
export function failsAt(level: Severity, severity: Severity | null): boolean {
  return severity === 'wrong' || (level === 'inaccurate' && severity === 'inaccurate');
}

/** What an implementation is expected to earn at each level (a known-bad formula fails). */
export interface Expected {
  readonly inaccurate: 'pass' | 'fail';
  readonly wrong: 'pass' | 'fail';
}

/** Expected at both levels: passing everything, failing only the strict level, or failing both. */
export const EXPECT_PASS: Expected = Object.freeze({ inaccurate: 'pass', wrong: 'pass' });
export const EXPECT_INACCURATE: Expected = Object.freeze({ inaccurate: 'fail', wrong: 'pass' });
export const EXPECT_WRONG: Expected = Object.freeze({ inaccurate: 'fail', wrong: 'fail' });

/**
 * An implementation's verdicts at both levels in one word: `pass` (no finding with a severity),
 * `inaccurate` (fails the strict level only), `wrong` (fails both). The same word names what an
 * `Expected` expects.
 */
export type Grade = 'pass' | Severity;

/** The grade of verdicts at both levels (a wrong finding fails both, so wrong implies inaccurate). */
export function gradeOf(v: { readonly inaccurate: string; readonly wrong: string }): Grade {
  return v.wrong === 'fail' ? 'wrong' : v.inaccurate === 'fail' ? 'inaccurate' : 'pass';
}

/** Whether measured verdicts match what was expected at both levels. */
export function meetsExpected(
  v: { readonly inaccurate: string; readonly wrong: string },
  e: Expected,
): boolean {
  return v.inaccurate === e.inaccurate && v.wrong === e.wrong;
}

/**
 * The expectation of the PyTorch-style log-domain formulations ((x_i − max) − log Σ, max + log Σ,
 * softmax − onehot): in f64 and f32 they are only inaccurate (log(1 + s) or p − 1 loses a term
 * s < 2^−24, far below assert_close's atol); in f16 and bf16 the terms lost (s up to 2^−11 and
 * 2^−8) and the f16 results flushed below 2^−14 exceed atol 1e−5: wrong (measured on the main
 * job; docs/design.md, "Severity").
 */
export function inaccurateInWideFormats(format: 'f64' | 'f32' | 'f16' | 'bf16'): Expected {
  return format === 'f64' || format === 'f32' ? EXPECT_INACCURATE : EXPECT_WRONG;
}
