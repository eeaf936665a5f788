/**
 * Recording vendors' responses through the real server: answers by section without losing others, evidence
 * typed from its bytes and served only as a download, vendor text always shown as text, and the locks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('vendor responses', () => {
  let server: TestServer;
  let lead: Visitor;
  let rfpId: string;
  let submissionId: string;
  let sectionId: string;
  let questions: Array<{ id: string; key: string; answer_type: string; options_json: string }>;

  beforeAll(async () => {
    server = await startTestServer();
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    // A vendor registered now, so its response starts empty.
    const added = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-new', name: 'Late Entrant LLC', key: 'late-entrant', website: 'https://late.example' });
    expect(added.status).toBe(302);
    submissionId = added.headers.get('location')!.split('/').pop()!;
    // A section that has both a yes/no and a text question.
    for (const section of await handle.db.selectFrom('section').select('id').where('rfp_id', '=', rfpId).orderBy('position').execute()) {
      const rows = await handle.db
        .selectFrom('question')
        .innerJoin('criterion', 'criterion.id', 'question.criterion_id')
        .select(['question.id', 'question.key', 'question.answer_type', 'question.options_json'])
        .where('criterion.section_id', '=', section.id)
        .orderBy('criterion.position')
        .orderBy('question.position')
        .execute();
      if (rows.some((q) => q.answer_type === 'yes_no') && rows.some((q) => q.answer_type === 'text')) {
        sectionId = section.id;
        questions = rows;
        break;
      }
    }
    await handle.close();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const answersPath = () => `/rfps/${rfpId}/vendors/${submissionId}`;

  it('saves a section of answers, validates choices, and never erases answers that were not in the form', async () => {
    const yesNo = questions.find((q) => q.answer_type === 'yes_no')!;
    const text = questions.find((q) => q.answer_type === 'text')!;
    const invalid = await lead.post(answersPath(), { intent: 'answers', sectionId, [`present-${yesNo.id}`]: '1', [`answer-${yesNo.id}`]: 'Maybe' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain(`${yesNo.key}: “Maybe” is not one of the options.`);

    const formula = '=HYPERLINK("https://evil.example","Click") <script>alert(1)</script>';
    const saved = await lead.post(answersPath(), {
      intent: 'answers',
      sectionId,
      [`present-${yesNo.id}`]: '1',
      [`answer-${yesNo.id}`]: 'Yes',
      [`present-${text.id}`]: '1',
      [`answer-${text.id}`]: formula,
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toContain('saved=2');

    // A later form that only carries the yes/no question leaves the text answer alone.
    const partial = await lead.post(answersPath(), { intent: 'answers', sectionId, [`present-${yesNo.id}`]: '1', [`answer-${yesNo.id}`]: 'No' });
    expect(partial.headers.get('location')).toContain('saved=1');
    const handle = openDatabase(server.databaseUrl);
    const rows = await handle.db.selectFrom('answer').select(['question_id', 'value_json']).where('submission_id', '=', submissionId).execute();
    expect(Object.fromEntries(rows.map((r) => [r.question_id, JSON.parse(r.value_json)]))).toEqual({ [yesNo.id]: 'No', [text.id]: formula });
    const audit = await handle.db.selectFrom('audit_event').select(['before_json', 'after_json']).where('rfp_id', '=', rfpId).where('action', '=', 'answer.save').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!)).toEqual({ value: 'Yes' });
    expect(JSON.parse(audit.after_json!)).toEqual({ value: 'No' });
    await handle.close();

    // Vendor text is shown as text: escaped in the page, never markup.
    const page = await (await lead.get(`/rfps/${rfpId}/answers/${text.id}`)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('records the price and requires a reason for a non-responsive vendor', async () => {
    const noReason = await lead.post(answersPath(), { intent: 'submission', status: 'non_responsive', statusReason: '', receivedAt: '2026-12-14', price: '415,000' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Give the reason');
    const ok = await lead.post(answersPath(), { intent: 'submission', status: 'responsive', statusReason: '', receivedAt: '2026-12-14', price: '$415,000.50' });
    expect(ok.status).toBe(200);
    const handle = openDatabase(server.databaseUrl);
    const row = await handle.db.selectFrom('submission').select(['price', 'status']).where('id', '=', submissionId).executeTakeFirstOrThrow();
    expect(Number(row.price)).toBe(415000.5);
    expect(row.status).toBe('responsive');
    await handle.close();
  });

  it('keeps evidence typed from its bytes, and serves it only as a download to those who may read responses', async () => {
    const upload = (name: string, bytes: Uint8Array) => {
      const form = new FormData();
      form.set('file', new File([new Uint8Array(bytes)], name));
      return lead.request(answersPath(), { method: 'POST', body: form, headers: { origin: server.baseUrl } });
    };
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const disguised = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]); // an executable header named .pdf
    expect((await upload('report.pdf', disguised)).status).toBe(415);
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF');
    const ok = await upload('Model card "v3".pdf', pdf);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('PDF, sha256');
    // Plain text with markup in it is kept, but as text/plain and as an attachment.
    expect((await upload('notes.html', html)).status).toBe(200);

    const handle = openDatabase(server.databaseUrl);
    const files = await handle.db.selectFrom('attachment').selectAll().where('submission_id', '=', submissionId).orderBy('uploaded_at').execute();
    await handle.close();
    expect(files.map((f) => f.media_type)).toEqual(['application/pdf', 'text/plain']);
    expect(files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);

    const download = await lead.get(`/rfps/${rfpId}/attachments/${files[1]!.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.html"/);
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
    expect(await download.text()).toContain('<script>');

    // An evaluator member who has not attested cannot download; a non-member gets 404.
    const evaluator = new Visitor(server.baseUrl);
    await evaluator.login('evaluator1@city.example');
    expect((await evaluator.get(`/rfps/${rfpId}/attachments/${files[0]!.id}`)).status).toBe(403);
  });

  it('locks responses once evaluation starts (409), whatever the page shows', async () => {
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'evaluation' })).status).toBe(200);
    const text = questions.find((q) => q.answer_type === 'text')!;
    const locked = await lead.post(answersPath(), { intent: 'answers', sectionId, [`present-${text.id}`]: '1', [`answer-${text.id}`]: 'late change' });
    expect(locked.status).toBe(409);
    expect(await locked.text()).toMatch(/locked once evaluation starts/);
    const vendor = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-existing', vendorId: 'x' });
    expect(vendor.status).toBe(409);
  });
});
