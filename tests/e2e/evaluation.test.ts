/**
 * The evaluation in Chromium: the lead assigns two evaluators and opens scoring; each evaluator, in a separate
 * browser context, attests, scores the same vendor without seeing the other's work (one level picked with the arrow
 * keys and saved with Enter), and submits; the lead closes scoring and records consensus on the split knock-out;
 * the evaluator then reads the panel's scores. Every page is screenshotted and checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { type CheckedPage, openCheckedPage, signIn } from './support/pages';

const E1_NOTE = 'Evan: the signed attestation is missing from the appendix.';
const E2_NOTE = 'Priya: attestation present, practice by practice.';

describe('evaluation in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let handle: DatabaseHandle;
  let rfpPath: string;
  let criteria: Array<{ id: string; kind: string; key: string }>;
  let civicSubmission: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    handle = openDatabase(server.databaseUrl);
    const rfp = await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    rfpPath = `/rfps/${rfp.id}`;
    criteria = await handle.db
      .selectFrom('criterion')
      .innerJoin('section', 'section.id', 'criterion.section_id')
      .select(['criterion.id', 'criterion.kind', 'criterion.key'])
      .where('criterion.rfp_id', '=', rfp.id)
      .where('section.key', 'in', ['knock-outs', 'responsible-ai'])
      .where('criterion.kind', 'in', ['scored', 'pass_fail'])
      .orderBy('section.position')
      .orderBy('criterion.position')
      .execute();
    const civic = await handle.db
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select('submission.id')
      .where('submission.rfp_id', '=', rfp.id)
      .where('vendor.key', '=', 'civic-answers')
      .executeTakeFirstOrThrow();
    civicSubmission = civic.id;
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    await browser?.close();
    await server?.stop();
  });

  async function assign(page: Page, evaluator: string) {
    await page.locator('#evaluatorId').selectOption({ label: evaluator });
    await page.locator('label[for="scope-sections"]').click();
    await page.locator('label', { hasText: 'Knock-out requirements' }).click();
    await page.locator('label', { hasText: 'Responsible AI' }).click();
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => page.getByText(`${evaluator} is assigned to 2 sections.`).count()).toBe(1);
  }

  async function attest(session: CheckedPage, declareOmniSight: boolean, shot: string) {
    const { page, check } = session;
    await page.getByRole('link', { name: 'My evaluations' }).click();
    await page.waitForURL('**/evaluations');
    await check(`${shot}-my-evaluations`);
    await page.getByRole('link', { name: /^Attest on conflicts of interest/ }).click();
    await page.waitForURL(`**${rfpPath}/evaluate`);
    await check(`${shot}-attestation`);
    if (declareOmniSight) {
      await page.locator('label[for="coi-declared"]').click();
      await page.locator('label', { hasText: 'OmniSight Analytics' }).click();
      await page.getByLabel('Details of the conflict').fill('I advised OmniSight Analytics on its public-sector offering in 2025.');
    } else {
      await page.locator('label[for="coi-none"]').click();
    }
    await page.locator('label[for="confirm"]').click();
    await page.getByRole('button', { name: 'Sign the attestation' }).click();
    await expect.poll(() => page.getByText('Your attestation is recorded.').count()).toBe(1);
    await check(`${shot}-vendors`);
  }

  /** Scores every assigned criterion of Civic Answers with the mouse, except those already saved. */
  async function scoreRest(page: Page, who: string, value: (kind: string) => string, skip: Set<string>) {
    for (const c of criteria) {
      if (skip.has(c.id)) continue;
      await page.locator(`label[for="level-${c.id}-${value(c.kind)}"]`).click();
      await page.locator(`#rationale-${c.id}`).fill(`${who} on ${c.key}: evidence reviewed.`);
      await page.locator(`form[aria-label="Score for ${c.key}"]`).getByRole('button', { name: 'Save and next' }).click();
      await expect.poll(() => page.locator(`form[aria-label="Score for ${c.key}"]`).getAttribute('data-state')).toBe('saved');
    }
  }

  it('two evaluators score independently, submit, and the lead reaches consensus', async () => {
    const lead = await openCheckedPage(browser);
    const evan = await openCheckedPage(browser);
    const priya = await openCheckedPage(browser);

    // The lead assigns both evaluators to the knock-outs and Responsible AI, and opens scoring.
    await signIn(lead.page, server.baseUrl, 'officer@city.example');
    await lead.page.goto(`${server.baseUrl}${rfpPath}`);
    await lead.page.getByRole('link', { name: 'Evaluation', exact: true }).click();
    await lead.page.waitForURL('**/evaluation');
    await lead.check('50-evaluation-dashboard-empty');
    await assign(lead.page, 'Evan Chen');
    await assign(lead.page, 'Priya Natarajan');
    await lead.page.getByRole('link', { name: 'Status', exact: true }).click();
    await lead.page.getByRole('link', { name: 'Move to evaluation…' }).click();
    await lead.page.getByRole('button', { name: 'Move to evaluation', exact: true }).click();
    await expect.poll(() => lead.page.getByRole('status').textContent()).toContain('The RFP is now in evaluation.');

    // Both attest, in their own browser contexts; Priya declares a conflict with OmniSight.
    await signIn(evan.page, server.baseUrl, 'evaluator1@city.example');
    await signIn(priya.page, server.baseUrl, 'evaluator2@city.example');
    await attest(evan, false, '51-evan');
    await attest(priya, true, '52-priya');
    expect(await priya.page.getByText('You are recused from one vendor:').count()).toBe(1);
    expect(await priya.page.locator('.usa-alert li', { hasText: 'OmniSight Analytics' }).count()).toBe(1);

    // Priya scores the first knock-out first.
    const first = criteria[0]!;
    await priya.page.getByRole('link', { name: 'Score Civic Answers Inc.' }).click();
    await priya.page.waitForURL(`**/evaluate/${civicSubmission}`);
    await priya.page.locator(`label[for="level-${first.id}-1"]`).click();
    await priya.page.locator(`#rationale-${first.id}`).fill(E2_NOTE);
    await priya.page.locator(`form[aria-label="Score for ${first.key}"]`).getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => priya.page.locator(`form[aria-label="Score for ${first.key}"]`).getAttribute('data-state')).toBe('saved');

    // Evan opens the same vendor: he sees only his own (empty) sheet, never Priya's note.
    await evan.page.getByRole('link', { name: 'Score Civic Answers Inc.' }).click();
    await evan.page.waitForURL(`**/evaluate/${civicSubmission}`);
    await evan.check('53-scoring-screen');
    expect(await evan.page.content()).not.toContain('Priya: attestation present');

    // Keyboard only: focus the knock-out's first level, arrow to "Fail", type the rationale, Tab to "Save and next", Enter.
    const form = evan.page.locator(`form[aria-label="Score for ${first.key}"]`);
    await evan.page.locator(`#level-${first.id}-1`).focus();
    await evan.page.keyboard.press('ArrowDown');
    expect(await evan.page.locator(`#level-${first.id}-0`).isChecked()).toBe(true);
    await evan.page.keyboard.press('Tab');
    await evan.page.keyboard.type(E1_NOTE);
    await expect.poll(() => form.getAttribute('data-state')).toBe('unsaved');
    await evan.page.keyboard.press('Tab');
    expect(await evan.page.evaluate(() => document.activeElement?.textContent)).toBe('Save and next');
    await evan.page.keyboard.press('Enter');
    const second = criteria[1]!;
    await evan.page.waitForURL(`**#criterion-${second.id}`);
    await expect.poll(() => evan.page.evaluate(() => document.activeElement?.id)).toBe(`criterion-${second.id}`);
    await expect.poll(() => form.getAttribute('data-state')).toBe('saved');
    await evan.check('54-scoring-saved');

    // Submitting too early lists what is missing.
    await evan.page.getByRole('button', { name: 'Submit scoresheet' }).click();
    await expect.poll(() => evan.page.getByText(/Not submitted: \d+ of 7 criteria still need a score/).count()).toBe(1);
    await evan.check('55-submit-missing');

    // No lost work: a rationale typed and not saved is kept as a draft, and a reload restores it with the time it was kept.
    const draftNote = 'Evan, unsaved: the human-review step is described but not evidenced.';
    await evan.page.locator(`#rationale-${second.id}`).fill(draftNote);
    const secondForm = evan.page.locator(`form[aria-label="Score for ${second.key}"]`);
    await expect.poll(() => secondForm.locator('.wb-save-state').textContent()).toContain('draft kept');
    evan.page.once('dialog', (dialog) => void dialog.accept());
    await evan.page.reload();
    await expect.poll(() => secondForm.getByText(/^Draft restored from .+ [AP]M [A-Z]/).count()).toBe(1);
    expect(await evan.page.locator(`#rationale-${second.id}`).inputValue()).toBe(draftNote);
    expect(await secondForm.getAttribute('data-state')).toBe('unsaved');
    await evan.check('55b-draft-restored');
    expect(await priya.page.content()).not.toContain(draftNote);

    await scoreRest(evan.page, 'Evan', (kind) => (kind === 'pass_fail' ? '1' : '4'), new Set([first.id]));
    await scoreRest(priya.page, 'Priya', (kind) => (kind === 'pass_fail' ? '1' : '1'), new Set([first.id]));
    expect(await evan.page.content()).not.toContain('Priya on');
    expect(await priya.page.content()).not.toContain('Evan on');
    expect(await priya.page.content()).not.toContain(E1_NOTE);

    for (const [session, shot] of [
      [evan, '56-evan-submitted'],
      [priya, '57-priya-submitted'],
    ] as const) {
      await session.page.getByRole('button', { name: 'Submit scoresheet' }).click();
      // It asks once, saying what it locks.
      await expect.poll(() => session.page.getByText('You can no longer change these scores or rationales.', { exact: false }).count()).toBe(1);
      await session.page.getByRole('button', { name: 'Yes, submit and lock my scores' }).click();
      await session.page.waitForURL(`**${rfpPath}/evaluate?submitted=*`);
      await expect.poll(() => session.page.getByText('Your scoresheet is submitted.').count()).toBe(1);
      await session.check(shot);
    }

    // The lead sees progress and the recusal, then closes scoring (other vendors are unscored, so with a reason).
    await lead.page.getByRole('link', { name: 'Evaluation', exact: true }).click();
    await lead.page.waitForURL('**/evaluation');
    await expect.poll(() => lead.page.getByText('is recused from').count()).toBe(1);
    await lead.check('58-evaluation-dashboard-progress');
    await lead.page.getByRole('link', { name: 'Close scoring…' }).click();
    await lead.page.waitForURL('**/status?move=consensus');
    await expect.poll(() => lead.page.getByText(/^Not submitted, and left out of the results as they stand/).count()).toBe(1);
    await lead.check('58b-close-scoring-confirm');
    await lead.page.getByLabel('Reason for closing scoring now').fill('This test evaluates Civic Answers only.');
    await lead.page.getByRole('button', { name: 'Close scoring', exact: true }).click();
    await expect.poll(() => lead.page.getByRole('status').textContent()).toContain('The RFP is now in consensus.');

    await lead.page.getByRole('navigation', { name: 'RFP sections' }).getByRole('link', { name: 'Consensus' }).click();
    await lead.page.waitForURL('**/consensus');
    await lead.page.getByRole('link', { name: 'Civic Answers Inc.' }).click();
    await lead.page.waitForURL(/submission=/);
    await expect.poll(() => lead.page.getByText('Mixed pass/fail — decision required').count()).toBe(1);
    expect(await lead.page.getByText(E1_NOTE).count()).toBe(1);
    expect(await lead.page.getByText(E2_NOTE).count()).toBe(1);
    expect(await lead.page.getByText(/Divergent: spread 60%/).count()).toBeGreaterThan(0);
    await lead.check('59-consensus');
    const decide = lead.page.locator(`form[aria-label="Consensus for ${first.key}"]`);
    await decide.getByLabel('Consensus score').selectOption('1');
    await decide.getByLabel('Rationale for the consensus').fill('The attestation is in appendix C; the panel agrees the vendor passes.');
    await decide.getByRole('button', { name: /Record consensus/ }).click();
    await expect.poll(() => lead.page.getByText('Mixed pass/fail — decided').count()).toBe(1);
    await lead.check('60-consensus-recorded');

    // Evan, having submitted, reads the panel's scores (read-only).
    await evan.page.goto(`${server.baseUrl}${rfpPath}/evaluate`);
    await evan.page.getByRole('link', { name: 'See the panel’s scores (read-only)' }).click();
    await evan.page.waitForURL('**/consensus');
    await expect.poll(() => evan.page.getByText(E2_NOTE).count()).toBe(1);
    expect(await evan.page.getByRole('button', { name: /Record consensus/ }).count()).toBe(0);
    await evan.check('61-consensus-evaluator');

    for (const session of [lead, evan, priya]) {
      expect(session.errors).toEqual([]);
      await session.close();
    }
  });
});
