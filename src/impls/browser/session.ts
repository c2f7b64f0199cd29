/**
 * The process's browser: one Chromium (chromium.ts) and one loopback server (server.ts), started
 * by the first browser implementation's `setup` and shared by all of them; inside it, one page per
 * *runtime* (the WGSL kernels; tfjs on one backend; onnxruntime-web on one execution provider; a
 * vetted module), each loaded and initialised once.
 *
 * Isolation, as measured (docs/gpu.md): a page that crashes (its renderer killed, or out of its
 * heap) takes no other page with it — the browser and the other pages keep answering — so pages
 * are enough between runtimes, and a crash costs only the page it happened in: its call rejects
 * ("Target crashed", a `crash` finding of the implementation that was running) and the page is
 * dropped, so the next call of any implementation of that runtime opens and initialises a new one.
 * A page that hangs (a script that never returns, or the GPU process stuck on a kernel, which
 * stalls every page of the browser) is not handled here: the campaign's worker, which this browser
 * is a child of, is killed at its time limit (a `timeout` finding), Chromium exits with it, and the
 * fresh worker starts a fresh browser. A browser that disconnects (crashed, or closed) is dropped
 * with all its pages, and the next call starts a new one.
 *
 * The browser closes when its last user has gone (`release`) and no new one came within a second
 * (`logitfuzz list` sets every implementation up and disposes of it in turn: one browser for all).
 */
import { launchChromium, type PwBrowser, type PwPage } from './chromium.js';
import { LoopbackServer } from './server.js';
import { Unavailable } from '../types.js';

/** A started browser and the server its pages come from. */
export interface BrowserHandle {
  readonly browser: PwBrowser;
  readonly server: LoopbackServer;
  /** Chromium's version, e.g. '156.0.8078.129'. */
  readonly version: string;
}

/** Prepares a fresh page for a runtime (load its libraries, acquire its device); throws as `setup` does. */
export type PageInit = (page: PwPage, handle: BrowserHandle) => Promise<void>;

let handle: Promise<BrowserHandle> | undefined;
let unavailable: Unavailable | undefined;
const pages = new Map<string, Promise<PwPage>>();
let users = 0;
let closeTimer: NodeJS.Timeout | undefined;

/**
 * The process's browser, started on first use (and again after it went away).
 * @throws Unavailable without playwright-core or Chromium (cached: neither appears later).
 */
export function browserHandle(): Promise<BrowserHandle> {
  if (unavailable) return Promise.reject(unavailable);
  if (!handle) {
    const p = start();
    handle = p;
    p.catch((e: unknown) => {
      if (e instanceof Unavailable) unavailable = e;
      if (handle === p) handle = undefined;
    });
  }
  return handle;
}

async function start(): Promise<BrowserHandle> {
  const server = await LoopbackServer.start();
  let browser: PwBrowser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await server.close();
    throw e;
  }
  const h: BrowserHandle = { browser, server, version: browser.version() };
  browser.on('disconnected', () => {
    void server.close();
    if (handle !== undefined) {
      void handle.then((cur) => {
        if (cur !== h) return;
        handle = undefined;
        pages.clear();
      });
    }
  });
  return h;
}

/**
 * The page of runtime `key`, opened on the loopback page and prepared by `init` on first use (and
 * again after it crashed or was closed). A failed `init` closes the page and is not cached.
 */
export function runtimePage(key: string, init: PageInit): Promise<PwPage> {
  let p = pages.get(key);
  if (!p) {
    p = open(key, init);
    pages.set(key, p);
    const mine = p;
    p.catch(() => {
      if (pages.get(key) === mine) pages.delete(key);
    });
  }
  return p;
}

async function open(key: string, init: PageInit): Promise<PwPage> {
  const h = await browserHandle();
  const page = await h.browser.newPage();
  const drop = (): void => {
    void pages.get(key)?.then(
      (cur) => {
        if (cur === page) pages.delete(key);
      },
      () => {},
    );
  };
  page.on('crash', drop);
  page.on('close', drop);
  if (process.env.LOGITFUZZ_DEBUG && process.env.LOGITFUZZ_DEBUG !== '0')
    page.on('console', (m) => process.stderr.write(`[browser ${key}] ${m.type()}: ${m.text()}\n`));
  try {
    await page.goto(h.server.pageUrl);
    await init(page, h);
  } catch (e) {
    await page.close().catch(() => {});
    throw e;
  }
  return page;
}

/** Closes runtime `key`'s page, if open (after an error that may have left it in a bad state). */
export async function closeRuntimePage(key: string): Promise<void> {
  const p = pages.get(key);
  pages.delete(key);
  const page = await p?.catch(() => undefined);
  await page?.close().catch(() => {});
}

/** One more implementation uses the browser (from its `setup`). */
export function retainBrowser(): void {
  users++;
  if (closeTimer) clearTimeout(closeTimer);
  closeTimer = undefined;
}

/** One implementation less (its `dispose`); the last one closes the browser after a second. */
export function releaseBrowser(): void {
  if (users === 0) return;
  users--;
  if (users > 0) return;
  if (closeTimer) clearTimeout(closeTimer);
  closeTimer = setTimeout(() => void closeBrowser(), 1000);
  closeTimer.unref();
}

/** Closes the browser and its server now (a later call starts them again). */
export async function closeBrowser(): Promise<void> {
  const p = handle;
  handle = undefined;
  pages.clear();
  const h = await p?.catch(() => undefined);
  if (!h) return;
  await h.browser.close().catch(() => {});
  await h.server.close();
}
