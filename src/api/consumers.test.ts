/**
 * logitfuzz used as a dependency, without network: one temporary project whose node_modules
 * links `logitfuzz` to this repository (what `npm install` does for `"logitfuzz": "file:../.."`)
 * and vitest, fast-check and TypeScript to the repository's installed copies. It holds
 * - `example/`: the files of examples/vitest-user, the example a user would copy;
 * - `docs/`: the TypeScript examples of the README's "Library API" section.
 * Everything is type-checked (strict, NodeNext, against the published .d.ts), the test files of
 * both run in one vitest process, and the docs' module examples run with node and must print
 * what their `// → ` comments say. A block after `<!-- not run -->` is skipped. A ```text block
 * of the docs that starts with `expectSoftmax:` is a sample failure message: each of its lines
 * (but those abridged with …) must be in the message expectSoftmax throws for the naive softmax
 * at that seed. Needs dist/ (npm test builds it first).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, linkedProject, REPO, runNode, runTsc, runVitest } from './_testutil/linkedProject.js';
import { codeBlocks, promisedOutput, type CodeBlock } from './_testutil/markdownBlocks.js';
import { expectSoftmax } from './vitest.js';

const EXAMPLE = join(REPO, 'examples/vitest-user');
const DOC = 'README.md';
/** The README's "## Library API" section, up to the next second-level heading. */
function apiSection(readme: string): string {
  const start = readme.indexOf('\n## Library API');
  if (start < 0) throw new Error('README.md has no "## Library API" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}
const allBlocks = codeBlocks(apiSection(readFileSync(join(REPO, DOC), 'utf8')));
const blocks = allBlocks.filter((b) => (b.lang === 'ts' || b.lang === 'js') && !b.skipped);
const isTestFile = (b: CodeBlock) => /from 'vitest'/.test(b.code);
const modules = blocks.filter((b) => !isTestFile(b));
const testBlocks = blocks.filter(isTestFile);
const fileOf = (b: CodeBlock) => `docs/block-line-${b.line}${isTestFile(b) ? '.test' : ''}.ts`;

/** The parts of vitest's JSON report the assertions read. */
interface VitestReport {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly {
      readonly fullName: string;
      readonly status: string;
      readonly failureMessages: readonly string[];
    }[];
  }[];
}

let project: ReturnType<typeof linkedProject> | undefined;
let tsc: { status: number | null; output: string };
let vitest: { status: number | null; output: string; report: VitestReport | null };

beforeAll(() => {
  assertBuilt();
  const files: Record<string, string> = {};
  for (const f of readdirSync(EXAMPLE))
    if (/\.(ts|json|md)$/.test(f) && f !== 'package-lock.json')
      files[`example/${f}`] = readFileSync(join(EXAMPLE, f), 'utf8');
  for (const b of blocks) files[fileOf(b)] = b.code;
  project = linkedProject(files);
  const t = runTsc(project.dir);
  tsc = { status: t.status, output: `${t.stdout}${t.stderr}` };
  const v = runVitest(project.dir, ['--reporter=json', '--outputFile=vitest-report.json']);
  let report: VitestReport | null;
  try {
    report = JSON.parse(readFileSync(join(project.dir, 'vitest-report.json'), 'utf8')) as VitestReport;
  } catch {
    report = null;
  }
  vitest = { status: v.status, output: `${v.stdout}${v.stderr}`, report };
});
afterAll(() => project?.cleanup());

/** Test outcomes of the files under `prefix` in the project's vitest run. */
function outcomes(
  prefix: string,
): { fullName: string; status: string; failureMessages: readonly string[] }[] {
  expect(vitest.report, `vitest wrote no report (exit ${vitest.status}):\n${vitest.output}`).not.toBeNull();
  return vitest
    .report!.testResults.filter((f) => f.name.startsWith(join(project!.dir, prefix)))
    .flatMap((f) => f.assertionResults);
}

function tscErrors(prefix: string): string[] {
  return tsc.output.split('\n').filter((l) => l.startsWith(prefix));
}

describe('examples/vitest-user as a dependent project', () => {
  test('depends on logitfuzz as a package, with vitest and vite pinned as in this repository', () => {
    const pkg = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as {
      type: string;
      devDependencies: Record<string, string>;
    };
    const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.type).toBe('module');
    expect(pkg.devDependencies).toEqual({
      logitfuzz: 'file:../..',
      vite: root.devDependencies.vite,
      vitest: root.devDependencies.vitest,
    });
    expect(pkg.devDependencies.vitest).toBe('4.1.12');
    expect(pkg.devDependencies.vite).toBe('8.3.8');
  });

  test('type-checks against the published types', () => {
    expect(tscErrors('example/'), tsc.output).toEqual([]);
  });

  test('its tests pass: the stable softmax passes, the naive one fails with an overflow', () => {
    const results = outcomes('example/');
    expect(
      results.map((r) => `${r.status}: ${r.fullName}`),
      vitest.output,
    ).toEqual([
      'passed: softmax is within its error budget on extreme logits (f64)',
      'passed: softmax is within its error budget on extreme logits (f32)',
      'passed: the naive softmax fails, and the message shows the minimal counterexample',
    ]);
  });
});

