/**
 * Part D of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Item 5, builder errors are said, not swallowed: points that are not a number, short generated keys, a price
 * criterion's editor, renaming a section where it is shown, several criteria moved and deleted at once, a bank
 * already (partly) in the RFP, and the questionnaire's versions.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PartHooks, WorkingDay } from './context';
import { openTab } from './story';

const criterionTitles = (page: Page) => page.locator('h4[id^="criterion-title-"]').allTextContents();

async function refusedPoints(page: Page, section: string, points: string, message: string): Promise<void> {
  await page.getByText(`Add a criterion to ${section}`).click();
  const form = page.locator('details[open]');
  await form.getByLabel('Criterion title').fill('Extra criterion');
  await form.getByLabel('Points').fill(points);
  await form.getByRole('button', { name: 'Add criterion' }).click();
  // The reason is beside the field, the form's summary links to it and has the focus, and what was typed stays.
  const refused = page.locator('details[open]');
  await expect.poll(() => refused.locator('.usa-error-message').textContent()).toBe(message);
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('wb-error-summary') ?? false)).toBe(true);
  expect(await refused.getByLabel('Points').inputValue()).toBe(points);
  expect(await refused.getByLabel('Criterion title').inputValue()).toBe('Extra criterion');
}

async function questionnaireBuilt(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await openTab(page, 'Questionnaire', '/questionnaire');

  // Generated keys are short: three letters and a number, and the questions number after their criterion.
  for (const c of [ctx.criteria.bias, ctx.criteria.oversight, ctx.criteria.knockout, ctx.criteria.price]) expect(c.key).toMatch(/^[A-Z]{3}-\d{2}$/);
  expect(ctx.criteria.bias.key).toBe('BTS-01');
  await expect.poll(() => page.getByRole('link', { name: `${ctx.criteria.bias.key}.1`, exact: true }).count()).toBe(1);

  // Points that are not a number are refused beside the field; nothing is added.
  await refusedPoints(page, 'Price', 'twenty', 'Points must be a number written in digits, such as 10 or 12.5 — “twenty” is not.');
  await check('wd-d1-points-refused');
  await page.locator('details[open]').getByLabel('Points').fill('-5');
  await page.locator('details[open]').getByRole('button', { name: 'Add criterion' }).click();
  await expect.poll(() => page.locator('details[open] .usa-error-message').textContent()).toBe('Points cannot be negative: “-5” is below 0.');
  await openTab(page, 'Questionnaire', '/questionnaire');
  expect(await criterionTitles(page)).toHaveLength(4);

  // A price criterion's editor explains the formula instead of asking for rubric anchors.
  await page
    .getByRole('link', {
      name: `${ctx.criteria.price.key} · ${ctx.criteria.price.title}`,
    })
    .click();
  await page.waitForURL(/\/questionnaire\/criteria\//);
  await expect.poll(() => page.getByRole('heading', { name: 'How price points are worked out' }).count()).toBe(1);
  expect(await page.getByText('points = W × lowest price ÷ vendor’s price').count()).toBe(1);
  expect(await page.getByLabel('Level 0', { exact: true }).isVisible()).toBe(false);
  await check('wd-d2-price-criterion');
  await openTab(page, 'Questionnaire', '/questionnaire');

  // A section is renamed from beside its heading (and given its name back for the rest of the story).
  for (const [from, to] of [
    ['Price', 'Price and cost'],
    ['Price and cost', 'Price'],
  ] as const) {
    const section = page.locator(`section#section-${ctx.sections.price}`);
    // After a save the control may stay open; a second click on its summary would close it.
    const rename = section.locator('details:has(> summary:has-text("Rename"))').first();
    if ((await rename.getAttribute('open')) === null) await rename.locator('summary').click();
    await section.getByLabel('Section name').fill(to);
    await section.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => page.getByRole('heading', { name: new RegExp(`^${to} ·`), level: 3 }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: new RegExp(`^${from} ·`), level: 3 }).count()).toBe(0);
  }

  // Several criteria move at once, keeping their order: both scored Responsible AI criteria after the price one, then back.
  const { bias, oversight, knockout, price } = ctx.criteria;
  await page.getByLabel(`Tick criterion ${bias.key} · ${bias.title}`).check();
  await page.getByLabel(`Tick criterion ${oversight.key} · ${oversight.title}`).check();
  await page.getByLabel('Move them to').selectOption(`after:${price.id}`);
  await page.getByRole('button', { name: 'Move ticked criteria' }).click();
  await expect.poll(() => criterionTitles(page)).toEqual([knockout, price, bias, oversight].map((c) => `${c.key} · ${c.title}`));
  await page.getByLabel(`Tick criterion ${bias.key} · ${bias.title}`).check();
  await page.getByLabel(`Tick criterion ${oversight.key} · ${oversight.title}`).check();
  await page.getByLabel('Move them to').selectOption(`start:${ctx.sections.responsibleAi}`);
  await page.getByRole('button', { name: 'Move ticked criteria' }).click();
  await expect.poll(() => criterionTitles(page)).toEqual([bias, oversight, knockout, price].map((c) => `${c.key} · ${c.title}`));

  // A bank partly in the RFP says so, and adding it asks first.
  await page.getByRole('link', { name: 'Add from question banks' }).click();
  await page.waitForURL('**/questionnaire/banks');
  await page.getByLabel('Words, a key or a framework reference').fill('PRIV-01');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/q=PRIV-01/);
  await page.locator('label[for="q-PRIV-01"]').click();
  await page.getByRole('button', { name: 'Add ticked questions' }).click();
  await expect.poll(() => page.getByText('Added 1 question.').count()).toBe(1);
  const privacy = page.locator('.usa-card', {
    has: page.getByRole('heading', { name: 'Privacy', exact: true }),
  });
  await expect.poll(() => privacy.locator('.usa-tag').textContent()).toMatch(/^1 of \d+ criteria added$/);
  await privacy.getByRole('button', { name: /Add again/ }).click();
  const asked = privacy.getByRole('alertdialog');
  await expect.poll(() => asked.getByRole('heading').textContent()).toMatch(/^1 of its \d+ criteria are already in the RFP$/);
  expect(await asked.getByRole('button', { name: /^Add the \d+ missing criteria$/ }).count()).toBe(1);
  await check('wd-d3-bank-asks-first');
  await asked.getByRole('link', { name: 'Cancel' }).click();
  await expect.poll(() => privacy.getByRole('alertdialog').count()).toBe(0);

  // Several criteria are deleted after one confirmation: the bank criterion just added, and a spare one.
  await page.getByRole('link', { name: 'Questionnaire', exact: true }).click();
  await page.waitForURL('**/questionnaire');
  await page.getByText('Add a criterion to Price').click();
  await page.locator('details[open]').getByLabel('Criterion title').fill('Spare notes');
  await page.locator('details[open]').getByLabel('Kind').selectOption('info');
  await page.locator('details[open]').getByLabel('Points').fill('0');
  await page.locator('details[open]').getByRole('button', { name: 'Add criterion' }).click();
  await page.waitForURL(/\/questionnaire\/criteria\//);
  await openTab(page, 'Questionnaire', '/questionnaire');
  await page.getByLabel(/^Tick criterion PRIV-MIN/).check();
  await page.getByLabel(/^Tick criterion [A-Z]{3}-\d{2} · Spare notes/).check();
  await page.getByRole('button', { name: 'Delete ticked criteria…' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect.poll(() => confirm.getByRole('heading').textContent()).toBe('Delete 2 criteria?');
  await check('wd-d4-delete-criteria');
  await confirm.getByRole('button', { name: 'Delete 2 criteria' }).click();
  await expect.poll(() => criterionTitles(page)).toEqual([bias, oversight, knockout, price].map((c) => `${c.key} · ${c.title}`));
  // The bank's section, now empty, goes too, so the questionnaire is as the story built it.
  const privacySection = page.locator('section.wb-section', {
    has: page.getByRole('heading', { name: /^Privacy ·/, level: 3 }),
  });
  await privacySection.getByRole('link', { name: 'Delete section Privacy' }).click();
  await page.getByRole('button', { name: 'Delete section' }).click();
  await expect.poll(() => page.getByRole('heading', { name: /^Privacy ·/, level: 3 }).count()).toBe(0);
  expect(await page.getByRole('link', { name: /Points add up to|has no criteria/ }).count()).toBe(0);
}

async function opened(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/questionnaire`);
  await page.getByRole('link', { name: 'Versions and what changed' }).click();
  await page.waitForURL('**/questionnaire/versions');
  await expect.poll(() => page.getByRole('rowheader', { name: 'Version 1' }).count()).toBe(1);
  expect(await page.getByText('There is nothing to compare yet').count()).toBe(1);
  await check('wd-d5-versions');
}

export const hooks: PartHooks = { questionnaireBuilt, opened };
