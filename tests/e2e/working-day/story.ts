/**
 * The steps of the working-day story: one procurement from an empty database, through the UI only, as each person does it.
 * Each step leaves the state its story point describes (see context.ts). A part that changes how a step is done
 * (a confirmation, a new required field) updates the step here.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_RISK_ANSWERS } from '#db/seed';
import { runCli } from '#tests/support/cli';
import type { StoryCriterion, StoryPoint, WorkingDay } from './context';

const dayMs = 86_400_000;

/** The installation's zone in the story: its "today" differs from UTC's for eight hours of every UTC day. */
export const STORY_TIME_ZONE = 'America/Los_Angeles';

/** YYYY-MM-DD `days` from today in the story's zone (as the app reads a date input), not UTC's. */
export function isoDateFromToday(days: number): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: STORY_TIME_ZONE }).format(new Date(Date.now() + days * dayMs));
}

async function status(page: Page): Promise<string> {
  return (await page.getByRole('status').first().textContent()) ?? '';
}

export async function createFirstAdmin(ctx: WorkingDay): Promise<void> {
  const result = await runCli(ctx.server.databaseUrl, ['user', 'create', '--email', ctx.accounts.admin, '--name', ctx.names.admin, '--role', 'admin'], ctx.password);
  expect(result.stderr).toBe('');
  expect(result.stdout).toContain(`Created admin ${ctx.accounts.admin}.`);
}

export async function createAccounts(ctx: WorkingDay): Promise<void> {
  const { page, check } = await ctx.signInAs('admin');
  await page.getByRole('link', { name: 'Users' }).first().click();
  await page.waitForURL('**/admin/users');
  await check('wd-01-users-empty');
  const people: Array<[keyof WorkingDay['names'], string]> = [
    ['officer', 'Procurement officer'],
    ['evan', 'Evaluator'],
    ['priya', 'Evaluator'],
    ['sam', 'Evaluator'],
    ['leader', 'Leadership (viewer)'],
  ];
  // The Users page also has the invitation form, with the same labels: this is the one that types a password.
  const createForm = page.locator('form', { has: page.getByRole('button', { name: 'Create account' }) });
  for (const [who, role] of people) {
    await createForm.getByLabel('Full name').fill(ctx.names[who]);
    await createForm.getByLabel('Email address').fill(ctx.accounts[who]);
    await createForm.getByLabel('Role').selectOption({ label: role });
    await createForm.getByLabel('Initial password').fill(ctx.password);
    // The story's people keep the password they were given (the form's default makes it temporary: foundation.test.ts
    // plays that first sign-in). USWDS hides the box itself: its label is what a person clicks.
    await createForm.locator('label[for="temporary"]').click();
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => status(page)).toContain(`Account created for ${ctx.names[who]} (${ctx.accounts[who]}).`);
  }
  await check('wd-02-users-created');
}

export async function createRfp(ctx: WorkingDay): Promise<void> {
  const { page, check } = await ctx.signInAs('officer');
  await page.getByRole('link', { name: 'Create an RFP' }).click();
  await page.getByLabel('Reference').fill(ctx.rfp.reference);
  await page.getByLabel('Title').fill(ctx.rfp.title);
  await page.getByLabel('Department').fill('Department of Technology');
  await page.getByLabel('AI use-case summary').fill('A generative-AI assistant that answers 311 questions about city services, in plain language.');
  // A date without a time: the end of that day in the installation's zone (issue 12).
  // By id: Playwright does not find these date controls by their legend-and-label name ("Proposals due Date").
  await page.locator('#proposalsDueDate').fill(isoDateFromToday(30));
  await page.locator('#evaluationDueDate').fill(isoDateFromToday(60));
  await page.getByRole('button', { name: 'Create RFP' }).click();
  await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
  ctx.rfp.id = page.url().split('/rfps/')[1]!;
  ctx.rfp.path = `/rfps/${ctx.rfp.id}`;
  await check('wd-03-rfp-overview');
}

