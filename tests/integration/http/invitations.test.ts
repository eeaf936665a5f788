/**
 * Invitations through the real server: an admin invites a person by email; the link in the mail works once, until it
 * expires, and lets the person choose their own password; a withdrawn or replaced link stops working; the token is
 * never stored, and leaves the mail once spent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const NEW_PASSWORD = 'a passphrase of my own';

describe('invitations', () => {
  let server: TestServer;
  let admin: Visitor;

  beforeAll(async () => {
    server = await startTestServer();
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  async function withDb<T>(work: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
    const handle = openDatabase(server.databaseUrl);
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  }

  /** Invites a person from the users page; returns the link's path as the mail in the outbox has it. */
  async function invite(email: string, name: string, role = 'evaluator'): Promise<string> {
    const response = await admin.post('/admin/users', { intent: 'invite', email, name, role });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`Invitation mailed to ${email.toLowerCase()}`);
    const mail = await withDb((db) =>
      db.selectFrom('mail_outbox').select(['text_body', 'html_body', 'subject']).where('to_address', '=', email.toLowerCase()).where('kind', '=', 'account.invitation').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
    );
    expect(mail.subject).toBe('Alex Admin invited you to the AI Vendor Evaluation Workbench');
    const path = /\/invitation\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)?.[0];
    expect(path, mail.text_body).toBeDefined();
    expect(mail.html_body).toContain(path!);
    return path!;
  }

  it('lets the invited person choose a password once; the link then stops working and leaves the mail', async () => {
    const link = await invite('Ines.Invitee@City.example', 'Ines Invitee', 'officer');
    const token = link.split('/').pop()!;

    // Stored as a hash only.
    const stored = await withDb((db) => db.selectFrom('invitation').selectAll().where('email', '=', 'ines.invitee@city.example').executeTakeFirstOrThrow());
    expect(JSON.stringify(stored)).not.toContain(token);
    const users = await (await admin.get('/admin/users')).text();
    expect(users).toContain('Pending invitations');
    expect(users).toContain('ines.invitee@city.example');

    const invitee = new Visitor(server.baseUrl);
    const page = await invitee.get(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('ines.invitee@city.example');
    expect(html).toContain('procurement officer');

    const mismatch = await invitee.post(link, { name: 'Ines Invitee', password: NEW_PASSWORD, confirm: 'something else entirely' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The two passwords are not the same.');
    const short = await invitee.post(link, { name: 'Ines Invitee', password: 'short', confirm: 'short' });
    expect(short.status).toBe(400);

    const accepted = await invitee.post(link, { name: 'Ines I. Invitee', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('location')).toBe('/rfps');
    expect((await invitee.get('/rfps')).status).toBe(200);
    const account = await withDb((db) => db.selectFrom('app_user').select(['name', 'role']).where('email', '=', 'ines.invitee@city.example').executeTakeFirstOrThrow());
    expect(account).toEqual({ name: 'Ines I. Invitee', role: 'officer' });

    // Her own password signs her in later.
    const later = new Visitor(server.baseUrl);
    await later.login('ines.invitee@city.example', NEW_PASSWORD);
    expect((await later.get('/rfps')).status).toBe(200);

    // Used once: the link says so, to anyone, and the mail in the outbox no longer holds it.
    const again = await new Visitor(server.baseUrl).get(link);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This invitation was already used');
    expect((await new Visitor(server.baseUrl).post(link, { name: 'X', password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status).toBe(410);
    const mail = await withDb((db) => db.selectFrom('mail_outbox').select(['text_body', 'html_body']).where('to_address', '=', 'ines.invitee@city.example').executeTakeFirstOrThrow());
    expect(mail.text_body + mail.html_body).not.toContain(token);
    expect(mail.text_body).toContain('/invitation/(used)');
    expect(await (await admin.get('/admin/users')).text()).not.toContain('Pending invitations');

    const events = await (await admin.get('/admin/account-events')).text();
    expect(events).toContain('invited Ines Invitee (ines.invitee@city.example) as officer');
    expect(events).toContain('accepted their invitation and created their account (officer)');
  });

  it('makes one account when the same link is used several times at once', async () => {
    const link = await invite('race@city.example', 'Rae Race');
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () => new Visitor(server.baseUrl).post(link, { name: 'Rae Race', password: NEW_PASSWORD, confirm: NEW_PASSWORD })),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(5);
    const count = await withDb((db) => db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).where('email', '=', 'race@city.example').executeTakeFirstOrThrow());
    expect(Number(count.n)).toBe(1);
  });

  it('refuses an address that has an account; a new invitation replaces the old; withdrawn, expired and unknown links say so', async () => {
    const taken = await admin.post('/admin/users', { intent: 'invite', email: 'officer@city.example', name: 'Olga', role: 'officer' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('An account with the email officer@city.example already exists.');
    const bad = await admin.post('/admin/users', { intent: 'invite', email: 'not an email', name: '', role: 'king' });
    expect(bad.status).toBe(400);

    const first = await invite('twice@city.example', 'Tess Twice');
    const second = await invite('twice@city.example', 'Tess Twice');
    const replaced = await new Visitor(server.baseUrl).get(first);
    expect(replaced.status).toBe(410);
    expect(await replaced.text()).toContain('This invitation is no longer valid');
    expect((await new Visitor(server.baseUrl).get(second)).status).toBe(200);

    const id = await withDb(async (db) => (await db.selectFrom('invitation').select('id').where('email', '=', 'twice@city.example').where('revoked_at', 'is', null).executeTakeFirstOrThrow()).id);
    expect((await admin.post('/admin/users', { intent: 'revoke-invitation', invitationId: id })).status).toBe(200);
    expect((await new Visitor(server.baseUrl).get(second)).status).toBe(410);
    const twice = await admin.post('/admin/users', { intent: 'revoke-invitation', invitationId: id });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('already used, withdrawn or replaced');

    const late = await invite('late@city.example', 'Lee Late');
    await withDb((db) => db.updateTable('invitation').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('email', '=', 'late@city.example').execute());
    const expired = await new Visitor(server.baseUrl).get(late);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This invitation has expired. Ask an administrator to invite you again.');
    expect((await new Visitor(server.baseUrl).post(late, { name: 'Lee', password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status).toBe(410);

    expect((await new Visitor(server.baseUrl).get(`/invitation/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await new Visitor(server.baseUrl).get('/invitation/short')).status).toBe(404);
  });
});
