/**
 * The questionnaire import as an officer uses it, through the real server: upload, preview, change the
 * mapping, confirm; and hostile files that get a clear 4xx while the server keeps answering.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'questionnaire-import');

async function upload(visitor: Visitor, path: string, fileName: string, bytes: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(bytes)], fileName));
  return visitor.request(path, { method: 'POST', body: form, headers: { origin: visitor.baseUrl } });
}

describe('questionnaire import', () => {
  let server: TestServer;
  let officer: Visitor;
  let rfpPath: string;

  beforeAll(async () => {
    server = await startTestServer();
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const created = await officer.post('/rfps/new', { reference: 'RFP-IMPORT-1', title: 'Imported questionnaire', department: 'IT', summary: 'Testing the import.' });
    rfpPath = created.headers.get('location')!;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('previews a CSV, saves nothing until confirmed, then saves all of it once', async () => {
    const csv = readFileSync(join(fixtures, 'sample-questionnaire.csv'));
    const uploaded = await upload(officer, `${rfpPath}/questionnaire/import`, 'vendor questions.csv', csv);
    expect(uploaded.status).toBe(302);
    const previewPath = uploaded.headers.get('location')!;
    const preview = await officer.get(previewPath);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('Nothing is saved until you confirm.');
    expect(html).toContain('Describe your bias testing.');

    const handle = openDatabase(server.databaseUrl);
    const rfpId = rfpPath.split('/').pop()!;
    const countQuestions = async () => Number((await handle.db.selectFrom('question').select((eb) => eb.fn.countAll().as('n')).where('rfp_id', '=', rfpId).executeTakeFirstOrThrow()).n);
    expect(await countQuestions()).toBe(0);

    const uploadId = new URL(previewPath, server.baseUrl).searchParams.get('upload')!;
    // The officer's mapping: key in column 1, section 2, question 3, guidance 4, answer type 5, options 6, required 7, references 8.
    const mapping = { sheet: 'vendor questions', headerRow: '1', orientation: 'rows', col_key: '1', col_section: '2', col_question: '3', col_guidance: '4', col_answerType: '5', col_options: '6', col_required: '7', col_references: '8' };
    const inspect = await officer.get(`${previewPath}`);
    const sheet = /<option value="([^"]+)" selected/.exec(await inspect.text())?.[1] ?? mapping.sheet;
    const confirmed = await officer.post(`${rfpPath}/questionnaire/import`, { intent: 'confirm', upload: uploadId, ...mapping, sheet });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get('location')).toMatch(/questionnaire\?imported=\d+$/);
    const imported = Number(/imported=(\d+)/.exec(confirmed.headers.get('location')!)![1]);
    expect(imported).toBeGreaterThan(0);
    expect(await countQuestions()).toBe(imported);
    const multi = await handle.db.selectFrom('question').selectAll().where('rfp_id', '=', rfpId).where('key', '=', 'PRV-01').executeTakeFirstOrThrow();
    expect(multi.answer_type).toBe('multi_choice');
    expect(JSON.parse(multi.options_json).map((o: { label: string }) => o.label)).toEqual(['Names', 'Addresses', 'Case notes']);
    const audit = await handle.db.selectFrom('audit_event').select('after_json').where('rfp_id', '=', rfpId).where('action', '=', 'questionnaire.import').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!).questions).toBe(imported);
    // The pending upload is gone: confirming twice cannot import twice.
    const again = await officer.post(`${rfpPath}/questionnaire/import`, { intent: 'confirm', upload: uploadId, ...mapping, sheet });
    expect(again.status).toBe(400);
    expect(await countQuestions()).toBe(imported);
    await handle.close();
  });

  it('refuses every file of the hostile corpus with a clear 4xx, and keeps serving', async () => {
    const hostile = join(fixtures, 'hostile');
    const refused: string[] = [];
    for (const name of readdirSync(hostile)) {
      if (name.startsWith('formula-injection')) continue; // legitimate text that must import as text, checked elsewhere
      const response = await upload(officer, `${rfpPath}/questionnaire/import`, name, readFileSync(join(hostile, name)));
      const body = await response.text();
      expect(response.status, name).toBeGreaterThanOrEqual(400);
      expect(response.status, name).toBeLessThan(500);
      expect(body, name).toMatch(/usa-alert--error/);
      refused.push(name);
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    }
    expect(refused.length).toBeGreaterThanOrEqual(10);
    const big = new Uint8Array(11_000_000);
    const tooBig = await upload(officer, `${rfpPath}/questionnaire/import`, 'big.csv', big);
    expect(tooBig.status).toBe(413);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('keeps formula-looking text as text', async () => {
    const uploaded = await upload(officer, `${rfpPath}/questionnaire/import`, 'formula-injection.csv', readFileSync(join(fixtures, 'hostile', 'formula-injection.csv')));
    expect(uploaded.status).toBe(302);
    const html = await (await officer.get(uploaded.headers.get('location')!)).text();
    expect(html).toMatch(/=HYPERLINK|=HYPERLINK/);
  });
});
