/**
 * Every notification of issue 14, item 5, caused through the real server as people cause them and read as it arrives
 * at a real SMTP server on loopback: the assignment, scoring opening (the conflict-of-interest attestation waiting),
 * a submitted scoresheet (to the lead), a reopened one, the lead's reminder to a chosen evaluator, the in-app
 * scheduler's "due in N days" and "overdue" reminders, and the daily digest of a person who chose it. Each arrives
 * once, to the right person, with a plain-text and an HTML part; markup planted in the RFP's title and a person's
 * name arrives as text; no mail holds a password, a token or a session id. Runs on SQLite and PostgreSQL.
 *
 * The digest is written at DIGEST_HOUR, hours away; that one pass runs in this process with a clock set to the
 * next digest hour (the scheduler's own function, on the server's database), and the server's sender delivers it.
 */
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { writeDigests } from '#app/mail/scheduler.server';
import { scoreChoices } from '#app/evaluation/rules';
import { formFields, withChanges } from '#tests/support/html-form';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { type ReceivedMail, startSmtpSink, type SmtpSink } from '#tests/support/smtp-sink';

const DAY = 86_400_000;
const TITLE = 'Generative AI <b>marker</b> assistant for 311';
const TITLE_HTML = 'Generative AI &lt;b&gt;marker&lt;/b&gt; assistant for 311';
const ANN = 'Ann <i>Ames</i>';
const ANN_PASSWORD = 'a long evaluator passphrase';
/** The digest hour, twelve hours from now, so the server's own scheduler cannot write the digest while this runs. */
const DIGEST_HOUR = (new Date().getUTCHours() + 12) % 24;

/** A form post with repeated or ordered fields, as a browser sends it. */
function postForm(visitor: Visitor, path: string, fields: Array<[string, string]>): Promise<Response> {
  return visitor.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: visitor.baseUrl }, body: new URLSearchParams(fields).toString() });
}

