/**
 * Every implementation of the registry expected to fail does fail, and its shrunk counterexample
 * is of the right kind and minimal.
 *
 * 1. It fails on one of its format's probes (generators/probes.ts: the textbook-dangerous
 *    inputs) or, should none expose it, within a short fuzz of the extreme-logit generators.
 * 2. The counterexample to shrink is the shortest failing input, with its first failing finding
 *    kind. Probes are minimal already, so to give the shrinker work it is padded first — six more
 *    copies of its smallest logit (or zeros) appended or prepended, the first padding that still
 *    shows the kind; `shrinkCounterexample` (campaign/shrink.ts, what `run` and `vet` use) then
 *    shrinks it keeping that kind.
 * 3. The shrunk input still shows the kind, and is minimal:
 *    - up to 64 logits: the shrinker converged (spent fewer evaluations than its budget), the
 *      input is no longer than the unpadded one, and it is 1-minimal — deleting any one logit
 *      (never the label's), or replacing any nonzero logit by 0, loses the kind;
 *    - longer (a sum that stagnates in f16 or bf16 needs about 2/u equal logits, a recursive sum
 *      drifts past the pairwise budget on thousands): the length is the mechanism — the row's
 *      first 64 logits (with its label's) do not show the kind. A long failure whose first 64
 *      logits do show it is replaced by them before padding and shrinking.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { shrinkCounterexample } from '../src/campaign/shrink.js';
import { logits } from '../src/generators/logits.js';
import { probes } from '../src/generators/probes.js';
import type { Implementation } from '../src/impls/types.js';
import { FINDING_KINDS, type FindingKind } from '../src/vocabulary/FindingKind.js';
import { needsLabel } from '../src/vocabulary/Op.js';
import { evaluate, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { runs } from './_support/runs.js';
import { replayLine, seedFor } from './_support/seed.js';

const FILE = 'properties/expectedFailures.prop.test.ts';
/**
 * Enough for the shrinker to converge on a few dozen logits that each matter (a recursive sum
 * that loses 1 + e^(x_j − max) term after term beyond the pairwise budget: several hundred).
 */
const SHRINK_EVALS = 1000;
const SHORT = 64;
const list = await subjects((impl) => impl.expected.inaccurate === 'fail');
afterAll(() => disposeAll(list));

interface Failure {
  readonly x: number[];
  readonly label: number | undefined;
  readonly kind: FindingKind;
  readonly source: string;
}

/** The first failing kind of an evaluation in FINDING_KINDS order, if any. */
async function failingKind(
  impl: Implementation,
  x: readonly number[],
  label: number | undefined,
): Promise<FindingKind | undefined> {
  const e = await evaluate(impl, x, label);
  const kinds = new Set(e.failing.map((f) => f.kind));
  return FINDING_KINDS.find((k) => kinds.has(k));
}

/** Whether `impl` shows a finding of `kind` on the input. */
async function shows(
  impl: Implementation,
  kind: FindingKind,
  x: readonly number[],
  label: number | undefined,
): Promise<boolean> {
  if (x.length === 0 && (needsLabel(impl.op) || impl.op !== 'logsumexp')) return false;
  const e = await evaluate(impl, x, label);
  return e.judgement.findings.some((f) => f.kind === kind);
}

/** The shortest failing probe, else the first counterexample of a short fuzz (shrunk by fast-check). */
async function firstFailure(impl: Implementation): Promise<Failure | undefined> {
  let best: Failure | undefined;
  for (const p of probes(impl.format, impl.op)) {
    if (best && p.x.length >= best.x.length) continue;
    const kind = await failingKind(impl, p.x, p.label);
    if (kind) best = { x: p.x, label: p.label, kind, source: 'probe' };
  }
  if (best) return best;
  const seed = seedFor('expectedFailures', impl.name);
  const out = await fc.check(
    fc.asyncProperty(
      logits({ format: impl.format, op: impl.op }),
      async (c) => (await failingKind(impl, c.x, c.label)) === undefined,
    ),
    { seed, numRuns: runs(200) },
  );
  const c = out.counterexample?.[0];
  if (!c) return undefined;
  return {
    x: c.x,
    label: c.label,
    kind: (await failingKind(impl, c.x, c.label))!,
    source: `fuzz (seed ${seed})`,
  };
}

/** The first `m` logits of a row, its label's logit last when the label lies beyond them. */
function head(
  x: readonly number[],
  label: number | undefined,
  m: number,
): { x: number[]; label: number | undefined } {
  const h = x.slice(0, m);
  if (label === undefined || label < m) return { x: h, label };
  h[m - 1] = x[label];
  return { x: h, label: m - 1 };
}

