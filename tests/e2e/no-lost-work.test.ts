/**
 * No lost work, in Chromium, as an officer does it: a long form with unsaved changes asks before an in-app link and
 * before a reload or closing the tab (and not once the change is typed back); the button that was clicked shows it is
 * busy and a second press does not send the form again; "add" forms and file inputs are empty after a successful add
 * or upload, and keep what was typed when the add is refused.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

const leaveDialog = (page: Page) => page.getByRole('dialog', { name: 'Leave without saving?' });

describe('no lost work in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let rfpId: string;
  let submissionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    submissionId = (await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).executeTakeFirstOrThrow()).id;
    await handle.close();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks before leaving a form with unsaved changes, by a link, a reload or closing the tab', async () => {
    const session = await openCheckedPage(browser);
    const { page } = session;
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.goto(`${server.baseUrl}/rfps/new`);
    const title = page.getByLabel('Title');
    await title.click();
    await page.keyboard.type('311 assistant');

    // An in-app link: the workbench's own dialog, naming what is not saved; "Stay" keeps the typing.
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => leaveDialog(page).isVisible()).toBe(true);
    expect(await leaveDialog(page).textContent()).toContain('The new RFP');
    await session.check('80-leave-without-saving');
    await leaveDialog(page).getByRole('button', { name: 'Stay on this page' }).click();
    await expect.poll(() => leaveDialog(page).isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/rfps/new');
    expect(await title.inputValue()).toBe('311 assistant');

    // Escape also means stay.
    await page.getByRole('link', { name: 'RFPs', exact: true }).click();
    await expect.poll(() => leaveDialog(page).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => leaveDialog(page).isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/rfps/new');

    // The browser's own navigation: a reload, then closing the tab, each ask (Chromium's beforeunload prompt).
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    await page.evaluate(() => window.location.reload());
    await expect.poll(() => asked).toEqual(['beforeunload']);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload', 'beforeunload']);
    expect(page.isClosed()).toBe(false);
    expect(await title.inputValue()).toBe('311 assistant');

    // Typed back to what it was: nothing is unsaved, so nothing asks.
    await title.fill('');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL('**/rfps');
    expect(asked).toHaveLength(2);

    // "Leave without saving" leaves.
    await page.goto(`${server.baseUrl}/rfps/new`);
    await page.getByLabel('Department').click();
    await page.keyboard.type('Customer service');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => leaveDialog(page).isVisible()).toBe(true);
    await leaveDialog(page).getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL('**/rfps');
    expect(asked).toHaveLength(2);
    await session.close();
  });

  it('shows the clicked button busy until the page answers, and a second press sends nothing', async () => {
    const session = await openCheckedPage(browser);
    const { page } = session;
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.goto(`${server.baseUrl}/rfps/new`);
    let posts = 0;
    let release: () => void = () => {};
    let held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/rfps\/new/, async (route) => {
      if (route.request().method() === 'POST') {
        posts += 1;
        await held;
      }
      await route.continue();
    });
    const create = page.getByRole('button', { name: 'Create RFP' });

    // A refused create: busy while it is sent, then the button is ready again for the corrected form.
    await page.getByLabel('Title').fill('Busy button');
    await create.click();
    await expect.poll(() => create.getAttribute('aria-busy')).toBe('true');
    expect(await create.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    expect(posts).toBe(1);
    await page.screenshot({ path: 'test-results/screenshots/82-busy-button.png' });
    release();
    await expect.poll(() => page.getByText('Reference is required.').count()).toBeGreaterThan(0);
    await expect.poll(() => create.getAttribute('aria-busy')).toBe(null);
    expect(await create.getAttribute('aria-disabled')).toBe(null);
    expect(await page.getByLabel('Title').inputValue()).toBe('Busy button');

    // A double click on the corrected form creates one RFP.
    held = new Promise<void>((resolve) => (release = resolve));
    await page.getByLabel('Reference').fill('BUSY-1');
    await page.getByLabel('Department').fill('IT');
    await page.getByLabel('AI use-case summary').fill('Checks the busy button.');
    await create.click();
    await expect.poll(() => create.getAttribute('aria-busy')).toBe('true');
    await page.keyboard.press('Enter');
    expect(posts).toBe(2);
    release();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
    await session.check('83-created-once');
    const handle = openDatabase(server.databaseUrl);
    expect((await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'BUSY-1').execute()).length).toBe(1);
    await handle.close();
    await session.close();
  });

  it('empties "add a question" after an add, keeps it after a refusal, and resets the evidence file input after an upload', async () => {
    const session = await openCheckedPage(browser);
    const { page } = session;
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.goto(`${server.baseUrl}/rfps/new`);
    await page.getByLabel('Reference').fill('RESET-1');
    await page.getByLabel('Title').fill('Reset after success');
    await page.getByLabel('Department').fill('IT');
    await page.getByLabel('AI use-case summary').fill('Checks the add forms.');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
    const draftId = /\/rfps\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await page.goto(`${server.baseUrl}/rfps/${draftId}/questionnaire`);
    await page.getByRole('button', { name: 'Use this template' }).click();
    await page.locator('.wb-criterion h4 a').first().click();
    await page.waitForURL('**/questionnaire/criteria/*');

    const add = page.locator('form:has(input[name="intent"][value="add-question"])');
    const field = (name: string) => add.locator(`[name="${name}"]`);
    // Refused (no question text): everything typed is still there to correct.
    await field('guidance').fill('Describe the retraining schedule.');
    await field('strongAnswer').fill('A dated schedule with owners.');
    await field('references').fill('NIST AI RMF MEASURE 2.11');
    await add.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => add.locator('.usa-error-message').count()).toBeGreaterThan(0);
    expect(await field('guidance').inputValue()).toBe('Describe the retraining schedule.');

    // Added: the form is empty, so the next question inherits nothing from this one.
    await field('text').fill('How often is the model retrained?');
    const keyBefore = await field('key').inputValue();
    await add.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => page.getByRole('link', { name: keyBefore, exact: true }).count()).toBe(1);
    await expect.poll(() => field('text').inputValue()).toBe('');
    expect(await field('guidance').inputValue()).toBe('');
    expect(await field('strongAnswer').inputValue()).toBe('');
    expect(await field('references').inputValue()).toBe('');
    expect(await field('key').inputValue()).not.toBe(keyBefore);
    await session.check('84-question-added-form-empty');

    // The evidence upload forgets the file it sent.
    await page.goto(`${server.baseUrl}/rfps/${rfpId}/vendors/${submissionId}`);
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({ name: 'retraining-plan.txt', mimeType: 'text/plain', buffer: Buffer.from('Retrained quarterly.') });
    await page.getByRole('button', { name: 'Attach file' }).click();
    await expect.poll(() => page.getByText(/Attached retraining-plan\.txt/).count()).toBe(1);
    expect(await input.evaluate((el: HTMLInputElement) => el.files?.length ?? 0)).toBe(0);
    await session.check('85-evidence-uploaded-input-empty');
    await session.close();
  });

  it('follows a link clicked while a save is still re-reading the page, and asks only if the save was refused', async () => {
    const session = await openCheckedPage(browser);
    const { page } = session;
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.goto(`${server.baseUrl}/rfps/new`);
    await page.getByLabel('Reference').fill('HELD-1');
    await page.getByLabel('Title').fill('Link during a save');
    await page.getByLabel('Department').fill('IT');
    await page.getByLabel('AI use-case summary').fill('Checks a link clicked while a save settles.');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
    const draftPath = new URL(page.url()).pathname;

    // The router shows the action's answer before it has re-read the page's data: hold that re-read, as a slow
    // server would, so the link is clicked while the radios' defaults are still those from before the save.
    let holding = false;
    let release: () => void = () => {};
    let held = new Promise<void>((resolve) => (release = resolve));
    let heldReads = 0;
    await page.route(/_data=/, async (route) => {
      if (holding && route.request().method() === 'GET') {
        heldReads += 1;
        await held;
      }
      await route.continue();
    });
    const intake = page.locator('form[data-unsaved-warning="The use-case intake"]');
    const radios = intake.locator('input[type="radio"]');
    const firstLabel = intake.locator('label.usa-radio__label').first();
    const questionnaireTab = page.getByRole('link', { name: 'Questionnaire', exact: true });

    await page.goto(`${server.baseUrl}${draftPath}/risk`);
    await firstLabel.click();
    holding = true;
    await page.getByRole('button', { name: 'Save and assess' }).click();
    await expect.poll(() => page.getByText(/^Saved\./).count()).toBe(1);
    await expect.poll(() => heldReads).toBeGreaterThan(0);
    // The radio's default is still the unsaved one: the guard would have asked here before (2026-12-03).
    expect(await radios.first().evaluate((r: HTMLInputElement) => r.checked && !r.defaultChecked)).toBe(true);
    await questionnaireTab.click();
    await page.waitForTimeout(300);
    expect(await leaveDialog(page).isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe(`${draftPath}/risk`);
    holding = false;
    release();
    await page.waitForURL(`**${draftPath}/questionnaire`);
    expect(await leaveDialog(page).isVisible()).toBe(false);

    // A refused save (an answer that is not an option of its question) leaves the change unsaved: the held link asks.
    held = new Promise<void>((resolve) => (release = resolve));
    heldReads = 0;
    await page.goto(`${server.baseUrl}${draftPath}/risk`);
    const second = intake.locator('label.usa-radio__label').nth(1);
    await second.click();
    await radios.nth(1).evaluate((r: HTMLInputElement) => (r.value = 'not-an-option'));
    holding = true;
    await page.getByRole('button', { name: 'Save and assess' }).click();
    await expect.poll(() => page.getByText(/These answers are not options/).count()).toBeGreaterThan(0);
    await questionnaireTab.click();
    holding = false;
    release();
    await expect.poll(() => leaveDialog(page).isVisible()).toBe(true);
    expect(await leaveDialog(page).textContent()).toContain('The use-case intake');
    await leaveDialog(page).getByRole('button', { name: 'Stay on this page' }).click();
    expect(new URL(page.url()).pathname).toBe(`${draftPath}/risk`);
    await session.close();
  });
});
