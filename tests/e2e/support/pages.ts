/**
 * What every browser test does on every page: screenshot it, run axe, and fail on any script error — a console error
 * or an uncaught page error (a hydration mismatch, React #418/#423, is one) — on every page the session visits.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations } from './browser';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'test-results', 'screenshots');

export interface CheckedPage {
  page: Page;
  errors: string[];
  /** Screenshot as `name`, assert axe finds no WCAG 2.1 A/AA violation and no script error happened so far. */
  check(name: string): Promise<void>;
  /** Closes the session, failing if any page it visited had a script error. */
  close(): Promise<void>;
}

export async function openCheckedPage(browser: Browser): Promise<CheckedPage> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.message} (on ${page.url()})`));
  page.on('console', (message) => {
    // The browser logs every 4xx a test provokes on purpose (a refused form is a 400); those are not errors.
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
      errors.push(`${message.text()} (on ${page.url()})`);
    }
  });
  return {
    page,
    errors,
    async check(name) {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      expect(await axeViolations(page), `axe violations on ${name} (${page.url()})`).toEqual([]);
      expect(errors, `script errors by ${name} (${page.url()})`).toEqual([]);
    },
    async close() {
      await context.close();
      expect(errors, 'script errors in this browser session').toEqual([]);
    },
  };
}

export async function signIn(page: Page, baseUrl: string, email: string, password = 'demo-password'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/rfps');
}
