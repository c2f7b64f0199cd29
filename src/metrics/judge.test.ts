import { describe, expect, it } from 'vitest';
import { EXP_THRESHOLDS, formatSpec, fromOrdinal, nextDown, ordinal } from '../formats/index.js';
import { type FormatName } from '../vocabulary/FormatName.js';
import { oracle } from '../oracle/index.js';
import { type Op } from '../vocabulary/Op.js';
import { budget } from './budgets.js';
import { crashFinding, failsVerdict, mutationFinding, shapeFinding, timeoutFinding } from './findings.js';
import { judge, type JudgeArgs } from './judge.js';
import { FINDING_KINDS, type FindingKind } from '../vocabulary/FindingKind.js';

/** The textbook formula exp(x_i)/Σ exp(x_j) in binary64: overflows past 709.78, underflows below −745.13. */
function naiveSoftmax(x: readonly number[]): Float64Array {
  const e = x.map(Math.exp);
  const s = e.reduce((p, q) => p + q, 0);
  return Float64Array.from(e, (v) => v / s);
}

function run(
  op: Op,
  format: FormatName,
  x: readonly number[],
  actual: unknown,
  extra: Partial<JudgeArgs> = {},
  label?: number,
) {
  const reference = oracle(op, format, x, label).values;
  return judge({ op, format, x, label, actual, reference, ...extra });
}

const kinds = (j: ReturnType<typeof judge>) => j.findings.map((f) => `${f.kind}@${f.index}`);

describe('FindingKind', () => {
  it('lists every finding kind once (docs/design.md, "Findings")', () => {
    const all: FindingKind[] = [
      'crash',
      'timeout',
      'shape',
      'mutation',
      'special',
      'nan-swallowed',
      'overflow',
      'underflow',
      'cancellation',
      'spurious-nan',
      'ulp',
      'sum',
      'argmax',
      'nondeterministic',
      'batch',
    ];
    expect([...FINDING_KINDS].sort()).toEqual([...all].sort());
  });
});

describe('case-level findings', () => {
  it('crash and timeout are built by the caller', () => {
    expect(crashFinding(new TypeError('x is\nnot iterable'))).toMatchObject({
      kind: 'crash',
      index: -1,
      diagnosis: 'threw TypeError: x is not iterable',
    });
    expect(timeoutFinding(10000)).toMatchObject({
      kind: 'timeout',
      index: -1,
      diagnosis: 'no answer within 10000 ms',
    });
    expect(shapeFinding('returned 2 values, expected 3').kind).toBe('shape');
    expect(mutationFinding(1, 2, 3).diagnosis).toBe('input changed: logit 1 was 2, is 3 after the call');
  });

  it('shape: wrong length or type, and nothing else is judged', () => {
    const j = run('softmax', 'f64', [1, 2], [0.5]);
    expect(kinds(j)).toEqual(['shape@-1']);
    expect(j.findings[0].diagnosis).toBe('returned 1 values, expected 2');
    expect(j.output).toBeNull();
    expect(kinds(run('softmax', 'f64', [1, 2], 0.5))).toEqual(['shape@-1']);
    expect(kinds(run('softmax', 'f64', [1, 2], ['0.2', 0.8]))).toEqual(['shape@-1']);
    expect(kinds(run('softmax', 'f64', [1, 2], null))).toEqual(['shape@-1']);
    // a scalar op may answer with a number or a length-1 array
    const lse = oracle('logsumexp', 'f64', [1, 2]).values[0];
    expect(run('logsumexp', 'f64', [1, 2], lse).findings).toEqual([]);
    expect(run('logsumexp', 'f64', [1, 2], [lse]).findings).toEqual([]);
  });

  it('mutation: the logits changed during the call (±0 distinct)', () => {
    const x = [0, 1];
    const y = oracle('softmax', 'f64', x).values;
    expect(kinds(run('softmax', 'f64', x, y, { inputAfter: [0, 1] }))).toEqual([]);
    const j = run('softmax', 'f64', x, y, { inputAfter: [-0, 0] });
    expect(kinds(j)).toEqual(['mutation@-1']);
    expect(j.findings[0].diagnosis).toBe(
      'input changed: logit 0 was 0, is -0 after the call (2 logits changed)',
    );
  });

  it('nondeterministic: a second call differs (±0 and NaN compare equal)', () => {
    const x = [0, 1];
    const y = oracle('softmax', 'f64', x).values;
    expect(kinds(run('softmax', 'f64', x, y, { second: Float64Array.from(y) }))).toEqual([]);
    const other = Float64Array.from(y);
    other[1] = nextDown(formatSpec('f64'), other[1]);
    const j = run('softmax', 'f64', x, y, { second: other });
    expect(kinds(j)).toEqual(['nondeterministic@-1']);
    expect(j.findings[0].ulps).toBe(1);
    expect(kinds(run('log_softmax', 'f64', [0, -1000], [-0, -1000], { second: [0, -1000] }))).toEqual([]);
  });
});

