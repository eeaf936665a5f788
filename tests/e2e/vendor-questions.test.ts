/**
 * The Q&A period in Chromium (issue 15, item 5): a vendor contact asks a question from the RFP's page, the lead answers
 * it — rewording it so it does not name the vendor — and publishes Q&A addendum 1, and a contact of another vendor reads
 * the addendum: the published wording and the answer, not the question as asked. Every page at 1280 px and on a phone,
 * with axe at 0 violations and no script error (the pages' scripts run, unlike in the HTTP tests).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { inviteAndJoin, withDb } from '#tests/support/vendor-contacts';
import { launchBrowser } from './support/browser';
import { type CheckedPage, openCheckedPage, signIn } from './support/pages';

const ASKED = 'Civic Answers already runs this in Springfield: does the pilot period count toward the five-year term?';
const REWORDED = 'Does the pilot period count toward the five-year term?';
const ANSWER = 'No. The term starts at go-live; the pilot is priced on its own line of the price form.';

describe('vendor questions in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let rfpId = '';
  const contacts = new Map<'civic' | 'quick', Visitor>();

  /** A browser session carrying a vendor contact's signed-in session (they signed in over HTTP with the mailed code). */
  async function vendorPage(who: 'civic' | 'quick'): Promise<CheckedPage> {
    const checked = await openCheckedPage(browser);
    const [name, value] = contacts.get(who)!.sessionCookie.split('=') as [string, string];
    await checked.page.context().addCookies([{ name, value, url: server.baseUrl }]);
    return checked;
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    rfpId = await withDb(server, async (db) => (await db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id);
    // The demo's questions deadline has passed; the period is open again for this test.
    await withDb(server, (db) => db.updateTable('rfp').set({ qa_due_at: new Date(Date.now() + 7 * 86_400_000).toISOString() }).where('id', '=', rfpId).execute());
    const lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    contacts.set('civic', await inviteAndJoin(server, lead, rfpId, { vendorKey: 'civic-answers', name: 'Vera Vendor', email: 'vera@civic-answers.example' }));
    contacts.set('quick', await inviteAndJoin(server, lead, rfpId, { vendorKey: 'quickserve-ai', name: 'Quinn Quick', email: 'quinn@quickserve.example' }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a vendor asks, the lead answers and publishes, another vendor reads the addendum', async () => {
    const civic = await vendorPage('civic');
    await civic.page.goto(`${server.baseUrl}/vendor/rfps/${rfpId}`);
    await civic.page.getByRole('link', { name: 'Ask a question and read the published answers' }).click();
    await expect.poll(() => civic.page.getByRole('heading', { level: 1 }).textContent()).toBe('Questions and answers');
    await civic.page.getByLabel('Your question').fill(ASKED);
    await civic.page.getByRole('button', { name: 'Send the question' }).click();
    await expect.poll(() => civic.page.getByRole('status').filter({ hasText: 'Your question was sent to the lead officer' }).count()).toBe(1);
    // The form is empty again; the question is listed, awaiting its answer.
    await expect.poll(() => civic.page.inputValue('#text')).toBe('');
    const own = civic.page.locator('section', { has: civic.page.getByRole('heading', { name: 'Your organisation’s questions' }) });
    await expect.poll(() => own.getByText(ASKED).count()).toBe(1);
    await expect.poll(() => own.getByText('Awaiting answer').count()).toBe(1);
    await civic.check('vendor-questions-asked');
    await civic.close();

    const lead = await openCheckedPage(browser);
    await signIn(lead.page, server.baseUrl, 'officer@city.example');
    await lead.page.goto(`${server.baseUrl}/rfps/${rfpId}/vendors`);
    await lead.page.getByRole('link', { name: 'Vendor questions (Q&A)' }).click();
    await expect.poll(() => lead.page.getByRole('heading', { name: 'Question 1 from Civic Answers' }).count()).toBe(1);
    await lead.page.getByLabel('The question as published').fill(REWORDED);
    await lead.page.getByRole('textbox', { name: /^Answer/ }).fill(ANSWER);
    await lead.page.getByRole('button', { name: /^Save the answer/ }).click();
    await expect.poll(() => lead.page.getByRole('status').filter({ hasText: 'Answer saved' }).count()).toBe(1);
    await expect.poll(() => lead.page.getByText('Answered, not yet published').count()).toBe(1);
    await lead.check('lead-questions-answered');
    await lead.page.getByRole('button', { name: 'Publish addendum 1 to every invited vendor' }).click();
    await expect.poll(() => lead.page.getByRole('status').filter({ hasText: 'Q&A addendum 1 is published with 1 answer, and mailed to 2 vendor contacts.' }).count()).toBe(1);
    await expect.poll(() => lead.page.getByText('Published in addendum 1').count()).toBe(1);
    await lead.check('lead-questions-published');
    await lead.page.setViewportSize({ width: 390, height: 844 });
    await lead.page.reload();
    await lead.check('lead-questions-phone');
    await lead.close();

    const quick = await vendorPage('quick');
    await quick.page.goto(`${server.baseUrl}/vendor/rfps/${rfpId}/questions`);
    await expect.poll(() => quick.page.getByRole('heading', { name: /^Q&A addendum 1, published / }).count()).toBe(1);
    await expect.poll(() => quick.page.getByText(REWORDED, { exact: true }).count()).toBe(1);
    await expect.poll(() => quick.page.getByText(ANSWER, { exact: true }).count()).toBe(1);
    const main = (await quick.page.locator('#main-content').textContent()) ?? '';
    expect(main).not.toContain('Springfield');
    expect(main).not.toContain('Civic Answers');
    expect(await quick.page.getByText('Your organisation has not asked a question about this RFP.').count()).toBe(1);
    await quick.check('vendor-questions-addendum');
    await quick.page.setViewportSize({ width: 390, height: 844 });
    await quick.page.reload();
    await quick.check('vendor-questions-addendum-phone');
    await quick.close();
  });
});
