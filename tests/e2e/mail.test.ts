/**
 * The admin's Mail page in Chromium, on the demo with no mail server: the demo's assignment mails wait in the outbox,
 * the page says why nothing was sent, and each mail's text opens under its subject — at 1280 px and on a phone,
 * with axe at 0 violations and no script error. Then an evaluator's own notifications and mail choices.
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
    // The consensus-stage demo assigns three evaluators, opens and closes scoring and submits their sheets: the mails
    // that caused wait for a mail server that is not configured.
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
    await expect.poll(async () => (await page.locator('#main-content').textContent()) ?? '').toMatch(/\d+ waiting, 0 sent, 0 failed\./);
    const assignment = page.locator('details', { hasText: 'You are assigned to evaluate DEMO-311-GENAI' }).first();
    await assignment.locator('summary').click();
    await expect.poll(() => assignment.locator('pre').textContent()).toMatch(/assigned you to evaluate .*DEMO-311-GENAI/s);
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

  it('invites a person, who creates their own account from the link in the mail', async () => {
    const admin = await openCheckedPage(browser);
    await signIn(admin.page, server.baseUrl, 'admin@city.example');
    await admin.page.goto(`${server.baseUrl}/admin/users`);
    await admin.page.fill('#invite-name', 'Ines Invitee');
    await admin.page.fill('#invite-email', 'ines.invitee@city.example');
    await admin.page.selectOption('#invite-role', 'evaluator');
    await admin.page.getByRole('button', { name: 'Send the invitation' }).click();
    await expect.poll(() => admin.page.getByText(/^Invitation mailed to ines\.invitee@city\.example/).count()).toBe(1);
    // The form is empty again, and the person is listed as invited.
    await expect.poll(() => admin.page.inputValue('#invite-email')).toBe('');
    await expect.poll(() => admin.page.locator('section', { hasText: 'Pending invitations' }).getByText('ines.invitee@city.example').count()).toBe(1);
    await admin.check('users-pending-invitation');
    await admin.page.goto(`${server.baseUrl}/admin/mail`);
    const mail = admin.page.locator('details', { hasText: 'Alex Admin invited you to the AI Vendor Evaluation Workbench' });
    await mail.locator('summary').click();
    const link = /https?:\/\/\S+\/invitation\/[A-Za-z0-9_-]{43}/.exec((await mail.locator('pre').textContent()) ?? '')?.[0];
    expect(link).toBeDefined();
    await admin.close();

    const invitee = await openCheckedPage(browser);
    await invitee.page.goto(link!);
    await expect.poll(() => invitee.page.getByRole('heading', { level: 1 }).textContent()).toBe('Create your account');
    await expect.poll(() => invitee.page.getByText('You are invited as evaluator').count()).toBe(1);
    await invitee.check('invitation');
    await invitee.page.fill('#password', 'my own passphrase here');
    await invitee.page.fill('#confirm', 'my own passphrase, mistyped');
    await invitee.page.getByRole('button', { name: 'Create my account' }).click();
    await expect.poll(() => invitee.page.getByText('The two passwords are not the same.').count()).toBeGreaterThan(0);
    await invitee.page.fill('#password', 'my own passphrase here');
    await invitee.page.fill('#confirm', 'my own passphrase here');
    await invitee.page.getByRole('button', { name: 'Create my account' }).click();
    await invitee.page.waitForURL(/\/rfps$/);
    await expect.poll(() => invitee.page.getByText('Ines Invitee').count()).toBeGreaterThan(0);
    await invitee.check('invitation-accepted');
    // The link worked once.
    await invitee.page.goto(link!);
    await expect.poll(() => invitee.page.getByRole('heading', { level: 1 }).textContent()).toBe('This invitation cannot be used');
    await invitee.close();
  });

  it('shows an evaluator their notifications, unread counted in the header, and keeps their mail choices', async () => {
    const checked = await openCheckedPage(browser);
    const { page } = checked;
    await signIn(page, server.baseUrl, 'evaluator1@city.example');
    // The demo assigned them, then opened scoring, then closed it: three notifications, none read.
    const link = page.getByRole('link', { name: /^Notifications/ });
    await expect.poll(() => link.textContent()).toBe('Notifications3 unread');
    await link.click();
    await expect.poll(() => page.getByText('3 unread notifications.').count()).toBe(1);
    await expect.poll(() => page.locator('strong', { hasText: /^You are assigned to evaluate DEMO-311-GENAI/ }).count()).toBe(1);
    await checked.check('notifications');
    await page.locator('li', { hasText: 'You are assigned to evaluate' }).getByRole('button', { name: /^Mark as read/ }).click();
    await expect.poll(() => page.getByText('2 unread notifications.').count()).toBe(1);
    await expect.poll(() => link.textContent()).toBe('Notifications2 unread');
    await page.getByLabel('An RFP you work on changed status').selectOption('digest');
    await page.getByRole('button', { name: 'Save mail choices' }).click();
    await expect.poll(() => page.getByText('Your mail choices are saved.').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByLabel('An RFP you work on changed status').inputValue()).toBe('digest');
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await expect.poll(() => page.getByText('Nothing unread.').count()).toBe(1);
    await expect.poll(() => link.textContent()).toBe('Notifications');
    await checked.check('notifications-read');
    await page.setViewportSize({ width: 390, height: 844 });
    await checked.check('notifications-phone');
    await checked.close();
  });
});
