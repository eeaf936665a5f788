/**
 * Part F of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Item 7, vendors: once both responses are recorded, the officer finds the price typed in one place shown in the other
 * (one value) and a price of 0 or less refused in both; attaches a vendor's model card, replaces it with a corrected
 * one and removes it after the confirmation; edits a registry entry and is told why two vendors of one RFP cannot be
 * merged; imports Civic Answers' workbook with a price of 0 and sees the preview flag the price and refuse the import.
 * (A newly registered vendor showing "Expected" is checked by the story's own step.) Everything it changes it puts
 * back: same prices, no files, the same registry details. After the close, starting the city's next RFP, the officer
 * registers Civic Answers again under another name, finds the duplicate in the registry and merges it: its response
 * moves to the story's entry, which takes the website it lacked, and the next RFP's audit log says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PartHooks, WorkingDay } from './context';
import { isoDateFromToday, openTab } from './story';

const PRICE_LABEL = 'Total price for the contract term (US dollars)';

async function status(page: Page): Promise<string> {
  return (await page.getByRole('status').first().textContent()) ?? '';
}

async function errorSummary(page: Page): Promise<string> {
  const summary = page.locator('.usa-alert--error').first();
  await summary.waitFor();
  return (await summary.textContent()) ?? '';
}

async function openVendor(ctx: WorkingDay, page: Page, name: string): Promise<void> {
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);
  await openTab(page, 'Vendors', '/vendors');
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForURL(/\/vendors\/[0-9a-f-]{36}/);
}

async function priceAnswer(page: Page) {
  await page.getByRole('link', { name: /^Price/ }).first().click();
  await expect.poll(() => page.getByRole('heading', { name: 'Price', exact: true, level: 2 }).count()).toBe(1);
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Save Price' }) });
  return { form, input: form.locator('input[id^="answer-"]').first() };
}

async function priceIsOneValue(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const civic = ctx.vendors.civic;
  await openVendor(ctx, page, civic.name);

  // A negative price typed as the answer is refused, saying why, and nothing changes.
  const { form, input } = await priceAnswer(page);
  await input.fill('-5');
  await form.getByRole('button', { name: 'Save Price' }).click();
  expect(await errorSummary(page)).toContain('the price must be more than 0 (you entered -5)');
  await check('wd-f-price-refused');
  await expect.poll(() => page.getByLabel(PRICE_LABEL).inputValue()).toBe(String(civic.price));

  // A price changed in Response details is the answer to the price question too; then it is put back.
  const corrected = civic.price + 5_000;
  await page.getByLabel(PRICE_LABEL).fill(String(corrected));
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect.poll(() => status(page)).toContain('Response details saved.');
  await expect.poll(async () => (await priceAnswer(page)).input.inputValue()).toBe(String(corrected));
  await page.getByLabel(PRICE_LABEL).fill('0');
  await page.getByRole('button', { name: 'Save details' }).click();
  expect(await errorSummary(page)).toContain('The price must be more than 0.');
  const again = await priceAnswer(page);
  await again.input.fill(String(civic.price));
  await again.form.getByRole('button', { name: 'Save Price' }).click();
  await expect.poll(() => status(page)).toMatch(/saved/i);
  await expect.poll(() => page.getByLabel(PRICE_LABEL).inputValue()).toBe(String(civic.price));
}

async function replaceAndRemoveEvidence(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const dir = mkdtempSync(join(tmpdir(), 'wd-part-f-'));
  const v1 = join(dir, 'model-card-v1.txt');
  const v2 = join(dir, 'model-card-v2.txt');
  writeFileSync(v1, 'Civic Answers model card, version 1: trained on 2024 data.');
  writeFileSync(v2, 'Civic Answers model card, version 2: trained on 2025 data, with a bias audit.');
  await openVendor(ctx, page, ctx.vendors.omni.name);

  await page.locator('input#file').setInputFiles(v1);
  await page.getByRole('button', { name: 'Attach file' }).click();
  await expect.poll(() => status(page)).toContain('Attached model-card-v1.txt');
  await page.getByRole('link', { name: 'Replace model-card-v1.txt' }).click();
  await page.locator('input#replacement').setInputFiles(v2);
  await check('wd-f-evidence-replace');
  await page.getByRole('button', { name: 'Replace file' }).click();
  await expect.poll(() => status(page)).toContain('Replaced the file with model-card-v2.txt');
  await expect.poll(() => page.getByRole('link', { name: 'model-card-v2.txt', exact: true }).count()).toBe(1);
  expect(await page.getByRole('link', { name: 'model-card-v1.txt', exact: true }).count()).toBe(0);

  await page.getByRole('link', { name: 'Remove model-card-v2.txt' }).click();
  await expect.poll(() => page.getByRole('alertdialog').textContent()).toContain('Remove model-card-v2.txt?');
  await check('wd-f-evidence-remove-confirm');
  await page.getByRole('button', { name: 'Remove the file' }).click();
  await expect.poll(() => status(page)).toContain('Removed model-card-v2.txt.');
  await expect.poll(() => page.getByText('No files yet.').count()).toBe(1);
}

async function editRegistryAndRefuseMerge(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const { civic, omni } = ctx.vendors;
  await page.getByRole('link', { name: 'Vendors', exact: true }).first().click();
  await page.waitForURL('**/vendors');
  await page.getByRole('link', { name: omni.name, exact: true }).click();
  await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
  // The address changes before the vendor's page has rendered: wait for what it shows.
  await expect.poll(() => page.getByRole('link', { name: ctx.rfp.reference }).count()).toBe(1);

  await page.getByLabel('Website (optional)').fill('omnisight.example');
  await page.getByRole('button', { name: 'Save details' }).click();
  expect(await errorSummary(page)).toContain('The website must start with http:// or https://.');
  await page.getByLabel('Website (optional)').fill('https://omnisight.example');
  await page.getByLabel('Contact email (optional)').fill('bids@omnisight.example');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect.poll(() => status(page)).toContain('Vendor details saved.');

  // Both vendors answer this RFP: the merge is explained, asked once, and refused with the reason.
  await page.getByLabel('Duplicate entry').selectOption({ label: `${civic.name} (${civic.key})` });
  await page.getByRole('button', { name: 'Review the merge' }).click();
  await expect.poll(() => page.getByRole('alertdialog').textContent()).toContain(`Merge ${civic.name} into ${omni.name}?`);
  await page.getByRole('button', { name: 'Merge the vendors' }).click();
  expect(await errorSummary(page)).toContain(`both have a response in ${ctx.rfp.reference}`);
  await check('wd-f-registry-merge-refused');

  // Put the entry back as the story registered it.
  await page.goto(page.url().split('?')[0]!);
  await page.getByLabel('Website (optional)').fill('');
  await page.getByLabel('Contact email (optional)').fill('');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect.poll(() => status(page)).toContain('Vendor details saved.');
}

