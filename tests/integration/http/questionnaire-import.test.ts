/**
 * The questionnaire import as an officer uses it, through the real server: upload, the proposed sheets and columns,
 * several sheets at once, a new header row proposed again, an answer-type code re-mapped, a choice for keys already in
 * the RFP, confirm — and the questionnaire then holds exactly the keys the preview showed. Also hostile files, which get
 * a clear 4xx while the server keeps answering. Forms are submitted as the page renders them (tests/support/html-form.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { formFields, selectedValue, selectOptions, withChanges } from '#tests/support/html-form';
import { twoSheetWorkbook } from '#tests/support/questionnaire-workbooks';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'questionnaire-import');

async function upload(visitor: Visitor, path: string, fileName: string, bytes: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(bytes)], fileName));
  return visitor.request(path, { method: 'POST', body: form, headers: { origin: visitor.baseUrl } });
}

/** The preview's questions table (the page's HTML from its heading to the next one). */
function questionsTable(html: string): string {
  const start = html.indexOf('id="preview-questions"');
  if (start === -1) throw new Error('No questions table on the page');
  return html.slice(start, html.indexOf('<h3', start + 1));
}

/** The keys in the preview's questions table, in order (the page shows them exactly as they will be saved). */
function previewKeys(html: string): string[] {
  return [...questionsTable(html).matchAll(/<th scope="row" data-label="Key" class="wb-key">([^<]*)/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/** The text of the preview's answer-type cell of the question with this key. */
function typeCell(html: string, key: string): string {
  const escaped = key.replace(/&/g, '&amp;').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = new RegExp(`class="wb-key">${escaped}<[\\s\\S]*?data-label="Answer type">([\\s\\S]*?)</td>`).exec(questionsTable(html));
  if (!row) throw new Error(`No question ${key} in the preview`);
  return row[1]!.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
}

describe('questionnaire import', () => {
  let server: TestServer;
  let officer: Visitor;
  let rfpPath: string;
  let rfpId: string;
  const importPath = () => `${rfpPath}/questionnaire/import`;

  beforeAll(async () => {
    server = await startTestServer();
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const created = await officer.post('/rfps/new', {
      reference: 'RFP-IMPORT-1',
      title: 'Imported questionnaire',
      department: 'IT',
      summary: 'Testing the import.',
    });
    rfpPath = created.headers.get('location')!;
    rfpId = rfpPath.split('/').pop()!;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  async function questionKeys(): Promise<Array<{ key: string; text: string; answer_type: string }>> {
    const handle = openDatabase(server.databaseUrl);
    try {
      return await handle.db.selectFrom('question').select(['key', 'text', 'answer_type']).where('rfp_id', '=', rfpId).orderBy('key').execute();
    } finally {
      await handle.close();
    }
  }

  /** Submits the page's "Update the preview" form as rendered, with changes; returns the page it redirects to. */
  async function updatePreview(
    html: string,
    changes: Record<string, string | null>,
    added: Array<[string, string]> = [],
  ): Promise<{ html: string; path: string }> {
    const fields = withChanges(formFields(html, 'import-plan'), changes, [...added, ['intent', 'update']]);
    const response = await officer.request(importPath(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
      body: new URLSearchParams(fields).toString(),
    });
    expect(response.status, await response.clone().text()).toBe(302);
    const path = response.headers.get('location')!;
    const page = await officer.get(path);
    expect(page.status).toBe(200);
    return { html: await page.text(), path };
  }

  async function confirm(html: string): Promise<Response> {
    return officer.post(importPath(), Object.fromEntries(formFields(html, 'import-confirm')));
  }

  it('imports a CSV as proposed: nothing is saved until confirmed, then all of it once', async () => {
    const uploaded = await upload(officer, importPath(), 'vendor questions.csv', readFileSync(join(fixtures, 'sample-questionnaire.csv')));
    expect(uploaded.status).toBe(302);
    const html = await (await officer.get(uploaded.headers.get('location')!)).text();
    expect(html).toContain('Nothing is saved until you confirm.');
    expect(html).toContain('Describe your bias testing.');
    expect(await questionKeys()).toEqual([]);
    const keys = previewKeys(html);
    expect(keys).toEqual(['RAI-01', 'RAI-02', 'PRV-01', 'PRV-02']);

    // A confirmation of a preview other than the one the server would save now is refused, and nothing is saved.
    const stale = await officer.post(importPath(), { ...Object.fromEntries(formFields(html, 'import-confirm')), fingerprint: 'a preview from another tab' });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('changed since the preview');
    expect(await questionKeys()).toEqual([]);

    const confirmed = await confirm(html);
    expect(confirmed.status, await confirmed.clone().text()).toBe(302);
    expect(confirmed.headers.get('location')).toBe(`${rfpPath}/questionnaire?imported=4&updated=0&skipped=0`);
    expect((await questionKeys()).map((q) => q.key).sort()).toEqual([...keys].sort());
    const builder = await (await officer.get(confirmed.headers.get('location')!)).text();
    expect(builder).toContain('Imported the questionnaire: 4 questions added, 0 rows skipped.');
    // The pending upload is gone: confirming twice cannot import twice.
    const again = await confirm(html);
    expect(again.status).toBe(400);
    expect(await questionKeys()).toHaveLength(4);
  });

  it('imports two sheets of a workbook with the keys, types and collision choice the preview showed', async () => {
    // A question with key OLD-1 is already in the RFP (imported from a CSV first).
    const seed = await upload(officer, importPath(), 'old.csv', new TextEncoder().encode('Key,Question\nOLD-1,What was your last incident?\n'));
    expect((await confirm(await (await officer.get(seed.headers.get('location')!)).text())).status).toBe(302);

    const bytes = await twoSheetWorkbook();
    const uploaded = await upload(officer, importPath(), 'security questionnaire.xlsx', bytes);
    expect(uploaded.status).toBe(302);
    let page = { html: await (await officer.get(uploaded.headers.get('location')!)).text(), path: uploaded.headers.get('location')! };

    // The sheets with their row counts, the proposed one first, ticked and marked.
    const sheetList = [
      ...page.html.matchAll(/<input class="usa-checkbox__input" id="sheet-(\d)"[^>]*>[\s\S]*?<label[^>]*>([^<]*)<span[^>]*>([\s\S]*?)<\/span>/g),
    ].map((m) => ({ index: m[1]!, name: m[2]!, detail: m[3]!.replace(/<!-- -->/g, ''), checked: /checked=""/.test(m[0]) }));
    // The proposed sheet is first, ticked and marked; either question sheet is a fair first guess.
    expect(sheetList[0]).toMatchObject({ detail: expect.stringMatching(/ · looks most like the questionnaire$/), checked: true });
    expect(['Governance', 'Data']).toContain(sheetList[0]!.name);
    expect(sheetList.map((s) => [s.name, s.detail.replace(/ · looks most like the questionnaire$/, ''), s.checked])).toEqual(
      expect.arrayContaining([
        ['Governance', '7 rows', sheetList[0]!.name === 'Governance'],
        ['Data', '5 rows', sheetList[0]!.name === 'Data'],
        ['Read me', '2 rows', false],
      ]),
    );

    // Tick the other question sheet too: it gets its own proposed mapping, and the preview covers both, in the workbook's order.
    page = await updatePreview(page.html, {}, [['sheet', sheetList[0]!.name === 'Governance' ? '2' : '1']]);
    expect(['key', 'question', 'answerType', 'guidance'].map((f) => selectedValue(page.html, `s1-col-${f}`))).toEqual(['1', '2', '3', '4']);
    expect(['key', 'question', 'answerType'].map((f) => selectedValue(page.html, `s2-col-${f}`))).toEqual(['1', '2', '3']);
    expect(previewKeys(page.html)).toEqual(['GOV 1.1', 'GOV 1.2', 'A&A-01.1', 'DAT-1', 'DAT-2', 'DAT-3', 'DAT-4']);
    // OLD-1 is in the RFP already: by default the row is skipped, and the page says so before confirming.
    expect(page.html).toMatch(/class="wb-key">OLD-1<\/th>[\s\S]*?What was your last incident\?[\s\S]*?Skipped/);
    expect(typeCell(page.html, 'GOV 1.1')).toContain('Choose one Yes (1) No (0) N/A (not auto-scored) type from: the answer-type column');
    expect(typeCell(page.html, 'DAT-4')).toContain('Yes / No Yes (1) No (0) type from: a dropdown in the workbook');

    // A new header row: the columns are proposed again, labelled from that row; nothing of the old choice is kept.
    page = await updatePreview(page.html, { s1_hdr: '1' });
    expect(selectOptions(page.html, 's1-col-question')).toContain('Column A: Vendor security questionnaire');
    expect(selectOptions(page.html, 's1-col-question')).not.toContain('Column B: Question');
    expect(page.html).toContain('The columns of this sheet were proposed from the labels of row 1.');
    page = await updatePreview(page.html, { s1_hdr: '3' });
    expect(selectOptions(page.html, 's1-col-question')).toContain('Column B: Question');
    expect(['key', 'question', 'answerType', 'guidance'].map((f) => selectedValue(page.html, `s1-col-${f}`))).toEqual(['1', '2', '3', '4']);

    // The answer-type code table: ENC is not a code the import knows (free text) until the officer says it is Yes / No.
    expect(typeCell(page.html, 'DAT-2')).toMatch(/^Text/);
    expect(page.html).toMatch(/data-label="Code in the file">ENC(?:(?!<\/th>)[\s\S])*not recognised/);
    const fields = formFields(page.html, 'import-plan');
    const enc = fields.find(([name, value]) => /^t\d+_code$/.test(name) && value === 'ENC');
    expect(enc, 'ENC is listed in the code table').toBeDefined();
    page = await updatePreview(page.html, { [enc![0].replace('_code', '_type')]: 'yes_no' });
    expect(typeCell(page.html, 'DAT-2')).toContain('Yes / No Yes (1) No (0) type from: the answer-type column');

    // Keys already in the RFP: added under a new key, shown before confirming …
    page = await updatePreview(page.html, { collide: 'new_keys' });
    const renamed = /class="wb-key">OLD-1<\/th>[\s\S]*?Added as<strong class="wb-key"> (?:<!-- -->)?([^<]+)<\/strong>/.exec(page.html);
    expect(renamed, 'the new key is shown').not.toBeNull();
    expect(previewKeys(page.html)).toContain(renamed![1]!);
    // … or, as the officer settles on, updating those questions instead of skipping the rows.
    page = await updatePreview(page.html, { collide: 'update' });
    expect(page.html).toMatch(/class="wb-key">OLD-1<\/th>[\s\S]*?Updates the question/);
    const keys = previewKeys(page.html);
    expect(keys).toEqual(['GOV 1.1', 'GOV 1.2', 'A&A-01.1', 'OLD-1', 'DAT-1', 'DAT-2', 'DAT-3', 'DAT-4']);
    // "Problems only" lists the row that updates a question already in the RFP, and no question that is simply added.
    const problems = (await (await officer.get(`${page.path}${page.path.includes('?') ? '&' : '?'}fate=problems`)).text()).replace(/<!-- -->/g, '');
    const rowFates = problems.slice(problems.indexOf('id="preview-rows"'));
    expect(rowFates).toMatch(/aria-current="true"[^>]*>Problems only \(\d+\)<\/a>/);
    expect(rowFates).toContain('Key OLD-1: already in this RFP, so it updates that question');
    expect(rowFates).not.toContain('>Key DAT-1<');

    // A reload shows the same choices and the same preview.
    const reloaded = await (await officer.get(page.path)).text();
    expect(previewKeys(reloaded)).toEqual(keys);
    expect(formFields(reloaded, 'import-plan')).toEqual(formFields(page.html, 'import-plan'));

    const confirmed = await confirm(page.html);
    expect(confirmed.status, await confirmed.clone().text()).toBe(302);
    expect(confirmed.headers.get('location')).toBe(`${rfpPath}/questionnaire?imported=7&updated=1&skipped=0`);
    const saved = await questionKeys();
    // Exactly the previewed keys (besides the first test's CSV), OLD-1 updated in place, DAT-2 a yes/no question.
    expect(saved.map((q) => q.key).sort()).toEqual(['PRV-01', 'PRV-02', 'RAI-01', 'RAI-02', ...keys].sort());
    expect(saved.find((q) => q.key === 'OLD-1')!.text).toBe('Describe your incident response process.');
    expect(saved.find((q) => q.key === 'DAT-2')!.answer_type).toBe('yes_no');
    const builder = await (await officer.get(confirmed.headers.get('location')!)).text();
    expect(builder).toContain('Imported the questionnaire: 7 questions added, 1 updated, 0 rows skipped.');

    // The same file again: the page says it was imported already, and every row now collides.
    const again = await upload(officer, importPath(), 'copy of the questionnaire.xlsx', bytes);
    const againHtml = await (await officer.get(again.headers.get('location')!)).text();
    expect(againHtml).toMatch(
      /This file was already imported into RFP-IMPORT-1:\s*on \d{4}-\d{2}-\d{2} by officer@city\.example \(7 questions added, 1 updated\)/,
    );
  });

  it('keeps the officer’s choices and says what to fix when a share is not a number from 0 to 1', async () => {
    const uploaded = await upload(officer, importPath(), 'shares.csv', new TextEncoder().encode('ID,Question,Type\nS-1,Do you log access?,YNA\n'));
    const path = uploaded.headers.get('location')!;
    const html = await (await officer.get(path)).text();
    const share = formFields(html, 'import-plan').find(([name, value]) => /^o\d+_label$/.test(name) && value === 'Yes');
    expect(share, 'Yes is listed in the shares table').toBeDefined();
    const fields = withChanges(formFields(html, 'import-plan'), { [share![0].replace('_label', '_share')]: '5' }, [['intent', 'update']]);
    const refused = await officer.post(importPath(), Object.fromEntries(fields));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('The share for “Yes” is “5”: give a number from 0 to 1');
    const allowed = await updatePreview(html, { [share![0].replace('_label', '_share')]: '0.8' });
    expect(typeCell(allowed.html, 'S-1')).toContain('Yes (0.8)');

    // A mapping that cannot be previewed (no question column) is kept on the form, with what to do, and nothing to confirm.
    const brokenFields = withChanges(formFields(allowed.html, 'import-plan'), { s0_col_question: '' }, [['intent', 'update']]);
    const stored = await officer.post(importPath(), Object.fromEntries(brokenFields));
    expect(stored.status).toBe(302);
    const broken = await officer.get(stored.headers.get('location')!);
    expect(broken.status).toBe(400);
    const brokenHtml = await broken.text();
    expect(brokenHtml).toContain('Choose the column that holds the question text.');
    expect(selectedValue(brokenHtml, 's0-col-question')).toBe('');
    expect(selectedValue(brokenHtml, 's0-col-key')).toBe('1');
    expect(brokenHtml).not.toContain('id="import-confirm"');
  });

  it('refuses every file of the hostile corpus with a clear 4xx, and keeps serving', async () => {
    const hostile = join(fixtures, 'hostile');
    const refused: string[] = [];
    for (const name of readdirSync(hostile)) {
      if (name.startsWith('formula-injection')) continue; // legitimate text that must import as text, checked elsewhere
      const response = await upload(officer, importPath(), name, readFileSync(join(hostile, name)));
      const body = await response.text();
      expect(response.status, name).toBeGreaterThanOrEqual(400);
      expect(response.status, name).toBeLessThan(500);
      expect(body, name).toMatch(/usa-alert--error/);
      refused.push(name);
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    }
    expect(refused.length).toBeGreaterThanOrEqual(10);
    const big = new Uint8Array(11_000_000);
    const tooBig = await upload(officer, importPath(), 'big.csv', big);
    expect(tooBig.status).toBe(413);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('keeps formula-looking text as text', async () => {
    const uploaded = await upload(officer, importPath(), 'formula-injection.csv', readFileSync(join(fixtures, 'hostile', 'formula-injection.csv')));
    expect(uploaded.status).toBe(302);
    const html = await (await officer.get(uploaded.headers.get('location')!)).text();
    expect(html).toMatch(/=HYPERLINK|=HYPERLINK/);
  });
});
