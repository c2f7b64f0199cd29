#!/usr/bin/env node
/**
 * Resource check, not run in CI: a long campaign through the real bin (`logitfuzz run`, a small
 * implementation set, short vectors), sampling the resident memory of the main process and of
 * every worker process it forks from /proc (VmRSS and the high-water mark VmHWM), and printing
 * the peaks. Memory must stay bounded however many cases run: cases stream to cases.jsonl and
 * the aggregates are fixed-size histograms and maps.
 *
 * Usage (after `npm run build`; Linux, for /proc):
 *   node scripts/memory-campaign.mjs [CASES] [--impl GLOBS] [--workers N] [--max-length N] [--keep]
 * CASES defaults to 1000000. Output goes to a temporary folder, removed at the end unless --keep.
 * Prints a line every 10 s (cases done, main and worker RSS) and the peaks at the end; exit code
 * 1 when the run itself failed (the verdict of the implementations does not matter here).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const cases = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const impl = opt('--impl', 'softmax/max-shifted/f64,softmax/naive/f64');
const workers = opt('--workers', '2');
const maxLength = opt('--max-length', '8');
const keep = args.includes('--keep');

const bin = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(bin)) {
  console.error(`memory-campaign: ${bin} is missing: run npm run build first`);
  process.exit(2);
}
const out = mkdtempSync(join(tmpdir(), 'lf-memory-'));
const argv = [
  bin,
  'run',
  '--impl',
  impl,
  '--runs',
  String(cases),
  '--max-length',
  maxLength,
  '--seed',
  '1',
  '--workers',
  workers,
  '--out',
  out,
  '--shrink-evals',
  '20',
];
console.log(`memory-campaign: node ${argv.slice(1).join(' ')}`);

/** VmRSS and VmHWM of a process in KiB, or undefined once it is gone. */
function memOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Direct children of `pid` (the workers; they are forked detached, in their own process group, but stay children). */
function childrenOf(pid) {
  const kids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

const t0 = Date.now();
const child = spawn(process.execPath, argv, {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, CI: '1' },
});
let stdout = '';
let stderr = '';
child.stdout.on('data', (b) => (stdout += b));
child.stderr.on('data', (b) => (stderr = (stderr + b).slice(-4000)));

const peak = { main: 0, mainHwm: 0, worker: 0, workerHwm: 0, workersSeen: new Set() };
const samples = [];
const casesDone = () => {
  try {
    return Math.max(0, Math.round(statSync(join(out, 'cases.jsonl')).size / avgLine()));
  } catch {
    return 0;
  }
};
// cases.jsonl lines are about the same length for short vectors: estimate from the first ones
let lineBytes = 0;
function avgLine() {
  if (lineBytes) return lineBytes;
  try {
    const text = readFileSync(join(out, 'cases.jsonl'), 'utf8').slice(0, 1_000_000);
    const lines = text.split('\n').slice(1, -1);
    if (lines.length >= 200) lineBytes = lines.reduce((s, l) => s + l.length + 1, 0) / lines.length;
    return lines.length ? lines.reduce((s, l) => s + l.length + 1, 0) / lines.length : Infinity;
  } catch {
    return Infinity;
  }
}
let lastPrint = 0;
const timer = setInterval(() => {
  const m = memOf(child.pid);
  if (!m) return;
  peak.main = Math.max(peak.main, m.rss);
  peak.mainHwm = Math.max(peak.mainHwm, m.hwm);
  let wsum = 0;
  for (const pid of childrenOf(child.pid)) {
    const w = memOf(pid);
    if (!w) continue;
    peak.workersSeen.add(pid);
    peak.worker = Math.max(peak.worker, w.rss);
    peak.workerHwm = Math.max(peak.workerHwm, w.hwm);
    wsum += w.rss;
  }
  const s = (Date.now() - t0) / 1000;
  samples.push({ s, main: m.rss, workers: wsum });
  if (s - lastPrint >= 10) {
    lastPrint = s;
    console.log(
      `  ${s.toFixed(0).padStart(5)} s  ~${casesDone()} cases  main ${(m.rss / 1024).toFixed(0)} MiB  workers ${(wsum / 1024).toFixed(0)} MiB`,
    );
  }
}, 500);

const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
clearInterval(timer);
const seconds = (Date.now() - t0) / 1000;
let total = NaN;
try {
  total = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).totals.cases;
} catch {
  // the run failed: reported below
}
const size = existsSync(join(out, 'cases.jsonl')) ? statSync(join(out, 'cases.jsonl')).size : 0;
const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;
// growth of the main process between the first and the last quarter of the run (a leak shows here)
const q = Math.floor(samples.length / 4);
const avg = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const early = avg(samples.slice(q, 2 * q).map((x) => x.main));
const late = avg(samples.slice(3 * q).map((x) => x.main));
console.log(
  `memory-campaign: exit ${code}, ${total} cases in ${seconds.toFixed(0)} s (${(total / seconds).toFixed(0)} cases/s), cases.jsonl ${(size / 2 ** 20).toFixed(0)} MiB`,
);
console.log(
  `  main process:  peak RSS ${mib(peak.main)}, VmHWM ${mib(peak.mainHwm)}; mean RSS 2nd quarter ${mib(early)}, 4th quarter ${mib(late)}`,
);
console.log(
  `  worker (each): peak RSS ${mib(peak.worker)}, VmHWM ${mib(peak.workerHwm)}; ${peak.workersSeen.size} worker process(es) seen`,
);
if (code !== 0 && code !== 1)
  console.log(`  the run failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
if (!keep) rmSync(out, { recursive: true, force: true });
else console.log(`  kept ${out}`);
process.exit(code === 0 || code === 1 ? 0 : 1);
