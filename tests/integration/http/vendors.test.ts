/**
 * Issue 12, item 7, through the real server: a registered vendor is expected until its response is recorded; the
 * price is one value, more than 0, however it is typed (answer form, details form, workbook import preview);
 * evidence files are removed and replaced after a confirmation, audited; registry entries are edited and duplicates
 * merged by officers, never by evaluators.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const attachments = mkdtempSync(join(tmpdir(), 'wb-vendors-files-'));
/** React separates adjacent text pieces with empty comments in server HTML. */
const text = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '');

describe('vendors (issue 12, item 7)', () => {
  let server: TestServer;
  let lead: Visitor;
  let evaluator: Visitor;
  let rfpId: string;
  let priceQuestion: { id: string; criterion_id: string; section_id: string };
  let textQuestion: { id: string; section_id: string };

  beforeAll(async () => {
    server = await startTestServer({ ATTACHMENTS_DIR: attachments });
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    evaluator = new Visitor(server.baseUrl);
    await evaluator.login('evaluator1@city.example');
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    const question = (key: string) =>
      handle.db
        .selectFrom('question')
        .innerJoin('criterion', 'criterion.id', 'question.criterion_id')
        .select(['question.id', 'question.criterion_id', 'criterion.section_id'])
        .where('question.rfp_id', '=', rfpId)
        .where('question.key', '=', key)
        .executeTakeFirstOrThrow();
    priceQuestion = await question('COST-01');
    textQuestion = await question('RAI-01');
    await handle.close();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const db = async <T>(work: (h: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> => {
    const handle = openDatabase(server.databaseUrl);
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  };
  const register = async (name: string, key: string) => {
    const added = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-new', name, key });
    expect(added.status).toBe(302);
    return added.headers.get('location')!.split('/').pop()!;
  };
  const submissionOf = (id: string) => db((h) => h.db.selectFrom('submission').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  const answerTo = (submissionId: string, questionId: string) =>
    db(async (h) => {
      const row = await h.db.selectFrom('answer').select('value_json').where('submission_id', '=', submissionId).where('question_id', '=', questionId).executeTakeFirst();
      return row ? JSON.parse(row.value_json) : null;
    });

  it('shows a registered vendor as expected, not received with 0 answers, until an answer is saved', async () => {
    const id = await register('Expected Systems', 'expected-systems');
    expect(await submissionOf(id)).toMatchObject({ status: 'expected', received_at: null });
    const list = await text(await lead.get(`/rfps/${rfpId}/vendors`));
    const row = list.slice(list.indexOf('Expected Systems'), list.indexOf('</tr>', list.indexOf('Expected Systems')));
    expect(row).toContain('Expected');
    expect(row).toContain('No response recorded yet');
    expect(row).not.toContain('Received');
    expect(await text(await lead.get(`/rfps/${rfpId}/vendors/${id}`))).toContain('Expected · no response recorded yet');

    const saved = await lead.post(`/rfps/${rfpId}/vendors/${id}`, { intent: 'answers', sectionId: textQuestion.section_id, [`present-${textQuestion.id}`]: '1', [`answer-${textQuestion.id}`]: 'Our chief AI officer.' });
    expect(saved.status).toBe(302);
    const received = await submissionOf(id);
    expect(received.status).toBe('received');
    expect(received.received_at).not.toBeNull();

    // Once something is recorded, the response cannot be put back to expected.
    const back = await lead.post(`/rfps/${rfpId}/vendors/${id}`, { intent: 'submission', status: 'expected', statusReason: '', receivedAt: '', price: '' });
    expect(back.status).toBe(400);
    expect(await text(back)).toContain('no longer expected');
  });

  it('keeps the price answer and the recorded price one value, and refuses 0 or less on both forms', async () => {
    const id = await register('Priced Right LLC', 'priced-right');
    const answer = (value: string) =>
      lead.post(`/rfps/${rfpId}/vendors/${id}`, { intent: 'answers', sectionId: priceQuestion.section_id, [`present-${priceQuestion.id}`]: '1', [`answer-${priceQuestion.id}`]: value });
    const negative = await answer('-5');
    expect(negative.status).toBe(400);
    expect(await text(negative)).toContain('COST-01: the price must be more than 0 (you entered -5).');
    expect(await submissionOf(id)).toMatchObject({ status: 'expected', price: null });

    expect((await answer('$1,240,000')).status).toBe(302);
    expect(Number((await submissionOf(id)).price)).toBe(1240000);

    const details = (price: string) => lead.post(`/rfps/${rfpId}/vendors/${id}`, { intent: 'submission', status: 'responsive', statusReason: '', receivedAt: '2026-12-14', price });
    const zero = await details('0');
    expect(zero.status).toBe(400);
    expect(await text(zero)).toContain('The price must be more than 0.');
    expect((await details('1,199,500')).status).toBe(200);
    expect(await answerTo(id, priceQuestion.id)).toBe(1199500);
    expect(Number((await submissionOf(id)).price)).toBe(1199500);
    expect(await text(await lead.get(`/rfps/${rfpId}/vendors/${id}`))).toContain('The same value as the answer to COST-01');
  });

  it('flags a workbook whose price is not more than 0 in the import preview, and will not import it', async () => {
    const id = await register('Negative Bids Inc', 'negative-bids');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await lead.get(`/rfps/${rfpId}/vendor-workbook.xlsx?submission=${id}`)).arrayBuffer());
    for (const sheet of workbook.worksheets) {
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim().toLowerCase());
      const keyColumn = header.indexOf('key');
      const answerColumn = header.indexOf('answer');
      if (keyColumn < 1 || answerColumn < 1) continue;
      sheet.eachRow((row) => {
        if (row.getCell(keyColumn).value === 'COST-01') row.getCell(answerColumn).value = -5;
      });
    }
    const form = new FormData();
    form.set('file', new File([new Uint8Array(await workbook.xlsx.writeBuffer())], 'negative.xlsx'));
    const uploaded = await lead.request(`/rfps/${rfpId}/vendors/${id}/import`, { method: 'POST', body: form, headers: { origin: server.baseUrl } });
    expect(uploaded.status).toBe(302);
    const preview = await text(await lead.get(uploaded.headers.get('location')!));
    expect(preview).toContain('Price not more than 0');
    expect(preview).toContain('The price must be more than 0 (the workbook says -5).');
    const uploadId = new URL(uploaded.headers.get('location')!, server.baseUrl).searchParams.get('upload')!;
    expect((await lead.post(`/rfps/${rfpId}/vendors/${id}/import`, { intent: 'confirm', upload: uploadId })).status).toBe(400);
    expect(await submissionOf(id)).toMatchObject({ status: 'expected', price: null });
  });

  it('replaces and removes evidence after a confirmation, deleting the old bytes and auditing both files', async () => {
    const id = await register('Evidence Corp', 'evidence-corp');
    const path = `/rfps/${rfpId}/vendors/${id}`;
    const upload = (name: string, body: string, fields: Record<string, string> = {}, who = lead) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set('file', new File([new TextEncoder().encode(body)], name));
      return who.request(path, { method: 'POST', body: form, headers: { origin: server.baseUrl } });
    };
    expect((await upload('model-card-v1.txt', 'Model card, version 1')).status).toBe(200);
    expect((await submissionOf(id)).status).toBe('received');
    const first = await db((h) => h.db.selectFrom('attachment').selectAll().where('submission_id', '=', id).executeTakeFirstOrThrow());
    expect(existsSync(join(attachments, first.storage_key))).toBe(true);

    const replacePage = await text(await lead.get(`${path}?replace=${first.id}`));
    expect(replacePage).toContain('Replace model-card-v1.txt');
    const replaced = await upload('model-card-v2.txt', 'Model card, version 2', { intent: 'replace-attachment', attachmentId: first.id });
    expect(replaced.status).toBe(302);
    const second = await db((h) => h.db.selectFrom('attachment').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow());
    expect(second.file_name).toBe('model-card-v2.txt');
    expect(second.sha256).not.toBe(first.sha256);
    expect(existsSync(join(attachments, first.storage_key))).toBe(false);
    expect(existsSync(join(attachments, second.storage_key))).toBe(true);
    expect(await text(await lead.get(replaced.headers.get('location')!))).toContain('Replaced the file with model-card-v2.txt');

    // An evaluator can neither replace nor remove; a forged id of another response is not found.
    expect((await upload('x.txt', 'x', { intent: 'replace-attachment', attachmentId: first.id }, evaluator)).status).toBe(403);
    expect((await evaluator.post(path, { intent: 'remove-attachment', attachmentId: first.id })).status).toBe(403);
    const otherSubmission = await register('Bystander Ltd', 'bystander');
    expect((await lead.post(`/rfps/${rfpId}/vendors/${otherSubmission}`, { intent: 'remove-attachment', attachmentId: first.id })).status).toBe(404);

    const confirm = await text(await lead.get(`${path}?remove=${first.id}`));
    expect(confirm).toContain('Remove model-card-v2.txt?');
    expect(confirm).toContain('Remove the file');
    const removed = await lead.post(path, { intent: 'remove-attachment', attachmentId: first.id });
    expect(removed.status).toBe(302);
    expect(await text(await lead.get(removed.headers.get('location')!))).toContain('Removed model-card-v2.txt.');
    expect(await db((h) => h.db.selectFrom('attachment').select('id').where('submission_id', '=', id).execute())).toEqual([]);
    expect(readdirSync(attachments)).not.toContain(second.storage_key);

    const audit = await db((h) => h.db.selectFrom('audit_event').select(['action', 'before_json', 'after_json']).where('entity', '=', 'attachment').where('entity_id', '=', first.id).orderBy('id').execute());
    expect(audit.map((e) => e.action)).toEqual(['attachment.add', 'attachment.replace', 'attachment.remove']);
    expect(JSON.parse(audit[1]!.before_json!)).toMatchObject({ file_name: 'model-card-v1.txt', sha256: first.sha256 });
    expect(JSON.parse(audit[2]!.before_json!)).toMatchObject({ file_name: 'model-card-v2.txt', sha256: second.sha256 });
  });

  it('lets officers edit a registry entry and merge a duplicate into it; refuses a merge within one RFP; evaluators get 403', async () => {
    await register('Civic Answers Duplicate', 'civic-answers-dup');
    const ids = await db(async (h) => {
      const of = async (key: string) => (await h.db.selectFrom('vendor').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
      return { dup: await of('civic-answers-dup'), lone: await of('expected-systems'), bystander: await of('bystander') };
    });
    // A registry-only vendor (in no RFP) that duplicates one in the RFP.
    const page = await text(await lead.get(`/vendors/${ids.dup}`));
    expect(page).toContain('Merge a duplicate into this vendor');
    expect((await evaluator.get(`/vendors/${ids.dup}`)).status).toBe(403);
    expect((await evaluator.post(`/vendors/${ids.dup}`, { intent: 'update', name: 'x', key: 'x' })).status).toBe(403);

    const bad = await lead.post(`/vendors/${ids.dup}`, { intent: 'update', name: 'Civic Answers', key: 'Not A Key' });
    expect(bad.status).toBe(400);
    expect(await text(bad)).toContain('Short name: lower-case letters');
    const taken = await lead.post(`/vendors/${ids.dup}`, { intent: 'update', name: 'Civic Answers', key: 'bystander' });
    expect(taken.status).toBe(400);
    expect(await text(taken)).toContain('A vendor with the short name bystander is already in the registry.');
    const edited = await lead.post(`/vendors/${ids.dup}`, { intent: 'update', name: 'Civic Answers (duplicate)', key: 'civic-answers-dup', website: 'https://civic.example', contactName: 'Cy', contactEmail: 'cy@civic.example' });
    expect(edited.status).toBe(302);
    expect(await db((h) => h.db.selectFrom('vendor').select(['name', 'website']).where('id', '=', ids.dup).executeTakeFirstOrThrow())).toEqual({ name: 'Civic Answers (duplicate)', website: 'https://civic.example' });

    // Both are in DEMO-311-GENAI: refused, with the RFP named, nothing changed.
    const confirm = await text(await lead.get(`/vendors/${ids.lone}?merge=${ids.dup}`));
    expect(confirm).toContain('Merge Civic Answers (duplicate) into Expected Systems?');
    const refused = await lead.post(`/vendors/${ids.lone}`, { intent: 'merge', duplicateId: ids.dup });
    expect(refused.status).toBe(400);
    expect(await text(refused)).toContain('both have a response in DEMO-311-GENAI');

    // A duplicate registered without any response merges: it leaves the registry, its details fill the gaps.
    const extra = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-new', name: 'Bystander Limited', key: 'bystander-limited', website: 'https://bystander.example' });
    const extraSubmission = extra.headers.get('location')!.split('/').pop()!;
    await db((h) => h.db.deleteFrom('submission').where('id', '=', extraSubmission).execute());
    const extraId = await db(async (h) => (await h.db.selectFrom('vendor').select('id').where('key', '=', 'bystander-limited').executeTakeFirstOrThrow()).id);
    const merged = await lead.post(`/vendors/${ids.bystander}`, { intent: 'merge', duplicateId: extraId });
    expect(merged.status).toBe(302);
    expect(await text(await lead.get(merged.headers.get('location')!))).toContain('Merged Bystander Limited (0 responses moved) into Bystander Ltd.');
    expect(await db((h) => h.db.selectFrom('vendor').select(['key', 'website']).where('id', 'in', [ids.bystander, extraId]).execute())).toEqual([{ key: 'bystander', website: 'https://bystander.example' }]);
    expect(await db((h) => h.db.selectFrom('audit_event').select('action').where('action', '=', 'vendor.merge').execute())).toHaveLength(1);
  });
});
