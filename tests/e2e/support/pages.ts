/**
 * What every browser test does on every page: screenshot it, run axe, and collect script errors.
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
  /** Screenshot as `name` and assert axe finds no WCAG 2.1 A/AA violation. */
  check(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openCheckedPage(browser: Browser): Promise<CheckedPage> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // The browser logs every 4xx a test provokes on purpose (a refused form is a 400); those are not errors.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  return {
    page,
    errors,
    async check(name) {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      expect(await axeViolations(page), `axe violations on ${name} (${page.url()})`).toEqual([]);
    },
    close: () => context.close(),
  };
}

export async function signIn(page: Page, baseUrl: string, email: string, password = 'demo-password'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/rfps');
}