describe('the element table, first match wins', () => {
  it('row 1: ±Inf logits → special when the output differs from the policy (pytorch#6864, jax#21495)', () => {
    const j = run('softmax', 'f64', [Infinity, 0], [NaN, NaN]);
    expect(kinds(j)).toEqual(['special@0', 'special@1']);
    expect(j.findings[0].diagnosis).toBe('+Inf logit at 0: the limit gives 1 (c = 1), got NaN');
    expect(run('softmax', 'f64', [Infinity, 0], [1, 0]).findings).toEqual([]);
    expect(run('softmax', 'f64', [Infinity, 0], [NaN, NaN], { specials: 'skip' }).findings).toEqual([]);
    // −Inf contributes 0; the finite part is judged against the budget of the finite logits
    const y = oracle('softmax', 'f64', [1, -Infinity, 2]).values;
    expect(run('softmax', 'f64', [1, -Infinity, 2], y).findings).toEqual([]);
    const bad = Float64Array.from(y);
    bad[1] = 1e-300;
    // a masked row is a row of values (docs/design.md, "Special values"): an error of the value
    expect(kinds(run('softmax', 'f64', [1, -Infinity, 2], bad))).toEqual(['ulp@1']);
    // all −Inf: NaN by policy (pytorch#25110)
    expect(kinds(run('softmax', 'f64', [-Infinity, -Infinity], [0.5, 0.5]))).toEqual([
      'special@0',
      'special@1',
    ]);
    expect(failsVerdict('special', 'report')).toBe(false);
    expect(failsVerdict('special', 'strict')).toBe(true);
    expect(failsVerdict('ulp', 'report')).toBe(true);
  });

  it('row 1 before row 2: a NaN logit next to an Inf logit is a special finding', () => {
    expect(kinds(run('softmax', 'f64', [NaN, Infinity], [0.5, 0.5]))).toEqual(['special@0', 'special@1']);
  });

  it('row 2: a number where a NaN logit makes the result NaN → nan-swallowed', () => {
    const j = run('softmax', 'f64', [NaN, 1], [0, 1]);
    expect(kinds(j)).toEqual(['nan-swallowed@0', 'nan-swallowed@1']);
    expect(j.findings[0].diagnosis).toBe('NaN logit at 0 ignored: output at 0 is 0, the policy gives NaN');
    expect(run('softmax', 'f64', [NaN, 1], [NaN, NaN]).findings).toEqual([]);
    expect(run('softmax', 'f64', [NaN, 1], [0, 1], { specials: 'skip' }).findings).toEqual([]);
  });

  it('row 3: NaN → overflow in the overflow regime (the naive formula at 710)', () => {
    const x = [710, 0];
    const j = run('softmax', 'f64', x, naiveSoftmax(x));
    // e^710 = Inf: Inf/Inf = NaN; 1/Inf = 0 where e^-710 (subnormal) is expected
    expect(kinds(j)).toEqual(['overflow@0', 'underflow@1']);
    expect(j.findings[0].diagnosis).toBe('NaN at 0: exp overflows: max logit 710 > 709.783');
    expect(j.findings[1].diagnosis).toMatch(
      /^0 at 1 where 4\.4\d*e-309 is expected \(\d+ ulps, budget \d+\): flushed, the result is subnormal/,
    );
  });

  it('row 3: NaN → underflow in the underflow regime (the naive formula at −800)', () => {
    const x = [-800, -800];
    const j = run('softmax', 'f64', x, naiveSoftmax(x));
    expect(kinds(j)).toEqual(['underflow@0', 'underflow@1']);
    expect(j.findings[0].diagnosis).toBe(
      'NaN at 0: exp underflows: min logit -800 < -745.133, and the sum of exps can vanish (0/0)',
    );
    // the spread alone past the overflow threshold (a min-shifted formula overflows there)
    const j2 = run('softmax', 'f64', [500, -210], [NaN, 0]);
    expect(kinds(j2)).toEqual(['overflow@0', 'underflow@1']);
    expect(j2.findings[0].diagnosis).toBe('NaN at 0: exp overflows: spread max − min = 710 > 709.783');
  });

  it('row 3: NaN for finite logits in neither regime → spurious-nan', () => {
    const y = oracle('softmax', 'f64', [0, 1]).values;
    const j = run('softmax', 'f64', [0, 1], [NaN, y[1]]);
    expect(kinds(j)).toEqual(['spurious-nan@0']);
    expect(j.findings[0].ulps).toBe(Infinity);
  });

  it('row 4: ±Inf where the reference is finite → overflow (naive logsumexp)', () => {
    const x = [710, 0];
    const naive = Math.log(Math.exp(710) + Math.exp(0));
    expect(naive).toBe(Infinity);
    const j = run('logsumexp', 'f64', x, naive);
    expect(kinds(j)).toEqual(['overflow@0']);
    expect(j.findings[0].diagnosis).toBe('Inf where 710 is expected: exp overflows: max logit 710 > 709.783');
  });

  it('row 5: a flushed subnormal → underflow; a 1-ULP tie at the subnormal boundary is not', () => {
    const F = formatSpec('f16');
    const x = [0, -14];
    const r = oracle('softmax', 'f16', x).values;
    expect(r[1]).toBeLessThan(F.minNormal);
    const j = run('softmax', 'f16', x, [r[0], 0]);
    expect(kinds(j)).toEqual(['underflow@1']);
    expect(j.findings[0].diagnosis).toMatch(
      /^0 at 1 where 8\.3\d*e-7 is expected \(\d+ ulps, budget \d\): flushed, the result is subnormal \(below 0\.0000610352\)$/,
    );
    // the reference at the underflow threshold is σ: 0 is one ULP away, within budget
    const t = [0, EXP_THRESHOLDS.f16.underflow];
    expect(oracle('softmax', 'f16', t).values[1]).toBe(F.minSubnormal);
    expect(run('softmax', 'f16', t, [1, 0]).findings).toEqual([]);
    // unshifted exp underflowing where the result is normal
    const u = [-120, -120];
    const j2 = run('softmax', 'f32', u, [0.5, 0]);
    expect(kinds(j2)).toEqual(['underflow@1', 'sum@-1']);
    expect(j2.findings[0].diagnosis).toMatch(/exp underflows: x_i = -120 < -103\.972 \(unshifted exp\)$/);
  });

  it('row 6: finite and over budget → ulp; ±0 are equal', () => {
    const F = formatSpec('f64');
    const x = [0, 1];
    const r = oracle('log_softmax', 'f64', x).values;
    const b = budget('log_softmax', 'f64', x);
    const off = Float64Array.from(r);
    off[0] = fromOrdinal(F, ordinal(F, r[0]) + BigInt(b[0]) + 1n);
    const j = run('log_softmax', 'f64', x, off);
    expect(kinds(j)).toEqual(['ulp@0']);
    expect(j.findings[0].ulps).toBe(b[0] + 1);
    expect(j.findings[0].diagnosis).toBe(`${off[0]} at 0 is ${b[0] + 1} ulps from ${r[0]} (budget ${b[0]})`);
    off[0] = fromOrdinal(F, ordinal(F, r[0]) + BigInt(b[0]));
    expect(run('log_softmax', 'f64', x, off).findings).toEqual([]);
    // log_softmax([0, −1000])[0] is −0; +0 is the same value in ULP terms
    expect(oracle('log_softmax', 'f64', [0, -1000]).values[0]).toBe(-0);
    expect(run('log_softmax', 'f64', [0, -1000], [0, -1000]).findings).toEqual([]);
  });

  it('the division-free softmax returning [1, 1] for [1e17, 1e17] fails (docs/design.md, "Budgets")', () => {
    const j = run('softmax', 'f64', [1e17, 1e17], [1, 1]);
    expect(kinds(j)).toEqual(['ulp@0', 'ulp@1', 'sum@-1']);
    expect(j.findings[0].ulps).toBe(2 ** 52);
  });

  it('budget override and outputs outside the format', () => {
    const x = [0, 0];
    const j = run('softmax', 'f32', x, [0.5, 0.5000000001]);
    expect(j.outOfFormat).toBe(1);
    expect(j.findings).toEqual([]);
    const k = run('softmax', 'f32', x, [0.5, Math.fround(0.50000006)], { budget: 0 });
    expect(kinds(k)).toEqual(['ulp@1']);
    expect(k.outOfFormat).toBe(0);
  });

  it('maxPerKind keeps the worst findings, counts stay complete', () => {
    const x = new Array<number>(10).fill(-800);
    const j = run('softmax', 'f64', x, naiveSoftmax(x), { maxPerKind: 2 });
    expect(j.findings).toHaveLength(2);
    expect(j.counts.underflow).toBe(10);
  });
});

