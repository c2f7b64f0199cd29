import fc, { type Arbitrary } from 'fast-check';
import { isRepresentable } from '../../formats/roundNumber.js';
import type { FormatSpec } from '../../formats/types.js';
import type { LogitCase } from '../LogitCase.js';

/** fc.sample with a fixed seed. */
export function sample<T>(arb: Arbitrary<T>, numRuns: number, seed = 20240611): T[] {
  return fc.sample(arb, { seed, numRuns });
}

/**
 * Checks the invariants every case must satisfy and throws a descriptive error otherwise:
 * representable elements, finite unless allowed, length in bounds, label present iff needed
 * and in range.
 */
export function checkCase(
  c: LogitCase,
  fmt: FormatSpec,
  opts: { minLength: number; maxLength: number; labelled: boolean; nonFinite: 'none' | 'negInf' | 'any' },
): void {
  const where = () => `${c.region} ${fmt.name} ${JSON.stringify(c.x.slice(0, 8))}… (n=${c.x.length})`;
  if (!Array.isArray(c.x)) throw new Error(`x is not an array: ${where()}`);
  if (c.x.length < opts.minLength || c.x.length > opts.maxLength) {
    throw new Error(`length ${c.x.length} outside [${opts.minLength}, ${opts.maxLength}]: ${where()}`);
  }
  for (const v of c.x) {
    if (typeof v !== 'number') throw new Error(`non-number ${String(v)}: ${where()}`);
    if (!isRepresentable(fmt, v)) throw new Error(`${v} not representable in ${fmt.name}: ${where()}`);
    if (!Number.isFinite(v)) {
      const ok = opts.nonFinite === 'any' || (opts.nonFinite === 'negInf' && v === -Infinity);
      if (!ok) throw new Error(`non-finite ${v} not allowed: ${where()}`);
    }
  }
  if (opts.labelled) {
    if (c.label === undefined || !Number.isInteger(c.label) || c.label < 0 || c.label >= c.x.length) {
      throw new Error(`label ${c.label} not in [0, ${c.x.length}): ${where()}`);
    }
  } else if ('label' in c) throw new Error(`unexpected label: ${where()}`);
}

/** Index of the first maximum (NaN-free input). */
export function argmax(x: readonly number[]): number {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[k]) k = i;
  return k;
}
