/**
 * The round trip as an officer does it: download the vendor workbook, the vendor fills it and re-saves it in
 * LibreOffice, the officer uploads it, reads the preview, confirms; a corrected workbook shows only the changes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { libreOfficeConvert } from '#tests/support/libreoffice';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const dir = mkdtempSync(join(tmpdir(), 'wb-vendor-import-'));

/** React separates adjacent text pieces with empty comments in server HTML. */
const withoutReactMarkers = (html: string) => html.replaceAll('<!-- -->', '');

/** Fills the Answer column of every section sheet through `answer(key)`; returns how many cells it filled. */
async function fill(source: string, target: string, answer: (key: string, type: string) => string | number | null): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(source);
  let filled = 0;
  for (const sheet of workbook.worksheets) {
    const header = sheet.getRow(1).values as unknown[];
    const keyColumn = header.findIndex((v) => String(v ?? '').trim().toLowerCase() === 'key');
    const answerColumn = header.findIndex((v) => String(v ?? '').trim().toLowerCase() === 'answer');
    const typeColumn = header.findIndex((v) => String(v ?? '').trim().toLowerCase() === 'answer type');
    if (keyColumn < 1 || answerColumn < 1) continue;
    sheet.eachRow((row, index) => {
      if (index === 1) return;
      const key = String(row.getCell(keyColumn).value ?? '');
      if (!key) return;
      const value = answer(key, String(row.getCell(typeColumn).value ?? ''));
      if (value === null) return;
      row.getCell(answerColumn).value = value;
      filled += 1;
    });
  }
  await workbook.xlsx.writeFile(target);
  return filled;
}

describe('vendor workbook import', () => {
  let server: TestServer;
  let lead: Visitor;
  let rfpId: string;
  let submissionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    await handle.close();
    const added = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-new', name: 'Spreadsheet Vendor Co', key: 'spreadsheet-vendor' });
    submissionId = added.headers.get('location')!.split('/').pop()!;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const upload = async (path: string) => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(readFileSync(path))], path.split('/').pop()!));
    return lead.request(`/rfps/${rfpId}/vendors/${submissionId}/import`, { method: 'POST', body: form, headers: { origin: server.baseUrl } });
  };

  it('imports a workbook filled and re-saved in LibreOffice, after a preview, all at once', async () => {
    const download = await lead.get(`/rfps/${rfpId}/vendor-workbook.xlsx`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/attachment; filename="DEMO-311-GENAI-questionnaire-v1.xlsx"/);
    const blank = join(dir, 'blank.xlsx');
    writeFileSync(blank, new Uint8Array(await download.arrayBuffer()));

    const filledPath = join(dir, 'filled.xlsx');
    const filled = await fill(blank, filledPath, (key, type) => {
      if (key === 'COST-01') return 777000;
      if (type.startsWith('Yes / No')) return 'Yes';
      if (type.startsWith('Pick one') || type.startsWith('One or more')) return null;
      if (type.startsWith('Number')) return 42;
      return key === 'RAI-01' ? '=SUM(A1:A9) is how we add up our risks' : `Our answer to ${key}.`;
    });
    expect(filled).toBeGreaterThan(40);
    const resaved = await libreOfficeConvert(filledPath, 'xlsx', join(dir, 'lo'));

    const uploaded = await upload(resaved);
    expect(uploaded.status).toBe(302);
    const previewPath = uploaded.headers.get('location')!;
    const preview = withoutReactMarkers(await (await lead.get(previewPath)).text());
    expect(preview, preview.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').slice(0, 3000)).toContain('Nothing is saved until you confirm.');
    expect(preview).toMatch(/\d+ new, 0 changed, 0 unchanged/);

    const handle = openDatabase(server.databaseUrl);
    const count = async () => Number((await handle.db.selectFrom('answer').select((eb) => eb.fn.countAll().as('n')).where('submission_id', '=', submissionId).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(0);

    const uploadId = new URL(previewPath, server.baseUrl).searchParams.get('upload')!;
    const confirmed = await lead.post(`/rfps/${rfpId}/vendors/${submissionId}/import`, { intent: 'confirm', upload: uploadId });
    expect(confirmed.status, withoutReactMarkers(await confirmed.clone().text()).replace(/<[^>]+>/g, ' ').slice(0, 1500)).toBe(302);
    expect(await count()).toBe(filled);
    const formula = await handle.db
      .selectFrom('answer')
      .innerJoin('question', 'question.id', 'answer.question_id')
      .select('answer.value_json')
      .where('answer.submission_id', '=', submissionId)
      .where('question.key', '=', 'RAI-01')
      .executeTakeFirstOrThrow();
    // A formula-looking answer comes back as the same text, never evaluated.
    expect(JSON.parse(formula.value_json)).toBe('=SUM(A1:A9) is how we add up our risks');
    const submission = await handle.db.selectFrom('submission').select('price').where('id', '=', submissionId).executeTakeFirstOrThrow();
    expect(Number(submission.price)).toBe(777000);

    // The vendor corrects one answer and sends the workbook again: the preview shows only that change.
    const corrected = join(dir, 'corrected.xlsx');
    await fill(resaved, corrected, (key) => (key === 'COST-01' ? 765000 : null));
    const again = await upload(corrected);
    const secondPreview = withoutReactMarkers(await (await lead.get(again.headers.get('location')!)).text());
    expect(secondPreview).toMatch(/0 new, 1 changed, \d+ unchanged/);
    expect(secondPreview).toContain('COST-01');
    await handle.close();
  });

  it('flags a workbook relabelled for another RFP, saying which, and does not import it without acceptance', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await lead.get(`/rfps/${rfpId}/vendor-workbook.xlsx`)).arrayBuffer());
    workbook.subject = 'RFP-1999-001';
    workbook.keywords = 'workbench-vendor-workbook-v1 rfp=RFP-1999-001 questionnaire-version=1';
    const meta = workbook.getWorksheet('_meta');
    meta?.eachRow((row) => row.eachCell((cell) => {
      if (cell.value === 'DEMO-311-GENAI') cell.value = 'RFP-1999-001';
    }));
    const other = join(dir, 'other.xlsx');
    await workbook.xlsx.writeFile(other);
    const uploaded = await upload(other);
    expect(uploaded.status).toBe(302);
    const body = withoutReactMarkers(await (await lead.get(uploaded.headers.get('location')!)).text());
    expect(body).toContain('This workbook says it was issued for RFP-1999-001, not DEMO-311-GENAI.');
    // Relabelling breaks the signature, which the preview says too.
    expect(body).toContain('Signature does not match.');
    const uploadId = new URL(uploaded.headers.get('location')!, server.baseUrl).searchParams.get('upload')!;
    expect((await lead.post(`/rfps/${rfpId}/vendors/${submissionId}/import`, { intent: 'confirm', upload: uploadId })).status).toBe(400);
  });
});
