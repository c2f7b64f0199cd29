/**
 * One WGSL kernel on several WebGPU stacks, side by side (docs/design.md, "The browser"): the
 * same kernel source run by Dawn in Node (`op/webgpu/format`: Mesa's llvmpipe on a machine without
 * a GPU), by Chromium (`op/webgpu-chromium/format`: SwiftShader there), and by whatever other
 * stack a run had (a real GPU), on the same cases. For each (op, format): how many cases every
 * stack ran, in how many they agree (the same error in ULPs and the same finding kinds), each
 * stack's largest error, and the cases where they disagree, with their inputs and each stack's
 * error and findings.
 *
 * Built from a run's store by the CLI (cli/stacks.ts, which regenerates the inputs); rendered here
 * as an HTML section of the report and as Markdown. Every string from the record is escaped.
 */
import type { JsonNumber } from '../formats/jsonNumber.js';
import { escapeHtml as e } from './escape.js';

/** One stack: the implementation's name and what it ran on (from its `environment`). */
export interface Stack {
  readonly impl: string;
  /** e.g. 'Dawn in Node · llvmpipe-llvm-15 (opengles)', 'Chromium 156 · google swiftshader'. */
  readonly label: string;
}

/** One case on every stack. */
export interface StackCase {
  readonly id: number;
  /** The case's first row, at most `INPUT_SHOWN` logits (`length` says how many it has). */
  readonly input: readonly JsonNumber[];
  readonly length: number;
  /** Rows in the case (a batch [B, n] has B). */
  readonly rows: number;
  /** Per stack, in `stacks` order: the largest error in ULPs, or null where it has none (it failed to answer). */
  readonly ulps: readonly (JsonNumber | null)[];
  /** Per stack: the finding kinds, sorted. */
  readonly kinds: readonly (readonly string[])[];
}

/** One kernel (op and format) on its stacks. */
export interface StackComparison {
  readonly op: string;
  readonly format: string;
  readonly stacks: readonly Stack[];
  /** Cases that every stack ran. */
  readonly compared: number;
  /** Of those, cases where the stacks agree (the same error and the same finding kinds). */
  readonly agree: number;
  /** Per stack: the largest error over the compared cases. */
  readonly maxUlps: readonly JsonNumber[];
  /** Per stack: cases with a finding. */
  readonly withFindings: readonly number[];
  /** The first disagreeing cases, by id (at most `DISAGREEMENTS_SHOWN`). */
  readonly disagreements: readonly StackCase[];
}

/** Logits of an input shown (the rest is elided: results and the seed regenerate it). */
export const INPUT_SHOWN = 12;
/** Disagreeing cases listed per kernel. */
export const DISAGREEMENTS_SHOWN = 20;

function num(v: JsonNumber | null): string {
  return v === null ? '—' : String(v);
}

function input(c: StackCase): string {
  const shown = c.input.map(String).join(', ');
  const more = c.length > c.input.length ? `, … (${c.length} logits)` : '';
  const batch = c.rows > 1 ? ` (first of ${c.rows} rows)` : '';
  return `[${shown}${more}]${batch}`;
}

/** The HTML section, or '' when no kernel ran on two stacks. */
export function renderStacksHtml(list: readonly StackComparison[]): string {
  if (list.length === 0) return '';
  let out =
    '<h2 id="stacks">WebGPU stacks side by side</h2><p class="small muted">The same WGSL kernel on each WebGPU stack of this run, on the same cases: agree means the same largest error in ULPs and the same finding kinds.</p>';
  for (const k of list) {
    const head = k.stacks
      .map((s) => `<th>${e(s.impl)}<br><span class="small muted">${e(s.label)}</span></th>`)
      .join('');
    const max = k.maxUlps.map((u) => `<td>${e(num(u))}</td>`).join('');
    const found = k.withFindings.map((n) => `<td>${e(n)}</td>`).join('');
    out += `<h3>${e(k.op)} ${e(k.format)}</h3>`;
    out += `<p>${e(k.compared)} cases on every stack; they agree on ${e(k.agree)} and disagree on ${e(k.compared - k.agree)}.</p>`;
    out += `<table><tr><th></th>${head}</tr><tr><th>largest error (ULPs)</th>${max}</tr><tr><th>cases with findings</th>${found}</tr></table>`;
    if (k.disagreements.length) {
      const rows = k.disagreements
        .map((c) => {
          const cells = c.ulps
            .map(
              (u, s) =>
                `<td>${e(num(u))}${c.kinds[s].length ? ` <span class="small">${e(c.kinds[s].join(', '))}</span>` : ''}</td>`,
            )
            .join('');
          return `<tr><td>${e(c.id)}</td><td><code>${e(input(c))}</code></td>${cells}</tr>`;
        })
        .join('');
      const shown =
        k.compared - k.agree > k.disagreements.length ? ` (the first ${k.disagreements.length})` : '';
      out += `<p>Where they disagree${e(shown)}: error in ULPs and findings per stack.</p>`;
      out += `<table><tr><th>case</th><th>input</th>${k.stacks.map((s) => `<th>${e(s.impl)}</th>`).join('')}</tr>${rows}</table>`;
    }
  }
  return out;
}

/** The Markdown of the same, or '' when no kernel ran on two stacks. */
export function renderStacksMarkdown(list: readonly StackComparison[]): string {
  if (list.length === 0) return '';
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  let out = '## WebGPU stacks side by side\n';
  for (const k of list) {
    out += `\n### ${cell(k.op)} ${cell(k.format)}\n\n`;
    out += `${k.compared} cases on every stack; they agree on ${k.agree} and disagree on ${k.compared - k.agree}.\n\n`;
    out += `| | ${k.stacks.map((s) => `${cell(s.impl)} (${cell(s.label)})`).join(' | ')} |\n`;
    out += `|---|${k.stacks.map(() => '---').join('|')}|\n`;
    out += `| largest error (ULPs) | ${k.maxUlps.map((u) => num(u)).join(' | ')} |\n`;
    out += `| cases with findings | ${k.withFindings.join(' | ')} |\n`;
    if (k.disagreements.length) {
      out += `\n| case | input | ${k.stacks.map((s) => cell(s.impl)).join(' | ')} |\n`;
      out += `|---|---|${k.stacks.map(() => '---').join('|')}|\n`;
      for (const c of k.disagreements)
        out += `| ${c.id} | \`${cell(input(c))}\` | ${c.ulps.map((u, s) => `${num(u)}${c.kinds[s].length ? ` ${cell(c.kinds[s].join(', '))}` : ''}`).join(' | ')} |\n`;
    }
  }
  return out;
}
