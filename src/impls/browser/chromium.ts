/**
 * Starting Debian's Chromium, headless, through playwright-core — never a browser downloaded by
 * Playwright. Both are looked for lazily (by `launchChromium`, from an implementation's `setup`),
 * so a machine without them still lists the rest of the zoo, and the browser implementations say
 * why they are unavailable and what fixes it.
 *
 * Launch flags, measured with Chromium 156 on Debian 12 (docs/gpu.md): `--enable-unsafe-webgpu`
 * alone gives `navigator.gpu` on a loopback page (a secure context) and an adapter that is
 * Chromium's own Dawn on SwiftShader (vendor 'google', architecture 'swiftshader', Vulkan, core
 * feature level), even with `--disable-gpu`; `--enable-features=Vulkan`, `--use-angle=swiftshader`
 * and `--use-webgpu-adapter=swiftshader` change nothing there, so they are not passed (on a
 * machine with a GPU the browser then picks its own adapter, as a user's browser would).
 * `--js-flags=--max-old-space-size=…` bounds each page's JavaScript heap, so that a page that
 * allocates without end dies of it quickly (a `crash`, as a worker's out-of-memory is) instead of
 * taking the machine's memory.
 *
 * Lifetime: the browser is a child of this process connected by a pipe; when this process dies
 * (a campaign worker killed for a timeout, with its process group) the pipe closes and Chromium
 * exits with it — measured: no Chromium process is left 3 s after SIGKILL of its parent.
 */
import { existsSync } from 'node:fs';
import { Unavailable } from '../types.js';

/** Where Debian installs Chromium; `LOGITFUZZ_CHROMIUM` names another executable. */
function chromiumPath(): string {
  return process.env.LOGITFUZZ_CHROMIUM || '/usr/bin/chromium';
}

/** The fix named when Chromium is missing (CI installs it the same way). */
const CHROMIUM_FIX =
  'apt-get update && apt-get install -y chromium (Debian; or set LOGITFUZZ_CHROMIUM to a Chromium executable)';

/** The fix named when playwright-core is missing (a dependency of logitfuzz, pinned in package.json). */
const PLAYWRIGHT_FIX = 'npm install playwright-core@1.65.1';

/** Each page's JavaScript heap limit in MB (see the header): room for a 2^20-logit batch many times over. */
const PAGE_HEAP_MB = 1024;

/**
 * Headless Chromium that reaches nothing by itself (no updates, sync or first-run pages): the
 * project's flags wherever it starts Debian's Chromium (the runner, the report tests).
 */
export const HEADLESS_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The flags the runner starts Chromium with (see the header). */
const CHROMIUM_ARGS: readonly string[] = [
  ...HEADLESS_ARGS,
  '--enable-unsafe-webgpu',
  `--js-flags=--max-old-space-size=${PAGE_HEAP_MB}`,
];

// The small part of playwright-core's API used here, typed structurally: the module is imported
// lazily, and no type of it leaks into the declarations of this layer.
export interface PwPage {
  goto(url: string): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  addScriptTag(options: { url: string }): Promise<unknown>;
  on(event: 'crash' | 'close', listener: () => void): unknown;
  on(event: 'console', listener: (msg: { type(): string; text(): string }) => void): unknown;
  close(): Promise<void>;
  isClosed(): boolean;
}
export interface PwBrowser {
  version(): string;
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
  isConnected(): boolean;
  on(event: 'disconnected', listener: () => void): unknown;
}
interface PwModule {
  readonly chromium: {
    launch(options: {
      executablePath: string;
      args: readonly string[];
      headless: boolean;
      timeout?: number;
    }): Promise<PwBrowser>;
  };
}

/**
 * Starts Chromium headless with `CHROMIUM_ARGS`.
 * @throws Unavailable when playwright-core cannot be loaded, Chromium is not at `chromiumPath()`,
 *   or it does not start (each with the fix).
 */
export async function launchChromium(): Promise<PwBrowser> {
  let pw: PwModule;
  try {
    pw = (await import('playwright-core')) as unknown as PwModule;
  } catch (e) {
    throw new Unavailable(`playwright-core could not be loaded: ${(e as Error).message}`, PLAYWRIGHT_FIX);
  }
  const exe = chromiumPath();
  if (!existsSync(exe)) throw new Unavailable(`no Chromium at ${exe}`, CHROMIUM_FIX);
  try {
    return await pw.chromium.launch({
      executablePath: exe,
      args: CHROMIUM_ARGS,
      headless: true,
      timeout: 30_000,
    });
  } catch (e) {
    const first = (e as Error).message.split('\n').slice(0, 3).join(' ');
    throw new Unavailable(`Chromium at ${exe} did not start: ${first}`, CHROMIUM_FIX);
  }
}
