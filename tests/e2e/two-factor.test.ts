/**
 * Two-step verification in Chromium: a person turns it on from their account page (the key shown under the QR code is
 * what an authenticator app would read; the test computes the app's code from it with the same RFC 6238 function the
 * server uses), keeps the recovery codes shown once, then signs in with password and code, and with a recovery code,
 * which works once. An admin requiring it for every password account makes another person enrol at their next
 * sign-in before anything else. Axe at 0 violations and no script error on every page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '#app/auth/totp.server';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

/** The code an authenticator app shows `steps` 30-second steps from now (one ahead: the step enrolment used is spent). */
const codeFor = (secret: string, steps = 1) => totpAt(secret, new Date(Date.now() + steps * 30_000));

/** Reads the key shown for typing into an app, without its spaces. */
async function shownSecret(page: Page): Promise<string> {
  const key = (await page.locator('code.wb-secret-key').textContent()) ?? '';
  expect(key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  return key.replace(/ /g, '');
}

async function recoveryCodesShown(page: Page): Promise<string[]> {
  await expect.poll(() => page.getByRole('heading', { name: 'Your recovery codes' }).count()).toBe(1);
  const codes = (await page.locator('.wb-recovery-codes code').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  expect(new Set(codes).size).toBe(10);
  for (const code of codes) expect(code).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/);
  return codes;
}

/** Email and password on the sign-in form, which then asks for the second step. */
async function passwordStep(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/login/verify');
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Two-step verification');
}

async function secondStep(page: Page, code: string): Promise<void> {
  await page.locator('#code').fill(code);
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
}

async function signOut(page: Page, baseUrl: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl}/login`);
}

describe('two-step verification in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('turns it on from the account page, then signs in with a code and, once, with a recovery code', async () => {
    const checked = await openCheckedPage(browser);
    const { page } = checked;
    await signIn(page, server.baseUrl, 'evaluator2@city.example');
    await page.getByRole('link', { name: /\(your account\)/ }).click();
    await page.waitForURL('**/account');
    await expect.poll(() => page.getByText('Off. Turn it on so that a stolen password alone cannot open your account.').count()).toBe(1);
    await checked.check('two-factor-account-off');
    await page.getByRole('link', { name: 'Set up two-step verification' }).click();
    await page.waitForURL('**/account/two-factor');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await expect.poll(() => page.getByRole('img', { name: 'QR code to add the workbench to an authenticator app' }).count()).toBe(1);
    const secret = await shownSecret(page);
    await checked.check('two-factor-enrol');

    // A wrong code first: said next to the field, and nothing is turned on.
    const wrong = totpAt(secret, new Date()) === '000000' ? '111111' : '000000';
    await page.locator('#code').fill(wrong);
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await expect.poll(() => page.getByText('That code does not match.', { exact: false }).count()).toBeGreaterThan(0);
    await checked.check('two-factor-enrol-wrong-code');
    await page.locator('#code').fill(totpAt(secret, new Date()));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Two-step verification is on.' }).count()).toBe(1);
    const codes = await recoveryCodesShown(page);
    await checked.check('two-factor-recovery-codes');
    await page.getByRole('link', { name: 'I have saved them — continue' }).click();
    await page.waitForURL('**/rfps');
    await signOut(page, server.baseUrl);

    // The password alone now leads to the second step; the right code signs in.
    await passwordStep(page, server.baseUrl, 'evaluator2@city.example');
    await checked.check('two-factor-sign-in-step');
    await secondStep(page, codeFor(secret));
    await page.waitForURL(`${server.baseUrl}/rfps`);
    await expect.poll(() => page.getByText('Priya Natarajan').count()).toBeGreaterThan(0);
    await signOut(page, server.baseUrl);

    // Phone lost: a recovery code, once.
    await passwordStep(page, server.baseUrl, 'evaluator2@city.example');
    await secondStep(page, codes[3]!);
    await page.waitForURL(`${server.baseUrl}/rfps`);
    await page.goto(`${server.baseUrl}/account`);
    await expect.poll(() => page.locator('#main-content').textContent()).toContain('9 of 10 recovery codes left.');
    await checked.check('two-factor-account-on');
    await signOut(page, server.baseUrl);
    await passwordStep(page, server.baseUrl, 'evaluator2@city.example');
    await secondStep(page, codes[3]!);
    await expect.poll(() => page.getByText('That code is not correct.', { exact: false }).count()).toBeGreaterThan(0);
    expect(page.url()).toBe(`${server.baseUrl}/login/verify`);
    await checked.check('two-factor-recovery-code-spent');
    // Another recovery code still works.
    await secondStep(page, codes[4]!);
    await page.waitForURL(`${server.baseUrl}/rfps`);
    await checked.close();
  });

  it('makes a person enrol at their next sign-in once an admin requires it', async () => {
    const admin = await openCheckedPage(browser);
    await signIn(admin.page, server.baseUrl, 'admin@city.example');
    await admin.page.goto(`${server.baseUrl}/admin/users`);
    await admin.page.getByLabel('Two-step verification', { exact: true }).selectOption('everyone');
    await admin.page.getByRole('button', { name: 'Save the policy' }).click();
    await expect.poll(() => admin.page.getByText(/^Two-step verification: required for every account that signs in with a password\./).count()).toBe(1);
    await admin.check('two-factor-policy-saved');
    await admin.close();

    const checked = await openCheckedPage(browser);
    const { page } = checked;
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email address').fill('leader@city.example');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/account/two-factor');
    await expect.poll(() => page.getByRole('region', { name: 'Required' }).textContent()).toContain('This installation requires two-step verification for your account.');
    await checked.check('two-factor-required');
    // Nothing else opens until it is set up.
    await page.goto(`${server.baseUrl}/rfps`);
    await page.waitForURL('**/account/two-factor');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = await shownSecret(page);
    await page.locator('#code').fill(totpAt(secret, new Date()));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await recoveryCodesShown(page);
    await checked.check('two-factor-required-recovery-codes');
    await page.getByRole('link', { name: 'I have saved them — continue' }).click();
    await page.waitForURL(`${server.baseUrl}/rfps`);
    await expect.poll(() => page.getByText('Dana Whitfield').count()).toBeGreaterThan(0);
    await page.goto(`${server.baseUrl}/account/two-factor`);
    await expect.poll(() => page.getByText('Required for your account by this installation: it cannot be turned off.', { exact: false }).count()).toBe(1);
    await checked.check('two-factor-required-on');
    await signOut(page, server.baseUrl);
    // From now on the code is asked at every sign-in.
    await passwordStep(page, server.baseUrl, 'leader@city.example');
    await secondStep(page, codeFor(secret));
    await page.waitForURL(`${server.baseUrl}/rfps`);
    await checked.close();
  });
});
