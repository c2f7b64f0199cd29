import { describeAccepted, type FlagSpecs } from './args.js';

/** What `formatHelp` needs: the same flag table `parseArgs` uses, so help never drifts from the parser. */
export interface HelpSpec {
  /** e.g. 'oracle'. */
  readonly name: string;
  /** The usage line after `logitfuzz NAME`, e.g. '[--op OP] [--format F] < lines.jsonl'. */
  readonly synopsis: string;
  /** Paragraphs of description (each a string; wrapped by the terminal, not here). */
  readonly description: readonly string[];
  readonly flags: FlagSpecs;
  /** Example command lines, shown as given. */
  readonly examples?: readonly string[];
}

/**
 * The `--help` text of a command: usage, description, flags with accepted values and defaults, exit codes,
 * examples.
 */
export function formatHelp(h: HelpSpec): string {
  const lines = [`Usage: logitfuzz ${h.name} ${h.synopsis}`.trimEnd(), ''];
  for (const p of h.description) lines.push(p, '');
  lines.push('Flags:');
  const rows: [string, string][] = Object.entries(h.flags).map(([name, spec]) => {
    const left =
      spec.type === 'boolean'
        ? `--${name}`
        : `--${name} ${spec.value ?? (spec.type === 'string' ? 'VALUE' : 'N')}`;
    let right = spec.help;
    if (spec.type !== 'boolean') {
      const extra: string[] = [];
      if (spec.type === 'string' ? spec.choices : spec.min !== undefined || spec.max !== undefined)
        extra.push(describeAccepted(spec));
      if (spec.default !== undefined) extra.push(`default ${spec.default}`);
      if (spec.multiple) extra.push('repeatable');
      if (extra.length) right += ` (${extra.join('; ')})`;
    }
    return [left, right];
  });
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  for (const [l, r] of rows) lines.push(`  ${l.padEnd(width)}  ${r}`);
  lines.push(
    '',
    'Exit codes: 0 fine; 1 a failed verdict; 2 a usage, input or load error (one line on stderr).',
  );
  if (h.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of h.examples) lines.push(`  ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
