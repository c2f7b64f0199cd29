#!/usr/bin/env node
/**
 * Installs thirdparty/, the folder of the third-party libraries under test (tfjs, ONNX Runtime:
 * a private package with its own package.json and lockfile), into thirdparty/node_modules, then
 * survey/ (the npm libraries of the survey, also a private package; without their install
 * scripts); `node scripts/install-thirdparty.mjs thirdparty|survey` installs one of them. The
 * root's `prepare` script runs it, so the root's `npm ci` (or `npm install`) installs everything
 * the tests need; `npm run setup:thirdparty` runs it alone. `prepare` does not run when a user
 * installs logitfuzz from the registry (and the folder is not published), so their install stays
 * small.
 *
 * - Under the root's `npm install` (npm_command=install) it runs `npm install` in the folder
 *   (quick when nothing changed, and it updates the folder's lockfile after an edit of its
 *   package.json); otherwise `npm ci` (the lockfile, exactly).
 * - onnxruntime-node's postinstall downloads CUDA provider libraries (nuget) that the CPU
 *   adapter does not use. The folder's package.json denies that script in `allowScripts` (npm's
 *   install-script policy, which npm 11 applies silently to a denied package); for npm versions
 *   without that policy, ONNXRUNTIME_NODE_INSTALL=skip, which onnxruntime-node's script reads
 *   from the environment (an npm config key for it in an .npmrc makes npm 11 warn "Unknown
 *   project config" on every command run there).
 * - Skipped (with one line saying so) under `npm pack`/`npm publish` (the folder is not
 *   published), with `--omit=dev` (the libraries are development material), and when
 *   LOGITFUZZ_SKIP_THIRDPARTY=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const command = process.env.npm_command;

function skip(why) {
  console.log(`thirdparty/ and survey/ not installed: ${why}`);
  process.exit(0);
}

if (process.env.LOGITFUZZ_SKIP_THIRDPARTY === '1') skip('LOGITFUZZ_SKIP_THIRDPARTY=1');
if (command === 'pack' || command === 'publish') skip(`not needed for npm ${command}`);
if ((process.env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev')) skip('--omit=dev');

// The environment npm gives a lifecycle script describes the root package; the nested npm works
// on the folder, so drop what names the root (the user's npm_config_* settings stay).
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
for (const key of Object.keys(env))
  if (key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_') || key === 'npm_config_local_prefix')
    delete env[key];
// the npm that runs this script, when there is one; else the one on the PATH
const npmCli = process.env.npm_execpath;

/** Installs one folder from its lockfile (`npm install` under the root's `npm install`); false on failure. */
function install(name, extra) {
  const folder = fileURLToPath(new URL(`../${name}/`, import.meta.url));
  if (!existsSync(new URL(`../${name}/package.json`, import.meta.url))) {
    console.log(`${name}/ not installed: no ${name}/package.json`);
    return true;
  }
  const args = [command === 'install' ? 'install' : 'ci', '--no-audit', '--no-fund', ...extra];
  const [file, argv] =
    npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  console.log(`${name}/: npm ${args.join(' ')}`);
  const r = spawnSync(file, argv, {
    cwd: folder,
    env,
    stdio: 'inherit',
    shell: file === 'npm' && process.platform === 'win32',
  });
  if (r.error) {
    console.error(`${name}/: could not run npm: ${r.error.message}`);
    return false;
  }
  return r.status === 0;
}

// survey/: the npm libraries of the project's survey (survey/libraries.json). Their install
// scripts download native binaries (onnxruntime-node, sharp) that the functions under test do
// not need and that cannot be fetched here: installed without install scripts.
const only = process.argv[2];
const ok = [
  ...(only === undefined || only === 'thirdparty' ? [install('thirdparty', [])] : []),
  ...(only === undefined || only === 'survey' ? [install('survey', ['--ignore-scripts'])] : []),
];
process.exit(ok.every(Boolean) ? 0 : 1);
