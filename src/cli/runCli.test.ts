import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';
import { InputError, UsageError } from './errors.js';
import { runCli } from './runCli.js';
import { memoryIo } from './_testutil/memoryIo.js';
import { readFileSync } from 'node:fs';

const fake = (name: string, run: Command['run']): Command => ({
  name,
  summary: `${name} summary`,
  help: `help of ${name}\n`,
  run,
});

const commands: readonly Command[] = [
  fake('ok', async (argv, io) => {
    io.stdout.write(`args ${argv.join(' ')}\n`);
    return 0;
  }),
  fake('verdict', async () => 1),
  fake('usage', async () => {
    throw new UsageError('bad value for --x');
  }),
  fake('input', async () => {
    throw new InputError('line 3: broken\nover two lines');
  }),
  fake('boom', async () => {
    throw new Error('kaboom', { cause: new RangeError('root cause') });
  }),
];

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo('', env);
  const code = await runCli(argv, io, commands);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

describe('runCli', () => {
  it('runs a command with its arguments and returns its exit code', async () => {
    expect(await cli(['ok', 'a', '--b'])).toEqual({ code: 0, out: 'args a --b\n', err: '' });
    expect((await cli(['verdict'])).code).toBe(1);
  });

  it('prints the global help for --help, -h and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Usage: logitfuzz <command>');
      expect(r.out).toMatch(/ok\s+ok summary/);
      expect(r.out).toMatch(/boom\s+boom summary/);
      expect(r.err).toBe('');
    }
  });

  it("prints a command's help for `help CMD`, `CMD --help` and `CMD -h`, without running it", async () => {
    for (const argv of [
      ['help', 'boom'],
      ['boom', '--help'],
      ['boom', 'x', '-h'],
    ]) {
      expect(await cli(argv)).toEqual({ code: 0, out: 'help of boom\n', err: '' });
    }
    // after --, --help is an argument
    expect((await cli(['ok', '--', '--help'])).out).toBe('args -- --help\n');
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await cli(['--version'])).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  it('lists the known commands for an unknown one, and for none', async () => {
    for (const argv of [['nope'], ['help', 'nope'], []]) {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain('ok, verdict, usage, input, boom');
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    }
    expect((await cli(['--bogus'])).code).toBe(2);
  });

  it('turns usage and input errors into one line and exit 2', async () => {
    const u = await cli(['usage']);
    expect(u).toEqual({
      code: 2,
      out: '',
      err: "logitfuzz usage: bad value for --x (see 'logitfuzz usage --help')\n",
    });
    const i = await cli(['input']);
    expect(i).toEqual({ code: 2, out: '', err: 'logitfuzz input: line 3: broken over two lines\n' });
  });

  it('turns an internal error into one line without a stack, suggesting LOGITFUZZ_DEBUG', async () => {
    const r = await cli(['boom']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('logitfuzz boom: internal error: kaboom (set LOGITFUZZ_DEBUG=1 to see the stack)\n');
  });

  it('prints the stack and its causes under LOGITFUZZ_DEBUG=1', async () => {
    const r = await cli(['boom'], { LOGITFUZZ_DEBUG: '1' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Error: kaboom');
    expect(r.err).toContain('Caused by:');
    expect(r.err).toContain('RangeError: root cause');
    expect(r.err).toMatch(/\n\s+at /);
  });

  it('registers the real commands, each with a summary and help', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['oracle', 'list', 'bench']));
    expect(new Set(names).size).toBe(names.length);
    for (const c of COMMANDS) {
      expect(c.summary.length).toBeGreaterThan(0);
      expect(c.help).toContain(`Usage: logitfuzz ${c.name}`);
      expect(c.help).toContain('--help');
    }
  });
});
