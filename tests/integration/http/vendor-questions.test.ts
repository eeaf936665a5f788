/**
 * Questions and answers of the Q&A period through the real server (issue 15, item 5). Contacts of two vendor
 * organisations ask questions carrying unique marker text: until an answer is published, neither organisation's pages
 * or loader JSON hold the other's question. The lead sees both with who asked, answers them (rewording one so it does
 * not identify its vendor) and publishes them as Q&A addendum 1: both vendors then read the answers and the published
 * wording, and neither their pages nor the addendum's mails name the organisation or person who asked. A question after
 * the Q&A deadline is refused; an organisation never invited gets "not found"; staff other than the lead cannot answer.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { inviteAndJoin, uninvitedContact, withDb } from '#tests/support/vendor-contacts';

const VERA = { vendorKey: 'civic-answers', name: 'Vera Vendor', email: 'vera@civic-answers.example' };
const QUINN = { vendorKey: 'quickserve-ai', name: 'Quinn Quick', email: 'quinn@quickserve.example' };
const VENDOR_ROUTE = 'routes/vendor.rfps.$rfpId_.questions';

const marker = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;
const MARKER_A = marker('CIVIC-QUESTION');
const MARKER_B = marker('QUICK-QUESTION');
const REWORDED_A = marker('REWORDED-QUESTION');
const ANSWER_A = marker('ANSWER-ONE');
const ANSWER_B = marker('ANSWER-TWO');

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe('vendor questions and Q&A addenda', () => {
  let server: TestServer;
  let rfpId = '';
  let questionKey = '';
  const names = { civic: '', quick: '' };
  let lead: Visitor;
  let civic: Visitor;
  let quick: Visitor;
  let uninvited: Visitor;

  const questionsPath = () => `/vendor/rfps/${rfpId}/questions`;
  /** The vendor's questions page as HTML (unescaped) and as loader JSON. */
  async function vendorView(visitor: Visitor): Promise<{ html: string; data: string }> {
    const page = await visitor.get(questionsPath());
    expect(page.status).toBe(200);
    const data = await visitor.get(`${questionsPath()}?_data=${encodeURIComponent(VENDOR_ROUTE)}`);
    expect(data.status).toBe(200);
    return { html: unescape(await page.text()), data: await data.text() };
  }
  const questionId = (text: string) => withDb(server, async (db) => (await db.selectFrom('vendor_question').select('id').where('text', '=', text).executeTakeFirstOrThrow()).id);
  const setQaDue = (iso: string) => withDb(server, (db) => db.updateTable('rfp').set({ qa_due_at: iso }).where('id', '=', rfpId).execute());

  beforeAll(async () => {
    server = await startTestServer();
    await withDb(server, async (db) => {
      rfpId = (await db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
      questionKey = (await db.selectFrom('question').select('key').where('rfp_id', '=', rfpId).orderBy('key').executeTakeFirstOrThrow()).key;
      names.civic = (await db.selectFrom('vendor').select('name').where('key', '=', VERA.vendorKey).executeTakeFirstOrThrow()).name;
      names.quick = (await db.selectFrom('vendor').select('name').where('key', '=', QUINN.vendorKey).executeTakeFirstOrThrow()).name;
    });
    // The demo's Q&A deadline has passed; the period is open again for this test.
    await setQaDue(new Date(Date.now() + 7 * 86_400_000).toISOString());
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    civic = await inviteAndJoin(server, lead, rfpId, VERA);
    quick = await inviteAndJoin(server, lead, rfpId, QUINN);
    uninvited = await uninvitedContact(server, { vendorKey: 'budgetbot', name: 'Bea Budget', email: 'bea@budgetbot.example' });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('links the page from the vendor’s RFP page and the lead’s vendor pages', async () => {
    expect(await (await civic.get(`/vendor/rfps/${rfpId}`)).text()).toContain(`href="/vendor/rfps/${rfpId}/questions"`);
    expect(await (await lead.get(`/rfps/${rfpId}/vendors`)).text()).toContain(`href="/rfps/${rfpId}/questions"`);
  });

  it('takes each organisation’s questions and shows neither to the other before an answer is published', async () => {
    const askedA = await civic.post(questionsPath(), { questionKey, text: `Does ${questionKey} cover the pilot? ${MARKER_A}` });
    expect(askedA.status).toBe(200);
    expect(await askedA.text()).toContain('Your question was sent to the lead officer');
    expect((await quick.post(questionsPath(), { questionKey: '', text: `May we propose a phased rollout? ${MARKER_B}` })).status).toBe(200);

    // Bad input: a clear field error, nothing stored.
    const empty = await civic.post(questionsPath(), { text: '   ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Your question is required.');
    const long = await civic.post(questionsPath(), { text: 'x'.repeat(4001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('at most 4000 characters');
    const badKey = await civic.post(questionsPath(), { questionKey: 'NO-SUCH-KEY', text: 'About what?' });
    expect(badKey.status).toBe(400);
    expect(await badKey.text()).toContain('Choose a question of the questionnaire');
    expect(await withDb(server, async (db) => (await db.selectFrom('vendor_question').select('id').execute()).length)).toBe(2);

    const a = await vendorView(civic);
    expect(a.html).toContain(MARKER_A);
    expect(a.html).toContain('Awaiting answer');
    const b = await vendorView(quick);
    expect(b.html).toContain(MARKER_B);
    for (const [who, body, other] of [
      ['civic html', a.html, MARKER_B],
      ['civic JSON', a.data, MARKER_B],
      ['quick html', b.html, MARKER_A],
      ['quick JSON', b.data, MARKER_A],
    ] as const) {
      expect(body.includes(other), who).toBe(false);
    }
    const quickRfp = await (await quick.get(`/vendor/rfps/${rfpId}?_data=${encodeURIComponent('routes/vendor.rfps.$rfpId')}`)).text();
    expect(quickRfp).not.toContain(MARKER_A);

    // The lead sees both, with who asked.
    const leadPage = unescape(await (await lead.get(`/rfps/${rfpId}/questions`)).text());
    for (const text of [MARKER_A, MARKER_B, names.civic, names.quick, VERA.email, QUINN.email]) expect(leadPage).toContain(text);
  });

  it('hides the RFP’s questions from an organisation never invited, and lets no staff member but the lead answer', async () => {
    expect((await uninvited.get(questionsPath())).status).toBe(404);
    expect((await uninvited.get(`${questionsPath()}?_data=${encodeURIComponent(VENDOR_ROUTE)}`)).status).toBe(404);
    expect((await uninvited.post(questionsPath(), { text: 'Let us in?' })).status).toBe(404);

    const id = await questionId(`Does ${questionKey} cover the pilot? ${MARKER_A}`);
    const attempt = { intent: 'answer', questionId: id, publishedText: '', answer: 'An answer from someone else' };
    for (const email of ['evaluator1@city.example', 'leader@city.example', 'admin@city.example']) {
      const staff = new Visitor(server.baseUrl);
      await staff.login(email);
      expect((await staff.get(`/rfps/${rfpId}/questions`)).status, email).toBe(403);
      expect((await staff.post(`/rfps/${rfpId}/questions`, attempt)).status, email).toBe(403);
      expect((await staff.post(`/rfps/${rfpId}/questions`, { intent: 'publish', questionId: id })).status, email).toBe(403);
    }
    expect(await withDb(server, async (db) => (await db.selectFrom('vendor_question').select('answer').where('id', '=', id).executeTakeFirstOrThrow()).answer)).toBeNull();
  });

  it('publishes the answers as a dated addendum to both vendors, mailed, naming nobody who asked', async () => {
    const idA = await questionId(`Does ${questionKey} cover the pilot? ${MARKER_A}`);
    const idB = await questionId(`May we propose a phased rollout? ${MARKER_B}`);
    const missing = await lead.post(`/rfps/${rfpId}/questions`, { intent: 'answer', questionId: idA, answer: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('The answer is required.');
    const answeredA = await lead.post(`/rfps/${rfpId}/questions`, { intent: 'answer', questionId: idA, publishedText: `Does the first question cover the pilot? ${REWORDED_A}`, answer: `Yes. ${ANSWER_A}` });
    expect(answeredA.status).toBe(200);

    // Answered is not published: no vendor reads the answer or the new wording yet.
    for (const visitor of [civic, quick]) {
      const view = await vendorView(visitor);
      for (const text of [ANSWER_A, REWORDED_A]) expect(view.html + view.data).not.toContain(text);
    }

    // B's question is published as asked (the wording field left as it was).
    expect((await lead.post(`/rfps/${rfpId}/questions`, { intent: 'answer', questionId: idB, publishedText: `May we propose a phased rollout? ${MARKER_B}`, answer: `Phases are welcome. ${ANSWER_B}` })).status).toBe(200);
    const nothing = await lead.post(`/rfps/${rfpId}/questions`, { intent: 'publish' });
    expect(nothing.status).toBe(400);
    const published = await lead.post(`/rfps/${rfpId}/questions`, { intent: 'publish', questionId: idA });
    expect(published.status).toBe(200);
    expect(unescape(await published.text())).toContain('Q&A addendum 1 is published with 1 answer, and mailed to 2 vendor contacts.');
    // A second batch is addendum 2 (the body carries the ticked ids as a browser sends checkboxes).
    const second = await lead.request(`/rfps/${rfpId}/questions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
      body: new URLSearchParams([['intent', 'publish'], ['questionId', idB]]).toString(),
    });
    expect(second.status).toBe(200);
    expect(unescape(await second.text())).toContain('Q&A addendum 2 is published');

    const addendumDate = await withDb(server, async (db) => (await db.selectFrom('qa_addendum').select('published_at').where('number', '=', 1).executeTakeFirstOrThrow()).published_at);
    const a = await vendorView(civic);
    const b = await vendorView(quick);
    for (const [who, view] of [['civic', a], ['quick', b]] as const) {
      expect(view.html, who).toMatch(/Q&A addendum 1, published \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC/);
      expect(view.html, who).toContain('Q&A addendum 2, published');
      for (const text of [REWORDED_A, ANSWER_A, MARKER_B, ANSWER_B]) expect(view.html, `${who}: ${text}`).toContain(text);
      expect(view.data, who).not.toMatch(/"(vendor\w*|asked_?by\w*|email)"\s*:/i);
    }
    expect(addendumDate).toMatch(/^\d{4}-/);
    // The original wording of the reworded question stays with its own organisation.
    expect(a.html).toContain(MARKER_A);
    expect(a.html).toContain('Answered in Q&A addendum 1');
    expect(b.html + b.data).not.toContain(MARKER_A);
    // Neither page names the other organisation or its contact.
    for (const text of [names.civic, VERA.name, VERA.email]) expect(b.html + b.data, text).not.toContain(text);
    for (const text of [names.quick, QUINN.name, QUINN.email]) expect(a.html + a.data, text).not.toContain(text);

    const mails = await withDb(server, (db) => db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body', 'html_body']).where('kind', '=', 'vendor.qa_addendum').orderBy('to_address').execute());
    expect(mails.filter((m) => m.subject.startsWith('Q&A addendum 1 ')).map((m) => m.to_address)).toEqual([QUINN.email, VERA.email]);
    for (const mail of mails) {
      const body = `${mail.subject}\n${mail.text_body}\n${unescape(mail.html_body)}`;
      // No mail names either organisation, nor the original wording of the reworded question.
      for (const text of [names.civic, names.quick, MARKER_A]) expect(body, `${mail.to_address}: ${text}`).not.toContain(text);
      const other = mail.to_address === VERA.email ? QUINN : VERA;
      for (const text of [other.name, other.email]) expect(body, `${mail.to_address}: ${text}`).not.toContain(text);
    }
    const first = mails.find((m) => m.to_address === QUINN.email && m.subject.startsWith('Q&A addendum 1 '))!;
    expect(first.text_body).toContain(REWORDED_A);
    expect(first.text_body).toContain(ANSWER_A);
    expect(first.text_body).toContain(`/vendor/rfps/${rfpId}/questions`);

    // A published answer is the record: it no longer changes.
    const late = await lead.post(`/rfps/${rfpId}/questions`, { intent: 'answer', questionId: idA, publishedText: '', answer: 'Changed afterwards' });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('already published');

    // Every step is in the RFP's audit log, in words, for staff.
    const audit = unescape(await (await lead.get(`/rfps/${rfpId}/audit`)).text());
    expect(audit).toContain(`${VERA.name}, for ${names.civic}, asked a question about ${questionKey}`);
    expect(audit).toContain(`answered ${names.civic}’s question, reworded for publication,`);
    expect(audit).toContain('published Q&A addendum 1 with 1 answered question to every invited vendor.');
  });

  it('refuses a question after the Q&A deadline, by the server clock, with a sentence saying so', async () => {
    await setQaDue(new Date(Date.now() - 60_000).toISOString());
    const count = async () => withDb(server, async (db) => (await db.selectFrom('vendor_question').select('id').execute()).length);
    const before = await count();
    const refused = await quick.post(questionsPath(), { text: `Too late? ${marker('LATE')}` });
    expect(refused.status).toBe(409);
    expect(unescape(await refused.text())).toContain('The deadline for questions about DEMO-311-GENAI was');
    expect(await count()).toBe(before);
    const page = unescape(await (await quick.get(questionsPath())).text());
    expect(page).toContain('questions are no longer accepted');
    expect(page).not.toContain('Send the question');
  });
});