/**
 * A long failure's shortest prefix (with its label's logit; at most SHORT − 8 logits, room for the
 * padding) that still shows the kind, by bisection on the length: with budgets of a pairwise sum,
 * a recursive sum that loses 1 + e^(x_j − max) term after term fails within a few dozen logits,
 * however long the probe that found it (the campaign shrinks long rows by prefixes too).
 * Unchanged when the longest such prefix does not show the kind.
 */
async function shortened(impl: Implementation, f: Failure): Promise<Failure> {
  if (f.x.length <= SHORT) return f;
  const at = async (m: number) => {
    const h = head(f.x, f.label, m);
    return (await shows(impl, f.kind, h.x, h.label)) ? h : undefined;
  };
  let hi = SHORT - 8;
  let best = await at(hi);
  if (!best) return f;
  let lo = 1; // a prefix of lo logits is not known to show the kind
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const h = await at(mid);
    if (h) {
      hi = mid;
      best = h;
    } else lo = mid;
  }
  return { ...f, ...best, source: `${f.source}, its first ${best.x.length} logits` };
}

/**
 * The failure padded with six copies of its smallest logit or zeros, after or before it, if that still shows
 * the kind.
 */
async function padded(impl: Implementation, f: Failure): Promise<Failure> {
  if (f.x.length > SHORT) return f;
  const low = Math.min(...f.x.filter((v) => Number.isFinite(v)));
  for (const fill of [low, 0]) {
    const pad = new Array<number>(6).fill(fill);
    const after = { x: [...f.x, ...pad], label: f.label };
    const before = { x: [...pad, ...f.x], label: f.label === undefined ? undefined : f.label + pad.length };
    for (const c of [after, before])
      if (await shows(impl, f.kind, c.x, c.label)) return { ...f, ...c, source: `${f.source}, padded` };
  }
  return f;
}

describe.each(list.map((s) => [title(s), s] as const))('%s', (name, s) => {
  test.skipIf(s.unavailable !== null)(
    'fails, and its shrunk counterexample keeps the kind and is minimal',
    async () => {
      const impl = s.impl;
      const context = (what: string) => `${impl.name}: ${what}\n${replayLine(FILE, `${name} fails`)}`;
      const found = await firstFailure(impl);
      expect(found, context('expected to fail, but no probe and no fuzz case made it fail')).toBeDefined();
      const failure = await padded(impl, await shortened(impl, found!));
      const { kind } = failure;
      const { cex, evaluations } = await shrinkCounterexample(
        {
          caseId: 0,
          region: failure.source,
          x: failure.x,
          ...(failure.label !== undefined ? { label: failure.label } : {}),
          finding: {
            kind,
            index: -1,
            expected: null,
            actual: null,
            ulps: null,
            diagnosis: '',
            severity: 'wrong',
          },
        },
        impl.format,
        impl.op,
        needsLabel(impl.op),
        async (x, label) =>
          (await shows(impl, kind, Array.from(x), label))
            ? { kind, index: -1, expected: null, actual: null, ulps: null, diagnosis: '', severity: 'wrong' }
            : undefined,
        failure.x.length <= SHORT ? SHRINK_EVALS : 0,
      );
      const x = cex.x;
      const label = cex.label;
      const at = `shrunk ${showInput(failure.x, failure.label)} (${failure.source}) to ${showInput(x, label)} for '${kind}'`;
      expect(
        await shows(impl, kind, x, label),
        context(`${at}: the shrunk input no longer shows the kind`),
      ).toBe(true);
      if (x.length <= SHORT) {
        expect(
          evaluations,
          context(`${at}: the shrinker did not converge within ${SHRINK_EVALS} evaluations`),
        ).toBeLessThan(SHRINK_EVALS);
        expect(
          x.length,
          context(`${at}: longer than the unpadded ${showInput(found!.x, found!.label)}`),
        ).toBeLessThanOrEqual(found!.x.length);
        for (let i = 0; i < x.length; i++) {
          if (i !== label) {
            const y = [...x.slice(0, i), ...x.slice(i + 1)];
            const l = label !== undefined && label > i ? label - 1 : label;
            expect(
              await shows(impl, kind, y, l),
              context(`${at}: not minimal, deleting logit ${i} keeps the kind`),
            ).toBe(false);
          }
          if (x[i] !== 0) {
            const y = x.slice();
            y[i] = 0;
            expect(
              await shows(impl, kind, y, label),
              context(`${at}: not minimal, logit ${i} → 0 keeps the kind`),
            ).toBe(false);
          }
        }
      } else {
        // the length is the mechanism: SHORT logits of the row (its label's among them) do not
        // show the kind — a sum that drifts or stagnates past the pairwise budget of a long row
        // (docs/design.md, "Budgets")
        const h = head(x, label, SHORT);
        expect(
          await shows(impl, kind, h.x, h.label),
          context(
            `${at}: a long counterexample whose length is not the mechanism ` +
              `(its first ${SHORT} logits show the kind)`,
          ),
        ).toBe(false);
      }
    },
  );
});
