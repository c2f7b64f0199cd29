/**
 * Known answers for the oracle, each with the derivation of its expected value.
 *
 * Sources used below:
 * - [MPFR]: exact decimal expansions printed by MPFR (gmp-wasm) through test/mpfr/reference.ts,
 *   recomputed in the test where cited (e^-700 also agrees with V8's Math.exp(−700) =
 *   9.85967654375977e-305 and e^-745 with the issue's "≈ 2.82e-324").
 * - [LN2]: ln 2 = 0.693147180559945309417232121458176568075500134360255254120680009493393621969694…
 *   (OEIS A002162).
 * - [DESIGN]: the special-values policy and format semantics: docs/design.md, "Special values" and
 * docs/design.md, "Format semantics".
 * - Grids: binary64 has 53 significand bits, binary32 24, binary16 11 (min subnormal 2^-24, max
 *   65504 with ULP 32), bfloat16 8; a value in [2^e, 2^(e+1)) has ULP 2^(e−p+1).
 */
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { FORMATS, exactDecimal } from '../src/formats/index.js';
import { FORMAT_NAMES, type FormatName } from '../src/vocabulary/FormatName.js';
import { oracle } from '../src/oracle/index.js';
import { OPS, needsLabel, type Op } from '../src/vocabulary/Op.js';
import { getMpfrReference, type MpfrReference } from './mpfr/reference.js';

let ref: MpfrReference;
beforeAll(async () => {
  ref = await getMpfrReference();
});

const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN });
const LN2 = new D('0.693147180559945309417232121458176568075500134360255254120680009493393621969694');

/** The oracle's values, asserting that nothing is undetermined. */
function run(op: Op, format: FormatName, x: number[], label?: number): number[] {
  const r = oracle(op, format, x, label);
  expect(r.undetermined, `${op}/${format} [${x}]`).toEqual([]);
  return Array.from(r.values);
}

/** Element-wise Object.is, except that NaN equals NaN; ±0 must agree in sign. */
function expectSame(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = (got[i] !== got[i] && want[i] !== want[i]) || Object.is(got[i], want[i]);
    expect(
      ok,
      `${what}[${i}]: got ${Object.is(got[i], -0) ? '-0' : got[i]}, want ${Object.is(want[i], -0) ? '-0' : want[i]}`,
    ).toBe(true);
  }
}

describe("the issue's example: softmax([0, −700, −745, −1000]) in f64", () => {
  const x = [0, -700, -745, -1000];
  // S = 1 + e^-700 + e^-745 + e^-1000 = 1 + 9.86e-305…, so softmax_i = e^(x_i)·(1 − 9.86e-305…):
  // - element 0: 1/S = 1 − 9.86e-305, far within half an ULP (2^-54) of 1 → 1;
  // - element 1: e^-700/S. [MPFR] e^-700 = 9.859676543759770856705373e-305; the relative
  //   perturbation 1e-304 cannot move it across a rounding boundary of binary64 (it is not that
  //   close to one: the digits after the 17th are not …5000…), so the result is RN(e^-700) =
  //   9.85967654375977e-305, a *normal* number (≥ 2^-1022 ≈ 2.2250738585072014e-308);
  // - element 2: [MPFR] e^-745 = 2.822350730471937e-324, between 2^-1075 ≈ 2.4703e-324 (half the
  //   least subnormal) and 2^-1074 ≈ 4.9407e-324, nearer the latter → 5e-324 (= 2^-1074);
  // - element 3: e^-1000 = 5.076e-435 < 2^-1075 → +0.
  const want = [1, 9.85967654375977e-305, 5e-324, 0];

  test('the oracle gives [1, 9.85967654375977e-305 (normal), 5e-324, +0]', () => {
    expectSame(run('softmax', 'f64', x), want, 'softmax');
    expect(9.85967654375977e-305).toBeGreaterThanOrEqual(2 ** -1022);
    expect(5e-324).toBe(2 ** -1074);
  });

  test('the derivation, checked with MPFR', () => {
    expect(ref.decimal('softmax', 'f64', x, undefined, 1, 25)).toBe('9.859676543759770856705373e-305');
    expect(ref.decimal('softmax', 'f64', x, undefined, 2, 16)).toBe('2.822350730471937e-324');
    expect(ref.decimal('softmax', 'f64', x, undefined, 3, 4)).toBe('5.076e-435');
    // e^-745 against the two candidates 0 and 2^-1074: above their midpoint 2^-1075
    const e745 = new D('2.822350730471937e-324');
    const halfSub = new D(2).pow(-1075);
    expect(e745.gt(halfSub)).toBe(true);
    expect(e745.lt(new D(2).pow(-1074))).toBe(true);
    // RN(e^-700) straight from MPFR's exp
    expect(ref.expInFormat('f64', -700)).toBe(9.85967654375977e-305);
    expectSame(Array.from(ref.evaluate('softmax', 'f64', x).values), want, 'MPFR softmax');
  });
});

