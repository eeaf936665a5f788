/**
 * An officer builds an RFP in Chromium as a new user would: starts from a template, assesses the AI risk
 * tier, sees and fixes a weight problem, and opens the RFP; the questionnaire then shows as locked.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RISK_ANSWERS } from '#db/seed';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

describe('officer builds and opens an RFP in the browser', () => {
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

  it('template → risk tier → fix weights → open', async () => {
    const { page, errors, check, close } = await openCheckedPage(browser);
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.getByRole('link', { name: 'Create an RFP' }).click();
    await page.getByLabel('Reference').fill('RFP-2026-031');
    await page.getByLabel('Title').fill('AI traffic-signal optimisation');
    await page.getByLabel('Department').fill('Department of Transportation');
    await page.getByLabel('AI use-case summary').fill('Adaptive signal timing on 120 intersections.');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);

    await page.getByRole('link', { name: 'Questionnaire', exact: true }).click();
    await page.waitForURL('**/questionnaire');
    await check('20-builder-empty');
    await page.locator('label[for="template-generative-ai-311"]').click();
    await page.getByRole('button', { name: 'Use this template' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /Responsible AI/ }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('link', { name: 'The AI risk tier has not been assessed.' }).count()).toBe(1);
    await check('21-builder-template');

    // Add a criterion: the weights no longer add up, and the builder says so with a link.
    await page.getByText('Add a criterion to Responsible AI').click();
    await page.locator('details[open]').getByLabel('Criterion title').fill('Plain-language explanations');
    await page.locator('details[open]').getByLabel('Points').fill('5');
    await page.locator('details[open]').getByRole('button', { name: 'Add criterion' }).click();
    await page.waitForURL(/\/questionnaire\/criteria\//);
    await check('22-criterion-editor');
    for (let level = 0; level <= 5; level += 1) await page.getByLabel(`Level ${level}`, { exact: true }).fill(`Evidence for level ${level}`);
    await page.getByRole('button', { name: 'Save criterion' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Criterion saved.');
    await page.getByLabel(/^Question/).fill('How does the system explain a signal-timing change to residents?');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.waitForURL(/#question-/);

    await page.getByRole('link', { name: 'Questionnaire', exact: true }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Points add up to 105, not 100.' }).count()).toBe(1);
    await check('23-builder-problems');
    // Fix: take 5 points from the criterion just added, by setting it to 0 would leave "no points"; remove it instead.
    const criterionLink = page.getByRole('link', { name: /Plain-language explanations/ });
    const href = await criterionLink.getAttribute('href');
    const criterionId = href!.split('/').pop()!;
    await page.goto(`${server.baseUrl}${href!.replace(/\/criteria\/.*/, '')}?confirm=criterion:${criterionId}`);
    await check('24-confirm-delete');
    await page.getByRole('button', { name: 'Delete criterion' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Points add up to 105, not 100.' }).count()).toBe(0);

    await page.getByRole('link', { name: 'AI risk tier', exact: true }).click();
    await page.waitForURL('**/risk');
    for (const [question, value] of Object.entries(DEMO_RISK_ANSWERS)) await page.locator(`label[for="${question}-${value}"]`).click();
    await page.getByRole('button', { name: 'Save and assess' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('impact level II');
    await check('25-risk-tier');

    await page.getByRole('link', { name: 'Status', exact: true }).click();
    await page.waitForURL('**/status');
    await check('26-status-draft');
    await page.getByRole('link', { name: 'Open for responses…' }).click();
    await expect.poll(() => page.getByRole('alertdialog', { name: /^Open RFP-.* for responses\?$/ }).count()).toBe(1);
    await check('26b-status-confirm-open');
    await page.getByRole('button', { name: 'Open for responses', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('The RFP is now open for responses.');
    await check('27-status-open');

    await page.getByRole('link', { name: 'Questionnaire', exact: true }).click();
    await expect.poll(() => page.getByText('The questionnaire is locked while the RFP is not a draft.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Add section' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  it('imports a questionnaire workbook written elsewhere: upload, mapping, preview, confirm', async () => {
    const { page, errors, check, close } = await openCheckedPage(browser);
    await signIn(page, server.baseUrl, 'officer@city.example');
    await page.getByRole('link', { name: 'Create an RFP' }).click();
    await page.getByLabel('Reference').fill('RFP-2026-032');
    await page.getByLabel('Title').fill('Imported questionnaire');
    await page.getByLabel('Department').fill('Parks');
    await page.getByLabel('AI use-case summary').fill('Questions from another city.');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
    await page.getByRole('link', { name: 'Questionnaire', exact: true }).click();
    await page.getByRole('link', { name: 'Import a questionnaire file' }).click();
    await page.waitForURL('**/questionnaire/import');
    await check('28-import-upload');
    await page.setInputFiles('#file', join(import.meta.dirname, '..', '..', 'fixtures', 'questionnaire-import', 'sample-questionnaire.xlsx'));
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.waitForURL(/upload=/, { timeout: 20_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'test-results', 'import-failure.png'), fullPage: true });
      throw error;
    });
    await expect.poll(() => page.getByText('Nothing is saved until you confirm.').count()).toBe(1);
    await check('29-import-preview');
    const confirm = page.getByRole('button', { name: /^Import \d+ questions$/ });
    const count = Number(/\d+/.exec((await confirm.textContent()) ?? '')![0]);
    expect(count).toBeGreaterThan(0);
    await confirm.click();
    await page.waitForURL(/questionnaire\?imported=/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Imported the questionnaire: ${count} questions added`);
    await check('30-builder-after-import');
    expect(errors).toEqual([]);
    await close();
  });
});
