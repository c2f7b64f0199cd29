import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';
import { memoryIo } from './_testutil/memoryIo.js';

describe('logitfuzz bench', () => {
  it('runs the oracle benchmark quickly and prints its table', async () => {
    const io = memoryIo();
    const code = await runCli(['bench', '--quick', '--seed', '7'], io);
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);
    const out = io.stdout.text;
    expect(out.endsWith('\n')).toBe(true);
    // one row per format and length, and the seed passed through
    for (const f of ['f64', 'f32'])
      for (const n of [16, 256, 4096]) expect(out).toMatch(new RegExp(`^${f}\\s+${n}\\s`, 'm'));
    expect(out).toContain('seed 7');
  });

  it('rejects a bad flag', async () => {
    const io = memoryIo();
    expect(await runCli(['bench', '--seed', 'x'], io)).toBe(2);
    expect(io.stderr.text).toMatch(
      /^logitfuzz bench: bad value 'x' for --seed: expected an integer from 0 to 4294967295/,
    );
  });
});
