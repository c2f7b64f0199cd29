/**
 * Opens a generated HTML report in a real browser (Debian's chromium, driven by playwright-core)
 * and checks what a person would see: no console error (a CSP violation, for instance, is one),
 * no network request, every chart drawn with one mark per non-empty bin of the record, the
 * severity headline and badges, hostile strings shown as text, a well-formed JUnit file, and that
 * the page of a main-job-sized record (140 implementations) loads in under 2 s. Saves screenshots
 * under reports/ (git-ignored) to look at.
 *
 * Needs /usr/bin/chromium (CI installs it: apt-get install -y chromium); never downloads one.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { fixtureRecord, hostileRecord, IMG_NAME, mutableCopy } from '../../src/report/_testutil/fixture.js';
import type { RunRecord } from '../../src/report/schema.js';
import { HEADLESS_ARGS } from '../../src/impls/browser/chromium.js';

// The page functions below run in the browser; the project's TypeScript has no DOM library, so
// they see the page through these few declarations (type-only: erased before they are sent).
interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  getBBox(): { readonly width: number; readonly height: number };
}
interface PageDocument {
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  getElementById(id: string): PageElement | null;
  getElementsByTagName(name: string): { readonly length: number };
}
interface PageGlobals {
  readonly document: PageDocument;
  readonly DOMParser: new () => { parseFromString(text: string, type: string): PageDocument };
  readonly performance: {
    getEntriesByType(
      type: 'navigation',
    ): readonly { readonly startTime: number; readonly loadEventEnd: number }[];
  };
}

const CHROMIUM = process.env.LOGITFUZZ_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [...HEADLESS_ARGS];
const SHOTS = new URL('../../reports/', import.meta.url);

/**
 * A record the size of the main job's (the default zoo: ~140 implementations): the fixture's
 * implementations, real bins and counterexamples (4096-logit ones included), repeated under new
 * names.
 */
function mainJobRecord(): RunRecord {
  const base = fixtureRecord();
  const impls = Array.from({ length: 140 }, (_, n) => {
    const i = base.implementations[n % base.implementations.length];
    const [op, form, format] = i.name.split('/');
    return { ...i, name: `${op}/${form}-${Math.floor(n / base.implementations.length)}/${format}` };
  });
  return { ...base, implementations: impls };
}

/** Milliseconds from navigation start to the end of the load event, the best of `tries` fresh loads. */
async function loadTime(browser: Browser, url: string, tries: number): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < tries && best >= LOAD_LIMIT_MS; k++) {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await p.goto(url, { waitUntil: 'load' });
    const ms = await p.evaluate(() => {
      const nav = (globalThis as unknown as PageGlobals).performance.getEntriesByType('navigation')[0];
      return nav.loadEventEnd - nav.startTime;
    });
    await p.close();
    best = Math.min(best, ms);
  }
  return best;
}

/** The spec: the main job's report loads in headless Chromium in under 2 s. */
const LOAD_LIMIT_MS = 2000;

/** The fixture with one implementation renamed to an HTML payload. */
function record(): RunRecord {
  const m = mutableCopy(fixtureRecord());
  const victim = m.implementations.find((i) => i.name === 'softmax/naive/f64')!;
  victim.name = IMG_NAME;
  return m as unknown as RunRecord;
}