/** The vendor sends its workbook back with a price of 0: the preview flags the price row, and nothing can be imported. */
async function importPreviewFlagsBadPrice(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const civic = ctx.vendors.civic;
  await openVendor(ctx, page, civic.name);
  await page.getByRole('link', { name: 'Import this vendor’s filled workbook' }).click();
  await page.waitForURL(/\/import$/);
  const dir = mkdtempSync(join(tmpdir(), 'wd-part-f-import-'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Download it for ${civic.name}` }).click()]);
  const issued = join(dir, download.suggestedFilename());
  await download.saveAs(issued);

  // The vendor types 0 as its total price (and answers nothing else differently).
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(issued);
  let priceKey = '';
  for (const sheet of workbook.worksheets) {
    const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').toLowerCase());
    const key = header.indexOf('key');
    const answer = header.indexOf('answer');
    if (sheet.name.startsWith('_') || key < 1 || answer < 1) continue;
    sheet.eachRow((row, n) => {
      if (n === 1 || !String(row.getCell(key).value ?? '').startsWith(ctx.criteria.price.key)) return;
      priceKey = String(row.getCell(key).value);
      row.getCell(answer).value = 0;
    });
  }
  expect(priceKey).not.toBe('');
  const filled = join(dir, 'civic-answers-filled.xlsx');
  await workbook.xlsx.writeFile(filled);

  await page.setInputFiles('#file', filled);
  await page.getByRole('button', { name: 'Upload and preview' }).click();
  await page.waitForURL(/upload=/);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('1 rows to correct');
  const row = page.locator('tbody tr', { has: page.getByRole('cell', { name: priceKey, exact: true }) });
  expect(await row.getAttribute('class')).toBe('wb-row-error');
  expect(await row.locator('td').nth(2).textContent()).toBe(
    'Price not more than 0The price must be more than 0 (the workbook says 0). Correct the vendor’s price before importing.',
  );
  expect(await row.locator('td').nth(3).textContent()).toBe(String(civic.price));
  expect(await page.getByRole('button', { name: /^Import \d+ answers?$/ }).count()).toBe(0);
  expect(await page.getByText('Correct the rows marked above in the workbook, then upload it again.').count()).toBe(1);
  await check('wd-f-import-bad-price');

  // Nothing was imported: the recorded price is unchanged.
  await page.getByRole('navigation', { name: /breadcrumb/i }).getByRole('link', { name: civic.name, exact: true }).click();
  await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
  await expect.poll(() => page.getByLabel(PRICE_LABEL).inputValue()).toBe(String(civic.price));
}

/** After the close: a duplicate entry of Civic Answers, made for the city's next RFP, merged into the story's. */
async function mergeADuplicate(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const civic = ctx.vendors.civic;
  const duplicate = { name: 'Civic Answers', key: 'civicanswers', website: 'https://civicanswers.example' };

  // The next RFP, a draft, and Civic Answers registered for it again under a shorter name.
  await page.goto(`${ctx.baseUrl}/rfps`);
  await page.getByRole('link', { name: 'Create an RFP' }).click();
  await page.getByLabel('Reference').fill('SPR-2027-014');
  await page.getByLabel('Title').fill('Permit-review assistant');
  await page.getByLabel('Department').fill('Department of Building Inspection');
  await page.getByLabel('AI use-case summary').fill('An assistant that checks building-permit applications for missing documents.');
  await page.locator('#proposalsDueDate').fill(isoDateFromToday(45));
  await page.locator('#evaluationDueDate').fill(isoDateFromToday(75));
  await page.getByRole('button', { name: 'Create RFP' }).click();
  await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
  const nextRfp = new URL(page.url()).pathname;
  await openTab(page, 'Vendors', '/vendors');
  await page.getByLabel('Vendor name').fill(duplicate.name);
  await page.getByLabel('Short name').fill(duplicate.key);
  await page.getByLabel('Website (optional)').fill(duplicate.website);
  await page.getByRole('button', { name: 'Register and add' }).click();
  await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
  await expect.poll(() => page.getByText('Expected · no response recorded yet').count()).toBe(1);

  // In the registry the officer opens the story's entry and merges the duplicate into it.
  await page.goto(`${ctx.baseUrl}/vendors`);
  await page.getByRole('link', { name: civic.name, exact: true }).click();
  await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
  await expect.poll(() => page.getByRole('link', { name: ctx.rfp.reference }).count()).toBe(1);
  expect(await page.getByLabel('Website (optional)').inputValue()).toBe('');
  await page.getByLabel('Duplicate entry').selectOption({ label: `${duplicate.name} (${duplicate.key})` });
  await page.getByRole('button', { name: 'Review the merge' }).click();
  const confirmation = page.getByRole('alertdialog');
  await expect.poll(() => confirmation.getByRole('heading').textContent()).toBe(`Merge ${duplicate.name} into ${civic.name}?`);
  expect(await confirmation.textContent()).toContain(`${duplicate.name} (${duplicate.key}) is then removed from the registry.`);
  await check('wd-f-registry-merge-confirm');
  await page.getByRole('button', { name: 'Merge the vendors' }).click();
  // The story's vendor, Civic Answers Inc., ends in its own full stop: the message does not add a second.
  expect(civic.name.endsWith('.')).toBe(true);
  await expect.poll(() => status(page)).toContain(`Merged ${duplicate.name} (1 response moved) into ${civic.name} This entry’s history below and each RFP’s audit log record it.`);
  // The kept entry has both responses now, and the website it lacked, taken from the duplicate.
  expect(await page.getByLabel('Website (optional)').inputValue()).toBe(duplicate.website);
  expect(await page.getByRole('link', { name: 'SPR-2027-014' }).count()).toBe(1);
  expect(await page.getByRole('link', { name: ctx.rfp.reference }).count()).toBe(1);
  // The entry's history, the registry's own events, says who merged what into it (the moved response's own entry is
  // in each RFP's log, below).
  const history = page.getByRole('region', { name: 'History' });
  await expect
    .poll(() => history.getByRole('cell', { name: `${ctx.names.officer} merged the duplicate vendor ${duplicate.name} into ${civic.name}, moving 1 response.`, exact: true }).count())
    .toBe(1);
  expect(await history.getByRole('cell', { name: `${ctx.names.officer} registered the vendor ${civic.name}`, exact: true }).count()).toBe(1);
  expect(await history.getByRole('cell', { name: /moved this RFP’s response/ }).count()).toBe(0);
  await check('wd-f-registry-merged');

  // The duplicate has left the registry; the next RFP's vendor is the story's entry, and its audit log says why.
  await page.goto(`${ctx.baseUrl}/vendors`);
  await expect.poll(() => page.getByRole('link', { name: civic.name, exact: true }).count()).toBe(1);
  expect(await page.getByRole('link', { name: duplicate.name, exact: true }).count()).toBe(0);
  await page.goto(`${ctx.baseUrl}${nextRfp}/audit`);
  const entry = page.getByRole('rowheader', {
    name: `${ctx.names.officer} moved this RFP’s response from the duplicate vendor ${duplicate.name} to ${civic.name} (duplicates merged).`,
    exact: true,
  });
  await expect.poll(() => entry.count()).toBe(1);
  await check('wd-f-registry-merge-audit');
  await openTab(page, 'Vendors', '/vendors');
  await expect.poll(() => page.getByRole('link', { name: civic.name, exact: true }).count()).toBe(1);
}

export const hooks: PartHooks = {
  registryReviewed: mergeADuplicate,
  async vendorsRecorded(ctx) {
    await priceIsOneValue(ctx);
    await importPreviewFlagsBadPrice(ctx);
    await replaceAndRemoveEvidence(ctx);
    await editRegistryAndRefuseMerge(ctx);
  },
};
