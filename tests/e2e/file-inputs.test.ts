/**
 * The three pages with a file input, each opened as a fresh page load so React hydrates the server's markup: no
 * hydration error (React #418/#423) or any other console or page error, and the file input still works.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { openCheckedPage, signIn } from './support/pages';

describe('pages with a file input hydrate cleanly', () => {
  let server: TestServer;
  let browser: Browser;
  let draftRfpId: string;
  let rfpId: string;
  let submissionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    submissionId = (await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).executeTakeFirstOrThrow()).id;
    await handle.close();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the questionnaire import, the evidence upload and the vendor workbook import without an error', async () => {
    const session = await openCheckedPage(browser);
    const { page } = session;
    await signIn(page, server.baseUrl, 'officer@city.example');
    // A draft RFP of their own, so the questionnaire import offers its file input.
    await page.goto(`${server.baseUrl}/rfps/new`);
    await page.getByLabel('Reference').fill('FILE-INPUTS-1');
    await page.getByLabel('Title').fill('File inputs');
    await page.getByLabel('Department').fill('IT');
    await page.getByLabel('AI use-case summary').fill('Checks the pages with a file input.');
    await page.getByRole('button', { name: 'Create RFP' }).click();
    await page.waitForURL(/\/rfps\/[0-9a-f-]{36}/);
    draftRfpId = /\/rfps\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    for (const [name, path] of [
      ['70-questionnaire-import', `/rfps/${draftRfpId}/questionnaire/import`],
      ['71-evidence-upload', `/rfps/${rfpId}/vendors/${submissionId}`],
      ['72-vendor-workbook-import', `/rfps/${rfpId}/vendors/${submissionId}/import`],
    ] as const) {
      await page.goto(`${server.baseUrl}${path}`);
      await session.check(name);
      const input = page.locator('input[type="file"]');
      expect(await input.count(), path).toBe(1);
      await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      expect(await input.evaluate((el: HTMLInputElement) => el.files?.[0]?.name), path).toBe('notes.txt');
      expect(session.errors, path).toEqual([]);
    }
    await session.close();
  });
});
