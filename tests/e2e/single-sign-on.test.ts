/**
 * Single sign-on in Chromium against a real OpenID Provider (oidc-provider) on loopback: a person new to the workbench
 * presses "Sign in with Test City ID", signs in at the provider, and arrives signed in with an account made for them
 * with the role their group maps to; signing out ends the workbench's session and the provider's. Someone whose
 * groups give no role sees a page saying why. Axe at 0 violations and no script error on the workbench's pages.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestOidcProvider, type TestOidcProvider } from '#tests/support/oidc-provider';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage } from './support/pages';

describe('single sign-on in the browser', () => {
  let provider: TestOidcProvider;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    provider = await startTestOidcProvider(() => [server.baseUrl]);
    server = await startTestServer(provider.env({ OIDC_ROLE_MAP: 'city-ai-admins=admin,procurement=officer', OIDC_ALLOWED_DOMAINS: 'city.example' }));
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.stop();
  });

  it('signs a new person in through the provider with their mapped role, and signs them out of both', async () => {
    provider.accounts.set('casey', { email: 'casey.lead@city.example', email_verified: true, name: 'Casey Lead', groups: ['procurement'] });
    const checked = await openCheckedPage(browser);
    const { page } = checked;
    await page.goto(`${server.baseUrl}/login`);
    await checked.check('sso-sign-in');
    await page.getByRole('button', { name: 'Sign in with Test City ID' }).click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await page.getByLabel('Account').fill('casey');
    await page.getByRole('button', { name: 'Sign in at the provider' }).click();
    await page.waitForURL(`${server.baseUrl}/rfps`);
    await expect.poll(() => page.getByText('Casey Lead').count()).toBeGreaterThan(0);
    await checked.check('sso-signed-in');

    const handle = openDatabase(server.databaseUrl);
    const user = await handle.db.selectFrom('app_user').select(['role', 'name']).where('email', '=', 'casey.lead@city.example').executeTakeFirst();
    await handle.close();
    expect(user).toEqual({ role: 'officer', name: 'Casey Lead' });
    // An officer may start an RFP.
    await page.goto(`${server.baseUrl}/rfps/new`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/RFP/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${provider.issuer}/session/end**`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${server.baseUrl}/login`);
    await page.goto(`${server.baseUrl}/rfps`);
    await page.waitForURL(`${server.baseUrl}/login**`);
    // The provider's session ended too: the next sign-in asks at the provider again.
    await page.getByRole('button', { name: 'Sign in with Test City ID' }).click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await checked.close();
  });

  it('tells someone whose groups give no role why they were not signed in', async () => {
    provider.accounts.set('robin', { email: 'robin@city.example', email_verified: true, name: 'Robin Parks', groups: ['parks'] });
    const checked = await openCheckedPage(browser);
    const { page } = checked;
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('button', { name: 'Sign in with Test City ID' }).click();
    await page.getByLabel('Account').fill('robin');
    await page.getByRole('button', { name: 'Sign in at the provider' }).click();
    await page.waitForURL(`${server.baseUrl}/auth/oidc/callback**`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You were not signed in');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/has no role in this workbench/);
    await checked.check('sso-refused');
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    await page.waitForURL(`${server.baseUrl}/login`);
    await checked.close();
  });
});
