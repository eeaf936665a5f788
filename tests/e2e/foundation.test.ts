/**
 * A procurement officer's first session, in Debian's Chromium: sign in, create an RFP, add an evaluator,
 * see it in the audit log, sign out. axe-core checks every page visited; screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from './support/browser';
import { startTestServer, type TestServer } from '#tests/support/server';

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

describe('officer sets up an RFP in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const visited: string[] = [];

  async function check(name: string) {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    const violations = await axeViolations(page);
    expect(violations, `axe violations on ${name} (${page.url()})`).toEqual([]);
    visited.push(name);
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
  }, 180_000);

  // Each test starts signed out, in its own browser context.
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The browser logs every 4xx the test provokes on purpose (a refused form is a 400); those are not errors.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) pageErrors.push(message.text());
    });
  });

  afterEach(async () => {
    await page.context().close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, creates an RFP, adds a member, and signs out', async () => {
    await page.goto(`${server.baseUrl}/rfps`);
    await expect.poll(() => page.url()).toContain('/login?redirectTo=%2Frfps');
    await check('01-sign-in');

    await page.getByLabel('Email address').fill('officer@city.example');
    await page.getByLabel('Password').fill('wrong-password-here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('The email or password is not correct.');
    await check('02-sign-in-error');

    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/rfps');
    // The list renders as the client-side navigation after sign-in commits, a moment after the address changes.
    await expect.poll(() => page.getByRole('link', { name: 'DEMO-311-GENAI' }).count()).toBe(1);
    await check('03-rfp-list');

    await page.getByRole('link', { name: 'Create an RFP' }).click();
    await page.waitForURL('**/rfps/new');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await expect.poll(() => page.getByText('Reference is required.').count()).toBeGreaterThan(0);
    await check('04-create-rfp-errors');
    await page.getByLabel('Reference').fill('RFP-2026-020');
    await page.getByLabel('Title').fill('AI permit-review assistant');
    await page.getByLabel('Department').fill('Department of Buildings');
    await page.getByLabel('AI use-case summary').fill('Pre-screens residential permit applications for completeness. <script>alert(1)</script>');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('AI permit-review assistant');
    // Text a user typed is shown as text, never run as markup.
    expect(await page.getByText('<script>alert(1)</script>', { exact: false }).count()).toBe(1);
    await check('05-rfp-overview');

    await page.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL('**/members');
    // USWDS draws its own box and hides the native input: tick it through its label, as a person does.
    await page.getByText('Evan Chen (evaluator1@city.example) — Evaluator').click();
    expect(await page.getByLabel('Evan Chen (evaluator1@city.example) — Evaluator').isChecked()).toBe(true);
    await page.getByLabel('Role in this RFP').selectOption('evaluator');
    await page.getByRole('button', { name: 'Add members' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Evan Chen is now an evaluator, assigned to evaluate the whole RFP.');
    await expect.poll(() => page.getByRole('rowheader', { name: 'Evan Chen' }).count()).toBe(1);
    await check('06-members');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/audit');
    // The log reads as sentences with names.
    await expect.poll(() => page.getByRole('rowheader', { name: /added Evan Chen to the team as evaluator\.$/ }).count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: /added .+ to the team as lead officer\.$/ }).count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: /created the RFP / }).count()).toBe(1);
    await check('07-audit-log');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.goto(`${server.baseUrl}/rfps`);
    await expect.poll(() => page.url()).toContain('/login');
    expect(pageErrors).toEqual([]);
    expect(visited).toHaveLength(7);
  });

  it('lets an admin manage accounts, and hides an RFP from a non-member', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email address').fill('admin@city.example');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/rfps');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL('**/admin/users');
    // The Users page also has the invitation form, with the same labels: this is the one that types a password.
    const createForm = page.locator('form', { has: page.getByRole('button', { name: 'Create account' }) });
    await createForm.getByLabel('Full name').fill('Nadia Newcomer');
    await createForm.getByLabel('Email address').fill('nadia@city.example');
    await createForm.getByLabel('Role').selectOption('viewer');
    await createForm.getByLabel('Initial password').fill('a-good-long-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Account created for' }).textContent()).toContain('Account created for Nadia Newcomer');
    await check('08-admin-users');
    await page.getByRole('link', { name: 'Nadia Newcomer' }).click();
    await check('09-admin-user');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');

    await page.getByLabel('Email address').fill('nadia@city.example');
    await page.getByLabel('Password').fill('a-good-long-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The admin's password was temporary (the default): she chooses her own before anything else.
    await page.waitForURL('**/account/password');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');
    await check('10a-choose-password');
    await page.getByLabel('Current password').fill('a-good-long-password');
    await page.locator('#password').fill('nadias-own-passphrase');
    await page.locator('#confirm').fill('nadias-own-passphrase');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.waitForURL('**/rfps');
    await expect.poll(() => page.getByText('You are not a member of any RFP yet.').count()).toBe(1);
    await check('10-empty-rfp-list');
    const response = await page.goto(`${server.baseUrl}/rfps/00000000-0000-0000-0000-000000000000`);
    expect(response?.status()).toBe(404);
    await check('11-not-found');
    expect(pageErrors).toEqual([]);
  });
});
