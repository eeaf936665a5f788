/**
 * A vendor contact answers and submits online in Chromium (issue 15, items 3, 4 and 6): the answer typed is kept by
 * autosave, the submission is made with the keyboard alone (Tab and Enter, no mouse), the receipt is shown with its
 * SHA-256, and the lead's bid-opening page says who submitted and when — axe 0 and no console error on every page,
 * at 1280 px and on a phone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { inviteAndJoin, withDb } from '#tests/support/vendor-contacts';
import { launchBrowser } from './support/browser';
import { openCheckedPage } from './support/pages';

const ROUTE = 'routes/vendor.rfps.$rfpId_.response';

describe('answering online in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let rfpId: string;
  let vera: Visitor;
  let lead: Visitor;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    rfpId = await withDb(server, async (db) => {
      const rfp = await db.selectFrom('rfp').select('id').executeTakeFirstOrThrow();
      await db.updateTable('rfp').set({ proposals_due_at: new Date(Date.now() + 2 * 86_400_000).toISOString(), qa_due_at: null }).where('id', '=', rfp.id).execute();
      return rfp.id;
    });
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    vera = await inviteAndJoin(server, lead, rfpId, { vendorKey: 'civic-answers', name: 'Vera Vendor', email: 'vera@civic-answers.example' });
    // Every required answer but one is already a draft (typed earlier); the last one is typed in the browser.
    const data = (await (await vera.get(`/vendor/rfps/${rfpId}/response?_data=${encodeURIComponent(ROUTE)}`)).json()) as {
      view: { priceKey: string; rfp: { sections: Array<{ criteria: Array<{ questions: Array<{ key: string; answerType: string; options: Array<{ label: string }> }> }> }> } };
    };
    const questions = data.view.rfp.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions));
    const body = new URLSearchParams({ intent: 'save' });
    for (const q of questions.slice(1)) {
      body.append(`r:${q.key}`, '0');
      body.append(`a:${q.key}`, q.key === data.view.priceKey ? '1180000' : q.answerType === 'number' ? '12' : (q.options[0]?.label ?? `Our answer to ${q.key}.`));
    }
    const saved = await vera.request(`/vendor/rfps/${rfpId}/response?_data=${encodeURIComponent(ROUTE)}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl } });
    expect(saved.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('autosaves what is typed, submits with the keyboard alone, and shows the receipt', async () => {
    const { page, check, close } = await openCheckedPage(browser);
    const [name, value] = vera.sessionCookie.split('=');
    await page.context().addCookies([{ name: name!, value: value!, url: server.baseUrl }]);
    await page.goto(`${server.baseUrl}/vendor/rfps/${rfpId}`);
    await check('vendor-60-rfp');
    await page.getByRole('link', { name: 'Answer online' }).click();
    await page.waitForURL('**/response');
    await expect.poll(() => page.getByText('65 of 66 questions answered').count()).toBe(1);
    await check('vendor-61-response');

    // The first question is a yes/no attestation: chosen with the keyboard, kept by autosave.
    const first = page.locator('select').first();
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByText('Saved.', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByText('66 of 66 questions answered').count()).toBe(1);

    // Keyboard only: Tab to "Submit the response", Enter; Tab to the confirm button, Enter.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Submit the response');
    }
    expect(reached, 'the submit link is reachable with Tab').toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/response?confirm=submit');
    await check('vendor-62-confirm-submit');
    reached = false;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Submit the response' && document.activeElement.tagName === 'BUTTON');
    }
    expect(reached, 'the confirm button is reachable with Tab').toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/sealed=1/);
    const notice = page.getByRole('status').filter({ hasText: 'Version 1 submitted' });
    await expect.poll(() => notice.count()).toBe(1);
    const hash = await withDb(server, (db) => db.selectFrom('vendor_response_version').select('sha256').executeTakeFirstOrThrow());
    expect(await notice.textContent()).toContain(hash.sha256);
    await check('vendor-63-receipt');
    await page.setViewportSize({ width: 390, height: 844 });
    await check('vendor-64-receipt-phone');
    await close();
  });

  it('shows the lead who submitted and when, and nothing of what', async () => {
    const { page, check, close } = await openCheckedPage(browser);
    const [name, value] = lead.sessionCookie.split('=');
    await page.context().addCookies([{ name: name!, value: value!, url: server.baseUrl }]);
    await page.goto(`${server.baseUrl}/rfps/${rfpId}/vendors`);
    await page.getByRole('link', { name: 'Online responses and bid opening' }).click();
    await page.waitForURL('**/bid-opening');
    await page.getByRole('heading', { name: 'Online responses and bid opening' }).waitFor();
    const row = page.getByRole('row', { name: /Civic Answers/ });
    expect(await row.textContent()).toMatch(/SubmittedVersion 1, .*by Vera Vendor/);
    expect(await page.content()).not.toContain('Our answer to');
    await check('vendor-65-bid-opening-sealed');
    await close();
  });
});
