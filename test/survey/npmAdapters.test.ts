// The npm side of the library survey: the adapters in survey/adapters/ call the libraries' own
// softmax-family functions (survey/package.json, installed in survey/node_modules from its
// lockfile). Each adapter is called directly here on inputs whose true answers are known exactly,
// and what each library really returns is pinned — right or wrong — against that true answer, so
// that a library upgrade or an adapter change that alters the behaviour shows up. The versions
// each adapter reports must be the installed ones, and those the ones survey/package.json names.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Row = Float64Array | Float32Array;
type VectorOp = (x: Row, label?: number) => ArrayLike<number>;
type ScalarOp = (x: Row, label: number) => number;
interface Adapter {
  versions: Record<string, string>;
  softmax?: VectorOp;
  log_softmax?: VectorOp;
  logsumexp?: unknown;
  cross_entropy?: ScalarOp;
  cross_entropy_grad?: VectorOp;
}

const SURVEY = fileURLToPath(new URL('../../survey/', import.meta.url));
const FIX = 'npm ci --prefix survey --ignore-scripts';

/** The package each adapter wraps. */
const ADAPTERS = {
  transformers3: '@huggingface/transformers',
  'xenova-transformers2': '@xenova/transformers',
  brainjs: 'brain.js',
  convnetjs: 'convnetjs',
} as const;
type AdapterName = keyof typeof ADAPTERS;