describe('exact and tie results', () => {
  const samples: Record<FormatName, number[]> = {
    f64: [0, -0, 1, -2.5, 700, -1000, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324],
    f32: [0, -0, 1, -2.5, 88.5, -1000, 3.4028234663852886e38, -3.4028234663852886e38, 2 ** -149],
    f16: [0, -0, 1, -2.5, 11, -1000, 65504, -65504, 2 ** -24],
    bf16: [0, -0, 1, -2.5, 88.5, -1000, 3.3895313892515355e38, -3.3895313892515355e38, 2 ** -133],
  };

  test('softmax of one logit is exactly 1; log_softmax and cross_entropy are +0, logsumexp the logit', () => {
    // e^x / e^x = 1 exactly; x − LSE = x − x = 0 (an exact zero is +0); LSE([x]) = x
    for (const format of FORMAT_NAMES) {
      for (const v of samples[format]) {
        expectSame(run('softmax', format, [v]), [1], `softmax/${format} [${v}]`);
        expectSame(run('log_softmax', format, [v]), [0], `log_softmax/${format} [${v}]`);
        expectSame(run('logsumexp', format, [v]), [v === 0 ? 0 : v], `logsumexp/${format} [${v}]`);
        expectSame(run('cross_entropy', format, [v], 0), [0], `cross_entropy/${format} [${v}]`);
        expectSame(run('cross_entropy_grad', format, [v], 0), [0], `cross_entropy_grad/${format} [${v}]`);
      }
    }
  });

  test('ties: [a, a] → 0.5 each, [a, a, a, a] → 0.25 each, gradient [−0.5, 0.5]', () => {
    // e^a / (2·e^a) = 1/2 exactly, whatever a (even ±maxFinite: the shift makes it exact)
    for (const format of FORMAT_NAMES) {
      for (const a of samples[format]) {
        expectSame(run('softmax', format, [a, a]), [0.5, 0.5], `softmax/${format} [${a}, ${a}]`);
        expectSame(
          run('softmax', format, [a, a, a, a]),
          [0.25, 0.25, 0.25, 0.25],
          `softmax/${format} 4×${a}`,
        );
        expectSame(
          run('cross_entropy_grad', format, [a, a], 0),
          [-0.5, 0.5],
          `cross_entropy_grad/${format} [${a}, ${a}]`,
        );
      }
    }
  });

  // RN(ln 2) in each format, from [LN2] and the grids: binary64 0x3FE62E42FEFA39EF; binary32
  // 0x3F317218 = 0.693147182464599609375 (ULP 2^-24: off by 1.9e-9 < 3.0e-8); binary16 0x398C =
  // 0.693359375 (ULP 2^-11: off by 2.1e-4 < 2.4e-4); bfloat16 0x3F31 = 0.69140625 (ULP 2^-8:
  // off by 1.7e-3 < 1.95e-3)
  const ln2: Record<FormatName, number> = {
    f64: 0.6931471805599453,
    f32: 0.693147182464599609375,
    f16: 0.693359375,
    bf16: 0.69140625,
  };
  // RN(1/3): binary64 0x3FD5555555555555; binary32 0x3EAAAAAB; binary16 0x3555; bfloat16 0x3EAB
  const third: Record<FormatName, number> = {
    f64: 0.3333333333333333,
    f32: 0.3333333432674408,
    f16: 0.333251953125,
    bf16: 0.333984375,
  };

  test('log_softmax([0, 0]) = −RN(ln 2), logsumexp([0, 0]) = cross_entropy([0, 0], 1) = RN(ln 2), softmax([0,0,0]) = RN(1/3)', () => {
    for (const format of FORMAT_NAMES) {
      // nearest: within half an ULP (ULP in [1/2, 1) is 2^-p = epsilon/2)
      expect(Math.abs(new D(ln2[format]).sub(LN2).toNumber())).toBeLessThan(FORMATS[format].epsilon / 4);
      expectSame(run('log_softmax', format, [0, 0]), [-ln2[format], -ln2[format]], `log_softmax/${format}`);
      expectSame(run('logsumexp', format, [0, 0]), [ln2[format]], `logsumexp/${format}`);
      expectSame(run('cross_entropy', format, [0, 0], 1), [ln2[format]], `cross_entropy/${format}`);
      expectSame(
        run('softmax', format, [0, 0, 0]),
        [third[format], third[format], third[format]],
        `softmax/${format}`,
      );
    }
  });
});

