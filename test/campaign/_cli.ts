import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built bin (npm test builds before vitest runs). */
const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export function cli(
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
}

export function cliAsync(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
  });
}

/** A results.json without the fields that may differ between identical runs (timing, environment, command). */
export function stable(file: string): unknown {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    implementations: Record<string, unknown>[];
  };
  delete r.timing;
  delete r.command;
  delete r.environment;
  for (const i of r.implementations) delete i.timing;
  // a replay command for a long or batched counterexample names the results.json it sits in
  // (`replay --from DIR/results.json`): runs written to different folders differ only there
  return JSON.parse(
    JSON.stringify(r)
      .split(JSON.stringify(dirname(file)).slice(1, -1))
      .join('<out>'),
  ) as unknown;
}
