import type { FormatName } from '../vocabulary/FormatName.js';

/**
 * What counts as close enough for an ecosystem (docs/design.md, "Severity"): a finite pair
 * (actual a, expected e) is close when |a − e| ≤ atol + rtol·|e|, per format.
 */
export interface Closeness {
  /** The profile's name as `--close` takes it: 'assert_close', 'allclose', or 'rtol=R,atol=A'. */
  readonly name: string;
  readonly tolerances: Readonly<Record<FormatName, { readonly rtol: number; readonly atol: number }>>;
}

/**
 * PyTorch's `torch.testing.assert_close` defaults per dtype (its documentation's table of default
 * tolerances: float64 1e−7/1e−7, float32 1.3e−6/1e−5, float16 1e−3/1e−5, bfloat16 1.6e−2/1e−5).
 */
export const ASSERT_CLOSE: Closeness = Object.freeze({
  name: 'assert_close',
  tolerances: Object.freeze({
    f64: { rtol: 1e-7, atol: 1e-7 },
    f32: { rtol: 1.3e-6, atol: 1e-5 },
    f16: { rtol: 1e-3, atol: 1e-5 },
    bf16: { rtol: 1.6e-2, atol: 1e-5 },
  }),
});

/** NumPy's `allclose` defaults (rtol 1e−5, atol 1e−8), the same for every format. */
export const ALLCLOSE: Closeness = Object.freeze({
  name: 'allclose',
  tolerances: Object.freeze({
    f64: { rtol: 1e-5, atol: 1e-8 },
    f32: { rtol: 1e-5, atol: 1e-8 },
    f16: { rtol: 1e-5, atol: 1e-8 },
    bf16: { rtol: 1e-5, atol: 1e-8 },
  }),
});

/**
 * The closeness a `--close` value names: 'assert_close', 'allclose', or 'rtol=R,atol=A' (both
 * non-negative numbers, for every format). Throws a RangeError naming the accepted forms.
 */
export function parseCloseness(text: string): Closeness {
  if (text === 'assert_close') return ASSERT_CLOSE;
  if (text === 'allclose') return ALLCLOSE;
  const m = /^rtol=([^,]+),atol=([^,]+)$/.exec(text);
  const rtol = m ? Number(m[1]) : NaN;
  const atol = m ? Number(m[2]) : NaN;
  if (!(rtol >= 0 && atol >= 0 && Number.isFinite(rtol) && Number.isFinite(atol)))
    throw new RangeError(
      `unknown closeness '${text}': expected assert_close, allclose, or rtol=R,atol=A with numbers ≥ 0`,
    );
  const t = { rtol, atol };
  return { name: `rtol=${rtol},atol=${atol}`, tolerances: { f64: t, f32: t, f16: t, bf16: t } };
}

/**
 * Whether `a` is close to the expected `e` under (rtol, atol), as `assert_close` decides: equal
 * values are close (+0 and −0 are equal, and so are equal infinities); NaN against NaN is close
 * (a reference is NaN only where the special-values policy says NaN is the answer); any other pair
 * involving NaN or ±Inf is not; a finite pair is close when |a − e| ≤ atol + rtol·|e|.
 */
export function isClose(a: number, e: number, rtol: number, atol: number): boolean {
  if (a === e) return true;
  if (a !== a || e !== e) return a !== a && e !== e;
  if (!Number.isFinite(a) || !Number.isFinite(e)) return false;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}
