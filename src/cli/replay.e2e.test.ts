import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The built bin, as `npx logitfuzz` runs it (npm test builds before vitest runs).
const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const env = { ...process.env, CI: '1', NO_COLOR: '1', LOGITFUZZ_DEBUG: '' };

function bin(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs a recorded replay command line as a shell would, with `npx logitfuzz` as the built bin. */
function shell(command: string) {
  expect(command).toMatch(/^npx logitfuzz replay /);
  const line = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}${command.slice('npx logitfuzz'.length)}`;
  const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'lf-replay-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('replay --x @FILE', () => {
  it('reads a JSON array of logits, and prints a long one elided', () => {
    const zeros = file('zeros.json', JSON.stringify(new Array(4096).fill(0)) + '\n');
    const r = bin(['replay', '--impl', 'softmax/naive/f16', '--x', `@${zeros}`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^softmax\/naive\/f16 on \[0 ×4096\]\n/);
    expect(r.out).toMatch(/^ {2}sum: /m);
  });

  it('reads one JSON line {"x": […], "label": K}, in the oracle encoding', () => {
    const line = file('case.json', JSON.stringify({ x: [1000, 0, '-inf'], label: 1 }) + '\n');
    const r = bin(['replay', '--impl', 'cross_entropy/naive/f64', '--x', `@${line}`]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^cross_entropy\/naive\/f64 on \[1000,0,"-inf"\] label 1\n/);
    expect(r.code).toBe(1); // exp(1000) overflows
    // the same label given again is fine
    expect(bin(['replay', '--impl', 'cross_entropy/naive/f64', '--x', `@${line}`, '--label', '1']).code).toBe(
      1,
    );
  });

  it('keeps --x JSON inline', () => {
    const r = bin(['replay', '--impl', 'softmax/naive/f64', '--x', '[710, 0]']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/overflow/);
  });

  const bad: [string, string[], RegExp][] = [
    [
      'a missing file',
      ['--x', `@${join(dir, 'nope.json')}`],
      /cannot read --x @.*nope\.json: .*give a file that holds a JSON array of logits/,
    ],
    ['no file name', ['--x', '@'], /--x @FILE needs a file name after '@'/],
    [
      'a file that is not JSON',
      ['--x', `@${file('bad.json', '[1, 2')}`],
      /bad\.json is not JSON .*: it must hold a JSON array of logits, e\.g\. \[710, 0\], or one JSON line \{"x": \[710, 0\], "label": 0\}/,
    ],
    ['several JSON lines', ['--x', `@${file('two.jsonl', '[1]\n[2]\n')}`], /two\.jsonl is not JSON/],
    [
      'an object without x',
      ['--x', `@${file('nox.json', '{"logits":[1]}')}`],
      /nox\.json holds an object without "x": it must hold/,
    ],
    [
      'a bad label',
      ['--x', `@${file('lab.json', '{"x":[1,2],"label":-1}')}`],
      /lab\.json has "label" the number -1, not an integer ≥ 0/,
    ],
    [
      'a non-number',
      ['--x', `@${file('str.json', '[1, "big"]')}`],
      /str\.json is not an array of numbers \(.*"big".*\)/,
    ],
    [
      'a number too large',
      ['--x', `@${file('huge.json', '[1e999]')}`],
      /huge\.json element 0 is too large for binary64; write "inf" or "-inf"/,
    ],
    [
      'a label that disagrees',
      ['--x', `@${file('l1.json', '{"x":[1,2],"label":1}')}`, '--label', '0'],
      /--label 0 differs from the label 1 in .*l1\.json: give it once/,
    ],
  ];
  for (const [what, args, message] of bad)
    it(`exits 2 naming the problem and the fix for ${what}`, () => {
      const r = bin(['replay', '--impl', 'cross_entropy/naive/f64', ...args]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
});

describe('replay --from results.json --impl NAME --kind KIND', () => {
  const out = join(dir, 'run');
  const results = join(out, 'results.json');
  let counterexamples: Record<string, { input: unknown[]; replay: string }>;
  beforeAll(() => {
    const r = bin([
      'run',
      '--impl',
      'softmax/naive/f16',
      '--runs',
      '1',
      '--seed',
      '7',
      '--shrink-evals',
      '0',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const record = JSON.parse(readFileSync(results, 'utf8')) as {
      implementations: { counterexamples: typeof counterexamples }[];
    };
    counterexamples = record.implementations[0].counterexamples;
  });

  it('is the replay command run records for inputs over 64 logits, and it reproduces the finding', () => {
    const long = Object.entries(counterexamples).filter(([, c]) => c.input.length > 64);
    expect(long.length).toBeGreaterThan(0);
    for (const [kind, c] of long) {
      expect(c.replay).toBe(`npx logitfuzz replay --from ${results} --impl softmax/naive/f16 --kind ${kind}`);
      const r = shell(c.replay);
      expect(r.err).toBe('');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^softmax\/naive\/f16 on \[0 ×4096\]\n/);
      expect(r.out).toMatch(new RegExp(`^  ${kind}( at \\d+)?: `, 'm'));
    }
  });

  it('leaves short inputs inline, and those commands reproduce too', () => {
    const short = Object.entries(counterexamples).filter(([, c]) => c.input.length <= 64);
    expect(short.length).toBeGreaterThan(0);
    for (const [kind, c] of short) {
      expect(c.replay).toMatch(/ --x '\[/);
      const r = shell(c.replay);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(new RegExp(`^  ${kind}( at \\d+)?: `, 'm'));
    }
  });

  it('regenerates a counterexample the record keeps whole (no input) from its case id and config.caseSpace', () => {
    const record = JSON.parse(readFileSync(results, 'utf8')) as {
      config: Record<string, unknown>;
      implementations: { counterexamples: Record<string, Record<string, unknown>> }[];
    };
    const cxs = record.implementations[0].counterexamples;
    const [kind, c] = Object.entries(cxs).find(
      ([, v]) => (v.caseId as number) >= 0 && (v.originalShape as number[])[0] === 1 && v.original,
    )!;
    const direct = shell(`npx logitfuzz replay --from ${results} --impl softmax/naive/f16 --kind ${kind}`);
    // as a campaign records a whole long case: no input, no values
    delete c.input;
    c.expected = [];
    c.actual = null;
    const whole = file('whole.json', JSON.stringify(record));
    const r = bin(['replay', '--from', whole, '--impl', 'softmax/naive/f16', '--kind', kind]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    // the regenerated case is the input as first found, and the replay says the same
    expect(r.out).toBe(direct.out);
    expect((c.original as unknown[]).length).toBe((c.originalShape as number[])[1]);
    // without the case space there is nothing to regenerate from: a record error naming the field
    record.config.caseSpace = null;
    const bare = file('bare.json', JSON.stringify(record));
    const e = bin(['replay', '--from', bare, '--impl', 'softmax/naive/f16', '--kind', kind]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/caseId.*config\.caseSpace/);
  });

  const bad: [string, () => string[], RegExp][] = [
    [
      'no --kind',
      () => ['--from', results, '--impl', 'softmax/naive/f16'],
      /--from .* needs --impl NAME and --kind KIND/,
    ],
    [
      'a kind not stored',
      () => ['--from', results, '--impl', 'softmax/naive/f16', '--kind', 'mutation'],
      /stores no mutation counterexample for softmax\/naive\/f16; its kinds: .*sum.* \(give one as --kind\)/,
    ],
    [
      'an implementation not in the record',
      () => ['--from', results, '--impl', 'softmax/naive/f32', '--kind', 'sum'],
      /has no implementation named 'softmax\/naive\/f32' \(it has softmax\/naive\/f16\)/,
    ],
    [
      'an unknown implementation',
      () => ['--from', results, '--impl', 'softmax/nope/f16', '--kind', 'sum'],
      /no built-in implementation named 'softmax\/nope\/f16'; run 'logitfuzz list'/,
    ],
    [
      '--x as well',
      () => ['--from', results, '--impl', 'softmax/naive/f16', '--kind', 'sum', '--x', '[0]'],
      /--from takes the input from the record: drop --x/,
    ],
    [
      '--label as well',
      () => ['--from', results, '--impl', 'softmax/naive/f16', '--kind', 'sum', '--label', '0'],
      /--from takes the label from the record: drop --label/,
    ],
    [
      '--module instead of --impl',
      () => ['--from', results, '--module', 'm.mjs', '--kind', 'sum'],
      /--from replays a built-in implementation .*use --x @FILE/,
    ],
    [
      '--kind without --from',
      () => ['--impl', 'softmax/naive/f16', '--kind', 'sum', '--x', '[0]'],
      /--kind goes with --from FILE/,
    ],
    [
      'a RESULTS file as well',
      () => [results, '--from', results, '--impl', 'softmax/naive/f16', '--kind', 'sum'],
      /give a RESULTS file .* or --from FILE --impl NAME --kind KIND \(one\), not both/,
    ],
    [
      'a file that is not a run record',
      () => ['--from', join(out, 'cases.jsonl'), '--impl', 'softmax/naive/f16', '--kind', 'sum'],
      /cases\.jsonl is a cases stream .*give the results\.json beside it/,
    ],
    [
      'a missing file',
      () => ['--from', join(dir, 'none.json'), '--impl', 'softmax/naive/f16', '--kind', 'sum'],
      /cannot read .*none\.json/,
    ],
  ];
  for (const [what, args, message] of bad)
    it(`exits 2 naming the problem and the fix for ${what}`, () => {
      const r = bin(['replay', ...args()]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
});
