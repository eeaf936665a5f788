/**
 * A lead reads the results of a fully evaluated RFP in Chromium: ranking, charts (rendered on the server and
 * hydrated without errors), the comparison matrix with a drill-down, then the printable scorecard as a one-page
 * Letter PDF. Every page is screenshotted and checked with axe.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, SCREENSHOTS, signIn } from './support/pages';

describe('results and scorecard in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let evaluation: CreatedEvaluation;

  beforeAll(async () => {
    server = await startTestServer();
    const handle = openDatabase(server.databaseUrl);
    try {
      evaluation = await createEvaluation(handle.db, { ...DEFAULT_EVALUATION, status: 'closed', passwordHash: await hashPassword('demo-password') });
    } finally {
      await handle.close();
    }
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lead opens the results, drills into a score, and prints the scorecard on one Letter page', async () => {
    const { page, errors, check, close } = await openCheckedPage(browser);
    await signIn(page, server.baseUrl, evaluation.lead.email);
    await page.goto(`${server.baseUrl}/rfps/${evaluation.rfpId}`);
    await page.getByRole('link', { name: 'Results', exact: true }).click();
    await page.waitForURL('**/results');

    await expect.poll(() => page.getByText('Final results:').count()).toBe(1);
    const firstRow = page.locator('.wb-ranking tbody tr').first();
    expect(await firstRow.locator('th').textContent()).toBe('Civic Answers Inc.');
    expect(await firstRow.locator('td').nth(5).textContent()).toBe('82.76');
    await expect.poll(() => page.getByText('Disqualified:').count()).toBe(1);
    // Charts: rendered on the server as SVG, each with a summary and a table alternative.
    expect(await page.locator('.wb-chart .recharts-wrapper > svg.recharts-surface').count()).toBe(4);
    expect(await page.locator('.wb-chart details summary').count()).toBe(4);
    await expect.poll(() => page.getByText(/Civic Answers Inc\. wins [\d.]+% of 10,000 re-weightings/).count()).toBe(1);
    await check('70-results');

    // The table alternative renders when its disclosure is opened (the page does not carry it).
    await page.locator('.wb-chart details summary').nth(3).click();
    await expect.poll(() => page.getByRole('cell', { name: /%$/ }).count()).toBeGreaterThan(0);

    // Drill-down: OmniSight's bias testing, where the panel split 1 / 3 / 5 and consensus decided 3.
    // The page does not carry it: opening the cell reads the criterion's drill-downs, and the popover takes the focus.
    const column = await page.locator('.wb-matrix thead th').allTextContents();
    const omniColumn = column.findIndex((t) => t.startsWith('OmniSight Analytics'));
    const biasRow = page.locator('.wb-matrix tbody tr', { has: page.getByRole('rowheader', { name: /Bias and performance testing/ }) });
    const cell = biasRow.locator(':scope > *').nth(omniColumn).locator('summary');
    expect(await page.content()).not.toContain('Bias testing covers English only');
    await cell.focus();
    await page.keyboard.press('Enter');
    const body = page.locator('.wb-matrix details[open] .wb-drill__body');
    await expect.poll(() => body.textContent()).toContain('Bias testing covers English only');
    expect(await body.getAttribute('aria-label')).toBe('OmniSight Analytics — Bias and performance testing');
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('wb-drill__body'))).toBe(true);
    expect(await body.textContent()).toMatch(/Evan Chen: 1.*Marcus Bell: 5.*Priya Natarajan: 3/s);
    await body.scrollIntoViewIfNeeded();
    await check('71-results-drill-down');
    // Escape closes it and gives the focus back to the cell.
    await page.keyboard.press('Escape');
    expect(await page.locator('.wb-matrix details[open]').count()).toBe(0);

    await page.getByRole('link', { name: 'Leadership scorecard (printable)' }).click();
    await page.waitForURL('**/scorecard');
    await expect.poll(() => page.locator('.wb-scorecard__recommendation').textContent()).toBe('Civic Answers Inc., with 82.76 of 100.00 points.');
    await check('72-scorecard');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.wb-header').isVisible()).toBe(false);
    expect(await page.locator('footer.usa-footer').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'Letter', printBackground: true });
    writeFileSync(join(SCREENSHOTS, '72-scorecard.pdf'), pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    expect(errors).toEqual([]);
    await close();
  });

  it('marks the price points of the vendor that failed a knock-out as not counted, and ranks it as disqualified', async () => {
    const { page, check, close } = await openCheckedPage(browser);
    await signIn(page, server.baseUrl, evaluation.lead.email);
    await page.goto(`${server.baseUrl}/rfps/${evaluation.rfpId}/results`);
    // BudgetBot LLC failed “No training on the city’s data” (a knock-out), unanimously.
    const ranked = page.locator('.wb-ranking tbody tr', { has: page.getByRole('rowheader', { name: 'BudgetBot LLC', exact: true }) });
    expect(await ranked.locator('td.wb-ranking__rank').textContent()).toBe('—');
    expect(await ranked.locator('td.wb-ranking__status').textContent()).toMatch(/^Disqualified: .*No training on the city’s data/);

    const columns = await page.locator('.wb-matrix thead th').allTextContents();
    const budgetColumn = columns.findIndex((t) => t.startsWith('BudgetBot LLC'));
    expect(columns[budgetColumn]).toBe('BudgetBot LLCDisqualified');
    const priceRow = page.locator('.wb-matrix tbody tr', { has: page.getByRole('rowheader', { name: /Price for the contract term/ }) });
    const priceCells = priceRow.locator(':scope > *');
    const notCounted = priceCells.nth(budgetColumn).locator('.wb-cell__points--not-counted');
    expect(await notCounted.isVisible()).toBe(true);
    expect(await notCounted.textContent()).toMatch(/^\d+\.\d{2} pts not counted \(disqualified\)$/);
    // Struck through, not only worded: the points themselves are in <s>.
    expect(await notCounted.locator('s').textContent()).toMatch(/^\d+\.\d{2} pts$/);
    // Every qualified vendor's price points count.
    for (let i = 0; i < columns.length; i += 1) {
      if (i < 2 || i === budgetColumn) continue;
      expect(columns[i], 'a qualified vendor').toMatch(/Rank \d$/);
      expect(await priceCells.nth(i).locator('.wb-cell__points--not-counted').count(), columns[i]).toBe(0);
      expect(await priceCells.nth(i).textContent(), columns[i]).toMatch(/\d+\.\d{2} pts/);
    }
    await check('73-results-not-counted');
    await close();
  });
});
