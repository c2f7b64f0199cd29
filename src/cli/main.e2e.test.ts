import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built bin, as `npx logitfuzz` runs it (npm test builds before vitest runs).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

function bin(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, LOGITFUZZ_DEBUG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the logitfuzz bin (dist/src/cli/main.js)', () => {
  it('is built', () => {
    expect(existsSync(BIN), `${BIN} is missing: run 'npm run build' first`).toBe(true);
  });

  it('answers the README example', () => {
    const r = bin(['oracle', '--format', 'f64'], '[0, -700, -745, -1000]\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\{"y":\[1,9\.8\d*e-305,5e-324,0\]\}\n$/);
  });

  it('prints help and the version', () => {
    const h = bin(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('oracle');
    expect(bin(['oracle', '--help']).out).toContain('Usage: logitfuzz oracle');
    expect(bin(['--version']).out).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('exits 2 with one line and no stack trace on bad input and bad usage', () => {
    for (const [args, input] of [
      [['oracle', '--format', 'f32'], '[0.1]\n'],
      [['oracle', '--bogus'], ''],
      [['frobnicate'], ''],
    ] as const) {
      const r = bin([...args], input);
      expect(r.code).toBe(2);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\bat .*:\d+:\d+/);
    }
  });

  it('streams 200k lines in and 200k lines out', async () => {
    const N = 200_000;
    const child = spawn(process.execPath, [BIN, 'oracle'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    async function* input() {
      for (let c = 0; c < N / 1000; c++)
        yield Array.from({ length: 1000 }, (_, k) => `[${(c + k) % 5}]\n`).join('');
    }
    Readable.from(input()).pipe(child.stdin);
    let lines = 0;
    let other = 0;
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        if (p === '{"y":[1]}') lines++;
        else other++;
      }
    });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(other).toBe(0);
    expect(rest).toBe('');
    expect(lines).toBe(N);
  });

  it('stops quietly when its reader goes away', async () => {
    const child = spawn(process.execPath, [BIN, 'oracle'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {}); // the child may be gone before we finish writing
    child.stdin.end('[0]\n'.repeat(100_000));
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