/** A port free on loopback now, so the server's public origin (APP_ORIGIN, which the scheduler's links use) is known before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `YYYY-MM-DD` of an instant in UTC (the test server's TIME_ZONE). */
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('every notification through the SMTP server', () => {
  let appOrigin: string;
  let sink: SmtpSink;
  let server: TestServer;
  let handle: DatabaseHandle;
  let rfpId: string;
  let submissionId: string;
  let admin: Visitor;
  let lead: Visitor;
  let evan: Visitor;
  let ann: Visitor;
  let evanId: string;
  let annId: string;

  /** The mails to `to` whose subject contains `subject`, as they arrived. */
  const received = (to: string, subject: string) => sink.received.filter((m) => m.to.includes(to) && m.subject.includes(subject));

  /** Waits for such a mail to arrive; the last test shows each arrived once. */
  async function one(to: string, subject: string): Promise<ReceivedMail> {
    await waitFor(`“${subject}” to ${to}`, () => received(to, subject).length, (n) => n >= 1);
    return received(to, subject)[0]!;
  }

  /** Both parts present, each with the link; none of the planted markup is markup in the HTML part. */
  function expectParts(mail: ReceivedMail, link: string) {
    expect(mail.text.length).toBeGreaterThan(0);
    expect(mail.html).toMatch(/<html[\s>]/i);
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).not.toContain('<b>marker');
    expect(mail.html).not.toContain('<i>Ames');
  }

  const outbox = () => handle.db.selectFrom('mail_outbox').select(['kind', 'to_address']).orderBy('created_at').execute();
  const statusOf = async () => (await handle.db.selectFrom('rfp').select('status').where('id', '=', rfpId).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const port = await freePort();
    appOrigin = `http://127.0.0.1:${port}`;
    server = await startTestServer({
      PORT: String(port),
      SMTP_URL: sink.url,
      MAIL_FROM: 'Springfield AI Procurement <ai-procurement@springfield.example>',
      MAIL_POLL_SECONDS: '0.2',
      MAIL_RETRY_SECONDS: '0.2',
      APP_ORIGIN: appOrigin,
      SCHEDULER_SECONDS: '0.5',
      REMINDER_DAYS: '3,1',
      DIGEST_HOUR: String(DIGEST_HOUR),
    });
    handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    submissionId = (await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).where('status', 'in', ['received', 'responsive']).orderBy('id').executeTakeFirstOrThrow()).id;
    evanId = (await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator1@city.example').executeTakeFirstOrThrow()).id;
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    evan = new Visitor(server.baseUrl);
    await evan.login('evaluator1@city.example');
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
    await sink?.close();
  });

  it('mails the assignment to each evaluator the lead assigns, with the title as text', async () => {
    // The lead renames the RFP; markup typed in a title is text.
    const details = await (await lead.get(`/rfps/${rfpId}/details`)).text();
    const renamed = await postForm(lead, `/rfps/${rfpId}/details`, withChanges(formFields(details, 'rfp-details'), { title: TITLE }));
    expect(renamed.status).toBe(200);
    // A new evaluator whose name holds markup, added and assigned on the Members page; a demo evaluator assigned on the Evaluation page.
    expect((await admin.post('/admin/users', { name: ANN, email: 'ann.ames@springfield.example', role: 'evaluator', password: ANN_PASSWORD })).status).toBe(200);
    annId = (await handle.db.selectFrom('app_user').select('id').where('email', '=', 'ann.ames@springfield.example').executeTakeFirstOrThrow()).id;
    expect((await postForm(lead, `/rfps/${rfpId}/members`, [['intent', 'add'], ['role', 'evaluator'], ['assign', 'whole'], ['userId', annId]])).status).toBe(200);
    expect((await lead.post(`/rfps/${rfpId}/evaluation`, { intent: 'assign', evaluatorId: evanId, scope: 'whole' })).status).toBe(200);

    const subject = `You are assigned to evaluate DEMO-311-GENAI: ${TITLE}`;
    const toAnn = await one('ann.ames@springfield.example', subject);
    expect(toAnn.subject).toBe(subject);
    expect(toAnn.text).toContain(`Hello ${ANN},`);
    expect(toAnn.text).toContain(`Olivia Ortiz assigned you to evaluate “${TITLE}” (DEMO-311-GENAI), for the whole questionnaire.`);
    expect(toAnn.text).toContain('you will be asked to attest that you have no conflict of interest');
    expect(toAnn.html).toContain('Hello Ann &lt;i&gt;Ames&lt;/i&gt;,');
    expect(toAnn.html).toContain(TITLE_HTML);
    expectParts(toAnn, `${appOrigin}/rfps/${rfpId}/evaluate`);
    const toEvan = await one('evaluator1@city.example', subject);
    expect(toEvan.text).toContain('Hello Evan Chen,');
    expectParts(toEvan, `${appOrigin}/rfps/${rfpId}/evaluate`);
    // Nobody else was told.
    // Nobody else was told: the outbox is written with the change, so it already holds every mail the assignment caused.
    expect((await outbox()).map((m) => m.to_address).sort()).toEqual(['ann.ames@springfield.example', 'evaluator1@city.example']);
  });

  it('tells assigned evaluators that scoring is open and their attestation waits, or keeps it for the digest they chose', async () => {
    ann = new Visitor(server.baseUrl);
    await ann.login('ann.ames@springfield.example', ANN_PASSWORD);
    const chosen = await ann.post('/notifications', { intent: 'preferences', 'reminder.due': 'immediate', 'sheet.submitted': 'immediate', 'rfp.status': 'digest' });
    expect(chosen.status).toBe(200);
    expect((await lead.post(`/rfps/${rfpId}/status`, { from: 'open', to: 'evaluation' })).status).toBe(200);
    expect(await statusOf()).toBe('evaluation');

    const toEvan = await one('evaluator1@city.example', 'DEMO-311-GENAI is now in evaluation');
    expect(toEvan.text).toContain(`Olivia Ortiz moved “${TITLE}” (DEMO-311-GENAI) from “Open for responses” to “In evaluation”.`);
    expect(toEvan.text).toContain('Scoring is open: attest that you have no conflict of interest, then score each vendor by');
    expect(toEvan.html).toContain(TITLE_HTML);
    expectParts(toEvan, `${appOrigin}/rfps/${rfpId}`);
    // The attestation waits for Evan on the evaluation page the mail leads to.
    expect(await (await evan.get(`/rfps/${rfpId}/evaluate`)).text()).toContain('conflict of interest');
    // Ann chose the digest for status changes: in the workbench now, mailed later. The observer is not concerned yet.
    expect(await (await ann.get('/notifications')).text()).toContain('DEMO-311-GENAI is now in evaluation');
    const statusMails = (await outbox()).filter((m) => m.kind === 'rfp.status');
    expect(statusMails.map((m) => m.to_address)).toEqual(['evaluator1@city.example']);
  });

  it('tells the lead of a submitted scoresheet and the evaluator of a reopened one', async () => {
    expect((await evan.post(`/rfps/${rfpId}/evaluate`, { intent: 'attest', coi: 'none', confirm: 'yes' })).status).toBe(302);
    const rfp = await handle.db.selectFrom('rfp').select(['scale_max', 'allow_half_points']).where('id', '=', rfpId).executeTakeFirstOrThrow();
    const criteria = await handle.db.selectFrom('criterion').select(['id', 'kind']).where('rfp_id', '=', rfpId).where('kind', 'in', ['scored', 'pass_fail']).execute();
    expect(criteria.length).toBeGreaterThan(0);
    for (const c of criteria) {
      const value = scoreChoices(c.kind, [], Number(rfp.scale_max), Boolean(rfp.allow_half_points))[0]!.value;
      const saved = await evan.post(`/rfps/${rfpId}/evaluate/${submissionId}`, { intent: 'score', criterionId: c.id, value: String(value), rationale: 'Clear governance plan, private note.', version: '0' });
      expect(saved.status, await saved.clone().text()).toBe(302);
    }
    const submitted = await evan.post(`/rfps/${rfpId}/evaluate/${submissionId}`, { intent: 'submit', confirmed: 'yes' });
    expect(submitted.status, await submitted.clone().text()).toBe(302);

    const toLead = await one('officer@city.example', 'DEMO-311-GENAI: Evan Chen submitted a scoresheet');
    expect(toLead.text).toMatch(new RegExp(`Evan Chen submitted their scoresheet for .+ on “${TITLE}” \\(DEMO-311-GENAI\\)\\.`));
    expect(toLead.text).toMatch(/1 of \d+ scoresheets are in\./);
    expect(toLead.html).toContain(TITLE_HTML);
    expectParts(toLead, `${appOrigin}/rfps/${rfpId}/evaluation`);

    const reason = 'Please cite the <b>evidence</b> file.';
    expect((await lead.post(`/rfps/${rfpId}/evaluation`, { intent: 'reopen', sheet: `${evanId}:${submissionId}`, reopenReason: reason })).status).toBe(200);
    const toEvan = await one('evaluator1@city.example', 'was reopened');
    expect(toEvan.subject).toMatch(/^DEMO-311-GENAI: your scoresheet for .+ was reopened$/);
    expect(toEvan.text).toContain(reason);
    expect(toEvan.html).toContain('Please cite the &lt;b&gt;evidence&lt;/b&gt; file.');
    expect(toEvan.html).not.toContain('<b>evidence');
    expectParts(toEvan, `${appOrigin}/rfps/${rfpId}/evaluate/${submissionId}`);
    // Nothing of the evaluation travels by mail: no rationale.
    expect(sink.received.some((m) => m.text.includes('private note') || m.html.includes('private note'))).toBe(false);
  });

  it('sends the lead’s reminder to the evaluators chosen on the progress grid only', async () => {
    const note = 'The council meets <b>Friday</b>.';
    const sent = await postForm(lead, `/rfps/${rfpId}/evaluation`, [['intent', 'remind'], ['evaluatorId', annId], ['note', note]]);
    expect(sent.status).toBe(200);
    const toAnn = await one('ann.ames@springfield.example', 'DEMO-311-GENAI: a reminder from Olivia Ortiz');
    expect(toAnn.text).toMatch(new RegExp(`Olivia Ortiz reminds you that you have \\d+ scoresheets? not yet submitted on “${TITLE}” \\(DEMO-311-GENAI\\), due `));
    expect(toAnn.text).toContain(note);
    expect(toAnn.html).toContain('The council meets &lt;b&gt;Friday&lt;/b&gt;.');
    expectParts(toAnn, `${appOrigin}/rfps/${rfpId}/evaluate`);
    expect((await outbox()).filter((m) => m.kind === 'reminder.lead').map((m) => m.to_address)).toEqual(['ann.ames@springfield.example']);
  });

  it('reminds evaluators with sheets open when scoring is due in days, then when it is overdue, from the in-app scheduler', async () => {
    // Due the day after tomorrow at noon: between one and three days away, so the three-day reminder applies.
    const soon = await lead.post(`/rfps/${rfpId}/evaluation`, { intent: 'due-date', evaluationDueDate: utcDate(Date.now() + 2 * DAY), evaluationDueTime: '12:00', dueReason: '' });
    expect(soon.status, await soon.clone().text()).toBe(200);
    for (const to of ['evaluator1@city.example', 'ann.ames@springfield.example']) {
      const mail = await one(to, 'DEMO-311-GENAI: your scores are due');
      expect(mail.text).toMatch(new RegExp(`Your scores for “${TITLE}” \\(DEMO-311-GENAI\\) are due .+\\. You have \\d+ scoresheets? not yet submitted\\.`));
      expect(mail.html).toContain(TITLE_HTML);
      expectParts(mail, `${appOrigin}/rfps/${rfpId}/evaluate`);
    }

    // Moved to yesterday, confirmed with a reason: overdue at the scheduler's next pass.
    const late = await lead.post(`/rfps/${rfpId}/evaluation`, { intent: 'due-date', evaluationDueDate: utcDate(Date.now() - DAY), evaluationDueTime: '12:00', confirmPast: 'yes', dueReason: 'The deadline passed while the panel was away.' });
    expect(late.status, await late.clone().text()).toBe(200);
    for (const to of ['evaluator1@city.example', 'ann.ames@springfield.example']) {
      const mail = await one(to, 'DEMO-311-GENAI: your scores are overdue');
      expect(mail.text).toMatch(new RegExp(`Your scores for “${TITLE}” \\(DEMO-311-GENAI\\) were due .+\\. You have \\d+ scoresheets? not yet submitted\\.`));
      expectParts(mail, `${appOrigin}/rfps/${rfpId}/evaluate`);
    }
    // Several passes later, still one of each.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const to of ['evaluator1@city.example', 'ann.ames@springfield.example']) {
      expect(received(to, 'your scores are due')).toHaveLength(1);
      expect(received(to, 'your scores are overdue')).toHaveLength(1);
    }
    expect(received('officer@city.example', 'your scores')).toEqual([]);
  });

  it('mails the daily digest at the digest hour to the person who chose it, once', async () => {
    // The next digest hour (UTC, the server's zone), a minute past.
    const now = new Date();
    let next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR);
    if (next <= now.getTime()) next += DAY;
    const settings = { reminderDays: [3, 1], digestHour: DIGEST_HOUR, intervalMs: 500, origin: appOrigin };
    expect(await writeDigests(handle.db, settings, new Date(next + 60_000), 'UTC')).toBe(1);
    expect(await writeDigests(handle.db, settings, new Date(next + 120_000), 'UTC')).toBe(0);
    const digest = await one('ann.ames@springfield.example', 'Your daily digest');
    expect(digest.subject).toBe('Your daily digest: DEMO-311-GENAI is now in evaluation');
    expect(digest.text).toContain(`Hello ${ANN},`);
    expect(digest.text).toMatch(/• DEMO-311-GENAI is now in evaluation \(/);
    expect(digest.html).toContain('Hello Ann &lt;i&gt;Ames&lt;/i&gt;,');
    expectParts(digest, `${appOrigin}/notifications`);
    expect((await outbox()).filter((m) => m.kind === 'digest').map((m) => m.to_address)).toEqual(['ann.ames@springfield.example']);
  });

  it('sent every mail once, and none holds a password, a token or a session id', async () => {
    const kinds = await handle.db.selectFrom('mail_outbox').select(['kind', 'status']).execute();
    expect([...new Set(kinds.map((k) => k.kind))].sort()).toEqual(['assignment', 'digest', 'reminder.due', 'reminder.lead', 'reminder.overdue', 'rfp.status', 'sheet.reopened', 'sheet.submitted']);
    expect(kinds.every((k) => k.status === 'sent')).toBe(true);
    expect(sink.received).toHaveLength(kinds.length);
    expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(sink.received.length);

    const sessions = [admin, lead, evan, ann].map((v) => v.sessionCookie.replace(/^wb_session=/, ''));
    expect(sessions.every((s) => s.length >= 20)).toBe(true);
    // And the hashes the database keeps of them.
    const storedSessions = await handle.db.selectFrom('session').select('id').execute();
    const secrets = ['demo-password', ANN_PASSWORD, ...sessions, ...storedSessions.map((row) => row.id)];
    for (const mail of sink.received) {
      const whole = `${mail.subject}\n${mail.text}\n${mail.html}`;
      for (const secret of secrets) expect(whole, `${mail.subject} to ${mail.to}`).not.toContain(secret);
      expect(whole).not.toContain('wb_session');
      // Nothing like a token: no long run of URL-safe random characters (the links carry only ids).
      expect(whole.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '')).not.toMatch(/[A-Za-z0-9_-]{32,}/);
    }
  });
});