describe('signs of zero, tiny terms and cancellation', () => {
  test('log_softmax([0, −1000]) in f64 is [−0, −1000]', () => {
    // element 0: −log1p(e^-1000) ≈ −5.08e-435, a nonzero negative number below half the least
    // subnormal: it rounds to zero and keeps its sign [DESIGN]; element 1: −1000 − 5e-435 → −1000
    expectSame(run('log_softmax', 'f64', [0, -1000]), [-0, -1000], 'log_softmax');
  });

  test('cross_entropy_grad([0, −800], 0) = [−0, +0]: −e^-800/(1+e^-800) and +e^-800/(1+e^-800) both round to zero', () => {
    expectSame(run('cross_entropy_grad', 'f64', [0, -800], 0), [-0, 0], 'cross_entropy_grad');
  });

  test('a midpoint decided by a term too small for any precision: log_softmax([1, −2^53]) in f64', () => {
    // x_1 − x_0 = −2^53 − 1 lies exactly halfway between −2^53 and −2^53 − 2 (the binary64
    // spacing there is 2); the exact result is that minus log1p(e^(−2^53 − 1)) > 0, so it rounds
    // away from the midpoint to −2^53 − 2 — ties-to-even would give −2^53
    expectSame(run('log_softmax', 'f64', [1, -(2 ** 53)]), [-0, -(2 ** 53) - 2], 'log_softmax');
    expectSame(run('cross_entropy', 'f64', [1, -(2 ** 53)], 1), [2 ** 53 + 2], 'cross_entropy');
    // the same in f32 (spacing 2 at 2^24)
    expectSame(run('log_softmax', 'f32', [1, -(2 ** 24)]), [-0, -(2 ** 24) - 2], 'log_softmax f32');
  });

  test('logsumexp cancellation: logsumexp([c, c]) with c = −RN(ln 2) is ln 2 − RN(ln 2)', () => {
    // c + ln 2 with c = −RN(ln 2): [LN2] − 0.69314718055994528622676398299518041312694549560546875
    // = 2.3190468138462996154948554638…e-17 in binary64; and for binary32,
    // [LN2] − 0.693147182464599609375 = −1.9046542999577678785…e-9
    const d64 = LN2.sub(exactDecimal(0.6931471805599453));
    const d32 = LN2.sub(exactDecimal(0.693147182464599609375));
    expect(d64.toSignificantDigits(20).toString()).toBe('2.3190468138462996155e-17');
    expect(d32.toSignificantDigits(20).toString()).toBe('-1.9046542999577678785e-9');
    // RN into the format: binary64 from the 40-digit value (its rounding is far from a tie);
    // binary32 is RN of that binary64 value — no double-rounding issue, because the binary64
    // value is 2^-29 ULP of binary32 away from the exact one while the nearest binary32
    // midpoint is much farther (checked by MPFR, which rounds directly)
    const want64 = Number(d64.toSignificantDigits(40).toString());
    const want32 = Math.fround(Number(d32.toSignificantDigits(40).toString()));
    expect(want64).toBe(2.3190468138462996e-17);
    expect(want32).toBe(-1.9046542121259336e-9);
    expectSame(
      run('logsumexp', 'f64', [-0.6931471805599453, -0.6931471805599453]),
      [want64],
      'logsumexp f64',
    );
    expectSame(
      run('logsumexp', 'f32', [-0.693147182464599609375, -0.693147182464599609375]),
      [want32],
      'logsumexp f32',
    );
    expectSame(
      Array.from(
        ref.evaluate('logsumexp', 'f32', [-0.693147182464599609375, -0.693147182464599609375]).values,
      ),
      [want32],
      'MPFR f32',
    );
  });
});