/** Opens one of the RFP's pages from its tabs, or from the breadcrumb on a page below one (a criterion, a vendor). */
export async function openTab(page: Page, name: string, urlPart: string): Promise<void> {
  const tab = page.getByRole('navigation', { name: 'RFP sections' }).getByRole('link', { name, exact: true });
  const crumb = page.getByRole('navigation', { name: /breadcrumb/i }).getByRole('link', { name, exact: true });
  // On a loaded machine a click that lands while the page re-renders after a save is sometimes not followed (the
  // router stays idle, no request is made); a person clicks again, and so does the story — but a "Leave without
  // saving?" question is never clicked through: the page thinks work is unsaved, and the story fails on it.
  for (let attempt = 1; ; attempt++) {
    await tab.or(crumb).first().click();
    try {
      await page.waitForURL(`**${urlPart}`, { timeout: 7_000 });
      return;
    } catch (error) {
      if (await page.getByRole('dialog', { name: 'Leave without saving?' }).isVisible()) throw new Error(`Opening "${name}" asked "Leave without saving?" on ${page.url()}`);
      if (attempt === 3) throw error;
    }
  }
}

async function addSection(page: Page, title: string): Promise<string> {
  await page.getByLabel('Section title').fill(title);
  await page.getByRole('button', { name: 'Add section' }).click();
  const heading = page.getByRole('heading', { name: new RegExp(`^${title} ·`), level: 3 });
  await expect.poll(() => heading.count()).toBe(1);
  const id = await page.locator('section[id^="section-"]', { has: heading }).getAttribute('id');
  return id!.replace(/^section-/, '');
}

