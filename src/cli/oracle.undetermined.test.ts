import { describe, expect, it, vi } from 'vitest';
import { runCli } from './runCli.js';
import { memoryIo } from './_testutil/memoryIo.js';

// The real oracle has decided every case the project has met, so an undecided element is
// simulated: logits starting with 42 come back with element 1 undetermined.
vi.mock('../oracle/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../oracle/index.js')>();
  return {
    ...real,
    oracle: (...args: Parameters<typeof real.oracle>) => {
      const r = real.oracle(...args);
      return args[2][0] === 42 ? { values: r.values, undetermined: [1] } : r;
    },
  };
});

describe('logitfuzz oracle, undetermined elements', () => {
  it('marks the line with "undetermined" and ends with a warning naming the lines', async () => {
    const io = memoryIo('[0, 0]\n[42, 42]\n\n[42, 42, 42]\n');
    const code = await runCli(['oracle'], io);
    expect(code).toBe(0);
    expect(io.stdout.text).toBe(
      '{"y":[0.5,0.5]}\n{"y":[0.5,0.5],"undetermined":[1]}\n' +
        `{"y":[${1 / 3},${1 / 3},${1 / 3}],"undetermined":[1]}\n`,
    );
    expect(io.stderr.text.trimEnd().split('\n')).toHaveLength(1);
    expect(io.stderr.text).toMatch(/^logitfuzz oracle: warning: 2 line\(s\) .*not decided \(lines 2, 4\)/);
  });

  it('scalar ops carry it too', async () => {
    const io = memoryIo('[42, 0]\n');
    expect(await runCli(['oracle', '--op', 'logsumexp'], io)).toBe(0);
    expect(JSON.parse(io.stdout.text)).toMatchObject({ undetermined: [1] });
    expect(io.stderr.text).toContain('warning');
  });
});