describe('overflow of the results', () => {
  test('f16: x_0 − x_1 = 65520 is the overflow threshold 65504 + 32/2, and the log1p term pushes past it', () => {
    // cross_entropy([32752, −32768], 1) = 65520 + log1p(e^-65520) > 65520 → +Inf;
    // log_softmax element 1 = −65520 − log1p(…) → −Inf; element 0 = −log1p(e^-65520) → −0
    expectSame(run('cross_entropy', 'f16', [32752, -32768], 1), [Infinity], 'cross_entropy');
    expectSame(run('log_softmax', 'f16', [32752, -32768]), [-0, -Infinity], 'log_softmax');
    // one step less: 65504 + log1p(e^-65504) → 65504
    expectSame(run('cross_entropy', 'f16', [32752, -32752], 1), [65504], 'cross_entropy below');
  });

  test('f64: x_0 − x_1 = 2^1024 − 2^970 (maxFinite + half its ULP) overflows; softmax([−max, max]) = [+0, 1]', () => {
    expectSame(
      run('cross_entropy', 'f64', [2 ** 1023 - 2 ** 970, -(2 ** 1023)], 1),
      [Infinity],
      'cross_entropy',
    );
    const M = 1.7976931348623157e308;
    expectSame(run('softmax', 'f64', [-M, M]), [0, 1], 'softmax');
    expectSame(run('log_softmax', 'f64', [-M, M]), [-Infinity, -0], 'log_softmax');
    // logsumexp([M, M]) = M + ln 2, far below M + ULP(M)/2 = M + 2^970 → M
    expectSame(run('logsumexp', 'f64', [M, M]), [M], 'logsumexp');
  });
});

describe('empty input [DESIGN]', () => {
  test('softmax and log_softmax return [], logsumexp −Inf', () => {
    for (const format of FORMAT_NAMES) {
      expectSame(run('softmax', format, []), [], 'softmax');
      expectSame(run('log_softmax', format, []), [], 'log_softmax');
      expectSame(run('logsumexp', format, []), [-Infinity], 'logsumexp');
    }
  });
});

describe('special values [DESIGN]', () => {
  const labelFor = (op: Op) => (needsLabel(op) ? 0 : undefined);

  test('a NaN anywhere makes every output NaN', () => {
    for (const format of FORMAT_NAMES) {
      for (const op of OPS) {
        for (const x of [[NaN], [0, NaN, 1], [NaN, Infinity, -Infinity]]) {
          const got = run(op, format, x, labelFor(op));
          expect(got.length, `${op}/${format}`).toBe(
            op === 'logsumexp' || op === 'cross_entropy' ? 1 : x.length,
          );
          for (const v of got) expect(v, `${op}/${format} [${x}]`).toBeNaN();
        }
      }
    }
  });

  test('+Inf logits: the limit (1/k each at +Inf, 0 elsewhere)', () => {
    for (const format of FORMAT_NAMES) {
      expectSame(run('softmax', format, [Infinity, 0]), [1, 0], `softmax/${format} [inf, 0]`);
      expectSame(run('softmax', format, [Infinity, Infinity]), [0.5, 0.5], `softmax/${format} [inf, inf]`);
      expectSame(
        run('softmax', format, [Infinity, -3, Infinity, 7]),
        [0.5, 0, 0.5, 0],
        `softmax/${format} [inf, -3, inf, 7]`,
      );
      expectSame(run('logsumexp', format, [Infinity, 0]), [Infinity], `logsumexp/${format}`);
      // log_softmax: −ln k at the +Inf entries, −Inf elsewhere
      expectSame(
        run('log_softmax', format, [Infinity, Infinity, 0]),
        [-ln2Of(format), -ln2Of(format), -Infinity],
        `log_softmax/${format}`,
      );
      const one = run('log_softmax', format, [Infinity, 0]);
      expect(one[0] === 0, `log_softmax/${format} [inf, 0][0] = −ln 1 = 0`).toBe(true);
      expect(one[1]).toBe(-Infinity);
    }
  });

  test('−Inf logits contribute e^-Inf = 0; all −Inf: softmax NaN, logsumexp −Inf', () => {
    for (const format of FORMAT_NAMES) {
      expectSame(run('softmax', format, [-Infinity, 0]), [0, 1], `softmax/${format}`);
      expectSame(run('logsumexp', format, [-Infinity, 0]), [0], `logsumexp/${format}`);
      expectSame(run('log_softmax', format, [-Infinity, 0]), [-Infinity, 0], `log_softmax/${format}`);
      expectSame(run('softmax', format, [-Infinity, -Infinity]), [NaN, NaN], `softmax/${format} all −inf`);
      expectSame(
        run('log_softmax', format, [-Infinity, -Infinity]),
        [NaN, NaN],
        `log_softmax/${format} all −inf`,
      );
      expectSame(
        run('logsumexp', format, [-Infinity, -Infinity]),
        [-Infinity],
        `logsumexp/${format} all −inf`,
      );
    }
  });
});

function ln2Of(format: FormatName): number {
  return { f64: 0.6931471805599453, f32: 0.693147182464599609375, f16: 0.693359375, bf16: 0.69140625 }[
    format
  ];
}