/** Adds a criterion from the builder, fills its rubric (scored) and adds its one question; back on the builder after. */
async function addCriterion(
  page: Page,
  section: { id: string; title: string },
  c: { title: string; kind: StoryCriterion['kind']; points: number; question: string; answerType: string },
): Promise<StoryCriterion> {
  await page.getByText(`Add a criterion to ${section.title}`).click();
  const form = page.locator('details[open]');
  await form.getByLabel('Criterion title').fill(c.title);
  await form.getByLabel('Kind').selectOption(c.kind);
  await form.getByLabel('Points').fill(String(c.points));
  await form.getByRole('button', { name: 'Add criterion' }).click();
  await page.waitForURL(/\/questionnaire\/criteria\/[0-9a-f-]{36}/);
  const id = /criteria\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  const key = await page.getByLabel('Key').inputValue();
  if (c.kind === 'scored') {
    for (let level = 0; level <= 5; level += 1) await page.getByLabel(`Level ${level}`, { exact: true }).fill(`${c.title}: evidence for level ${level}.`);
    await page.getByRole('button', { name: 'Save criterion' }).click();
    await expect.poll(() => status(page)).toContain('Criterion saved.');
  }
  if (c.kind === 'pass_fail') {
    // A knock-out's rubric has two levels: what fails (0) and what passes (1); the hidden levels 2–5 are not textboxes.
    await page.getByRole('textbox', { name: 'Level 0 — fails', exact: true }).fill(`${c.title}: the assistant does something the EU AI Act prohibits.`);
    await page.getByRole('textbox', { name: 'Level 1 — passes', exact: true }).fill(`${c.title}: nothing in the proposal is a prohibited practice.`);
    await page.getByRole('button', { name: 'Save criterion' }).click();
    await expect.poll(() => status(page)).toContain('Criterion saved.');
  }
  await page.getByLabel(/^Question/).fill(c.question);
  await page.getByLabel('Answer type').selectOption({ value: c.answerType });
  await page.getByRole('button', { name: 'Add question' }).click();
  await page.waitForURL(/#question-/);
  await openTab(page, 'Questionnaire', '/questionnaire');
  return { id, key, title: c.title, kind: c.kind, points: c.points };
}

export async function buildQuestionnaire(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await openTab(page, 'Questionnaire', '/questionnaire');
  ctx.sections.responsibleAi = await addSection(page, 'Responsible AI');
  const rai = { id: ctx.sections.responsibleAi, title: 'Responsible AI' };
  ctx.criteria.bias = await addCriterion(page, rai, {
    title: 'Bias testing',
    kind: 'scored',
    points: 40,
    question: 'How do you test the assistant for disparate error rates across languages and neighbourhoods?',
    answerType: 'text',
  });
  ctx.criteria.oversight = await addCriterion(page, rai, {
    title: 'Human oversight',
    kind: 'scored',
    points: 30,
    question: 'How does a city employee review, correct and override the assistant’s answers?',
    answerType: 'text',
  });
  // A knock-out (DESIGN §4.5): no points; a vendor that fails it is disqualified, shown but not ranked.
  ctx.criteria.knockout = await addCriterion(page, rai, {
    title: 'No prohibited AI practices',
    kind: 'pass_fail',
    points: 0,
    question: 'Does the assistant use any practice the EU AI Act prohibits, such as social scoring or emotion recognition?',
    answerType: 'text',
  });
  ctx.sections.price = await addSection(page, 'Price');
  ctx.criteria.price = await addCriterion(page, { id: ctx.sections.price, title: 'Price' }, {
    title: 'Total price',
    kind: 'price',
    points: 30,
    question: 'Total price for the three-year contract term, in US dollars.',
    answerType: 'number',
  });

  await openTab(page, 'AI risk tier', '/risk');
  for (const [question, value] of Object.entries(DEMO_RISK_ANSWERS)) await page.locator(`label[for="${question}-${value}"]`).click();
  await page.getByRole('button', { name: 'Save and assess' }).click();
  await expect.poll(() => status(page)).toContain('impact level II');
  // Straight on, as a user does: the tab is clicked while the page may still be re-reading its data after the save
  // (until 2026-12-03 that asked "Leave without saving?" or did nothing; the guard now holds the link until the save is done).
  await openTab(page, 'Questionnaire', '/questionnaire');
  expect(await page.getByText(/Points add up to/).count()).toBe(0);
  await check('wd-04-questionnaire-built');
}

export async function addTeam(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await openTab(page, 'Members', '/members');
  // One step adds the evaluators and assigns them to the whole RFP (issue 12). USWDS hides the native box: tick the label.
  for (const who of ['evan', 'priya', 'sam'] as const) await page.getByText(`${ctx.names[who]} (${ctx.accounts[who]}) — `).click();
  await page.getByLabel('Role in this RFP').selectOption({ label: 'Evaluator' });
  await page.getByRole('button', { name: 'Add members' }).click();
  await expect
    .poll(() => status(page))
    .toContain(`${ctx.names.evan}, ${ctx.names.priya} and ${ctx.names.sam} are now evaluators, each assigned to evaluate the whole RFP.`);
  await page.getByText(`${ctx.names.leader} (${ctx.accounts.leader}) — `).click();
  await page.getByLabel('Role in this RFP').selectOption({ label: 'Observer (leadership)' });
  await page.getByRole('button', { name: 'Add members' }).click();
  await expect.poll(() => status(page)).toContain(`${ctx.names.leader} is now an observer (leadership).`);
  for (const who of ['evan', 'priya', 'sam', 'leader'] as const) {
    await expect.poll(() => page.getByRole('rowheader', { name: ctx.names[who] }).count()).toBe(1);
  }
  await check('wd-05-members');
}

export async function recordVendors(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  // The officer may be anywhere after the previous point's checks: start from the RFP's Overview.
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);
  for (const vendor of [ctx.vendors.civic, ctx.vendors.omni]) {
    await openTab(page, 'Vendors', '/vendors');
    await page.getByLabel('Vendor name').fill(vendor.name);
    await page.getByLabel('Short name').fill(vendor.key);
    await page.getByRole('button', { name: 'Register and add' }).click();
    await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
    vendor.submissionId = /vendors\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    // Registered, the vendor is expected: nothing of its response is recorded yet (issue 12).
    await expect.poll(() => page.getByText('Expected · no response recorded yet').count()).toBe(1);
    for (const section of ['Responsible AI', 'Price']) {
      await page.getByRole('link', { name: new RegExp(`^${section}`) }).first().click();
      await expect.poll(() => page.getByRole('heading', { name: section, exact: true, level: 2 }).count()).toBe(1);
      const form = page.locator('form', { has: page.getByRole('button', { name: `Save ${section}` }) });
      const answers = form.locator('textarea[id^="answer-"], input[id^="answer-"]');
      for (let i = 0; i < (await answers.count()); i += 1) {
        const answer = answers.nth(i);
        await answer.fill(section === 'Price' ? String(vendor.price) : `${vendor.name} answers: we publish our method and results every quarter (${i + 1}).`);
      }
      await form.getByRole('button', { name: `Save ${section}` }).click();
      await expect.poll(() => status(page)).toMatch(/saved/i);
    }
    // Saving answers received the response, and the answer to the price question is the recorded price: one value,
    // typed once (issue 12).
    await expect.poll(() => page.getByLabel('Status').inputValue()).toBe('received');
    await expect.poll(() => page.getByLabel('Total price for the contract term (US dollars)').inputValue()).toBe(String(vendor.price));
    await page.getByLabel('Received on').fill(isoDateFromToday(0));
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => status(page)).toContain('Response details saved.');
  }
  await openTab(page, 'Vendors', '/vendors');
  await check('wd-07-vendors');
}

