import type { FormatName } from '../../vocabulary/FormatName.js';
import { needsLabel, OPS } from '../../vocabulary/Op.js';
import type { Implementation } from '../types.js';
import { formatArithmetic } from './formatArithmetic.js';
import type { JsFormulation, JsOpDefinition } from './JsFormulation.js';

function checkLabels(
  name: string,
  rows: readonly Float64Array[],
  labels: readonly number[] | undefined,
): readonly number[] {
  if (!labels || labels.length !== rows.length) {
    throw new RangeError(
      `${name}: needs one label per row (${rows.length} rows, ${labels ? labels.length : 'no'} labels)`,
    );
  }
  for (let r = 0; r < rows.length; r++) {
    const k = labels[r];
    if (!Number.isInteger(k) || k < 0 || k >= rows[r].length) {
      throw new RangeError(`${name}: label ${k} of row ${r} is not an integer in [0, ${rows[r].length})`);
    }
  }
  return labels;
}

function implementation(
  f: JsFormulation,
  op: JsOpDefinition & { readonly op: (typeof OPS)[number] },
  format: FormatName,
): Implementation {
  const name = `${op.op}/${f.name}/${format}`;
  const A = formatArithmetic(f.computeFormat ? f.computeFormat(format) : format);
  const kernel = op.kernel;
  const fast = format === 'f64' ? op.fastF64 : undefined;
  const labelled = needsLabel(op.op);
  return {
    name,
    op: op.op,
    format,
    backend: 'js',
    formula: op.formula,
    expected: op.expected(format),
    async run(rows, labels) {
      // A bad label is the caller's error, not a numerical finding: reject the whole batch.
      const ks = labelled ? checkLabels(name, rows, labels) : undefined;
      return rows.map((x, r) =>
        fast ? fast(x, ks ? ks[r] : -1) : Float64Array.from(kernel(x, ks ? ks[r] : -1, A)),
      );
    },
  };
}

/**
 * The implementations of one JS formulation: one per op it defines and format it offers, in
 * the order of `OPS` then of `f.formats`, named `op/formulation/format`.
 *
 * `run(rows, labels)` applies the kernel row by row, on the calling thread, and resolves to
 * fresh Float64Array rows; inputs are only read. For the cross-entropy ops it rejects with a
 * RangeError when `labels` is missing, of the wrong length, or holds a value that is not an
 * integer in [0, n) — so an empty row cannot be given to them.
 */
export function formulationImplementations(f: JsFormulation): Implementation[] {
  const out: Implementation[] = [];
  for (const op of OPS) {
    const def = f.ops[op];
    if (!def) continue;
    for (const format of f.formats) out.push(implementation(f, { ...def, op }, format));
  }
  return out;
}
