import { readFileSync } from 'node:fs';

/** sysconf(_SC_CLK_TCK) on Linux: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) of this process's waited-for children and of the descendants they
 * waited for, from /proc/self/stat; null where /proc is missing (not Linux). The difference
 * across a `spawnSync` is what that child and its own reaped children (a campaign's worker
 * processes, a command's threads) cost, on every core together, to 10 ms.
 */
export function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name (which may hold spaces) start at field 3; cutime, cstime are 16, 17
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[16 - 3]) + Number(f[17 - 3]);
    return ticks / CLOCK_TICKS;
  } catch {
    return null;
  }
}
