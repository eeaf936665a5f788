/**
 * The admin's Mail page in Chromium, on the demo with no mail server: the demo's assignment mails wait in the outbox,
 * the page says why nothing was sent, and each mail's text opens under its subject — at 1280 px and on a phone,
 * with axe at 0 violations and no script error.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

describe('the Mail page', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    // The consensus-stage demo assigns three evaluators, so three mails wait for a server that is not configured.
    server = await startTestServer({ DEMO_STAGE: 'consensus' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the waiting mail to the admin, with its text', async () => {
    const checked = await openCheckedPage(browser);
    const { page } = checked;
    await signIn(page, server.baseUrl, 'admin@city.example');
    await page.getByRole('link', { name: 'Mail', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mail');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No mail server is set up' }).count()).toBe(1);
    await expect.poll(() => page.getByText('3 waiting, 0 sent, 0 failed.').count()).toBe(1);
    const first = page.locator('details').first();
    await first.locator('summary').click();
    await expect.poll(() => first.locator('pre').textContent()).toMatch(/assigned you to evaluate .*DEMO-311-GENAI/s);
    await checked.check('mail-outbox');
    await page.selectOption('#mail-status', 'sent');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByText('No sent mail.').count()).toBe(1);
    await checked.check('mail-outbox-sent-filter');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseUrl}/admin/mail`);
    await checked.check('mail-outbox-phone');
    await checked.close();
  });
});
