/**
 * A vendor's response the way an officer handles it in the browser: download the questionnaire workbook, the vendor
 * fills it and saves it in LibreOffice, the officer uploads it, reads the preview, confirms, and reads the answers
 * side by side.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libreOfficeConvert } from '#tests/support/libreoffice';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-vendor-'));

describe('vendor workbook round trip in the browser', () => {
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

  it('download → fill in LibreOffice → upload → preview → confirm → side by side', async () => {
    const { page, errors, check, close } = await openCheckedPage(browser);
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.getByRole('link', { name: 'DEMO-311-GENAI' }).click();
    await page.getByRole('link', { name: 'Vendors', exact: true }).first().waitFor();
    await page.locator('.wb-tabs').getByRole('link', { name: 'Vendors', exact: true }).click();
    await page.waitForURL('**/vendors');
    await page.getByLabel('Vendor name').fill('Newcomer Civic AI');
    await page.getByLabel('Short name').fill('newcomer');
    await page.getByRole('button', { name: 'Register and add' }).click();
    await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
    await check('40-vendor-answers-empty');
    await page.getByRole('link', { name: 'Import this vendor’s filled workbook' }).click();
    await page.waitForURL(/\/import$/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download it for Newcomer Civic AI/ }).click()]);
    const blank = join(dir, download.suggestedFilename());
    await download.saveAs(blank);
    expect(download.suggestedFilename()).toBe('DEMO-311-GENAI-questionnaire-v1-newcomer.xlsx');

    // The vendor answers every text question and saves the workbook in LibreOffice.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(blank);
    let filled = 0;
    for (const sheet of workbook.worksheets) {
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').toLowerCase());
      const key = header.indexOf('key');
      const answer = header.indexOf('answer');
      const type = header.indexOf('answer type');
      if (key < 1 || answer < 1) continue;
      sheet.eachRow((row, n) => {
        if (n === 1 || !row.getCell(key).value || String(row.getCell(type).value) !== 'Text') return;
        row.getCell(answer).value = `Newcomer answers ${String(row.getCell(key).value)}: <b>bold claims</b>`;
        filled += 1;
      });
    }
    const filledPath = join(dir, 'filled.xlsx');
    await workbook.xlsx.writeFile(filledPath);
    const resaved = await libreOfficeConvert(filledPath, 'xlsx', join(dir, 'lo'));

    await page.setInputFiles('#file', resaved);
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.waitForURL(/upload=/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`${filled} new, 0 changed`);
    await check('41-vendor-import-preview');
    await page.getByRole('button', { name: `Import ${filled} answers` }).click();
    await page.waitForURL(/imported=/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Imported the workbook: ${filled} answers changed.`);

    await page.goto(`${page.url().split('/vendors/')[0]}/answers`);
    await page.getByRole('link', { name: 'RAI-01', exact: true }).click();
    await page.waitForURL(/\/answers\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Newcomer Civic AI' }).count()).toBe(1);
    // Vendor text stays text: the tags are shown, not rendered.
    expect(await page.getByText('Newcomer answers RAI-01: <b>bold claims</b>').count()).toBe(1);
    await check('42-answers-side-by-side');

    // The vendor sends a corrected workbook in which they also rewrote a locked question: the preview flags it with the
    // difference, and it is imported only once the lead accepts it with a reason.
    const rewritten = new ExcelJS.Workbook();
    await rewritten.xlsx.readFile(resaved);
    let question = '';
    for (const sheet of rewritten.worksheets) {
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').toLowerCase());
      if (sheet.name.startsWith('_') || header.indexOf('key') < 1) continue;
      sheet.eachRow((row, n) => {
        if (n === 1 || String(row.getCell(header.indexOf('key')).value) !== 'RAI-01') return;
        question = String(row.getCell(header.indexOf('question')).value);
        row.getCell(header.indexOf('question')).value = `${question} Only for the pilot.`;
        row.getCell(header.indexOf('answer')).value = 'Newcomer answers RAI-01 again.';
      });
    }
    expect(question).not.toBe('');
    const rewrittenPath = join(dir, 'rewritten.xlsx');
    await rewritten.xlsx.writeFile(rewrittenPath);
    await page.goto(`${page.url().split('/answers/')[0]}/vendors`);
    await page.getByRole('link', { name: 'Newcomer Civic AI' }).click();
    await page.getByRole('link', { name: 'Import this vendor’s filled workbook' }).click();
    await page.waitForURL(/\/import$/);
    await page.setInputFiles('#file', rewrittenPath);
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.waitForURL(/upload=/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('0 new, 1 changed');
    expect(await page.getByText('Question text edited in the workbook.').count()).toBe(1);
    expect(await page.locator('.wb-diff ins').textContent()).toBe('[in the workbook:  Only for the pilot.]');
    await check('43-vendor-import-flagged');
    await page.getByRole('button', { name: 'Import 1 answer' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Tick “Accept the flagged workbook”');
    // USWDS draws its own box and hides the native input: tick it through its label, as a person does.
    await page.locator('label[for="acceptFlags"]').click();
    expect(await page.getByLabel('Accept the flagged workbook and import it as it is').isChecked()).toBe(true);
    await page.getByLabel('Reason for accepting').fill('The vendor confirmed by email that the answer is for the whole city.');
    await page.getByRole('button', { name: 'Import 1 answer' }).click();
    await page.waitForURL(/imported=/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Imported the workbook: 1 answer changed.');
    expect(errors).toEqual([]);
    await close();
  });
});
