/**
 * An officer imports a two-sheet questionnaire workbook in Chromium, end to end: upload, the proposed sheet, a second
 * sheet ticked, an answer-type code re-mapped in the preview, a reload that keeps every choice, confirm, and the
 * questionnaire saying what was added. Every page is screenshotted, checked with axe, and fails on a script error.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoSheetWorkbook } from '#tests/support/questionnaire-workbooks';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

describe('officer imports a questionnaire workbook in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('upload → two sheets → code table → reload → confirm', async () => {
    const { page, errors, check, close } = await openCheckedPage(browser);
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.getByRole('link', { name: 'Create an RFP' }).click();
    await page.getByLabel('Reference').fill('RFP-2026-041');
    await page.getByLabel('Title').fill('Cloud records system');
    await page.getByLabel('Department').fill('City Clerk');
    await page.getByLabel('AI use-case summary').fill('Questions from a sector security questionnaire.');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
    await page.getByRole('link', { name: 'Questionnaire', exact: true }).click();
    await page.getByRole('link', { name: 'Import a questionnaire file' }).click();
    await page.waitForURL('**/questionnaire/import');

    await page.setInputFiles('#file', { name: 'security questionnaire.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await twoSheetWorkbook()) });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.waitForURL(/upload=/, { timeout: 20_000 });
    await expect.poll(() => page.getByText('Nothing is saved until you confirm.').count()).toBe(1);
    await check('40-import-proposed');

    // Tick whichever question sheet was not proposed, and preview both.
    const sheets = page.getByRole('group', { name: 'Sheets to import' });
    for (const name of ['Governance', 'Data']) {
      const box = sheets.getByRole('checkbox', { name: new RegExp(`^${name}\\b`) });
      // USWDS draws the box on the label; the input itself is off-screen.
      if (!(await box.isChecked())) await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
    }
    await page.getByRole('button', { name: 'Update the preview' }).first().click();
    await expect.poll(() => page.getByRole('group', { name: 'Sheet “Data”' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('group', { name: 'Sheet “Governance”' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/^8 questions in /);
    await check('41-import-two-sheets');

    // ENC is not a code the import knows; say it is a yes/no question.
    const encType = page.getByLabel('Answer type for code ENC');
    await encType.selectOption('yes_no');
    await page.getByRole('button', { name: 'Update the preview' }).last().click();
    await expect.poll(() => page.getByLabel('Answer type for code ENC').inputValue()).toBe('yes_no');
    const dat2 = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'DAT-2', exact: true }) });
    await expect.poll(() => dat2.textContent()).toContain('Yes / No');
    await check('42-import-code-table');

    // A reload keeps every choice and the same preview.
    await page.reload();
    await expect.poll(() => page.getByLabel('Answer type for code ENC').inputValue()).toBe('yes_no');
    await expect.poll(() => page.getByRole('group', { name: 'Sheet “Data”' }).count()).toBe(1);

    const confirm = page.getByRole('button', { name: /^Import \d+ questions$/ });
    expect(await confirm.textContent()).toBe('Import 8 questions');
    await confirm.click();
    await page.waitForURL(/questionnaire\?imported=/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Imported the questionnaire: 8 questions added, 0 rows skipped.');
    await expect.poll(() => page.getByText('A&A-01.1').count()).toBeGreaterThan(0);
    await check('43-builder-after-import');
    expect(errors).toEqual([]);
    await close();
  });
});
