/**
 * The report in a real browser: headless Chromium (Debian's /usr/bin/chromium)
 * through playwright-core opens the file:// page offline and must load it
 * without console errors or requests beyond the file itself, and draw the
 * charts (non-blank pixels, laid-out text). Skipped, saying why, when
 * Chromium is not installed (CI installs it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadLog, writeReport } from '../src/report/index.js';
import { countNonBackground, decodePng } from './helpers-report/png.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`report-browser.test.ts: skipped, no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or install chromium)`);

const FIXTURE = fileURLToPath(new URL('./fixtures/run-small.jsonl', import.meta.url));

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'effrank-report-browser-'));
  let context: BrowserContext;
  let url: string;

  beforeAll(async () => {
    const out = join(dir, 'report.html');
    await writeReport(loadLog(FIXTURE), { out, title: 'browser check' });
    url = pathToFileURL(out).href;
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1000, height: 800 },
      offline: true,
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline with no console errors and no request but the page itself', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('request', (r) => requests.push(r.url()));
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.ok() ?? true).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.title()).toBe('browser check');

    // Four charts, laid out with a size, their text measured (a font was found).
    const boxes = await page.locator('svg').evaluateAll((svgs) =>
      svgs.map((s) => {
        const r = s.getBoundingClientRect();
        // (No DOM lib in this tsconfig: SVGTextElement typed structurally.)
        const labels = [...s.querySelectorAll('text')] as unknown as { getComputedTextLength(): number }[];
        return { w: r.width, h: r.height, texts: labels.length, measured: labels.filter((t) => t.getComputedTextLength() > 0).length };
      }),
    );
    expect(boxes).toHaveLength(4);
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(600);
      expect(b.h).toBeGreaterThan(300);
      expect(b.texts).toBeGreaterThan(10);
      expect(b.measured).toBe(b.texts);
    }
    expect(await page.locator('table.summary tbody tr').count()).toBe(4);
    await page.close();
  });

  it('draws the charts: a screenshot of each has non-background pixels', async () => {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const svgs = page.locator('svg');
    for (let i = 0; i < (await svgs.count()); i++) {
      const img = decodePng(await svgs.nth(i).screenshot());
      expect(img.width).toBeGreaterThan(600);
      const inked = countNonBackground(img.rgba);
      expect(inked, `chart ${i}`).toBeGreaterThan(img.width * img.height * 0.02);
    }
    await page.close();
  });
});
