/**
 * The design document and the code agree on two things that can be checked mechanically:
 *
 * 1. Citations. Code cites the design as `docs/design.md, "Layers"`: the path, a comma and the
 *    exact text of a `##` or `###` heading in double quotes. Every citation anywhere in the tree
 *    must name a heading that exists, must be written in that one form on one line, and nothing
 *    may cite a bare design note (any other file of that name).
 * 2. Layers (docs/design.md, "Import rules"). Every non-test source file under src/ is parsed
 *    for its static, re-export and dynamic `import('…')` specifiers; relative ones are resolved
 *    to the top-level folder of src/ they land in, and the folder must not be one its own folder
 *    never imports. Tests (`*.test.ts`, anything under `_testutil/`) are exempt.
 *
 * The checks are plain functions so that the tests below can also feed them made-up text and
 * see them fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The design document, relative to the repository root. */
const DESIGN_DOC = 'docs/design.md';

/** What is scanned for citations: these folders (recursively) and files. */
const SCANNED = ['src', 'test', 'properties', 'bench', 'scripts', 'docs', 'examples', 'README.md'];
/** Folders never scanned. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git']);
/** Text files that may hold a citation. */
const TEXT_FILE = /\.(ts|mts|cts|js|mjs|cjs|md|json|py|html|css|txt|ya?ml)$/;

/**
 * What each top-level folder of src/ must never import: a list of folders, or '*' for anything
 * in src/ at all. The one source of the layer rules checked below (docs/design.md, "Import rules").
 */
const FORBIDDEN: Readonly<Record<string, readonly string[] | '*'>> = {
  oracle: ['impls', 'campaign', 'report', 'cli', 'api'],
  metrics: ['impls', 'campaign', 'report', 'cli', 'api'],
  formats: ['impls', 'campaign', 'report', 'cli', 'api'],
  impls: ['oracle', 'metrics', 'campaign'],
  report: ['campaign', 'impls'],
  vocabulary: '*',
};

/** The `##` and `###` headings the document must have, in order, for code to cite. */
const REQUIRED_SECTIONS = [
  'Layers',
  'Numerical definitions',
  'Oracle',
  'Findings',
  'Severity',
  'Special values',
  'Implementations',
  'Campaign',
  'Survey',
  'Verdicts and the gate',
  'Records',
  'CLI',
];

/** Repository-relative paths (with '/') of every file under `entry`, or `entry` itself. */
function filesUnder(entry: string): string[] {
  const abs = join(ROOT, entry);
  let dirents;
  try {
    dirents = readdirSync(abs, { withFileTypes: true });
  } catch {
    return [entry];
  }
  return dirents.flatMap((d) => {
    const rel = posix.join(entry, d.name);
    if (d.isDirectory()) return SKIPPED_DIRS.has(d.name) ? [] : filesUnder(rel);
    return d.isFile() ? [rel] : [];
  });
}

