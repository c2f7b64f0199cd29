import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderHtml } from '../report/html.js';
import { renderStacksMarkdown, type StackComparison } from '../report/stacks.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import type { RunRecord } from '../report/schema.js';
import { InputError, oneLine } from './errors.js';
import { write, type Io } from './io.js';

/** The report flags of `run` and `vet` (docs/design.md, "Reports"). */
export const REPORT_FLAGS = {
  html: {
    type: 'string',
    value: 'FILE',
    help: 'write the HTML report (one self-contained file; opens offline)',
  },
  junit: {
    type: 'string',
    value: 'FILE',
    help: 'write JUnit XML: one testcase per implementation and finding kind; failures exactly where a verdict is not as expected',
  },
  markdown: {
    type: 'string',
    value: 'FILE',
    help: 'write a one-screen Markdown summary (it is also appended to $GITHUB_STEP_SUMMARY when that is set)',
  },
} as const;

export interface ReportFiles {
  readonly html?: string;
  readonly junit?: string;
  readonly markdown?: string;
  /** A second copy of the HTML report that is always written (`run`: DIR/index.html). */
  readonly index?: string;
}

function writeFile(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    throw new InputError(`cannot write ${file}: ${oneLine((e as Error).message)}`);
  }
}

/**
 * Writes the reports a command asked for, and appends the Markdown summary to the file named by
 * $GITHUB_STEP_SUMMARY when it is set (a failure there is a warning, not an error). Each report
 * is rendered once, only when needed. Returns the files written, for the command's last line.
 */
export async function writeReports(
  io: Io,
  record: RunRecord,
  files: ReportFiles,
  extra: { readonly stacks?: readonly StackComparison[] } = {},
): Promise<string[]> {
  const written: string[] = [];
  if (files.html !== undefined || files.index !== undefined) {
    const html = renderHtml(record, { stacks: extra.stacks });
    for (const f of new Set([files.index, files.html])) {
      if (f === undefined) continue;
      writeFile(f, html);
      written.push(f);
    }
  }
  if (files.junit !== undefined) {
    writeFile(files.junit, renderJunit(record));
    written.push(files.junit);
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (files.markdown !== undefined || summaryFile) {
    const markdown =
      renderMarkdown(record) + (extra.stacks?.length ? `\n${renderStacksMarkdown(extra.stacks)}` : '');
    if (files.markdown !== undefined) {
      writeFile(files.markdown, markdown);
      written.push(files.markdown);
    }
    if (summaryFile) {
      try {
        appendFileSync(summaryFile, `${markdown}\n`);
      } catch (e) {
        await write(
          io.stderr,
          `logitfuzz: warning: cannot append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${oneLine((e as Error).message)}\n`,
        );
      }
    }
  }
  return written;
}