describe('the HTML report in a browser', () => {
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-browser-'));
  const r = record();
  const file = join(dir, 'index.html');
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `chromium is missing at ${CHROMIUM}: install it with 'apt-get install -y chromium' (Debian/Ubuntu), or set LOGITFUZZ_CHROMIUM to a Chromium binary`,
      );
    }
    writeFileSync(file, renderHtml(r));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (q) => requests.push(q.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // open every collapsed section so that everything is laid out
    await page.evaluate(() => {
      for (const d of (globalThis as unknown as PageGlobals).document.querySelectorAll('details'))
        d.setAttribute('open', '');
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads without a console error (CSP included) and makes no request but the page itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(dialogs).toEqual([]);
  });

  it('draws every chart with one mark per non-empty bin of the record', async () => {
    const drawn = await page.evaluate(() =>
      [...(globalThis as unknown as PageGlobals).document.querySelectorAll('details.impl')].map((d) => {
        const boxes = (sel: string) => [...d.querySelectorAll(sel)].map((el) => el.getBBox());
        const visible = (sel: string) => boxes(sel).every((b) => b.width > 0 && b.height > 0);
        return {
          id: d.id,
          bars: d.querySelectorAll('svg.hist rect.bar').length,
          cells: d.querySelectorAll('svg.map rect.cell').length,
          lbars: d.querySelectorAll('svg.lengths rect.lbar').length,
          cdf: d.querySelectorAll('svg.cdfchart path.cdf').length,
          marksVisible:
            visible('rect.bar') && visible('rect.cell') && visible('rect.lbar') && visible('path.cdf'),
          // the shared axes placed with <use> render (their labels have a size)
          axes: boxes('svg use').every((b) => b.width > 100 && b.height > 50),
          charts: d.querySelectorAll('svg').length,
        };
      }),
    );
    expect(drawn.length).toBe(r.implementations.length);
    r.implementations.forEach((i, n) => {
      const got = drawn.find((x) => x.id === `i${n}`)!;
      if (i.verdict === 'unavailable') {
        expect(got.charts, i.name).toBe(0);
        return;
      }
      expect(got, i.name).toEqual({
        id: `i${n}`,
        bars: i.ulp.histogram.filter((c) => c > 0).length,
        cells: Object.keys(i.errorMap).length,
        lbars: Object.keys(i.byLength).length,
        cdf: i.cases > 0 ? 1 : 0,
        marksVisible: true,
        axes: true,
        charts: 4,
      });
    });
  });

  it('leads with severity: the headline counts, and a badge on every counterexample', async () => {
    const shown = await page.evaluate(() => {
      const document = (globalThis as unknown as PageGlobals).document;
      return {
        cards: [...document.querySelectorAll('.grades > div')].map((d) => d.textContent ?? ''),
        badges: [...document.querySelectorAll('.cex > div > .sev')].map((b) => b.textContent ?? ''),
        errors: [...document.querySelectorAll('.cex .err')].map((b) => b.textContent ?? ''),
      };
    });
    const measured = r.implementations.filter((i) => i.verdict !== 'unavailable');
    const wrong = measured.filter((i) => i.verdicts.wrong === 'fail').length;
    const inaccurate = measured.filter((i) => i.verdicts.inaccurate === 'fail').length - wrong;
    expect(shown.cards[0]).toMatch(new RegExp(`^${wrong}give wrong answers`));
    expect(shown.cards[1]).toMatch(new RegExp(`^${inaccurate}only inaccurate`));
    expect(shown.cards[3]).toMatch(/^0not as expected/);
    const severities = r.implementations.flatMap((i) =>
      Object.values(i.counterexamples).map((c) => (c.finding.severity ?? 'no verdict').toUpperCase()),
    );
    expect(shown.badges.sort()).toEqual(severities.sort());
    expect(shown.errors.length).toBeGreaterThan(0);
    for (const t of shown.errors) expect(t).toMatch(/^\(rel [0-9.e∞-]+, abs [0-9.e-]+\)$/);
  });

  it(`loads the page of a main-job-sized record in under ${LOAD_LIMIT_MS} ms (navigation start to load event)`, async () => {
    const big = join(dir, 'main-job.html');
    const html = renderHtml(mainJobRecord());
    writeFileSync(big, html);
    // the best of up to three fresh loads, so that another process on a shared machine does not decide it
    const ms = await loadTime(browser, pathToFileURL(big).href, 3);
    console.log(
      `main-job-sized report (${(html.length / 1e6).toFixed(1)} MB): loaded in ${ms.toFixed(0)} ms`,
    );
    expect(ms).toBeLessThan(LOAD_LIMIT_MS);
    expect(await loadTime(browser, pathToFileURL(file).href, 3)).toBeLessThan(LOAD_LIMIT_MS);
  });

  it('shows a hostile implementation name as text, injecting no element', async () => {
    const found = await page.evaluate((name) => {
      const document = (globalThis as unknown as PageGlobals).document;
      return {
        imgs: document.querySelectorAll('img').length,
        scripts: document.querySelectorAll('script').length,
        summaryLink: [...document.querySelectorAll('table.summary a')].some((a) => a.textContent === name),
        detailTitle: [...document.querySelectorAll('details.impl > summary b')].some(
          (b) => b.textContent === name,
        ),
      };
    }, IMG_NAME);
    expect(found).toEqual({ imgs: 0, scripts: 0, summaryLink: true, detailTitle: true });
  });

  it('renders JUnit XML that a browser parses as well-formed, hostile strings included', async () => {
    const errors = await page.evaluate(
      (xmls) => {
        const Parser = (globalThis as unknown as PageGlobals).DOMParser;
        return xmls.map(
          (x) =>
            new Parser().parseFromString(x, 'application/xml').getElementsByTagName('parsererror').length,
        );
      },
      [renderJunit(r), renderJunit(hostileRecord())],
    );
    expect(errors).toEqual([0, 0]);
  });

  it('saves screenshots for a person to look at', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await fresh.goto(pathToFileURL(file).href);
    await fresh.screenshot({ path: new URL('report-top.png', SHOTS).pathname });
    const index = r.implementations.findIndex((i) => i.name === 'cross_entropy_grad/naive/f64');
    await fresh.evaluate(
      (id) => (globalThis as unknown as PageGlobals).document.getElementById(id)?.setAttribute('open', ''),
      `i${index}`,
    );
    await fresh.locator(`#i${index}`).screenshot({ path: new URL('report-detail.png', SHOTS).pathname });
    await fresh.close();
    expect(existsSync(new URL('report-detail.png', SHOTS))).toBe(true);
  });
});