/**
 * Moves the RFP one step forward from its Status page: the button (`action`, e.g. "Move to evaluation") opens the
 * confirmation of what the move locks, which is checked (the parts' hooks for `point` read what it says), then
 * confirmed (with `reason` when the move is early).
 */
export async function moveForward(ctx: WorkingDay, action: string, point: StoryPoint, expected: string | RegExp, reason?: string): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/status`);
  await page.getByRole('link', { name: `${action}…` }).click();
  await page.waitForURL('**/status?move=*');
  const confirmation = page.getByRole('alertdialog');
  await expect.poll(() => confirmation.getByText('This will lock:').count()).toBe(1);
  await check(`wd-confirm-${action.toLowerCase().replaceAll(' ', '-')}`);
  await ctx.reach(point);
  if (reason) await confirmation.getByLabel(/^Reason/).fill(reason);
  await confirmation.getByRole('button', { name: action, exact: true }).click();
  await expect.poll(() => status(page)).toMatch(expected);
}

export async function openRfp(ctx: WorkingDay): Promise<void> {
  await moveForward(ctx, 'Open for responses', 'openingConfirmation', 'The RFP is now open for responses.');
  await ctx.session('officer').check('wd-08-opened');
}

export async function startEvaluation(ctx: WorkingDay): Promise<void> {
  // Proposals are due in 30 days: starting now is early, so the move asks a reason (kept in the audit log).
  await moveForward(ctx, 'Move to evaluation', 'evaluationConfirmation', 'The RFP is now in evaluation.', 'Both invited vendors have responded.');
  for (const who of ['evan', 'priya'] as const) {
    const { page } = await ctx.signInAs(who);
    await page.getByRole('link', { name: 'My evaluations' }).click();
    await page.waitForURL('**/evaluations');
  }
}

export async function attest(ctx: WorkingDay): Promise<void> {
  for (const who of ['evan', 'priya'] as const) {
    const { page, check } = ctx.session(who);
    await page.goto(`${ctx.baseUrl}/evaluations`);
    await page.getByRole('link', { name: /^Attest on conflicts of interest/ }).click();
    await page.waitForURL(`**${ctx.rfp.path}/evaluate`);
    await page.locator('label[for="coi-none"]').click();
    await page.locator('label[for="confirm"]').click();
    await page.getByRole('button', { name: 'Sign the attestation' }).click();
    await expect.poll(() => page.getByText('Your attestation is recorded.').count()).toBe(1);
    await check(`wd-09-${who}-attested`);
  }
}

/**
 * Evan rates Civic high and OmniSight middling; Priya agrees on Civic and rates OmniSight low on bias (a divergence).
 * Both pass Civic on the knock-out (1) and fail OmniSight (0): every evaluator's fail disqualifies it.
 */
const LEVELS: Record<'evan' | 'priya', Record<'civic' | 'omni', Record<'bias' | 'oversight' | 'knockout', number>>> = {
  evan: { civic: { bias: 5, oversight: 4, knockout: 1 }, omni: { bias: 4, oversight: 3, knockout: 0 } },
  priya: { civic: { bias: 4, oversight: 4, knockout: 1 }, omni: { bias: 1, oversight: 3, knockout: 0 } },
};

export async function scoreAndSubmit(ctx: WorkingDay): Promise<void> {
  for (const who of ['evan', 'priya'] as const) {
    const { page, check } = ctx.session(who);
    for (const v of ['civic', 'omni'] as const) {
      const vendor = ctx.vendors[v];
      await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/evaluate`);
      await page.getByRole('link', { name: `Score ${vendor.name}` }).click();
      await page.waitForURL(`**/evaluate/${vendor.submissionId}`);
      for (const c of ['bias', 'oversight', 'knockout'] as const) {
        const criterion = ctx.criteria[c];
        const form = page.locator(`form[aria-label="Score for ${criterion.key}"]`);
        await page.locator(`label[for="level-${criterion.id}-${LEVELS[who][v][c]}"]`).click();
        await page.locator(`#rationale-${criterion.id}`).fill(`${ctx.names[who]} on ${vendor.name}, ${criterion.title}: level ${LEVELS[who][v][c]} from the evidence.`);
        await form.getByRole('button', { name: 'Save', exact: true }).click();
        await expect.poll(() => form.getAttribute('data-state')).toBe('saved');
      }
      await check(`wd-10-${who}-${v}-scored`);
      if (who === 'priya' && v === 'omni') await ctx.reach('lastScoresheetPending');
      await page.getByRole('button', { name: 'Submit scoresheet' }).click();
      const confirm = page.getByRole('button', { name: 'Yes, submit and lock my scores' });
      await expect.poll(() => confirm.count()).toBe(1);
      if (who === 'evan' && v === 'civic') await ctx.reach('scoresheetConfirmation');
      await confirm.click();
      await page.waitForURL(`**${ctx.rfp.path}/evaluate?submitted=*`);
      await expect.poll(() => page.getByText('Your scoresheet is submitted.').count()).toBe(1);
    }
  }
}

