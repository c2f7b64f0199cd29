/**
 * What a user sees on stderr from the commands they run most (issue: "warnings a user sees on
 * every command"): no npm config warnings, none of Dawn's warnings, while the implementations
 * that print them stay available. Runs the built bin (npm test builds before vitest runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Lines that must never reach a user's stderr unasked: npm's config warnings, Dawn's. */
const NOISE = /Unknown (project|env|user|global) config|Vulkan|maxDynamic|Warning:/;

/** The environment without LOGITFUZZ_DEBUG and without the npm_config_* an `npm test` run passes down. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== 'LOGITFUZZ_DEBUG') env[k] = v;
  return { ...env, ...extra };
}

function bin(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Row {
  name: string;
  available: boolean;
  reason?: string;
}

describe('quiet commands', () => {
  const out = mkdtempSync(join(tmpdir(), 'logitfuzz-quiet-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('`list` prints nothing on stderr, and the tfjs, onnxruntime and WebGPU implementations are available', () => {
    const r = bin(['list', '--json']);
    expect(r.err, 'stderr of logitfuzz list').toBe('');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { implementations: Row[] }).implementations;
    const row = (name: string): Row => {
      const found = rows.find((x) => x.name === name);
      if (!found) throw new Error(`${name} is not listed`);
      return found;
    };
    for (const name of [
      'softmax/tfjs-cpu/f32',
      'softmax/tfjs-wasm/f32',
      'softmax/onnxruntime-node/f32',
      'log_softmax/onnxruntime-web/f32',
    ])
      expect(row(name), `${name}: ${row(name).reason}`).toMatchObject({ available: true });
    const gpu = row('softmax/webgpu/f32');
    if (
      !gpu.available &&
      /no WebGPU adapter/.test(gpu.reason ?? '') &&
      process.env.LOGITFUZZ_REQUIRE_WEBGPU !== '1'
    ) {
      console.warn(`[quiet commands] WebGPU availability not checked: ${gpu.reason}`);
      return;
    }
    for (const name of ['softmax/webgpu/f32', 'logsumexp/webgpu/f32', 'softmax/tfjs-webgpu/f32'])
      expect(row(name), `${name}: ${row(name).reason}`).toMatchObject({ available: true });
  });

  it('`list` with LOGITFUZZ_DEBUG=1 shows what the probes printed, each line naming its probe', () => {
    const r = bin(['list', '--json', '--impl', 'softmax/webgpu/*'], cleanEnv({ LOGITFUZZ_DEBUG: '1' }));
    expect(r.code).toBe(0);
    const lines = r.err.split('\n').filter((l) => l !== '');
    for (const line of lines) expect(line).toMatch(/^\[softmax\/webgpu\/f(32|16)\] /);
    // Dawn's OpenGL ES backend (CI's llvmpipe; the f16 rows name the backend) always warns that
    // it reduced the dynamic-buffer limits when it creates a device
    const f16 = (JSON.parse(r.out) as { implementations: Row[] }).implementations.find(
      (x) => x.name === 'softmax/webgpu/f16',
    );
    if (/\(opengles backend\)/.test(f16?.reason ?? ''))
      expect(
        lines.some((l) => /maxDynamic/.test(l)),
        r.err,
      ).toBe(true);
  });

  it('`run` prints its progress line and nothing else on stderr, WebGPU and tfjs included', () => {
    const r = bin([
      'run',
      '--impl',
      'softmax/*/f64,softmax/webgpu/f32,softmax/tfjs-cpu/f32',
      '--runs',
      '5',
      '--seed',
      '1',
      '--out',
      out,
    ]);
    expect(r.code, r.out + r.err).not.toBe(2);
    const lines = r.err.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => NOISE.test(l))).toEqual([]);
    expect(lines.filter((l) => !/^logitfuzz: seed 1, /.test(l))).toEqual([]);
  });

  it("npm reads no unknown config from the repository's .npmrc (npx logitfuzz … stays quiet)", () => {
    // only this checkout's project config: empty user and global config files, no npm_config_*
    const [user, global] = [join(out, 'user-npmrc'), join(out, 'global-npmrc')];
    writeFileSync(user, '');
    writeFileSync(global, '');
    const r = spawnSync('npx', ['--no-install', 'logitfuzz', '--version'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: cleanEnv({
        NPM_CONFIG_USERCONFIG: user,
        NPM_CONFIG_GLOBALCONFIG: global,
        NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      }),
      shell: process.platform === 'win32',
      // npx starts npm, which is slow on a loaded CI machine (the main job runs beside this)
      timeout: 240_000,
    });
    const why = `status ${String(r.status)}, signal ${String(r.signal)}, error ${String(r.error)}, stderr:\n${r.stderr}`;
    expect(
      r.stderr.split('\n').filter((l) => /npm warn|Unknown .*config/i.test(l)),
      why,
    ).toEqual([]);
    expect(r.stdout, why).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  }, 300_000);
});
