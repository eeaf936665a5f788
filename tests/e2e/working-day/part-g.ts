/**
 * Part G of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Item 9, finding things: the consensus page shows the divergent items only, and every item again; the audit log
 * reads as sentences naming people, vendors and criteria (never an id), and finds entries by contained text, by
 * who acted, by kind of action and by date; the RFP list finds the RFP by words and status, and says when nothing
 * matches. While the questionnaire is a draft, the officer previews a few privacy questions from a workbook: the
 * preview's "problems only" view lists the row that cannot be imported, with why, and hides the good rows; the officer
 * leaves without importing (the story's questionnaire stays as built).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PartHooks, WorkingDay } from './context';
import { isoDateFromToday, openTab } from './story';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

async function count(page: Page, id: string): Promise<string> {
  return (await page.locator(`#${id}`).textContent()) ?? '';
}

/** Three privacy questions as another city's questionnaire has them; the second row lost its question text. */
async function privacyWorkbook(): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Privacy');
  sheet.addRow(['Ref', 'Question', 'Type']);
  sheet.addRow(['PRV-1', 'How long do you keep the transcripts of residents’ questions?', 'TXT']);
  sheet.addRow(['PRV-2', null, 'TXT']);
  sheet.addRow(['PRV-3', 'Do you use residents’ questions to train your models?', 'TXT']);
  const path = join(mkdtempSync(join(tmpdir(), 'wd-part-g-')), 'privacy questions.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

/** The officer, on the built questionnaire (a draft): the import preview shows its problem rows only, then all again. */
async function importPreviewProblemsOnly(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  if (new URL(page.url()).pathname !== `${ctx.rfp.path}/questionnaire`) await openTab(page, 'Questionnaire', '/questionnaire');
  await page.getByRole('link', { name: 'Import a questionnaire file' }).click();
  await page.waitForURL('**/questionnaire/import');
  await page.setInputFiles('#file', await privacyWorkbook());
  await page.getByRole('button', { name: 'Upload and preview' }).click();
  await page.waitForURL(/upload=/);
  await expect.poll(() => page.getByText('Nothing is saved until you confirm.').count()).toBe(1);
  const fates = page.locator('table', { has: page.locator('caption', { hasText: /^(All rows|Problems only):/ }) });
  const rows = async () => (await fates.locator('tbody tr').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  await expect.poll(() => rows()).toHaveLength(3);

  await page.getByRole('link', { name: 'Problems only (1)' }).click();
  await page.waitForURL(/fate=problems/);
  await expect.poll(() => fates.locator('caption').textContent()).toBe('Problems only: 1–1 of 1');
  // The row without a question is listed with why; the two good questions are not.
  const problems = fates.locator('tbody tr');
  expect(await problems.count()).toBe(1);
  expect(await problems.getByRole('rowheader').textContent()).toBe('3');
  expect(await problems.locator('td[data-label="Became"]').textContent()).toBe('Skipped');
  expect(await problems.locator('td[data-label="Why, or the key"]').textContent()).toBe('no question text');
  expect((await rows()).filter((r) => /PRV-1|PRV-3/.test(r))).toEqual([]);
  await check('wd-g-import-problems-only');
  await page.getByRole('link', { name: 'All rows (3)' }).click();
  await expect.poll(() => rows()).toHaveLength(3);

  // Not imported: the officer goes back to the questionnaire, which is as the story built it.
  await openTab(page, 'Questionnaire', '/questionnaire');
  await expect.poll(() => page.getByText('Responsible AI ·').count()).toBeGreaterThan(0);
  expect(await page.getByText('How long do you keep the transcripts').count()).toBe(0);
}

/** The officer, on the consensus page of OmniSight after recording its bias consensus. */
async function divergentOnly(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const { bias, oversight } = ctx.criteria;
  // An item's heading: "BTS-01 — Bias testing", followed by its divergence tag when divergent.
  const item = (c: typeof bias) => page.getByText(`${c.key} — ${c.title}`);
  await expect.poll(() => item(oversight).count()).toBe(1);
  await page.getByRole('link', { name: /^Divergent items only \(1\)$/ }).click();
  await page.waitForURL(/only=divergent/);
  await expect.poll(() => item(oversight).count()).toBe(0);
  expect(await item(bias).count()).toBeGreaterThan(0);
  await check('wd-g-consensus-divergent-only');
  await page.getByRole('link', { name: 'Every criterion', exact: true }).click();
  await expect.poll(() => item(oversight).count()).toBe(1);
}

async function sentences(page: Page): Promise<string[]> {
  return (await page.locator('.wb-audit-table tbody th[scope="row"]').allTextContents()).map((t) => t.trim());
}

/** A search of the whole log with the filters `fill` sets, the others empty. */
async function searchAudit(ctx: WorkingDay, page: Page, fill: () => Promise<void>): Promise<void> {
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/audit`);
  await fill();
  await page.getByRole('search', { name: 'Search and filter the audit log' }).getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/audit\?/);
}

async function auditLogReadsAndFilters(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const { sam, officer } = ctx.names;
  const { civic, omni } = ctx.vendors;
  await openTab(page, 'Audit log', '/audit');
  await expect.poll(() => count(page, 'audit-count')).toMatch(/^\d+ entries/);
  // Sentences with names: no id anywhere in what happened.
  const all = await sentences(page);
  expect(all.filter((s) => UUID.test(s))).toEqual([]);
  // Civic Answers Inc. ends in its own full stop, which ends the sentence (not a second one).
  expect(all).toContain(`${officer} recorded that ${sam} is recused from ${civic.name}`);
  expect(all.some((s) => s.startsWith(`${officer} recorded the consensus score of ${omni.name} on `) && s.includes(ctx.criteria.bias.title))).toBe(true);

  // By who acted and the kind of action: Sam's own entries about the team are his attestation and his declaration.
  await searchAudit(ctx, page, async () => {
    await page.getByLabel('Who').selectOption(ctx.accounts.sam);
    await page.getByLabel('Kind of action').selectOption({ label: 'Team, assignments and conflicts' });
  });
  await expect.poll(() => count(page, 'audit-count')).toBe('3 entries match.');
  expect(await sentences(page)).toEqual([
    `${sam} is recused from ${omni.name}, as they declared.`,
    `${sam} declared a conflict of interest found after attesting with ${omni.name}.`,
    `${sam} attested to having no conflict of interest.`,
  ]);
  await check('wd-g-audit-filtered');

  // By contained text: every entry found names the vendor.
  await searchAudit(ctx, page, () => page.getByLabel('Contains').fill(omni.name));
  await expect.poll(() => count(page, 'audit-count')).toMatch(/^\d+ entries match/);
  const found = await sentences(page);
  expect(found.length).toBeGreaterThan(1);
  expect(found.filter((s) => !s.includes(omni.name))).toEqual([]);

  // By date: everything happened today, nothing up to yesterday.
  await searchAudit(ctx, page, () => page.getByLabel('To', { exact: true }).fill(isoDateFromToday(-1)));
  await expect.poll(() => count(page, 'audit-count')).toBe('No entries match these filters.');
  await page.getByRole('link', { name: 'Clear the filters' }).click();
  await expect.poll(() => count(page, 'audit-count')).toMatch(/^\d+ entries[.;]/);
}

/** The RFP is closed: the officer finds it in the RFP list by words and status, and is told when nothing matches. */
async function rfpListSearch(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}/rfps`);
  const form = page.getByRole('search', { name: 'Search and filter the RFPs' });
  await form.getByLabel('Search').fill('generative-AI');
  await form.getByLabel('Status').selectOption({ label: 'Closed' });
  await form.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => count(page, 'rfp-count')).toBe('1 RFP match.');
  expect(await page.getByRole('link', { name: ctx.rfp.reference }).count()).toBe(1);
  await check('wd-g-rfp-list-found');
  await form.getByLabel('Status').selectOption({ label: 'Draft' });
  await form.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => count(page, 'rfp-count')).toBe('No RFPs match these filters.');
  expect(await page.getByRole('link', { name: ctx.rfp.reference }).count()).toBe(0);
  await page.getByRole('link', { name: 'Clear the filters' }).click();
  await expect.poll(() => count(page, 'rfp-count')).toBe('1 RFP.');
}

export const hooks: PartHooks = {
  questionnaireBuilt: importPreviewProblemsOnly,
  async consensusReached(ctx) {
    await divergentOnly(ctx);
    await auditLogReadsAndFilters(ctx);
  },
  closed: rfpListSearch,
};