describe(`${DOC} examples`, () => {
  test('has module examples with promised output and a vitest example', () => {
    expect(modules.length).toBeGreaterThanOrEqual(2);
    expect(testBlocks.length).toBeGreaterThanOrEqual(1);
    for (const b of modules)
      expect(
        promisedOutput(b.code).length,
        `${DOC} line ${b.line}: a module example promises no output`,
      ).toBeGreaterThan(0);
  });

  test('type-check', () => {
    expect(tscErrors('docs/'), tsc.output).toEqual([]);
    expect(tsc.status, tsc.output).toBe(0);
  });

  test.each(modules.map((b) => [b.line, b] as const))(
    `the module at ${DOC} line %i prints what it promises`,
    async (_line, b) => {
      const ts = (await import('typescript')).default;
      const js = ts.transpileModule(b.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const file = join(project!.dir, fileOf(b).replace(/\.ts$/, '.mjs'));
      writeFileSync(file, js);
      const r = runNode(project!.dir, [file]);
      expect(r.status, `${DOC} line ${b.line} exited ${r.status}:\n${r.stdout}${r.stderr}`).toBe(0);
      expect(
        r.stdout.split('\n').filter((l) => l !== ''),
        `${DOC} line ${b.line}`,
      ).toEqual(promisedOutput(b.code));
    },
  );

  test('the vitest examples pass', () => {
    const results = outcomes('docs/');
    const declared = testBlocks.reduce((n, b) => n + (b.code.match(/^test\(/gm)?.length ?? 0), 0);
    expect(results.length, vitest.output).toBe(declared);
    for (const r of results)
      expect(r.status, `${r.fullName}: ${r.failureMessages.join('\n')}`).toBe('passed');
  });

  const samples = allBlocks.filter((b) => b.lang === 'text' && b.code.startsWith('expectSoftmax:'));
  test.each(samples.map((b) => [b.line, b] as const))(
    `the sample failure message at ${DOC} line %i is what expectSoftmax prints`,
    async (_line, b) => {
      const seed = Number(/\(seed (\d+)\)/.exec(b.code)?.[1]);
      expect(Number.isInteger(seed), 'the sample names its seed').toBe(true);
      const naive = (x: Float64Array | Float32Array) => {
        const e = Array.from(x, Math.exp);
        const s = e.reduce((a, c) => a + c, 0);
        return e.map((v) => v / s);
      };
      const message = await expectSoftmax(naive, { op: 'softmax', format: 'f64', seed }).then(
        () => '',
        (e: Error) => e.message,
      );
      for (const line of b.code.split('\n')) {
        if (line.trim() === '' || line.includes('…')) continue;
        expect(
          message.split('\n'),
          `${DOC} line ${b.line}: "${line}" is not in the real message:\n${message}`,
        ).toContain(line);
      }
    },
  );
});
