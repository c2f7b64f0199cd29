/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The fence's info string's first word ('ts', 'sh', 'text', …). */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Whether an HTML comment `<!-- not run -->` precedes the fence (on the line before it). */
  readonly skipped: boolean;
}

/** The fenced (```) code blocks of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    out.push({
      lang: open[1],
      code: body.join('\n') + '\n',
      line: start + 1,
      skipped: start > 0 && /<!--\s*not run\s*-->/.test(lines[start - 1]),
    });
  }
  return out;
}

/**
 * The outputs a block promises: the text after `// → ` on each line that has one, in order —
 * what the block's console.log calls on those lines must print, line for line.
 */
export function promisedOutput(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const m = /\/\/ → (.*)$/.exec(line);
    if (m) out.push(m[1].trimEnd());
  }
  return out;
}