describe('case-level checks after the elements', () => {
  it('sum: every element within its budget, the total off (the sum is taken exactly)', () => {
    const F = formatSpec('f64');
    const x = [0, -0.25, -0.5, -0.75, -1, -1.25, -1.5, -1.75];
    const r = oracle('softmax', 'f64', x).values;
    const b = budget('softmax', 'f64', x);
    const up = Float64Array.from(r, (v, i) => fromOrdinal(F, ordinal(F, v) + BigInt(b[i])));
    const j = run('softmax', 'f64', x, up);
    expect(kinds(j)).toEqual(['sum@-1']);
    expect(j.findings[0].diagnosis).toMatch(/^Σ outputs − 1 = \S+ exceeds the bound \S+$/);
    // the correctly rounded result itself passes
    expect(run('softmax', 'f64', x, r).findings).toEqual([]);
  });

  it('sum: a stagnated f16 sum (n·u = 2) fails the elements and the sum', () => {
    const n = 4096;
    const x = new Array<number>(n).fill(0);
    // 2048 + 1 = 2048 in f16: the sum stops at 2048 and every output doubles
    const j = run('softmax', 'f16', x, new Array<number>(n).fill(1 / 2048), { maxPerKind: 1 });
    expect(j.counts.ulp).toBe(n);
    expect(j.counts.sum).toBe(1);
    const sum = j.findings.find((f) => f.kind === 'sum');
    // the budgets assume a pairwise sum (docs/design.md, "Budgets"): a bound of (h(n) + 1)u + …, not vacuous
    expect(sum?.diagnosis).toBe('Σ outputs − 1 = 1 exceeds the bound 0.00704277; long sum: n·u = 2');
    const ulp = j.findings.find((f) => f.kind === 'ulp');
    expect(ulp?.ulps).toBe(1024);
    expect(ulp?.diagnosis).toMatch(/budget 28\); sum stagnates: n·u = 2 ≥ 1 in f16/);
  });

  it('argmax: the largest output not at the largest logit; ties aside', () => {
    // relative errors stay below 1 (which always fails, whatever the budget): only argmax is at fault
    const j = run('softmax', 'f64', [1, 0], [0.49, 0.51], { budget: Infinity });
    expect(kinds(j)).toEqual(['argmax@-1']);
    expect(j.findings[0].diagnosis).toBe(
      'largest output 0.51 at 1 (logit 0), but the max logit 1 is at 0 (output 0.49)',
    );
    expect(run('softmax', 'f64', [1, 1], [0.5, 0.5]).findings).toEqual([]);
    expect(kinds(run('log_softmax', 'f64', [1, 0], [-0.5, -0.45], { budget: Infinity }))).toEqual([
      'argmax@-1',
    ]);
    // a tie in the reference: the format cannot order the two, so neither can the check
    const F = formatSpec('f16');
    const x = [1, nextDown(F, 1)];
    const r = oracle('softmax', 'f16', x).values;
    expect(r[0]).toBe(r[1]);
    expect(run('softmax', 'f16', x, [nextDown(F, r[0]), r[1]]).findings).toEqual([]);
  });
});

