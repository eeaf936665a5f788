/**
 * The results page on the screens people use, measured with element boxes in Chromium: at 1280 px every ranking and
 * matrix column is inside its frame and a drill-down opened in the last column (top and bottom row) lies inside the
 * matrix and the window; on a 390 px phone each vendor's total sits beside its name; printed, the page drops the
 * navigation and buttons and fits the ranking and matrix across a landscape Letter page. The demo RFP (seven
 * weighted sections, four vendors, one disqualified) is the case that clipped the Status column before.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RFP_REFERENCE } from '#db/seed';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, SCREENSHOTS, signIn } from './support/pages';

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element is not displayed');
  return b;
}

/** Columns of `frame` (a `.wb-table-wrap`) whose header lies outside the frame's visible box, and whether it scrolls. */
async function clippedColumns(frame: Locator): Promise<{ clipped: string[]; scrolls: boolean }> {
  return frame.evaluate((wrap) => {
    const outer = wrap.getBoundingClientRect();
    const clipped = [...wrap.querySelectorAll('thead th')].flatMap((th) => {
      const r = th.getBoundingClientRect();
      return r.left < outer.left - 0.5 || r.right > outer.right + 0.5 ? [(th.textContent ?? '').trim()] : [];
    });
    return { clipped, scrolls: wrap.scrollWidth > wrap.clientWidth + 1 };
  });
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
}

describe('the results page at 1280 px, on a phone and on paper', () => {
  let server: TestServer;
  let browser: Browser;
  let resultsUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ DEMO_STAGE: 'consensus' });
    const handle = openDatabase(server.databaseUrl);
    try {
      const rfp = await handle.db.selectFrom('rfp').select('id').where('reference', '=', DEMO_RFP_REFERENCE).executeTakeFirstOrThrow();
      resultsUrl = `${server.baseUrl}/rfps/${rfp.id}/results`;
    } finally {
      await handle.close();
    }
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openResults(page: Page): Promise<void> {
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.goto(resultsUrl);
    await page.waitForLoadState('networkidle');
  }

  it('at 1280 px shows every ranking and matrix column, and the last column’s drill-down inside the matrix and the window', async () => {
    const { page, check, close } = await openCheckedPage(browser);
    await openResults(page);
    const ranking = page.locator('.wb-table-wrap:has(> .wb-ranking)');
    expect(await page.locator('.wb-ranking thead th').count()).toBe(2 + 7 + 2);
    expect(await clippedColumns(ranking)).toEqual({ clipped: [], scrolls: false });
    const status = await box(page.locator('.wb-ranking thead th', { hasText: 'Status' }));
    expect(inside(status, await box(ranking))).toBe(true);
    const matrix = page.locator('.wb-matrix-wrap');
    expect(await clippedColumns(matrix)).toEqual({ clipped: [], scrolls: false });
    await check('h-results-1280');

    const lastColumn = page.locator('.wb-matrix tbody tr:has(td) td:last-child');
    for (const [which, cell] of [
      ['first row', lastColumn.first()],
      ['last row', lastColumn.last()],
    ] as const) {
      await cell.locator('summary').click();
      const popover = cell.locator('.wb-drill__body');
      await expect.poll(() => popover.isVisible()).toBe(true);
      // Its scores arrive from the server and it is placed again at its full size.
      await expect.poll(() => popover.getAttribute('aria-busy')).toBe('false');
      const p = await box(popover);
      const viewport = page.viewportSize()!;
      expect(inside(p, await box(matrix)), `${which}: popover inside the matrix frame`).toBe(true);
      expect(inside(p, { x: 0, y: 0, width: viewport.width, height: viewport.height }), `${which}: popover inside the window`).toBe(true);
      // Nothing of it is scrolled out of the frame: the frame does not scroll to make room.
      expect(await matrix.evaluate((w) => w.scrollHeight <= w.clientHeight + 1 && w.scrollWidth <= w.clientWidth + 1)).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `h-results-1280-popover-${which.replace(' ', '-')}.png`) });
    }
    // Opening the second closed the first; Escape closes the one open.
    expect(await page.locator('.wb-matrix details[open]').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.locator('.wb-matrix details[open]').count()).toBe(0);
    await close();
  });

  it('on a 390 px phone shows each vendor’s total beside its name', async () => {
    const { page, check, close } = await openCheckedPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await openResults(page);
    const rows = page.locator('.wb-ranking tbody tr');
    expect(await rows.count()).toBe(4);
    for (const row of await rows.all()) {
      const name = await box(row.locator('th.wb-ranking__vendor'));
      const total = await box(row.locator('td.wb-ranking__total'));
      const text = `${await row.locator('th').textContent()}: ${await row.locator('td.wb-ranking__total').textContent()}`;
      // Same line: the total's first line starts where the name's does, to its right, on the screen.
      expect(Math.abs(total.y - name.y), text).toBeLessThan(6);
      expect(total.x, text).toBeGreaterThanOrEqual(name.x + name.width - 0.5);
      expect(total.x + total.width, text).toBeLessThanOrEqual(390);
    }
    // Each section subtotal keeps its label on the phone.
    expect(await rows.first().locator('td.wb-ranking__section').first().evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Responsible AI"');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await check('h-results-390');
    await close();
  });

  it('prints without the navigation and buttons, sideways, with the ranking and the matrix across the page', async () => {
    const { page, close } = await openCheckedPage(browser);
    await openResults(page);
    // Landscape Letter less 0.4 in margins: 10.2 in = 979 CSS px.
    await page.setViewportSize({ width: 979, height: 700 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.wb-header').isVisible()).toBe(false);
    expect(await page.locator('.wb-tabs').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Excel scorecard (.xlsx)' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Comparison matrix' }).isVisible()).toBe(true);
    const ranking = page.locator('.wb-table-wrap:has(> .wb-ranking)');
    expect(await clippedColumns(ranking)).toEqual({ clipped: [], scrolls: false });
    const matrix = page.locator('.wb-matrix-wrap');
    expect(await clippedColumns(matrix)).toEqual({ clipped: [], scrolls: false });
    expect(await page.locator('.wb-matrix thead th').first().evaluate((th) => getComputedStyle(th).position)).toBe('static');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(SCREENSHOTS, 'h-results-print.pdf'), pdf);
    const sizes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(sizes.length).toBeGreaterThan(1);
    for (const [w, h] of sizes) expect([Math.round(w!), Math.round(h!)]).toEqual([792, 612]);
    await page.emulateMedia({ media: 'screen' });
    await close();
  });
});
