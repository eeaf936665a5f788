/**
 * Mail that always arrives (issue 14, item 4), through the real server and a real SMTP server on loopback: a lead who
 * adds evaluators mails each of them once; the admin sees the outbox on the Mail page and with `npx workbench mail
 * list`; an app process killed (-9) in the middle of a delivery loses nothing and sends nothing twice after the
 * restart; two app processes sharing the database send each mail once. Runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { enqueueMail } from '#db/queries/mail-outbox';
import { runCli } from '#tests/support/cli';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { startSmtpSink, type SmtpSink } from '#tests/support/smtp-sink';

const MAIL_ENV = { MAIL_FROM: 'Springfield AI Procurement <ai-procurement@springfield.example>', MAIL_POLL_SECONDS: '0.2', MAIL_LEASE_SECONDS: '6', MAIL_RETRY_SECONDS: '0.2' };

async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mail through the outbox', () => {
  let sink: SmtpSink;
  let first: TestServer;
  const others: TestServer[] = [];
  let handle: DatabaseHandle;
  let rfpId: string;
  let admin: Visitor;
  let lead: Visitor;

  async function createPerson(name: string, email: string): Promise<string> {
    const created = await admin.post('/admin/users', { name, email, role: 'evaluator', password: 'a long evaluator passphrase' });
    expect(created.status).toBe(200);
    const row = await handle.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return row.id;
  }

  async function addEvaluators(ids: string[]): Promise<Response> {
    const body = new URLSearchParams({ intent: 'add', role: 'evaluator', assign: 'whole' });
    for (const id of ids) body.append('userId', id);
    return lead.request(`/rfps/${rfpId}/members`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: lead.baseUrl }, body: body.toString() });
  }

  const received = (subjectPart: string, to: string) => sink.received.filter((m) => m.to.includes(to) && m.subject.includes(subjectPart));

  beforeAll(async () => {
    sink = await startSmtpSink();
    first = await startTestServer({ ...MAIL_ENV, SMTP_URL: sink.url });
    handle = openDatabase(first.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    admin = new Visitor(first.baseUrl);
    await admin.login('admin@city.example');
    lead = new Visitor(first.baseUrl);
    await lead.login('officer@city.example');
  }, 120_000);

  afterAll(async () => {
    for (const server of others) await server.stop();
    await handle?.close();
    await first?.stop();
    await sink?.close();
  });

  it('mails each evaluator the lead adds and assigns, once, with nothing they typed turned into markup', async () => {
    const ann = await createPerson('Ann <b>Ames</b>', 'ann.ames@springfield.example');
    const bo = await createPerson('Bo Berg', 'bo.berg@springfield.example');
    expect((await addEvaluators([ann, bo])).status).toBe(200);
    await waitFor('two mails', () => sink.received.length, (n) => n >= 2);
    const [toAnn] = received('You are assigned to evaluate DEMO-311-GENAI', 'ann.ames@springfield.example');
    expect(toAnn).toBeDefined();
    expect(toAnn!.text).toContain('Hello Ann <b>Ames</b>,');
    expect(toAnn!.text).toContain('assigned you to evaluate');
    expect(toAnn!.text).toContain(`Open the evaluation: ${first.baseUrl}/rfps/${rfpId}/evaluate`);
    expect(toAnn!.html).toContain('Hello Ann &lt;b&gt;Ames&lt;/b&gt;,');
    expect(toAnn!.html).not.toContain('<b>Ames');
    expect(received('You are assigned', 'bo.berg@springfield.example')).toHaveLength(1);
    // Changing the RFP's membership again does not mail them a second time.
    await new Promise((r) => setTimeout(r, 600));
    expect(sink.received).toHaveLength(2);
  });

  it('shows the outbox to admins only, on the Mail page and from the command line', async () => {
    const page = await admin.get('/admin/mail');
    expect(page.status).toBe(200);
    const html = (await page.text()).replaceAll('<!-- -->', '');
    expect(html).toContain('0 waiting, 2 sent, 0 failed.');
    expect(html).toContain('ann.ames@springfield.example');
    expect(html).toContain('You are assigned to evaluate DEMO-311-GENAI');
    expect(html).not.toContain('<b>Ames');
    expect((await lead.get('/admin/mail')).status).toBe(403);

    const cli = await runCli(first.databaseUrl, ['mail', 'list', '--json']);
    expect(cli.status).toBe(0);
    const rows = JSON.parse(cli.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]!).sort()).toEqual(['attempts', 'createdAt', 'sentAt', 'status', 'subject', 'text', 'to']);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && typeof r.sentAt === 'string')).toBe(true);
    expect((await runCli(first.databaseUrl, ['mail', 'list', '--status', 'lost'])).status).toBe(2);
  });

  it('delivers a mail exactly once after the app is killed in the middle of sending it', async () => {
    const cy = await createPerson('Cy Chen', 'cy.chen@springfield.example');
    sink.behaviour = 'stall';
    const before = sink.attempts;
    expect((await addEvaluators([cy])).status).toBe(200);
    // The sender has handed the mail to the SMTP server, which has not answered yet: kill the process now.
    await waitFor('the delivery to start', () => sink.attempts, (n) => n > before);
    await first.killHard();
    sink.behaviour = 'accept';
    const restarted = await startTestServer({ ...MAIL_ENV, SMTP_URL: sink.url }, first.databaseUrl);
    others.push(restarted);
    await waitFor('the mail after the restart', () => received('You are assigned', 'cy.chen@springfield.example').length, (n) => n >= 1);
    // Past another lease and several polls: still exactly one, and the earlier mails were not sent again.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(received('You are assigned', 'cy.chen@springfield.example')).toHaveLength(1);
    expect(sink.received).toHaveLength(3);
    const row = await handle.db.selectFrom('mail_outbox').select(['status', 'attempts']).where('to_address', '=', 'cy.chen@springfield.example').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  }, 120_000);

  it('sends each mail once when two app processes share the outbox', async () => {
    const second = await startTestServer({ ...MAIL_ENV, SMTP_URL: sink.url }, first.databaseUrl);
    others.push(second);
    const before = sink.received.length;
    await handle.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 40; n++) {
        await enqueueMail(trx, { kind: 'test', to: { address: `person${n}@springfield.example` }, subject: `Batch mail ${n}`, text: `Mail number ${n}.`, html: `<p>Mail number ${n}.</p>` });
      }
    });
    await waitFor('forty mails', () => sink.received.length - before, (n) => n >= 40, 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const batch = sink.received.filter((m) => m.subject.startsWith('Batch mail'));
    expect(batch).toHaveLength(40);
    expect(new Set(batch.map((m) => m.subject)).size).toBe(40);
    const workers = await handle.db.selectFrom('mail_attempt').innerJoin('mail_outbox', 'mail_outbox.id', 'mail_attempt.mail_id').select('mail_attempt.worker').where('mail_outbox.kind', '=', 'test').execute();
    expect(workers).toHaveLength(40);
  }, 120_000);
});
