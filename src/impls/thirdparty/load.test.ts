import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import {
  THIRDPARTY_DIR,
  defaultImporter,
  describeLibrary,
  installCommand,
  libraryImporter,
  packageDir,
  testedVersions,
} from './load.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FOLDER = join(ROOT, 'thirdparty');

describe('the folder of libraries under test (thirdparty/)', () => {
  test("is thirdparty/ at logitfuzz's root, and its package.json is the one list of tested versions", () => {
    expect(THIRDPARTY_DIR).toBe(join(ROOT, 'thirdparty'));
    const manifest = JSON.parse(readFileSync(join(FOLDER, 'package.json'), 'utf8')) as {
      private?: boolean;
      dependencies: Record<string, string>;
    };
    expect(manifest.private).toBe(true);
    expect(testedVersions()).toEqual(manifest.dependencies);
    expect(testedVersions()).toMatchObject({
      '@tensorflow/tfjs-core': '4.22.0',
      'onnxruntime-node': '1.30.0',
      'onnxruntime-web': '1.30.0',
    });
    // exact versions: the adapters' measurements hold for these, not for a range
    for (const v of Object.values(testedVersions())) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
    // the root no longer lists them: they are installed in the folder, not beside logitfuzz's tooling
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const name of Object.keys(testedVersions()))
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'])
        expect(root[field]?.[name], `${name} in the root's ${field}`).toBeUndefined();
  });

  test('each library resolves from thirdparty/node_modules, at its tested version', async () => {
    for (const [name, version] of Object.entries(testedVersions())) {
      const dir = packageDir(name);
      expect(dir, `${name}: run 'npm run setup:thirdparty'`).toBe(join(FOLDER, 'node_modules', name));
      expect(describeLibrary([name])).toBe(`${name}@${version}`);
    }
    const tf = (await defaultImporter('@tensorflow/tfjs-core')) as { version_core: string };
    expect(tf.version_core).toBe(testedVersions()['@tensorflow/tfjs-core']);
  });

  test("a package the folder does not have is found the usual way (logitfuzz's own node_modules)", () => {
    expect(packageDir('decimal.js')).toBe(join(ROOT, 'node_modules', 'decimal.js'));
    expect(packageDir('no-such-package-anywhere')).toBeNull();
  });
});

describe('libraryImporter on a folder of its own', () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'logitfuzz-thirdparty-')));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  // a folder laid out like thirdparty/: package.json, import.mjs, node_modules/fake-lib, where
  // fake-lib has distinct ESM and CommonJS entries (as onnxruntime-web has)
  writeFileSync(
    join(tmp, 'package.json'),
    JSON.stringify({ private: true, dependencies: { 'fake-lib': '1.2.3' } }),
  );
  copyFileSync(join(FOLDER, 'import.mjs'), join(tmp, 'import.mjs'));
  const lib = join(tmp, 'node_modules', 'fake-lib');
  mkdirSync(lib, { recursive: true });
  writeFileSync(
    join(lib, 'package.json'),
    JSON.stringify({
      name: 'fake-lib',
      version: '1.2.3',
      exports: { '.': { import: './esm.mjs', require: './cjs.cjs' } },
    }),
  );
  writeFileSync(join(lib, 'esm.mjs'), 'export const kind = "esm";\n');
  writeFileSync(join(lib, 'cjs.cjs'), 'exports.kind = "cjs";\n');

  test('loads a package from the folder, resolved as import() resolves it (the ESM entry)', async () => {
    const ns = (await libraryImporter(tmp)('fake-lib')) as { kind: string };
    expect(ns.kind).toBe('esm');
    expect(packageDir('fake-lib', tmp)).toBe(lib);
    // nothing else can see it: without the folder it is not installed
    expect(packageDir('fake-lib', null)).toBeNull();
  });

  test("falls back to a plain import() for a package the folder lacks (a user's own install)", async () => {
    const ns = (await libraryImporter(tmp)('decimal.js')) as { default: { ROUND_HALF_EVEN: number } };
    expect(ns.default.ROUND_HALF_EVEN).toBe(6);
    await expect(libraryImporter(tmp)('no-such-package-anywhere')).rejects.toThrow(
      /no-such-package-anywhere/,
    );
  });

  test('install command: the root script in a checkout (lockfile present), npm i -D at the tested versions elsewhere', () => {
    // no lockfile: logitfuzz installed from the registry, the user installs the library
    expect(installCommand(['fake-lib', 'other-lib'], tmp)).toBe('npm i -D fake-lib@1.2.3 other-lib@latest');
    expect(installCommand(['fake-lib'], null)).toBe('npm i -D fake-lib@latest');
    writeFileSync(join(tmp, 'package-lock.json'), '{}');
    const root = dirname(tmp);
    expect(installCommand(['fake-lib'], tmp, root)).toBe('npm run setup:thirdparty');
    expect(installCommand(['fake-lib'], tmp, dirname(root))).toBe(
      `npm --prefix ${root.split(sep).pop()} run setup:thirdparty`,
    );
    expect(installCommand(['fake-lib'], tmp, join(root, 'src'))).toBe(
      `npm --prefix ${root} run setup:thirdparty`,
    );
    // this checkout
    expect(installCommand(['@tensorflow/tfjs-core'], FOLDER, ROOT)).toBe('npm run setup:thirdparty');
  });
});
