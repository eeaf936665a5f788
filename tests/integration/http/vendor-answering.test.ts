/**
 * Answering online and sealed submission through the real server (issue 15, items 3 and 4). Two contacts of Civic
 * Answers and one of QuickServe AI answer the demo RFP in the portal (its proposals made due two days from now).
 * Proven here: two contacts cannot overwrite each other (a stale save is refused and says whose answer stands, also
 * in a concurrent burst); a bad price is said and not saved; a response with required questions unanswered is not
 * submitted; each submission is a version whose receipt is the SHA-256 of the downloadable sealed file, mailed to
 * every contact; until the bid opening the lead, an admin and the audit log see who submitted and when but no answer
 * (marker text); after the deadline nothing is saved, submitted or withdrawn; the bid opening turns the latest
 * submitted version into the response the panel evaluates, marks a withdrawn one withdrawn, and happens once.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { inviteAndJoin, withDb } from '#tests/support/vendor-contacts';

const ROUTE = 'routes/vendor.rfps.$rfpId_.response';
const MARK = {
  civicV1: 'MARKER-civic-first-7f3a',
  civicV2: 'MARKER-civic-revised-91bd',
  quick: 'MARKER-quick-44e0',
  draftOnly: 'MARKER-civic-unsubmitted-c2d9',
};

interface Question {
  key: string;
  answerType: string;
  required: boolean;
  options: Array<{ label: string }>;
}
interface View {
  rfp: { sections: Array<{ criteria: Array<{ questions: Question[] }> }> };
  drafts: Record<string, { value: unknown; revision: number; updatedByName: string | null }>;
  priceKey: string | null;
  progress: { missingRequired: Array<{ key: string }> };
  versions: Array<{ number: number; kind: string; sha256: string }>;
}

describe('answering online and sealed submission', () => {
  let server: TestServer;
  let rfpId: string;
  let lead: Visitor;
  let admin: Visitor;
  const contact: Record<'vera' | 'val' | 'quinn', Visitor> = {} as never;

  const responsePath = () => `/vendor/rfps/${rfpId}/response`;
  async function view(visitor: Visitor): Promise<View> {
    const response = await visitor.get(`${responsePath()}?_data=${encodeURIComponent(ROUTE)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { view: View }).view;
  }
  function questions(v: View): Question[] {
    return v.rfp.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions));
  }
  /** Posts answers as the page's form does: `r:<key>` the revision shown, `a:<key>` the value(s). */
  function save(visitor: Visitor, answers: Array<{ key: string; revision: number; values: string[] }>): Promise<Response> {
    const body = new URLSearchParams({ intent: 'save' });
    for (const a of answers) {
      body.append(`r:${a.key}`, String(a.revision));
      for (const v of a.values) body.append(`a:${a.key}`, v);
    }
    return visitor.request(`${responsePath()}?_data=${encodeURIComponent(ROUTE)}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl } });
  }
  /** Every required question answered validly; text answers carry `marker`. */
  function fullAnswers(v: View, marker: string): Array<{ key: string; revision: number; values: string[] }> {
    return questions(v)
      .filter((q) => q.required)
      .map((q) => {
        const revision = v.drafts[q.key]?.revision ?? 0;
        if (q.key === v.priceKey) return { key: q.key, revision, values: ['1,180,000'] };
        if (q.options.length > 0) return { key: q.key, revision, values: [q.options[0]!.label] };
        if (q.answerType === 'number') return { key: q.key, revision, values: ['12'] };
        return { key: q.key, revision, values: [`${marker} — our answer to ${q.key}.`] };
      });
  }
  const textQuestion = (v: View) => questions(v).find((q) => q.answerType === 'text' && q.required)!;

  async function staffSees(): Promise<string> {
    const pages: string[] = [];
    const submissionIds = await withDb(server, (db) => db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).execute());
    const paths = [
      `/rfps/${rfpId}/bid-opening`,
      `/rfps/${rfpId}/bid-opening?_data=${encodeURIComponent('routes/rfps.$rfpId.bid-opening')}`,
      `/rfps/${rfpId}/vendors`,
      `/rfps/${rfpId}/audit`,
      `/rfps/${rfpId}/audit.csv`,
      `/rfps/${rfpId}/export.json`,
      `/rfps/${rfpId}/answers`,
      ...submissionIds.map((s) => `/rfps/${rfpId}/vendors/${s.id}`),
      ...submissionIds.map((s) => `/rfps/${rfpId}/vendors/${s.id}?_data=${encodeURIComponent('routes/rfps.$rfpId.vendors.$submissionId')}`),
    ];
    for (const path of paths) {
      const response = await lead.get(path);
      expect(response.status, path).toBe(200);
      pages.push(await response.text());
    }
    const mailPage = await admin.get('/admin/mail');
    expect(mailPage.status).toBe(200);
    pages.push(await mailPage.text());
    const mails = await withDb(server, (db) => db.selectFrom('mail_outbox').select(['subject', 'text_body', 'html_body']).execute());
    pages.push(...mails.map((m) => `${m.subject}\n${m.text_body}\n${m.html_body}`));
    return pages.join('\n');
  }

  beforeAll(async () => {
    server = await startTestServer();
    rfpId = await withDb(server, async (db) => {
      const rfp = await db.selectFrom('rfp').select('id').executeTakeFirstOrThrow();
      const due = new Date(Date.now() + 2 * 86_400_000).toISOString();
      await db.updateTable('rfp').set({ proposals_due_at: due, qa_due_at: null }).where('id', '=', rfp.id).execute();
      return rfp.id;
    });
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    contact.vera = await inviteAndJoin(server, lead, rfpId, { vendorKey: 'civic-answers', name: 'Vera Vendor', email: 'vera@civic-answers.example' });
    contact.val = await inviteAndJoin(server, lead, rfpId, { vendorKey: 'civic-answers', name: 'Val Vendor', email: 'val@civic-answers.example' });
    contact.quinn = await inviteAndJoin(server, lead, rfpId, { vendorKey: 'quickserve-ai', name: 'Quinn Quick', email: 'quinn@quickserve.example' });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a stale save from a second contact and says whose answer stands, also in a concurrent burst', async () => {
    const first = await view(contact.vera);
    const q = textQuestion(first);
    expect(first.drafts[q.key]).toBeUndefined();
    const vera = await save(contact.vera, [{ key: q.key, revision: 0, values: ['Vera wrote this.'] }]);
    expect(vera.status).toBe(200);
    // Val's page still shows revision 0: her save would overwrite Vera's, so it is refused.
    const val = await save(contact.val, [{ key: q.key, revision: 0, values: ['Val wrote this.'] }]);
    expect(val.status).toBe(409);
    const refused = (await val.json()) as { outcome: { conflicts: Array<{ key: string; value: string; updatedByName: string }> } };
    expect(refused.outcome.conflicts).toEqual([expect.objectContaining({ key: q.key, value: 'Vera wrote this.', updatedByName: 'Vera Vendor' })]);
    expect((await view(contact.val)).drafts[q.key]).toMatchObject({ value: 'Vera wrote this.', revision: 1 });
    // Ten saves against the same revision at once: exactly one is written, the others are told who won.
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => save(i % 2 ? contact.vera : contact.val, [{ key: q.key, revision: 1, values: [`Burst ${i}`] }])),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const after = (await view(contact.vera)).drafts[q.key]!;
    expect(after.revision).toBe(2);
    const winner = burst.findIndex((r) => r.status === 200);
    expect(after.value).toBe(`Burst ${winner}`);
    // QuickServe's contact sees none of Civic's drafts.
    expect((await view(contact.quinn)).drafts[q.key]).toBeUndefined();
  });

  it('says a bad price and does not save it; refuses to submit with required questions unanswered', async () => {
    const v = await view(contact.vera);
    expect(v.priceKey).not.toBeNull();
    const bad = await save(contact.vera, [{ key: v.priceKey!, revision: 0, values: ['0'] }]);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { outcome: { errors: Array<{ key: string; message: string }> } };
    expect(body.outcome.errors).toEqual([{ key: v.priceKey, message: expect.stringContaining('the price must be more than 0') }]);
    expect((await view(contact.vera)).drafts[v.priceKey!]).toBeUndefined();
    const submit = await contact.vera.post(responsePath(), { intent: 'submit' });
    expect(submit.status).toBe(400);
    const page = await submit.text();
    expect(page).toContain('required questions are unanswered');
    expect((await view(contact.vera)).versions).toEqual([]);
  });

  it('seals each submission as a version with a SHA-256 receipt of the downloadable file, mailed to every contact; staff see who and when only', async () => {
    const v = await view(contact.vera);
    expect((await save(contact.vera, fullAnswers(v, MARK.civicV1))).status).toBe(200);
    expect((await view(contact.vera)).progress.missingRequired).toEqual([]);
    const submitted = await contact.vera.post(responsePath(), { intent: 'submit' });
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get('location')).toBe(`${responsePath()}?sealed=1#receipts-heading`);
    const [receipt] = (await view(contact.val)).versions;
    expect(receipt).toMatchObject({ number: 1, kind: 'submitted' });
    const file = await contact.val.get(`${responsePath()}/1.json`);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(receipt!.sha256);
    expect(bytes.toString('utf8')).toContain(MARK.civicV1);
    // Another organisation's contact cannot download it.
    expect((await contact.quinn.get(`${responsePath()}/1.json`)).status).toBe(404);
    const mails = await withDb(server, (db) => db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('kind', '=', 'vendor.submission_receipt').execute());
    expect(mails.map((m) => m.to_address).sort()).toEqual(['val@civic-answers.example', 'vera@civic-answers.example']);
    for (const m of mails) expect(m.text_body).toContain(receipt!.sha256);

    // Civic revises (v2), with a second marker; an unsubmitted change after it stays a draft.
    const revised = await view(contact.vera);
    const q = textQuestion(revised);
    expect((await save(contact.vera, [{ key: q.key, revision: revised.drafts[q.key]!.revision, values: [`${MARK.civicV2} — revised.`] }])).status).toBe(200);
    expect((await contact.vera.post(responsePath(), { intent: 'submit' })).status).toBe(302);
    const later = await view(contact.vera);
    const q2 = questions(later).filter((x) => x.answerType === 'text' && x.required)[1]!;
    expect((await save(contact.vera, [{ key: q2.key, revision: later.drafts[q2.key]!.revision, values: [`${MARK.draftOnly}`] }])).status).toBe(200);

    // QuickServe submits, then withdraws.
    const quick = await view(contact.quinn);
    expect((await save(contact.quinn, fullAnswers(quick, MARK.quick))).status).toBe(200);
    expect((await contact.quinn.post(responsePath(), { intent: 'submit' })).status).toBe(302);
    expect((await contact.quinn.post(responsePath(), { intent: 'withdraw' })).status).toBe(302);
    expect((await view(contact.quinn)).versions.map((x) => x.kind)).toEqual(['withdrawn', 'submitted']);

    const staff = await staffSees();
    for (const marker of Object.values(MARK)) expect(staff).not.toContain(marker);
    const opening = await lead.get(`/rfps/${rfpId}/bid-opening`);
    const html = await opening.text();
    expect(html).toContain('Version 2');
    expect(html).toContain('Vera Vendor');
    expect(html).toContain('Withdrawn');
    // Not even the receipts' hashes reach a staff page before the opening (the receipt mails carry them to vendors).
    const staffPages = await (await lead.get(`/rfps/${rfpId}/bid-opening`)).text() + (await (await lead.get(`/rfps/${rfpId}/audit`)).text());
    for (const version of (await view(contact.vera)).versions) expect(staffPages).not.toContain(version.sha256);
    // The bids cannot be opened before the deadline.
    const early = await lead.post(`/rfps/${rfpId}/bid-opening`, { intent: 'open-bids' });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('Bids are sealed until the proposals are due');
  });

  it('accepts nothing after the deadline; the bid opening makes the latest submitted version the response, once', async () => {
    await withDb(server, (db) => db.updateTable('rfp').set({ proposals_due_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', rfpId).execute());
    const v = await view(contact.vera);
    const q = textQuestion(v);
    const late = await save(contact.vera, [{ key: q.key, revision: v.drafts[q.key]!.revision, values: ['Too late.'] }]);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { closed: string }).closed).toContain('nothing can be saved, submitted or withdrawn after the deadline');
    expect((await contact.vera.post(responsePath(), { intent: 'submit' })).status).toBe(409);
    expect((await contact.vera.post(responsePath(), { intent: 'withdraw' })).status).toBe(409);
    expect((await view(contact.vera)).versions).toHaveLength(2);
    // Moving to evaluation before the opening is refused: the sealed responses would be left out.
    const move = await lead.get(`/rfps/${rfpId}/status`);
    expect(await move.text()).toContain('the bids are not opened yet');

    const opened = await lead.post(`/rfps/${rfpId}/bid-opening`, { intent: 'open-bids' });
    expect(opened.status).toBe(302);
    const civic = await withDb(server, (db) =>
      db
        .selectFrom('submission')
        .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
        .select(['submission.id', 'submission.status', 'submission.price', 'submission.received_at', 'vendor.key'])
        .where('submission.rfp_id', '=', rfpId)
        .where('vendor.key', 'in', ['civic-answers', 'quickserve-ai'])
        .execute(),
    );
    const civicRow = civic.find((c) => c.key === 'civic-answers')!;
    const quickRow = civic.find((c) => c.key === 'quickserve-ai')!;
    expect(quickRow.status).toBe('withdrawn');
    expect(Number(civicRow.price)).toBe(1_180_000);
    const v2 = await withDb(server, (db) => db.selectFrom('vendor_response_version').select(['content', 'submitted_at']).where('rfp_id', '=', rfpId).where('number', '=', 2).where('vendor_id', 'in', (eb) => eb.selectFrom('vendor').select('id').where('key', '=', 'civic-answers')).executeTakeFirstOrThrow());
    const sealed = JSON.parse(v2.content) as { answers: Array<{ key: string; value: unknown }> };
    const answers = await withDb(server, (db) =>
      db.selectFrom('answer').innerJoin('question', 'question.id', 'answer.question_id').select(['question.key', 'answer.value_json']).where('answer.submission_id', '=', civicRow.id).execute(),
    );
    // Exactly the sealed version 2: every sealed answer, nothing else (not the draft typed after it).
    const recorded = Object.fromEntries(answers.map((a) => [a.key, JSON.parse(a.value_json) as unknown]));
    const expected = Object.fromEntries(sealed.answers.map((a) => [a.key, a.value]));
    expect({ ...recorded }).toEqual({ ...expected, [v.priceKey!]: 1_180_000 });
    const page = await (await lead.get(`/rfps/${rfpId}/vendors/${civicRow.id}`)).text();
    expect(page).toContain(MARK.civicV2);
    expect(page).not.toContain(MARK.draftOnly);
    const openingPage = await (await lead.get(`/rfps/${rfpId}/bid-opening`)).text();
    for (const version of (await view(contact.vera)).versions.slice(0, 1)) expect(openingPage).toContain(version.sha256);
    const audit = await (await lead.get(`/rfps/${rfpId}/audit`)).text();
    expect(audit).toContain('opened the bids: 1 of 2 invited vendors had submitted online');
    expect((await lead.post(`/rfps/${rfpId}/bid-opening`, { intent: 'open-bids' })).status).toBe(409);
  });
});
