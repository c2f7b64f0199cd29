// Hostile input to the CLI, in-process through runCli with memory streams (a few spawned sanity
// cases at the end): random argv, random stdin for `oracle`, bad flags of the long-running
// commands, and corrupt or wrong-schema files for merge, replay, score and compare. Every
// invocation must end, with exit 0, 1 or 2; exit 2 with exactly one line on stderr; never a stack
// trace, never an "internal error".
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.js';
import { memoryIo } from '../../src/cli/_testutil/memoryIo.js';
import { formatSpec, isRepresentable } from '../../src/formats/index.js';
import { cli } from '../campaign/_cli.js';

const LIMIT_MS = 15_000;

interface Outcome {
  code: number;
  out: string;
  err: string;
}

/** Runs `logitfuzz argv` in-process with `stdin`, failing if it does not finish within LIMIT_MS. */
async function invoke(argv: readonly string[], stdin = ''): Promise<Outcome> {
  const io = memoryIo(stdin);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no exit within ${LIMIT_MS} ms: logitfuzz ${JSON.stringify(argv)}`)),
      LIMIT_MS,
    );
  });
  try {
    const code = await Promise.race([runCli(argv, io), hang]);
    return { code, out: io.stdout.text, err: io.stderr.text };
  } finally {
    clearTimeout(timer);
  }
}

const STACK = /^\s+at .+/m;

/** The CLI contract for any input (README "Exit codes"). */
function checkContract(o: Outcome, what: string): void {
  expect([0, 1, 2], what).toContain(o.code);
  expect(o.err, what).not.toMatch(STACK);
  expect(o.out, what).not.toMatch(STACK);
  expect(o.err, what).not.toMatch(/internal error/);
  if (o.code === 2) {
    expect(o.err.endsWith('\n'), `${what}: ${JSON.stringify(o.err)}`).toBe(true);
    expect(o.err.slice(0, -1).split('\n'), `${what}: ${JSON.stringify(o.err)}`).toHaveLength(1);
    expect(o.err, what).toMatch(/^logitfuzz( [a-z]+)?: \S/);
  }
}

/** Exit 2 with one line matching `message`. */
function expectInputError(o: Outcome, what: string, message: RegExp): void {
  checkContract(o, what);
  expect(o.code, `${what}: ${o.err}`).toBe(2);
  expect(o.err, what).toMatch(message);
}

// ---------------------------------------------------------------------------------------------
// random argv

// `run`, `vet`, `list` and `bench` are left out of the random commands (they start campaigns,
// probe the whole zoo or run benchmarks: valid random flags would make them run for minutes);
// their bad flags are covered one by one below. So are --exec (it runs a shell command) and
// --module (a worker process, which in-process tests cannot fork from src/).
const COMMANDS = ['replay', 'merge', 'compare', 'cases', 'score', 'oracle', 'help'];
const JUNK_COMMANDS = [
  'runn',
  'RUN',
  '',
  ' ',
  '-x',
  '--version',
  '--help',
  '-h',
  'export',
  'oracle\n',
  'mérge',
  '--op',
];
const FLAG_NAMES = [
  'op',
  'format',
  'runs',
  'time-limit',
  'seed',
  'specials',
  'budget',
  'timeout',
  'workers',
  'min-length',
  'max-length',
  'shrink-evals',
  'impl',
  'shard',
  'search',
  'resume',
  'html',
  'junit',
  'markdown',
  'json',
  'export',
  'x',
  'label',
  'tolerance',
  'allow-missing',
  'no-probes',
  'quick',
  'baseline',
  'help',
  'version',
];
const JUNK_FLAGS = [
  '--',
  '-',
  '-x',
  '--nope',
  '---op',
  '--=',
  '--op=',
  '-op',
  '--OP',
  '--h',
  '--runs=',
  '--\u00e9',
];
const VALUES = [
  'softmax',
  'log_softmax',
  'logsumexp',
  'cross_entropy',
  'cross_entropy_grad',
  'f64',
  'f32',
  'f16',
  'bf16',
  'strict',
  'report',
  'skip',
  '0',
  '1',
  '2',
  '3',
  '7',
  '64',
  '-1',
  '-0',
  '1.5',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '-Infinity',
  '',
  ' ',
  'abc',
  '9007199254740993',
  '2/4',
  '0/1',
  '3/2',
  '1/0',
  '[1,2]',
  '["inf",0]',
  '[710]',
  '[1e999]',
  '[',
  '{"x":1}',
  'null',
  'softmax/nope/f64',
  'softmax/*',
  'export',
  'results.json',
  '.',
  '/',
  '/dev/null',
  'nothere/x.json',
  'a\nb',
  '\u0000',
  'x'.repeat(5000),
  '\u{1F600}',
  'f64 ',
  'ｆ６４',
];

const token: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FLAG_NAMES).map((n) => `--${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(...JUNK_FLAGS) },
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...FLAG_NAMES), fc.constantFrom(...VALUES))
      .map(([n, v]) => `--${n}=${v}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const argvArb = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...COMMANDS) },
      { weight: 1, arbitrary: fc.constantFrom(...JUNK_COMMANDS) },
    ),
    fc.array(token, { maxLength: 8 }),
  )
  .map(([c, rest]) => [c, ...rest]);

// ---------------------------------------------------------------------------------------------
// random stdin for `oracle`

const OPS = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'] as const;
const FORMATS = ['f64', 'f32', 'f16', 'bf16'] as const;
type Op = (typeof OPS)[number];
type Fmt = (typeof FORMATS)[number];
const LABELLED: ReadonlySet<string> = new Set(['cross_entropy', 'cross_entropy_grad']);
const SCALAR: ReadonlySet<string> = new Set(['logsumexp', 'cross_entropy']);

const SAFE: readonly (number | string)[] = [0, 1, -1, 2, 0.5, -3.25, 100, -100, 'inf', '-inf', 'nan', '-0'];
const EXTREMES: Readonly<Record<Fmt, readonly number[]>> = {
  f64: [1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 709.782712893384, 0.1, -745.1332191019412],
  f32: [
    3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 88.72283935546875,
    -103.97207708399179,
  ],
  f16: [65504, -65504, 5.960464477539063e-8, 11.0859375, -17.3125],
  bf16: [3.3895313892515355e38, -3.3895313892515355e38, 9.183549615799121e-41, 88.5, -92],
};
/** Values of each format a valid line may hold (the extremes are checked, not trusted). */
const POOL: Readonly<Record<Fmt, readonly (number | string)[]>> = Object.fromEntries(
  FORMATS.map((f) => [f, [...SAFE, ...EXTREMES[f].filter((v) => isRepresentable(formatSpec(f), v))]]),
) as Record<Fmt, (number | string)[]>;

interface Line {
  readonly text: string;
  readonly kind: 'valid' | 'invalid' | 'blank';
  /** For valid lines: the op and the length of x, to check the output's shape. */
  readonly op?: Op;
  readonly n?: number;
}

const validLine = (dop: Op, dfmt: Fmt): fc.Arbitrary<Line> =>
  fc
    .record({
      op: fc.option(fc.constantFrom(...OPS), { nil: undefined }),
      format: fc.option(fc.constantFrom(...FORMATS), { nil: undefined }),
      arrayForm: fc.boolean(),
      picks: fc.array(fc.nat(), { maxLength: 6 }),
      label: fc.nat(),
      id: fc.option(fc.integer(), { nil: undefined }),
      labelForUnlabelled: fc.constantFrom<unknown>(undefined, 7, -1, 'junk', null, 1.5),
    })
    .map((r): Line => {
      const op = r.op ?? dop;
      const pool = POOL[r.format ?? dfmt];
      let x = r.picks.map((i) => pool[i % pool.length]);
      const labelled = LABELLED.has(op);
      if (labelled && x.length === 0) x = [1];
      if (r.arrayForm && r.op === undefined && r.format === undefined && !labelled)
        return { text: JSON.stringify(x), kind: 'valid', op, n: x.length };
      const obj: Record<string, unknown> = { x };
      if (r.op !== undefined) obj.op = r.op;
      if (r.format !== undefined) obj.format = r.format;
      if (labelled) obj.label = r.label % x.length;
      else if (r.labelForUnlabelled !== undefined) obj.label = r.labelForUnlabelled; // ignored by ops without a label
      if (r.id !== undefined) obj.id = r.id;
      return { text: JSON.stringify(obj), kind: 'valid', op, n: x.length };
    });

const MALFORMED = [
  '[1,2',
  '{',
  'nan',
  'NaN',
  '[1,]',
  "['a']",
  '[0x10]',
  '[1e400',
  'Infinity',
  '[+1]',
  '[.5]',
  '[01]',
  '{"x":[1]',
  '[1] [2]',
  '"',
  '\u0000',
  '[1]]',
  'undefined',
  '[-]',
];
const WRONG_TYPES = [
  'null',
  '1',
  '"softmax"',
  'true',
  '{}',
  '{"x":"1,2"}',
  '{"x":{"0":1}}',
  '[[1]]',
  '[null]',
  '[true]',
  '["1"]',
  '["Infinity"]',
  '["NaN"]',
  '["+inf"]',
  '[{}]',
  '{"x":null}',
  '{"x":[1],"op":3}',
  '{"x":[1],"format":null}',
  '{"x":[1],"op":"SOFTMAX"}',
  '{"x":[1],"format":"fp32"}',
  '{"x":[1],"fromat":"f32"}',
  '{"X":[1]}',
  '{"x":[1],"extra":1}',
  '{"x":[1],"op":"__proto__"}',
  '{"__proto__":{"x":[1]}}',
];
const UNREPRESENTABLE = [
  '{"format":"f32","x":[0.1]}',
  '{"format":"f16","x":[65520]}',
  '{"format":"bf16","x":[1.001]}',
  '{"format":"f16","x":[1e-9]}',
  '{"x":[1e400]}',
  '{"x":[-1e400, 0]}',
  '{"format":"f32","x":[1e39]}',
  '{"format":"bf16","x":[0, 3.4e38]}',
  '{"format":"f32","x":[1, 2, 1e-46]}',
];
const BAD_LABELS = [
  '{"op":"cross_entropy","x":[1,2],"label":2}',
  '{"op":"cross_entropy","x":[1,2],"label":-1}',
  '{"op":"cross_entropy","x":[1,2],"label":1.5}',
  '{"op":"cross_entropy","x":[1,2],"label":"0"}',
  '{"op":"cross_entropy_grad","x":[1,2],"label":null}',
  '{"op":"cross_entropy_grad","x":[1,2]}',
  '{"op":"cross_entropy_grad","x":[1,2],"label":1e300}',
  '{"op":"cross_entropy","x":[1],"label":true}',
  '{"op":"cross_entropy_grad","x":[],"label":0}',
  '{"op":"cross_entropy","x":[]}',
];
// long lines, all invalid (a long *valid* line would only time the oracle)
const HUGE = [
  '[' + '1,'.repeat(200_000),
  '["' + 'a'.repeat(1_000_000) + '"]',
  '[' + new Array(50_000).fill('1e400').join(',') + ']',
  '{"x":[1],"' + 'k'.repeat(100_000) + '":1}',
  '{"x":[' + new Array(100_000).fill('0').join(',') + '],"format":"f16","op":"cross_entropy","label":100000}',
  '['.repeat(10_000) + ']'.repeat(10_000),
];

const invalidLine = (dop: Op): fc.Arbitrary<Line> =>
  fc
    .oneof(
      fc.constantFrom(...MALFORMED, ...WRONG_TYPES, ...UNREPRESENTABLE, ...BAD_LABELS),
      fc.constantFrom(...HUGE),
      // a bare array is a request of the default op: invalid when that op needs a label
      ...(LABELLED.has(dop) ? [fc.constant('[1, 2]')] : []),
    )
    .map((text): Line => ({ text, kind: 'invalid' }));

const blankLine: fc.Arbitrary<Line> = fc
  .constantFrom('', '   ', '\t')
  .map((text): Line => ({ text, kind: 'blank' }));

const stdinArb = fc
  .record({
    op: fc.option(fc.constantFrom(...OPS), { nil: undefined }),
    format: fc.option(fc.constantFrom(...FORMATS), { nil: undefined }),
    eol: fc.constantFrom('\n', '\r\n'),
    finalEol: fc.boolean(),
  })
  .chain((d) => {
    const dop: Op = d.op ?? 'softmax';
    const dfmt: Fmt = d.format ?? 'f64';
    const line = fc.oneof(
      { weight: 6, arbitrary: validLine(dop, dfmt) },
      { weight: 1, arbitrary: invalidLine(dop) },
      { weight: 1, arbitrary: blankLine },
    );
    return fc.record({ d: fc.constant(d), lines: fc.array(line, { maxLength: 12 }) });
  });

// ---------------------------------------------------------------------------------------------

describe('hostile input to the CLI', () => {
  const home = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'lf-hostile-'));
  // relative paths in random argv resolve in an empty folder: nothing to read, nothing written in the checkout
  beforeAll(() => process.chdir(mkdtempSync(join(dir, 'cwd-'))));
  afterAll(() => process.chdir(home));

  it('random argv: every invocation ends with 0, 1 or 2, one line on stderr for 2, no stack trace', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argvArb, async (argv) => {
        const o = await invoke(argv);
        checkContract(o, JSON.stringify(argv));
        seen.set(o.code, (seen.get(o.code) ?? 0) + 1);
      }),
      { seed: 20261128, numRuns: 200 },
    );
    // the generator reaches both outcomes, not only usage errors
    expect(seen.get(2)).toBeGreaterThan(50);
    expect(seen.get(0)).toBeGreaterThan(5);
  }, 60_000);

  it('random oracle stdin: the lines before the first bad one are answered, then exit 2 naming its line', async () => {
    let errors = 0;
    let clean = 0;
    await fc.assert(
      fc.asyncProperty(stdinArb, async ({ d, lines }) => {
        const argv = [
          'oracle',
          ...(d.op ? ['--op', d.op] : []),
          ...(d.format ? [`--format=${d.format}`] : []),
        ];
        const stdin = lines.map((l) => l.text).join(d.eol) + (d.finalEol ? d.eol : '');
        const o = await invoke(argv, stdin);
        const what = `${JSON.stringify(argv)} ${JSON.stringify(stdin.slice(0, 400))}`;
        checkContract(o, what);
        const firstBad = lines.findIndex((l) => l.kind === 'invalid');
        const answered = (firstBad < 0 ? lines : lines.slice(0, firstBad)).filter((l) => l.kind === 'valid');
        const outLines = o.out === '' ? [] : o.out.slice(0, -1).split('\n');
        expect(outLines, what).toHaveLength(answered.length);
        outLines.forEach((text, i) => {
          const y = (JSON.parse(text) as { y: unknown }).y;
          const l = answered[i];
          if (SCALAR.has(l.op!)) expect(Array.isArray(y), `${what}: ${text}`).toBe(false);
          else expect((y as unknown[]).length, `${what}: ${text}`).toBe(l.n);
        });
        if (firstBad < 0) {
          expect(o.code, `${what}: ${o.err}`).toBe(0);
          clean++;
        } else {
          expect(o.code, what).toBe(2);
          expect(o.err, what).toMatch(new RegExp(`^logitfuzz oracle: line ${firstBad + 1}: `));
          errors++;
        }
      }),
      { seed: 7, numRuns: 150 },
    );
    expect(errors).toBeGreaterThan(30);
    expect(clean).toBeGreaterThan(30);
  }, 60_000);

  describe('bad flags of the commands left out of the random argv (they fail before starting anything)', () => {
    const cases: [string[], RegExp][] = [
      [['run', '--runs', '0'], /bad value '0' for --runs: expected an integer ≥ 1/],
      [['run', '--runs', '-1'], /--runs/],
      [['run', '--runs', '1.5'], /--runs/],
      [['run', '--runs', '1e9999'], /--runs/],
      [['run', '--runs', '5', '--time-limit', '1'], /--runs or --time-limit, not both/],
      [['run', '--time-limit', '0'], /--time-limit/],
      [['run', '--shard', '3/2'], /--shard 3\/2/],
      [['run', '--shard', '0/1'], /--shard/],
      [['run', '--shard', 'half'], /--shard must look like I\/N/],
      [['run', '--workers', '0'], /--workers/],
      [['run', '--workers', '65'], /--workers/],
      [['run', '--timeout', '0'], /--timeout/],
      [['run', '--min-length', '9', '--max-length', '2'], /--min-length 9 is above --max-length 2/],
      [['run', '--impl', 'no-such-impl*'], /no implementation matches/],
      [['run', '--op', 'softmax', '--format', 'f8'], /bad value 'f8' for --format/],
      [['run', '--resume=yes'], /--resume takes no value/],
      [['run', '--out'], /--out needs a value/],
      [['run', '--search', '-1'], /--search/],
      [['run', 'extra'], /unexpected argument 'extra'/],
      [['vet'], /vet needs a MODULE path or --exec CMD/],
      [['vet', 'a.mjs', '--exec', 'true'], /not both/],
      [['vet', 'nothere.mjs'], /module not found: \S*nothere\.mjs/],
      [['vet', 'nothere.mjs', '--runs', '0'], /--runs/],
      [['vet', 'nothere.mjs', '--op', 'softmax2'], /bad value 'softmax2' for --op/],
      [['vet', 'a.mjs', 'b.mjs'], /unexpected extra argument 'b.mjs'/],
      [['vet', '--exec'], /--exec needs a value/],
      [['vet', 'a.mjs', '--runs', '5', '--time-limit', '1'], /--runs or --time-limit, not both/],
      [['list', '--impl', 'no-such-impl*'], /no implementation matches --impl no-such-impl\*/],
      [['list', '--timeout', '0'], /--timeout/],
      [['list', '--json=1'], /--json takes no value/],
      [['list', 'all'], /unexpected argument 'all'/],
      [['bench', '--seed', '-1'], /--seed/],
      [['bench', '--seed', '4294967296'], /--seed/],
      [['bench', '--quick=yes'], /--quick takes no value/],
      [['bench', 'now'], /unexpected argument 'now'/],
    ];
    for (const [argv, message] of cases) {
      it(`logitfuzz ${argv.join(' ')}`, async () => {
        expectInputError(await invoke(argv), argv.join(' '), message);
      });
    }
  });

  describe('corrupt or wrong-schema files for merge, replay, compare and score', () => {
    const good = fileURLToPath(new URL('../fixtures/report-run.json', import.meta.url));
    const files = join(dir, 'files');
    const record = JSON.parse(readFileSync(good, 'utf8')) as Record<string, unknown> & {
      implementations: Record<string, unknown>[];
    };
    const corrupt = (edit: (r: typeof record) => void): string => {
      const r = structuredClone(record);
      edit(r);
      return JSON.stringify(r);
    };
    const firstCex = (r: typeof record) =>
      Object.values(r.implementations[0].counterexamples as Record<string, Record<string, unknown>>)[0];
    const BAD_RECORDS: [string, string | Buffer, RegExp][] = [
      ['truncated.json', readFileSync(good, 'utf8').slice(0, 500), /is not valid JSON/],
      ['empty.json', '', /is not valid JSON/],
      [
        'binary.json',
        Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256)),
        /is not valid JSON/,
      ],
      ['null.json', 'null', /not a logitfuzz run record \(the JSON is not an object\)/],
      ['array.json', '[1,2,3]', /not a logitfuzz run record/],
      [
        'vet.json',
        JSON.stringify({ schema: 'logitfuzz/vet@1', verdict: 'pass', findings: [] }),
        /'vet --json' verdict/,
      ],
      [
        'cases.jsonl',
        `${JSON.stringify({ schema: 'logitfuzz/cases@1', key: 'k' })}\n{"id":0}\n`,
        /cases stream/,
      ],
      [
        'other-schema.json',
        JSON.stringify({ ...record, schema: 'logitfuzz/run@9' }),
        /of schema "logitfuzz\/run@9"/,
      ],
      ['bare.json', JSON.stringify({ schema: 'logitfuzz/run@1' }), /seed should be a number/],
      ['no-config.json', corrupt((r) => delete r.config), /config should be an object/],
      [
        'impls-null.json',
        corrupt((r) => (r.implementations = null as unknown as [])),
        /implementations should be an array/,
      ],
      [
        'impl-name.json',
        corrupt((r) => (r.implementations[0].name = 1)),
        /implementations\[0\]\.name should be a string/,
      ],
      [
        'histogram.json',
        corrupt((r) => ((r.implementations[0].ulp as Record<string, unknown>).histogram = 'x')),
        /implementations\[0\]\.ulp\.histogram/,
      ],
      [
        'cex-input.json',
        corrupt((r) => (firstCex(r).input = [{}])),
        /counterexamples\.\w+\.input should be an array of numbers/,
      ],
      [
        'cex-null.json',
        corrupt((r) => ((r.implementations[0].counterexamples as Record<string, unknown>).overflow = null)),
        /counterexamples\.overflow should be an object/,
      ],
    ];
    beforeAll(() => {
      mkdirSync(join(files, 'empty-dir'), { recursive: true });
      for (const [name, content] of BAD_RECORDS) writeFileSync(join(files, name), content);
    });

    for (const [name, , message] of BAD_RECORDS) {
      it(`${name}: merge, replay and compare (as BASE and as HEAD) exit 2 naming the file and the problem`, async () => {
        const f = join(files, name);
        const runs: [string, string[]][] = [
          ['merge', ['merge', join(files, `merged-${name}`), f]],
          ['merge (second shard)', ['merge', join(files, `merged2-${name}`), good, f]],
          ['replay', ['replay', f]],
          ['compare BASE', ['compare', f, good]],
          ['compare HEAD', ['compare', good, f]],
        ];
        for (const [what, argv] of runs) {
          const o = await invoke(argv);
          expectInputError(o, `${what} ${name}`, message);
          expect(o.err, what).toContain(f);
        }
      });
    }

    it('a missing file or a folder without results.json: exit 2 naming it', async () => {
      for (const p of [join(files, 'nothere.json'), join(files, 'empty-dir')]) {
        for (const argv of [
          ['merge', join(files, 'm'), p],
          ['replay', p],
          ['compare', good, p],
          ['compare', p, good],
        ]) {
          expectInputError(await invoke(argv), argv.join(' '), /cannot read|no such file|EISDIR|ENOENT/);
        }
      }
    });

    const CASES_OK = '{"id":0,"op":"softmax","format":"f64","x":[1,2]}\n';
    const BAD_CASES: [string, string, RegExp][] = [
      ['empty', '', /holds no cases/],
      ['not-json', '{"id":0,"op":', /line 1 is not JSON/],
      ['array-line', '[1,2]\n', /line 1 is not a JSON object/],
      ['run-record', JSON.stringify(record), /case 1: "op" must be one of/],
      ['pretty-json', JSON.stringify(record, null, 1), /line 1 is not JSON/],
      ['bad-op', '{"id":0,"op":"sofmax","format":"f64","x":[1]}\n', /case 1: "op" must be one of/],
      ['bad-format', '{"id":0,"op":"softmax","format":"fp8","x":[1]}\n', /case 1: "format" must be/],
      [
        'mixed',
        `${CASES_OK}{"id":1,"op":"softmax","format":"f32","x":[1]}\n`,
        /case 2: every case must have the same op and format/,
      ],
      ['x-string', '{"id":0,"op":"softmax","format":"f64","x":"1,2"}\n', /case 1: "x" /],
      [
        'x-huge',
        '{"id":0,"op":"softmax","format":"f64","x":[1e999]}\n',
        /case 1: logit 0 is too large for binary64/,
      ],
      [
        'unrepresentable',
        '{"id":0,"op":"softmax","format":"f16","x":[0.1]}\n',
        /case 1: logit 0 \(0\.1\) is not representable in f16/,
      ],
      [
        'label',
        '{"id":0,"op":"cross_entropy","format":"f64","x":[1,2],"label":2}\n',
        /case 1: cross_entropy needs "label", an integer in \[0, 2\)/,
      ],
      [
        'no-label',
        '{"id":0,"op":"cross_entropy_grad","format":"f64","x":[1,2]}\n',
        /case 1: cross_entropy_grad needs "label"/,
      ],
    ];
    for (const [name, content, message] of BAD_CASES) {
      it(`score with a corrupt CASES file (${name}): exit 2`, async () => {
        const c = join(files, `cases-${name}.jsonl`);
        const out = join(files, `outputs-for-${name}.jsonl`);
        writeFileSync(c, content);
        writeFileSync(out, '{"id":0,"y":[0.5,0.5]}\n');
        expectInputError(await invoke(['score', c, out]), `score ${name}`, message);
      });
    }

    it('score with a corrupt OUTPUTS file, or missing files: exit 2', async () => {
      const c = join(files, 'cases-ok.jsonl');
      writeFileSync(c, CASES_OK);
      for (const [name, content, message] of [
        ['not-json', '{"id":0,"y":[0.5', /line 1 is not JSON/],
        ['array-line', '[0.5,0.5]\n', /line 1 is not a JSON object/],
        ['binary', '\u0000\u0001\u00ff', /line 1 is not JSON/],
      ] as const) {
        const out = join(files, `outputs-${name}.jsonl`);
        writeFileSync(out, content);
        expectInputError(await invoke(['score', c, out]), `score outputs ${name}`, message);
      }
      expectInputError(
        await invoke(['score', c, join(files, 'nothere.jsonl')]),
        'missing outputs',
        /cannot read .*nothere\.jsonl/,
      );
      expectInputError(
        await invoke(['score', join(files, 'nothere.jsonl'), c]),
        'missing cases',
        /cannot read .*nothere\.jsonl/,
      );
      expectInputError(
        await invoke(['score', c, join(files, 'empty-dir')]),
        'outputs is a folder',
        /cannot read .*empty-dir/,
      );
    });
  });

  describe('spawned sanity cases (the real bin, real process streams)', () => {
    it('oracle: a bad line after good ones; a huge malformed line; an unknown command', () => {
      const a = cli(['oracle', '--format', 'f32'], { input: '[0, 1]\n\n{"x":[0.1]}\n[2]\n' });
      expect(a.status).toBe(2);
      // softmax([0, 1]) = [1/(1+e), 1/(1+1/e)], each rounded to the nearest f32 (neither is near a tie)
      expect(a.stdout).toBe(
        `${JSON.stringify({ y: [Math.fround(1 / (1 + Math.E)), Math.fround(1 / (1 + 1 / Math.E))] })}\n`,
      );
      expect(a.stderr).toMatch(
        /^logitfuzz oracle: line 3: x\[0\] = 0\.1 is not representable in f32[^\n]*\n$/,
      );
      const b = cli(['oracle'], { input: `[${'1,'.repeat(500_000)}\n` });
      expect(b.status).toBe(2);
      expect(b.stderr).toMatch(/^logitfuzz oracle: line 1: malformed JSON[^\n]*\n$/);
      const c = cli(['frobnicate', '--runs', '1']);
      expect(c.status).toBe(2);
      expect(c.stderr).toMatch(/^logitfuzz: unknown command 'frobnicate'[^\n]*\n$/);
      for (const r of [a, b, c]) expect(r.stderr).not.toMatch(STACK);
    });

    it('score with valid cases and nonsense outputs is a verdict (exit 1), not an error', () => {
      const files = join(dir, 'spawned');
      mkdirSync(files, { recursive: true });
      writeFileSync(
        join(files, 'cases.jsonl'),
        '{"id":0,"op":"softmax","format":"f64","x":[1,2]}\n{"id":1,"op":"softmax","format":"f64","x":[0]}\n',
      );
      writeFileSync(join(files, 'out.jsonl'), '{"id":0,"y":"abc"}\n{"id":1,"y":[1,2,3]}\n');
      const r = cli([
        'score',
        join(files, 'cases.jsonl'),
        join(files, 'out.jsonl'),
        '--json',
        join(files, 'v.json'),
      ]);
      expect(r.status, r.stderr).toBe(1);
      const v = JSON.parse(readFileSync(join(files, 'v.json'), 'utf8')) as {
        verdict: string;
        stats: { findingCounts: Record<string, number> };
      };
      expect(v.verdict).toBe('fail');
      expect(v.stats.findingCounts).toEqual({ shape: 2 });
    });

    it('merge of a corrupt shard: exit 2 from the bin too', () => {
      const f = join(dir, 'spawned-bad.json');
      writeFileSync(f, JSON.stringify({ schema: 'logitfuzz/run@1' }));
      const r = cli(['merge', join(dir, 'spawned-merged'), f]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^logitfuzz merge: .*seed should be a number[^\n]*\n$/);
    });
  });
});
