/**
 * A survey's report (`logitfuzz survey`'s DIR/index.html, here of the user manifest in
 * test/fixtures/survey/) in a real browser: no console error, no network request, and every
 * entry × op × format with its grade, a severity badge on every counterexample.
 *
 * Needs /usr/bin/chromium (CI installs it: apt-get install -y chromium); never downloads one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyRunRecord } from '../../src/report/schema.js';
import { cli } from '../campaign/_cli.js';
import { HEADLESS_ARGS } from '../../src/impls/browser/chromium.js';

interface PageElement {
  readonly textContent: string | null;
}
interface PageDocument {
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  readonly body: PageElement;
}

const CHROMIUM = process.env.LOGITFUZZ_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [...HEADLESS_ARGS];
const MANIFEST = fileURLToPath(new URL('../fixtures/survey/manifest.json', import.meta.url));

describe("a survey's report in a browser", () => {
  const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-survey-browser-'));
  const file = join(dir, 'index.html');
  let browser: Browser;
  let page: Page;
  let record: SurveyRunRecord;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `chromium is missing at ${CHROMIUM}: install it with 'apt-get install -y chromium' (Debian/Ubuntu), or set LOGITFUZZ_CHROMIUM to a Chromium binary`,
      );
    const r = cli(['survey', MANIFEST, '--quick', '--out', dir], { timeoutMs: 240_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    record = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SurveyRunRecord;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads without a console error and makes no request but the page itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
  });

  it("shows every entry × op × format, and a severity badge on each of the wrong entry's counterexamples", async () => {
    const shown = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: PageDocument }).document;
      return {
        text: document.body.textContent ?? '',
        badges: [...document.querySelectorAll('.cex > div > .sev')].map((b) => b.textContent ?? ''),
      };
    });
    for (const e of record.survey.entries) for (const row of e.rows) expect(shown.text).toContain(row.impl);
    const severities = record.implementations.flatMap((i) =>
      Object.values(i.counterexamples).map((c) => (c.finding.severity ?? 'no verdict').toUpperCase()),
    );
    expect(severities.length).toBeGreaterThan(0);
    expect(shown.badges.sort()).toEqual(severities.sort());
    expect(shown.text).toMatch(/unavailable/);
  });
});