describe('the always-fail rule: a relative error of 1 or more', () => {
  it('flags a zero gradient at the label where softmax − 1 is tiny but normal, whatever the absolute budget allows', async () => {
    const { oracle } = await import('../oracle/oracle.js');
    const x = [0, -40];
    const ref = oracle('cross_entropy_grad', 'f64', x, 0).values;
    const j = judge({
      op: 'cross_entropy_grad',
      format: 'f64',
      x,
      label: 0,
      actual: [0, ref[1]],
      reference: ref,
    });
    // p − 1 cancelled: no exp underflowed (e^−40 is normal), the addition absorbed it
    expect(j.findings.map((f) => f.kind)).toEqual(['cancellation']);
    expect(j.budget![0]).toBeGreaterThan(j.ulps![0]); // the budget alone would have let it pass
  });
  it('decides |a − r| ≥ |r| exactly and spares subnormal references', async () => {
    const { relativeErrorAtLeastOne } = await import('./judge.js');
    const mn = 2 ** -1022;
    expect(relativeErrorAtLeastOne(mn, 2, 1)).toBe(true);
    expect(relativeErrorAtLeastOne(mn, 1.9999999999999998, 1)).toBe(false);
    expect(relativeErrorAtLeastOne(mn, -1e-300, 1e-300)).toBe(true);
    expect(relativeErrorAtLeastOne(mn, 0, 5e-324)).toBe(false);
    expect(relativeErrorAtLeastOne(mn, 0, -1)).toBe(true);
  });
});