function installedPackageJson(pkg: string): { version: string } {
  const file = `${SURVEY}node_modules/${pkg}/package.json`;
  if (!existsSync(file)) {
    throw new Error(
      `${pkg} is not installed in survey/node_modules: run \`${FIX}\` in the repository root ` +
        '(the survey libraries are a package of their own, with a lockfile)',
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as { version: string };
}

const loaded = new Map<AdapterName, Promise<Adapter>>();

/** The adapter module; fails (not skips) naming the install command when its library is missing. */
function load(name: AdapterName): Promise<Adapter> {
  let adapter = loaded.get(name);
  if (adapter === undefined) {
    installedPackageJson(ADAPTERS[name]);
    adapter = import(new URL(`../../survey/adapters/${name}.mjs`, import.meta.url).href) as Promise<Adapter>;
    loaded.set(name, adapter);
  }
  return adapter;
}

async function op<K extends 'softmax' | 'log_softmax' | 'cross_entropy' | 'cross_entropy_grad'>(
  name: AdapterName,
  key: K,
): Promise<NonNullable<Adapter[K]>> {
  const fn = (await load(name))[key];
  if (typeof fn !== 'function') throw new Error(`survey/adapters/${name}.mjs exports no ${key}`);
  return fn as NonNullable<Adapter[K]>;
}

/** Distance in binary64 ULPs between two finite numbers of the same sign. */
function ulps(a: number, b: number): number {
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = bits[0] - bits[1];
  return Number(d < 0n ? -d : d);
}

const f64 = (...v: number[]) => new Float64Array(v);
const f32 = (...v: number[]) => new Float32Array(v);
const values = (y: ArrayLike<number>) => Array.from(y);

describe('survey npm adapters: installation and versions', () => {
  it.each(Object.entries(ADAPTERS) as [AdapterName, string][])(
    '%s reports the installed %s, the version survey/package.json pins',
    async (name, pkg) => {
      const installed = installedPackageJson(pkg).version;
      const manifest = JSON.parse(readFileSync(`${SURVEY}package.json`, 'utf8')) as {
        dependencies: Record<string, string>;
      };
      expect(manifest.dependencies[pkg]).toBe(installed);
      expect((await load(name)).versions).toEqual({ [pkg]: installed });
    },
  );

  it('each adapter exports exactly the ops its library has', async () => {
    const ops = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'] as const;
    const exported = async (name: AdapterName) => {
      const adapter = await load(name);
      return ops.filter((k) => typeof adapter[k] === 'function');
    };
    expect(await exported('transformers3')).toEqual(['softmax', 'log_softmax']);
    expect(await exported('xenova-transformers2')).toEqual(['softmax', 'log_softmax']);
    // brain.js's loss is −log2 p (bits), not cross_entropy; only its gradient is exported
    expect(await exported('brainjs')).toEqual(['softmax', 'cross_entropy_grad']);
    expect(await exported('convnetjs')).toEqual(['softmax', 'cross_entropy', 'cross_entropy_grad']);
  });
});

describe('survey npm adapters: softmax', () => {
  // brain.js stores in Float32Array whatever it is given, so it is called with f32 logits
  const cases: [AdapterName, (...v: number[]) => Row][] = [
    ['transformers3', f64],
    ['xenova-transformers2', f64],
    ['brainjs', f32],
    ['convnetjs', f64],
  ];

  it.each(cases)('%s: softmax([0, 0]) is [0.5, 0.5]', async (name, row) => {
    expect(values((await op(name, 'softmax'))(row(0, 0)))).toEqual([0.5, 0.5]);
  });

  it.each(cases)(
    '%s: softmax([1000, 0]) is the true [1, 0] (max-shifted: no overflow)',
    async (name, row) => {
      // exact: e^−1000 ≈ 5.1e−435 is below half the smallest subnormal, so p_1 rounds to 0, p_0 to 1
      expect(values((await op(name, 'softmax'))(row(1000, 0)))).toEqual([1, 0]);
    },
  );

  it('the precision each library computes in shows in the array it answers with', async () => {
    expect((await op('transformers3', 'softmax'))(f32(1, 2))).toBeInstanceOf(Float32Array);
    expect((await op('transformers3', 'softmax'))(f64(1, 2))).toBeInstanceOf(Float64Array);
    expect((await op('xenova-transformers2', 'softmax'))(f32(1, 2))).toBeInstanceOf(Float32Array);
    // brain.js's Matrix is Float32Array even for binary64 input; convnetjs's Vol always Float64Array
    expect((await op('brainjs', 'softmax'))(f64(1, 2))).toBeInstanceOf(Float32Array);
    expect((await op('convnetjs', 'softmax'))(f32(1, 2))).toBeInstanceOf(Float64Array);
    // [1, 2] in binary64: p_0 = 1/(1 + e) = 0.2689414213699951; binary32 storage rounds it
    expect((await op('convnetjs', 'softmax'))(f64(1, 2))[0]).toBe(0.2689414213699951);
    expect((await op('brainjs', 'softmax'))(f32(1, 2))[0]).toBe(Math.fround(0.2689414213699951));
  });

  it('brain.js: softmax([-1e7, -1e7]) is NaN where the true answer is [0.5, 0.5] (its max starts at -999999)', async () => {
    const y = values((await op('brainjs', 'softmax'))(f32(-1e7, -1e7)));
    const truth = [0.5, 0.5];
    expect(y).not.toEqual(truth);
    expect(y).toEqual([NaN, NaN]);
    // the other libraries shift by the row's own max
    for (const name of ['transformers3', 'xenova-transformers2', 'convnetjs'] as const) {
      expect(values((await op(name, 'softmax'))(f64(-1e7, -1e7)))).toEqual(truth);
    }
  });
});

describe('survey npm adapters: log_softmax', () => {
  it.each(['transformers3', 'xenova-transformers2'] as const)(
    '%s: log_softmax([0, 0]) is -ln 2 within 1 ulp',
    async (name) => {
      const y = (await op(name, 'log_softmax'))(f64(0, 0));
      expect(y).toHaveLength(2);
      for (const v of values(y)) expect(ulps(v, -Math.LN2)).toBeLessThanOrEqual(1);
    },
  );

  it('log_softmax([1000, 0]): the true answer is [0, -1000]; transformers v3 gets it, v2 returns -Infinity at element 1', async () => {
    const truth = [0, -1000];
    expect(values((await op('transformers3', 'log_softmax'))(f64(1000, 0)))).toEqual(truth);
    // v2 takes the log of the probabilities, and p_1 = e^−1000 underflows to 0
    const v2 = values((await op('xenova-transformers2', 'log_softmax'))(f64(1000, 0)));
    expect(v2).not.toEqual(truth);
    expect(v2).toEqual([0, -Infinity]);
  });
});

describe('survey npm adapters: cross-entropy', () => {
  it('convnetjs: cross_entropy([0, 0], 0) is ln 2 within 1 ulp; the gradient is [-0.5, 0.5]', async () => {
    expect(ulps((await op('convnetjs', 'cross_entropy'))(f64(0, 0), 0), Math.LN2)).toBeLessThanOrEqual(1);
    expect(values((await op('convnetjs', 'cross_entropy_grad'))(f64(0, 0), 0))).toEqual([-0.5, 0.5]);
  });

  it('convnetjs: cross_entropy([1000, 0], 1) is Infinity where the true loss is 1000 (−log of an underflowed p)', async () => {
    // true: LSE − x_1 = 1000 + log1p(e^−1000) − 0, which rounds to 1000
    const loss = (await op('convnetjs', 'cross_entropy'))(f64(1000, 0), 1);
    expect(loss).not.toBe(1000);
    expect(loss).toBe(Infinity);
    // its gradient there is right: p − onehot(1) = [1, −1] to within rounding
    expect(values((await op('convnetjs', 'cross_entropy_grad'))(f64(1000, 0), 1))).toEqual([1, -1]);
  });

  it('brain.js: cross_entropy_grad([0, 0], 0) is [-0.5, 0.5], in a Float32Array', async () => {
    const g = (await op('brainjs', 'cross_entropy_grad'))(f32(0, 0), 0);
    expect(g).toBeInstanceOf(Float32Array);
    expect(values(g)).toEqual([-0.5, 0.5]);
  });

  it('brain.js: cross_entropy_grad([0, -20], 0) is 0 at the label where the true value is -e^-20/(1 + e^-20)', async () => {
    // p_0 = 1/(1 + e^−20) rounds to 1 in binary32, so p_0 − 1 cancels to 0
    const g = values((await op('brainjs', 'cross_entropy_grad'))(f32(0, -20), 0));
    const truth0 = -Math.exp(-20) / (1 + Math.exp(-20));
    expect(g[0]).not.toBe(Math.fround(truth0));
    expect(g[0]).toBe(0);
    expect(g[1]).toBe(Math.fround(-truth0)); // the other element is right
  });
});
