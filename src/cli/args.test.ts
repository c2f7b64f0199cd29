import { describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpecs } from './args.js';
import { UsageError } from './errors.js';

const FLAGS = {
  op: { type: 'string', choices: ['softmax', 'logsumexp'], default: 'softmax', help: 'op' },
  out: { type: 'string', value: 'DIR', help: 'output dir' },
  json: { type: 'boolean', help: 'json' },
  impl: { type: 'string', multiple: true, help: 'globs' },
  runs: { type: 'integer', min: 1, help: 'runs' },
  seed: { type: 'integer', help: 'seed' },
  budget: { type: 'number', min: 0, help: 'ulps' },
} as const satisfies FlagSpecs;

const parse = (argv: string[], positionals?: { min: number; max: number; name: string }) =>
  parseArgs(argv, FLAGS, { command: 'test', positionals });

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('applies defaults when nothing is given', () => {
    const { flags, positionals } = parse([]);
    expect(flags).toEqual({
      op: 'softmax',
      out: undefined,
      json: false,
      impl: [],
      runs: undefined,
      seed: undefined,
      budget: undefined,
    });
    expect(positionals).toEqual([]);
  });

  it('reads --flag value, --flag=value, booleans, repeats and numbers', () => {
    const { flags } = parse([
      '--op',
      'logsumexp',
      '--out=a=b',
      '--json',
      '--impl',
      'x/*',
      '--impl=y',
      '--runs',
      '12',
      '--seed',
      '-3',
      '--budget',
      '2.5',
    ]);
    expect(flags.op).toBe('logsumexp');
    expect(flags.out).toBe('a=b'); // only the first '=' splits
    expect(flags.json).toBe(true);
    expect(flags.impl).toEqual(['x/*', 'y']);
    expect(flags.runs).toBe(12);
    expect(flags.seed).toBe(-3);
    expect(flags.budget).toBe(2.5);
  });

  it('collects positionals anywhere and everything after --', () => {
    const { positionals } = parse(['a.js', '--json', '-', '--', '--op', 'x'], {
      min: 1,
      max: 5,
      name: 'MODULE',
    });
    expect(positionals).toEqual(['a.js', '-', '--op', 'x']);
  });

  it('rejects an unknown flag, listing the accepted ones', () => {
    const m = usageMessage(() => parse(['--fromat', 'f32']));
    expect(m).toContain('--fromat');
    expect(m).toContain('--op, --out, --json, --impl, --runs, --seed, --budget, --help');
    expect(usageMessage(() => parse(['-x']))).toContain('unknown flag -x');
    expect(usageMessage(() => parse(['--bogus=1']))).toMatch(/unknown flag --bogus;/);
  });

  it('rejects a bad choice naming the flag and the choices', () => {
    expect(usageMessage(() => parse(['--op', 'softmaxx']))).toBe(
      "bad value 'softmaxx' for --op: expected one of softmax, logsumexp",
    );
  });

  it('rejects a missing value, also when the next token is a flag', () => {
    expect(usageMessage(() => parse(['--op']))).toBe('--op needs a value: one of softmax, logsumexp');
    expect(usageMessage(() => parse(['--out', '--json']))).toContain('--out needs a value');
  });

  it('rejects bad numbers', () => {
    expect(usageMessage(() => parse(['--runs', '0']))).toBe(
      "bad value '0' for --runs: expected an integer ≥ 1",
    );
    expect(usageMessage(() => parse(['--runs', '1.5']))).toContain("bad value '1.5' for --runs");
    expect(usageMessage(() => parse(['--runs', '9007199254740993']))).toContain('--runs');
    expect(usageMessage(() => parse(['--budget=']))).toContain("bad value '' for --budget");
    expect(usageMessage(() => parse(['--budget', 'inf']))).toContain('--budget');
    expect(usageMessage(() => parse(['--budget', '-1']))).toContain('a number ≥ 0');
  });

  it('rejects a value given to a boolean and a single-valued flag given twice', () => {
    expect(usageMessage(() => parse(['--json=yes']))).toBe("--json takes no value (found 'yes')");
    expect(usageMessage(() => parse(['--op', 'softmax', '--op=logsumexp']))).toContain(
      '--op given more than once',
    );
  });

  it('enforces the number of positionals', () => {
    expect(usageMessage(() => parse(['stray']))).toBe(
      "unexpected argument 'stray': 'test' takes no arguments",
    );
    expect(usageMessage(() => parse([], { min: 1, max: 1, name: 'MODULE' }))).toBe('missing MODULE');
    expect(usageMessage(() => parse(['a', 'b'], { min: 1, max: 1, name: 'MODULE' }))).toBe(
      "unexpected extra argument 'b'",
    );
  });
});