describe('severity: wrong where assert_close would also fail, inaccurate where only the budget does', () => {
  const sev = (j: ReturnType<typeof judge>) => j.findings.map((f) => `${f.kind}@${f.index}:${f.severity}`);

  it('a −Inf-masked row is a row of values: an all-NaN answer is wrong, not a policy case', () => {
    const x = [-Infinity, 0, 1];
    for (const specials of ['report', 'strict', 'skip'] as const) {
      const j = run('softmax', 'f64', x, [NaN, NaN, NaN], { specials });
      expect(j.findings.map((f) => f.kind)).not.toContain('special');
      expect(j.findings.length).toBeGreaterThan(0);
      expect(j.findings.every((f) => f.severity === 'wrong')).toBe(true);
    }
    // the exact answer: 0 at the masked logit, the finite part judged on the finite logits
    const e1 = Math.exp(-1);
    const ok = run('softmax', 'f64', x, [0, e1 / (1 + e1), 1 / (1 + e1)]);
    expect(ok.findings).toEqual([]);
    expect(ok.budget![0]).toBe(0);
    // a nonzero output at a masked logit is an error of the value, beyond a zero budget
    const leak = run('softmax', 'f64', x, [1e-300, e1 / (1 + e1), 1 / (1 + e1)]);
    expect(sev(leak)).toEqual(['ulp@0:inaccurate']);
  });

  it('policy cases keep the special row: no severity under report, wrong under strict', () => {
    const x = [Infinity, 0];
    expect(sev(run('softmax', 'f64', x, [NaN, NaN]))).toEqual(['special@0:null', 'special@1:null']);
    expect(sev(run('softmax', 'f64', x, [NaN, NaN], { specials: 'strict' }))).toEqual([
      'special@0:wrong',
      'special@1:wrong',
    ]);
    expect(sev(run('softmax', 'f64', [-Infinity, -Infinity], [0, 0]))).toEqual([
      'special@0:null',
      'special@1:null',
    ]);
  });

  it('log(1 + s) rounded to log 1 = 0 at the dominant logit is cancellation, only inaccurate', () => {
    const x = [0, -40];
    const r = oracle('log_softmax', 'f64', x).values;
    expect(r[0]).toBeLessThan(0);
    const j = run('log_softmax', 'f64', x, [0, r[1]]);
    expect(sev(j)).toEqual(['cancellation@0:inaccurate']);
    expect(j.findings[0].diagnosis).toMatch(/log\(1 \+ s\) with 1 \+ s rounded to 1/);
    expect(j.findings[0].diagnosis).toMatch(/\(rel 1, abs 4\.2\d*e-18\)/);
    // the same at the label of the gradient (p − 1) and for cross_entropy (log1p(s) → 0)
    const g = oracle('cross_entropy_grad', 'f64', x, 0).values;
    expect(sev(run('cross_entropy_grad', 'f64', x, [0, g[1]], {}, 0))).toEqual(['cancellation@0:inaccurate']);
    expect(sev(run('cross_entropy', 'f64', x, [0], {}, 0))).toEqual([
      'cancellation@-1:inaccurate'.replace('@-1', '@0'),
    ]);
  });

  it('a vanished softmax element is underflow; a subnormal one flushed in f16 is wrong past atol 1e−5', () => {
    const r = oracle('softmax', 'f64', [0, -740]).values;
    expect(sev(run('softmax', 'f64', [0, -740], [r[0], 0]))).toEqual(['underflow@1:inaccurate']);
    const h = oracle('log_softmax', 'f16', [11, 0]).values; // −1.67e−5 at 0: subnormal in f16
    expect(sev(run('log_softmax', 'f16', [11, 0], [0, h[1]]))).toEqual(['underflow@0:wrong']);
  });

  it('a value far from the exact one is wrong; the closeness profile decides where the line is', () => {
    const x = [0, 0];
    // |0.5001 − 0.5| = 1e−4 > atol + rtol·0.5 = 1.5e−7 (f64's assert_close defaults)
    expect(sev(run('softmax', 'f64', x, [0.5001, 0.4999]))).toEqual(['ulp@0:wrong', 'ulp@1:wrong']);
    // 1e−7 ≤ 1.5e−7: close, so only beyond the budget
    expect(sev(run('softmax', 'f64', x, [0.5000001, 0.4999999]))).toEqual([
      'ulp@0:inaccurate',
      'ulp@1:inaccurate',
    ]);
    const loose = {
      close: {
        name: 'loose',
        tolerances: {
          f64: { rtol: 1e-3, atol: 0 },
          f32: { rtol: 0, atol: 0 },
          f16: { rtol: 0, atol: 0 },
          bf16: { rtol: 0, atol: 0 },
        },
      },
    };
    expect(sev(run('softmax', 'f64', x, [0.5001, 0.4999], loose))).toEqual([
      'ulp@0:inaccurate',
      'ulp@1:inaccurate',
    ]);
  });

  it('call findings are wrong; argmax is wrong only where the exact row has one largest element', () => {
    expect(run('softmax', 'f64', [1, 2], 'x').findings[0].severity).toBe('wrong');
    expect(
      run('softmax', 'f64', [1, 2], [0.5, 0.5], { inputAfter: [1, 3] }).findings.find(
        (f) => f.kind === 'mutation',
      )!.severity,
    ).toBe('wrong');
    expect(crashFinding(new Error('x')).severity).toBe('wrong');
    const r = oracle('softmax', 'f64', [0, 1e-9]).values; // two nearly equal outputs, the second larger
    const swapped = run('softmax', 'f64', [0, 1e-9], [r[1], r[0]]);
    expect(swapped.findings.find((f) => f.kind === 'argmax')?.severity).toBe('wrong');
  });

  it('nondeterminism is wrong when either answer is, else inaccurate', () => {
    const r = oracle('softmax', 'f64', [0, 0, 0]).values;
    const nudged = Array.from(r, (v, i) => (i === 0 ? v * (1 + 2 ** -52) : v));
    expect(run('softmax', 'f64', [0, 0, 0], r, { second: nudged }).findings.map((f) => f.severity)).toEqual([
      'inaccurate',
    ]);
    expect(
      run('softmax', 'f64', [0, 0, 0], r, { second: [1, 0, 0] }).findings.map((f) => f.severity),
    ).toEqual(['wrong']);
  });
});