export async function closeScoringAndDecide(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await moveForward(ctx, 'Close scoring', 'closeScoringConfirmation', 'The RFP is now in consensus.');
  await openTab(page, 'Consensus', '/consensus');
  await page.getByRole('link', { name: ctx.vendors.omni.name }).click();
  await page.waitForURL(/submission=/);
  const decide = page.locator(`form[aria-label="Consensus for ${ctx.criteria.bias.key}"]`);
  await decide.getByLabel('Consensus score').selectOption('3');
  await decide.getByLabel('Rationale for the consensus').fill('The panel agrees the bias-testing plan covers languages but not neighbourhoods: level 3.');
  await decide.getByRole('button', { name: /Record consensus/ }).click();
  await expect.poll(() => page.getByText('The panel agrees the bias-testing plan covers languages').count()).toBeGreaterThan(0);
  await check('wd-11-consensus');
}

export async function readResults(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await openTab(page, 'Results', '/results');
  await expect.poll(() => page.getByRole('heading', { name: /Ranking/ }).count()).toBeGreaterThan(0);
  expect(await page.getByText(ctx.vendors.civic.name).count()).toBeGreaterThan(0);
  await check('wd-12-results');
}

export async function closeRfp(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await moveForward(ctx, 'Close the RFP', 'closingConfirmation', 'The RFP is now closed.');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);
  await check('wd-13-closed-overview');
}

/** After the close, the officer opens the vendor registry, the city's list of every vendor across its RFPs. */
export async function reviewRegistry(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.getByRole('link', { name: 'Vendors', exact: true }).first().click();
  await page.waitForURL(`${ctx.baseUrl}/vendors`);
  await expect.poll(() => page.getByRole('heading', { name: 'Vendor registry', level: 1 }).count()).toBe(1);
  for (const vendor of [ctx.vendors.civic, ctx.vendors.omni]) expect(await page.getByRole('link', { name: vendor.name, exact: true }).count()).toBe(1);
  await check('wd-14-vendor-registry');
}
