import type { FormatSpec } from '../../formats/types.js';

/**
 * The arithmetic a JS formulation is written against.
 *
 * Every formulation of the zoo is one generic kernel over `Arithmetic<T>`, so that the same
 * sequence of operations runs in every format (with `T = number`, see `formatArithmetic`) and
 * can also be replayed by the tests under an error-tracking arithmetic (a running error
 * analysis of exactly the operations the implementation performs). Kernels must do all their
 * arithmetic through this interface: a bare `+` would silently compute in binary64.
 *
 * Each operation returns its exact result rounded into `format` (for exp, log and log1p: the
 * binary64 libm's result rounded once, see `formatArithmetic`). `max` and `neg` are exact.
 */
export interface Arithmetic<T> {
  /** The format every operation rounds into. */
  readonly format: FormatSpec;
  /** The exact constant 0. */
  readonly zero: T;
  /** The exact constant 1. */
  readonly one: T;
  /** A logit: a value already in the I/O format, taken exactly. */
  input(x: number): T;
  /** The number `a` holds (for comparisons and for the output row). */
  value(a: T): number;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  /** −a, exact. */
  neg(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  log1p(a: T): T;
  /** Math.max's semantics: NaN when either is NaN; +0 over −0. Exact. */
  max(a: T, b: T): T;
  /** Rounds `a` into another format: what storing into that format's typed array does. */
  store(a: T, format: FormatSpec): T;
}