/** The `##` and `###` headings of a Markdown text, outside fenced code blocks. */
function headingsOf(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const m = /^#{2,3}\s+(.+?)\s*#*\s*$/.exec(line);
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The problems with the design citations in one file's text, each naming the file and line:
 * a citation of a heading that `headings` does not hold, a citation of the document not in the
 * one form (path, comma, space, heading in double quotes, on one line), and any citation of a
 * bare design note.
 */
function citationProblems(file: string, text: string, headings: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(headings);
  for (const m of text.matchAll(/docs\/design\.md, "([^"\n]*)"/g)) {
    if (!known.has(m[1]))
      problems.push(
        `${file}:${lineAt(text, m.index)}: cites "${m[1]}", which is not a heading of ${DESIGN_DOC}`,
      );
  }
  for (const m of text.matchAll(/docs\/design\.md,(?! "[^"\n]*")/g)) {
    problems.push(
      `${file}:${lineAt(text, m.index)}: a citation of ${DESIGN_DOC} not in the form ${DESIGN_DOC}, "Heading" on one line`,
    );
  }
  for (const m of text.matchAll(/(?<!docs\/)\bdesign\.md\b/gi)) {
    problems.push(
      `${file}:${lineAt(text, m.index)}: cites the bare design note '${m[0]}'; cite ${DESIGN_DOC} and a heading`,
    );
  }
  return problems;
}

/** The top-level folder of src/ a repository-relative path lies in, or null outside src/. */
function layerOf(path: string): string | null {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : null;
}

/** Whether a source file is a test (exempt from the layer rules). */
function isTestFile(path: string): boolean {
  return /\.test\.ts$/.test(path) || path.split('/').includes('_testutil');
}

/**
 * The layer violations of one source file (a repository-relative path and its text): every
 * relative import, re-export or dynamic import whose target folder `FORBIDDEN` rules out for the
 * file's own folder, each naming the file, line and specifier. Tests and files outside src/ have
 * none; bare specifiers (packages, node: modules) are not layers.
 */
function layerViolations(file: string, text: string): string[] {
  const layer = layerOf(file);
  if (layer === null || isTestFile(file)) return [];
  const rule = FORBIDDEN[layer];
  if (rule === undefined) return [];
  const out: string[] = [];
  for (const imp of ts.preProcessFile(text, true, true).importedFiles) {
    const spec = imp.fileName;
    if (!spec.startsWith('.')) continue;
    const resolved = posix.normalize(posix.join(posix.dirname(file), spec));
    const target = layerOf(resolved);
    if (target === null || target === layer) continue;
    if (rule === '*' || rule.includes(target)) {
      const never = rule === '*' ? 'anything in src/' : rule.join(', ');
      out.push(
        `${file}:${lineAt(text, imp.pos)}: imports '${spec}' (src/${target}); ${layer} never imports ${never}`,
      );
    }
  }
  return out;
}

/** The rules as the "Import rules" table of the design document states them. */
function documentedRules(markdown: string): Record<string, readonly string[] | '*'> {
  const start = markdown.indexOf('\n### Import rules');
  expect(start, `${DESIGN_DOC} has no "Import rules" section`).toBeGreaterThanOrEqual(0);
  const section = markdown.slice(start + 1, markdown.indexOf('\n#', start + 1));
  const rules: Record<string, readonly string[] | '*'> = {};
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('`')) continue;
    const names = (cell: string) => [...cell.matchAll(/`([^`/]+)\/?`/g)].map((m) => m[1]);
    const never = /\banything\b/.test(cells[2]) ? '*' : names(cells[2]);
    for (const folder of names(cells[1])) rules[folder] = never;
  }
  return rules;
}

const designText = readFileSync(join(ROOT, DESIGN_DOC), 'utf8');
const headings = headingsOf(designText);
/** A citation of `heading`, built so that this file's own text holds no citation. */
const cite = (heading: string) => `${DESIGN_DOC}, "${heading}"`;

describe('citations of the design document', () => {
  const files = SCANNED.flatMap(filesUnder).filter(
    (f) => TEXT_FILE.test(f) && !f.split('/').some((p) => SKIPPED_DIRS.has(p)),
  );

  test('the document has the sections code cites, once each, in order', () => {
    const top = designText
      .split('\n')
      .filter((l) => /^## /.test(l))
      .map((l) => l.slice(3).trim());
    expect(top).toEqual(REQUIRED_SECTIONS);
    const repeated = headings.filter((h, i) => headings.indexOf(h) !== i);
    expect(repeated, 'a heading that appears twice cannot be cited unambiguously').toEqual([]);
  });

  test('every citation in the tree names a heading of the document, in the one form', () => {
    expect(files.length).toBeGreaterThan(200);
    const problems = files.flatMap((f) => citationProblems(f, readFileSync(join(ROOT, f), 'utf8'), headings));
    expect(problems).toEqual([]);
  });

  test('the tree cites the document (the scan is not vacuous)', () => {
    const cited = files.filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(`${DESIGN_DOC}, "`));
    expect(cited.length).toBeGreaterThan(20);
  });

  test('the checker flags a made-up heading, a citation broken across lines and a bare note', () => {
    const text = [
      `// ${cite('Findings')} is fine`,
      `// ${cite('No such heading')} is not`,
      `/* (${DESIGN_DOC},\n * "Special values") */`,
      `// see ${'DESIGN' + '.md'}, "Budgets"`,
    ].join('\n');
    const problems = citationProblems('src/fake.ts', text, headings);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^src\/fake\.ts:2: cites "No such heading", which is not a heading/);
    expect(problems[1]).toMatch(/^src\/fake\.ts:3: a citation of docs\/design\.md not in the form/);
    expect(problems[2]).toMatch(/^src\/fake\.ts:5: cites the bare design note 'DESIGN\.md'/);
    expect(
      citationProblems('README.md', `See ${cite('Layers')} and ${cite('Import rules')}.`, headings),
    ).toEqual([]);
  });
});

describe('layers (docs/design.md, "Import rules")', () => {
  const sources = filesUnder('src').filter((f) => /\.(ts|mts|cts)$/.test(f) && !f.endsWith('.d.ts'));

  test('no source file under src/ imports a layer its folder never imports', () => {
    const checked = sources.filter((f) => layerOf(f) !== null && !isTestFile(f));
    expect(checked.length).toBeGreaterThan(100);
    const violations = checked.flatMap((f) => layerViolations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(violations).toEqual([]);
  });

  test('every folder the rules name exists under src/', () => {
    const folders = new Set(sources.map(layerOf).filter((l): l is string => l !== null));
    const named = Object.entries(FORBIDDEN).flatMap(([k, v]) => [k, ...(v === '*' ? [] : v)]);
    expect(named.filter((n) => !folders.has(n))).toEqual([]);
  });

  test('the document states the same rules as the test', () => {
    expect(documentedRules(designText)).toEqual(FORBIDDEN);
  });

  test('the checker flags an import of the oracle from impls, naming the file and the import', () => {
    const text =
      "import type { Op } from '../vocabulary/Op.js';\nimport { oracle } from '../oracle/index.js';\n";
    expect(layerViolations('src/impls/x.ts', text)).toEqual([
      "src/impls/x.ts:2: imports '../oracle/index.js' (src/oracle); impls never imports oracle, metrics, campaign",
    ]);
  });

  test('the checker sees re-exports and dynamic imports, and spares tests and comments', () => {
    const text = [
      "export { runCampaign } from '../campaign/campaign.js';",
      "const m = await import('../../src/cli/run.js');",
      "// import { x } from '../report/html.js'",
      'const s = "import { y } from \'../api/index.js\'";',
      "import { z } from '../formats/ulp.js';",
    ].join('\n');
    const found = layerViolations('src/metrics/y.ts', text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      /^src\/metrics\/y\.ts:1: imports '\.\.\/campaign\/campaign\.js' \(src\/campaign\)/,
    );
    expect(found[1]).toMatch(/^src\/metrics\/y\.ts:2: imports '\.\.\/\.\.\/src\/cli\/run\.js' \(src\/cli\)/);
    expect(layerViolations('src/metrics/y.test.ts', text)).toEqual([]);
    expect(layerViolations('src/metrics/_testutil/y.ts', text)).toEqual([]);
  });

  test('vocabulary imports nothing from src/', () => {
    expect(layerViolations('src/vocabulary/Z.ts', "import { F64 } from '../formats/specs.js';")).toHaveLength(
      1,
    );
    expect(layerViolations('src/vocabulary/Z.ts', "import type { Op } from './Op.js';")).toEqual([]);
  });
});
