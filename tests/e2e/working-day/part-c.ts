/**
 * Part C of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Item 4, no lost work: the RFP's long details form asks before an in-app link takes the officer away from a change,
 * keeps the typing when they stay, and lets them go once the change is typed back; the button pressed shows it is
 * busy until the page answers; "Add a question" is empty after a successful add, so the next question inherits
 * nothing; an evaluator's rationale typed and not saved is restored after a reload as a dated draft.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PartHooks, WorkingDay } from './context';
import { openTab } from './story';

const leaveDialog = (page: Page) => page.getByRole('dialog', { name: 'Leave without saving?' });

/** The officer, on the new RFP's Overview, edits its details: asked before leaving, busy while saving. */
async function detailsFormKeepsWork(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.getByRole('link', { name: 'Edit details and settings' }).click();
  await page.waitForURL('**/details');
  const department = page.getByLabel('Department');
  await department.fill('Department of Technology and Innovation');

  // An in-app link asks, naming the form; staying keeps what was typed.
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect.poll(() => leaveDialog(page).isVisible()).toBe(true);
  expect(await leaveDialog(page).textContent()).toContain('The RFP\'s details and settings');
  await check('wd-c-leave-without-saving');
  await leaveDialog(page).getByRole('button', { name: 'Stay on this page' }).click();
  await expect.poll(() => leaveDialog(page).isVisible()).toBe(false);
  expect(new URL(page.url()).pathname).toBe(`${ctx.rfp.path}/details`);
  expect(await department.inputValue()).toBe('Department of Technology and Innovation');

  // Saved, the button is busy until the page answers (the answer is held back to see it), then ready again.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**${ctx.rfp.path}/details*`, async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  const save = page.getByRole('button', { name: 'Save changes' });
  await save.click();
  await expect.poll(() => save.getAttribute('aria-busy')).toBe('true');
  release();
  await expect.poll(() => page.getByText(/^Saved: .*department/i).count()).toBe(1);
  await expect.poll(() => save.getAttribute('aria-busy')).toBe(null);
  await page.unroute(`**${ctx.rfp.path}/details*`);

  // Put back as the story created it: typed back, nothing is unsaved and leaving does not ask.
  await department.fill('Department of Technology');
  const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`${ctx.rfp.path}/details`));
  await save.click();
  await saved;
  await expect.poll(() => page.getByText(/^Saved: .*department/i).count()).toBe(1);
  await expect.poll(() => save.getAttribute('aria-busy')).toBe(null);
  expect(await department.inputValue()).toBe('Department of Technology');
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
  expect(await leaveDialog(page).isVisible()).toBe(false);
}

/** "Add a question" forgets the question it added; the extra question is then deleted again. */
async function addQuestionFormEmpties(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const { oversight } = ctx.criteria;
  await page.getByRole('link', { name: `${oversight.key} · ${oversight.title}` }).click();
  await page.waitForURL(`**/questionnaire/criteria/${oversight.id}`);
  const add = page.locator('form:has(input[name="intent"][value="add-question"])');
  const field = (name: string) => add.locator(`[name="${name}"]`);
  await field('text').fill('Who may switch the assistant off, and how fast?');
  await field('guidance').fill('Name the role, not the person.');
  await field('strongAnswer').fill('A named role with a tested kill switch.');
  const key = await field('key').inputValue();
  await add.getByRole('button', { name: 'Add question' }).click();
  await expect.poll(() => page.getByRole('link', { name: key, exact: true }).count()).toBe(1);
  await expect.poll(() => field('text').inputValue()).toBe('');
  expect(await field('guidance').inputValue()).toBe('');
  expect(await field('strongAnswer').inputValue()).toBe('');
  expect(await field('key').inputValue()).not.toBe(key);
  await check('wd-c-question-added-form-empty');

  await openTab(page, 'Questionnaire', '/questionnaire');
  await page.getByRole('link', { name: `Delete question ${key}` }).click();
  await page.getByRole('button', { name: 'Delete question' }).click();
  await expect.poll(() => page.getByRole('link', { name: key, exact: true }).count()).toBe(0);
}

/** Evan types a rationale and does not save it; after a reload it is back, said to be a draft, and not a score. */
async function rationaleDraftSurvivesReload(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('evan');
  const { civic } = ctx.vendors;
  const { bias } = ctx.criteria;
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluate/${civic.submissionId}`);
  const form = page.locator(`form[aria-label="Score for ${bias.key}"]`);
  const draft = 'Evan, not saved yet: the bias tests cover languages; neighbourhoods still to check.';
  await page.locator(`#rationale-${bias.id}`).fill(draft);
  await expect.poll(() => form.locator('.wb-save-state').textContent()).toContain('draft kept');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect.poll(() => form.getByText(/^Draft restored from .+ [AP]M [A-Z]/).count()).toBe(1);
  expect(await page.locator(`#rationale-${bias.id}`).inputValue()).toBe(draft);
  expect(await form.getAttribute('data-state')).toBe('unsaved');
  await check('wd-c-draft-restored');
  // Saved as the story scores it, so nothing is left unsaved for the steps after.
  await page.locator(`label[for="level-${bias.id}-5"]`).click();
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => form.getAttribute('data-state')).toBe('saved');
}

export const hooks: PartHooks = {
  rfpCreated: detailsFormKeepsWork,
  questionnaireBuilt: addQuestionFormEmpties,
  attested: rationaleDraftSurvivesReload,
};
