import { CampaignError } from '../campaign/CampaignError.js';
import type { CampaignOptions, Progress } from '../campaign/options.js';
import { runCampaign } from '../campaign/runCampaign.js';
import type { RunRecord } from '../report/schema.js';
import { InputError } from './errors.js';
import { write, type Io } from './io.js';

/**
 * One line of progress for a terminal: cases done of the total, elapsed time, the estimated time
 * left, and the implementations with the worst error so far (the line is cut to the width).
 */
export function progressLine(p: Progress, width: number): string {
  const secs = p.elapsedMs / 1000;
  const eta =
    p.total && p.done > 0 ? ` · ETA ${Math.max(0, (secs / p.done) * (p.total - p.done)).toFixed(0)} s` : '';
  const worst = Object.entries(p.worst)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([name, u]) => `${name} ${u === Infinity ? '∞' : u >= 1e6 ? u.toExponential(1) : String(u)}`)
    .join(', ');
  const line = `  cases ${p.done}${p.total ? `/${p.total}` : ''} · ${secs.toFixed(1)} s${eta}${worst ? ` · worst ulps: ${worst}` : ''}`;
  return (line.length > width - 1 ? line.slice(0, width - 2) + '…' : line).padEnd(width - 1);
}

/** Runs a campaign with console progress; configuration errors become exit-2 errors. */
export async function campaign(io: Io, options: CampaignOptions): Promise<RunRecord> {
  // animated only on a terminal, never under CI (NO_COLOR needs nothing: the line has no colour)
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true && !io.env.CI;
  await write(
    io.stderr,
    `logitfuzz: seed ${options.seed}, ${options.meta.length} implementation(s), ${options.workers} worker(s)\n`,
  );
  let last = 0;
  try {
    return await runCampaign({
      ...options,
      onProgress: (p) => {
        const now = Date.now();
        if (!tty || now - last < 200) return;
        last = now;
        io.stderr.write(`\r${progressLine(p, (io.stderr as { columns?: number }).columns ?? 100)}`);
      },
    });
  } catch (e) {
    if (e instanceof CampaignError) throw new InputError(e.message);
    throw e;
  } finally {
    if (tty) io.stderr.write('\n');
  }
}
