/**
 * Part E of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Items 6 and 8, the team and price-blind scoring: the one step that added the evaluators also assigned them (the
 * lead's Evaluation page lists each on the whole RFP); the lead makes the RFP price-blind while it is a draft; Sam,
 * the third evaluator, declares a conflict with OmniSight found after attesting, and the lead records his recusal
 * from Civic Answers (both shown with where they came from), so Sam scores nothing; Evan, still scoring, has no
 * Results tab and is told when the results open to him, and sees neither prices nor the price criterion until his
 * technical scoresheets are submitted; from consensus on his Results tab is there.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PartHooks, WorkingDay } from './context';
import { openTab } from './story';

const PRICES_WITHHELD = 'This RFP is scored price-blind: prices and the price criterion are shown to evaluators once all their technical scoresheets are submitted.';

async function status(page: Page): Promise<string> {
  return (await page.getByRole('status').first().textContent()) ?? '';
}

const resultsTab = (page: Page) => page.getByRole('navigation', { name: 'RFP sections' }).getByRole('link', { name: 'Results', exact: true });

/** The officer, on Members after the one-step add: every evaluator is assigned; scoring is made price-blind. */
async function assignedInOneStepAndPriceBlind(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await openTab(page, 'Evaluation', '/evaluation');
  for (const who of ['evan', 'priya', 'sam'] as const) {
    const row = page.locator('.wb-eval-grid tbody tr', { has: page.getByRole('rowheader', { name: new RegExp(`^${ctx.names[who]}`) }) });
    await expect.poll(() => row.locator('th').textContent()).toContain('Whole RFP');
  }
  await page.getByRole('button', { name: 'Score price-blind' }).click();
  await expect.poll(() => status(page)).toContain('Evaluators will score price-blind');
  await expect.poll(() => page.getByText('On: evaluators do not see prices or the price criterion').count()).toBe(1);
  await check('wd-e-assigned-price-blind');
}

/** Sam attests, then finds a conflict with OmniSight; the lead records one with Civic Answers. */
async function lateConflictAndRecusal(ctx: WorkingDay): Promise<void> {
  const { civic, omni } = ctx.vendors;
  const sam = await ctx.signInAs('sam');
  await sam.page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluate`);
  await sam.page.locator('label[for="coi-none"]').click();
  await sam.page.locator('label[for="confirm"]').click();
  await sam.page.getByRole('button', { name: 'Sign the attestation' }).click();
  await expect.poll(() => sam.page.getByText('Your attestation is recorded.').count()).toBe(1);

  const declare = sam.page.locator('form', { has: sam.page.getByRole('button', { name: 'Declare the conflict' }) });
  await declare.locator('label', { hasText: omni.name }).click();
  await declare.getByLabel('What the conflict is').fill('My brother-in-law joined OmniSight Analytics as a sales director this week.');
  await declare.locator('label[for="confirmRecusal"]').click();
  await declare.getByRole('button', { name: 'Declare the conflict' }).click();
  await expect.poll(() => sam.page.getByText('You are recused from one vendor:').count()).toBe(1);
  await sam.check('wd-e-late-conflict');

  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluation`);
  const recusals = page.locator('section[aria-labelledby="coi-heading"]');
  await expect.poll(() => recusals.getByRole('listitem').first().textContent()).toContain(`${ctx.names.sam} is recused from ${omni.name} (declared by the evaluator after attesting`);
  await page.locator('#recuseEvaluatorId').selectOption({ label: ctx.names.sam });
  await page.locator('#recuseVendorId').selectOption({ label: civic.name });
  await page.locator('#recuseReason').fill('Sam told me he consulted for Civic Answers in 2025; he did not think of it when attesting.');
  await page.getByRole('button', { name: 'Record the recusal' }).click();
  await expect.poll(() => status(page)).toContain(`${ctx.names.sam} is recused from ${civic.name}: their scores for it no longer count.`);
  await expect.poll(() => recusals.getByRole('listitem').filter({ hasText: `${ctx.names.sam} is recused from ${civic.name} (recorded by the lead officer` }).count()).toBe(1);
  await check('wd-e-recusals');
  await sam.close();
  delete ctx.sessions.sam;
}

/** Evan has attested and scores nothing yet: no Results tab, told why; no price, no price criterion. */
async function evaluatorStillScoring(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('evan');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluate`);
  expect(await resultsTab(page).count()).toBe(0);
  expect(await page.getByText('The results open to you once the RFP reaches consensus and all your scoresheets are submitted.').count()).toBe(1);
  expect(await page.getByText(PRICES_WITHHELD).count()).toBe(1);
  await openTab(page, 'Questionnaire', '/questionnaire');
  await expect.poll(() => page.getByText(PRICES_WITHHELD).count()).toBe(1);
  expect(await page.getByText(ctx.criteria.price.title).count()).toBe(0);
  expect(await page.getByText(ctx.criteria.bias.title).count()).toBeGreaterThan(0);
  await check('wd-e-price-blind-questionnaire');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluate`);
}

/** Evan's sheets are submitted (the RFP is still in evaluation): the price criterion is his to read now. */
async function pricesAfterSubmitting(ctx: WorkingDay): Promise<void> {
  const { page } = ctx.session('evan');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/questionnaire`);
  await expect.poll(() => page.getByText(ctx.criteria.price.title).count()).toBeGreaterThan(0);
  expect(await page.getByText(PRICES_WITHHELD).count()).toBe(0);
  expect(await resultsTab(page).count()).toBe(0);
}

/** In consensus, Evan (every sheet submitted) has his Results tab. */
async function resultsTabAtConsensus(ctx: WorkingDay): Promise<void> {
  const { page } = ctx.session('evan');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluate`);
  await expect.poll(() => resultsTab(page).count()).toBe(1);
}

export const hooks: PartHooks = {
  teamAdded: assignedInOneStepAndPriceBlind,
  async attested(ctx) {
    await lateConflictAndRecusal(ctx);
    await evaluatorStillScoring(ctx);
  },
  scoresheetsSubmitted: pricesAfterSubmitting,
  consensusReached: resultsTabAtConsensus,
};
