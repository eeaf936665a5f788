/**
 * Part B of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 * (The lifecycle moves' confirmations are in the story's own steps: `moveForward` in story.ts.)
 */
import { expect } from 'vitest';
import { openCheckedPage } from '../support/pages';
import type { PartHooks, WorkingDay } from './context';

/** The first start on an empty database said how to create the first administrator. */
async function firstStartSaysHowToCreateTheAdmin(ctx: WorkingDay): Promise<void> {
  expect(ctx.server.output()).toContain('No account exists yet. Create the first administrator');
  expect(ctx.server.output()).toContain('npx workbench user create --email you@city.gov --name "Your Name" --role admin');
}

/**
 * The admin's users page: a refused form's error summary takes the focus and links to the field; disabling the
 * leader is confirmed with what it ends (cancelled once, then done); the leader, signing in, is told to contact an
 * administrator; the admin enables the account again (the story needs it later).
 */
async function accountsAreHandledAsUsersExpect(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('admin');
  await page.goto(`${ctx.baseUrl}/admin/users`);
  // The Users page also has the invitation form, with the same labels: this is the one that types a password.
  const createForm = page.locator('form', { has: page.getByRole('button', { name: 'Create account' }) });
  // Send the create form with a too-short password, past the browser's own checks, to see the server's answer.
  await createForm.getByLabel('Full name').fill('Someone Else');
  await createForm.getByLabel('Email address').fill('someone.else@springfield.example');
  await createForm.getByLabel('Initial password').fill('short');
  await page.evaluate(() => document.querySelectorAll('form [required], form [minlength]').forEach((e) => (e.removeAttribute('required'), e.removeAttribute('minlength'))));
  await page.getByRole('button', { name: 'Create account' }).click();
  const summary = page.locator('.wb-error-summary');
  await expect.poll(() => summary.count()).toBe(1);
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('wb-error-summary'))).toBe(true);
  await check('wd-b-users-error-summary');
  await summary.getByRole('link').first().click();
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');

  await page.goto(`${ctx.baseUrl}/admin/users`);
  await page.getByRole('link', { name: ctx.names.leader }).click();
  await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
  const userPage = page.url();
  await page.getByRole('link', { name: 'Disable account…' }).click();
  const confirmation = page.getByRole('alertdialog', { name: `Disable ${ctx.names.leader}’s account?` });
  await expect.poll(() => confirmation.getByText(`${ctx.names.leader} can no longer sign in`).count()).toBe(1);
  await check('wd-b-disable-confirm');
  await confirmation.getByRole('link', { name: 'Cancel' }).click();
  await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0);
  expect(page.url()).toBe(userPage);

  await page.getByRole('link', { name: 'Disable account…' }).click();
  await confirmation.getByRole('button', { name: 'Disable account' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('account is disabled');

  const leader = await openCheckedPage(ctx.browser);
  await leader.page.goto(`${ctx.baseUrl}/login`);
  await leader.page.getByLabel('Email address').fill(ctx.accounts.leader);
  await leader.page.getByLabel('Password').fill(ctx.password);
  await leader.page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => leader.page.getByText('Your account is disabled. Contact an administrator').count()).toBe(1);
  await leader.check('wd-b-login-disabled');
  await leader.close();

  await page.getByRole('button', { name: 'Enable account' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('enabled again');
}

export const hooks: PartHooks = {
  serverStarted: firstStartSaysHowToCreateTheAdmin,
  accountsCreated: accountsAreHandledAsUsersExpect,
};
