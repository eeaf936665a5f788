/**
 * "Forgot your password?" through the real server: the sign-in page's link asks for a reset link by mail; the page
 * answers the same for any address; a link is mailed only to an enabled password account, at most three an hour per
 * address; it works once, until it expires or a newer link replaces it, ends every session of the account and lifts a
 * sign-in lock; the token is never stored, leaves the mail once spent, and never points at a host the asker chose.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const NEW_PASSWORD = 'a passphrase I chose myself';
const LINK = /\/login\/reset\/[A-Za-z0-9_-]{43}/;

describe('password reset by mail', () => {
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

  function resetMails(address: string) {
    return withDb((db) =>
      db.selectFrom('mail_outbox').select(['subject', 'text_body', 'html_body']).where('to_address', '=', address).where('kind', '=', 'account.password_reset').orderBy('created_at', 'asc').execute(),
    );
  }

  /** Asks for a link as a person who is not signed in; returns the page's text. */
  async function ask(email: string): Promise<string> {
    const response = await new Visitor(server.baseUrl).post('/login/forgot', { email });
    expect(response.status).toBe(200);
    return response.text();
  }

  /** The page's answer with the address taken out, so two answers can be compared. */
  const answerOf = (html: string, email: string) => /<h1>[\s\S]*?Back to sign-in/.exec(html.replaceAll(email, 'ADDRESS'))?.[0];

  it('mails a link that sets a new password once, ends every session and lifts a lock; the link then stops working and leaves the mail', async () => {
    const login = await (await new Visitor(server.baseUrl).get('/login')).text();
    expect(login).toContain('href="/login/forgot"');

    // Signed in elsewhere, and locked out here by wrong guesses.
    const elsewhere = new Visitor(server.baseUrl);
    await elsewhere.login('evaluator1@city.example');
    for (let i = 0; i < 5; i++) await new Visitor(server.baseUrl).post('/login', { email: 'evaluator1@city.example', password: `wrong guess ${i}` });
    const locked = await new Visitor(server.baseUrl).post('/login', { email: 'evaluator1@city.example', password: 'demo-password' });
    expect(await locked.text()).toContain('Too many failed sign-in attempts');

    const known = await ask('Evaluator1@City.example');
    const unknown = await ask('nobody-here@city.example');
    expect(answerOf(known, 'Evaluator1@City.example')).toBeDefined();
    expect(answerOf(known, 'Evaluator1@City.example')).toBe(answerOf(unknown, 'nobody-here@city.example'));
    expect(known).toContain('a link to choose a new password is on its way to it. The link works once, for 60 minutes.');
    expect(await resetMails('nobody-here@city.example')).toEqual([]);

    const [mail] = await resetMails('evaluator1@city.example');
    expect(mail!.subject).toBe('Choose a new password for the AI Vendor Evaluation Workbench');
    const link = LINK.exec(mail!.text_body)?.[0];
    expect(link, mail!.text_body).toBeDefined();
    expect(mail!.text_body).toContain(`${server.baseUrl}${link}`);
    expect(mail!.html_body).toContain(link!);
    const token = link!.split('/').pop()!;
    const stored = await withDb((db) => db.selectFrom('password_reset').selectAll().execute());
    expect(JSON.stringify(stored)).not.toContain(token);

    const person = new Visitor(server.baseUrl);
    const page = await person.get(link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('evaluator1@city.example');
    const mismatch = await person.post(link!, { password: NEW_PASSWORD, confirm: 'not the same at all' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The two passwords are not the same.');
    expect((await person.post(link!, { password: 'short', confirm: 'short' })).status).toBe(400);

    const saved = await person.post(link!, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe('/login?password=reset');
    expect(await (await person.get('/login?password=reset')).text()).toContain('Your new password is saved');

    // Every session ended; the old password is gone, the new one works at once although the account was locked.
    expect((await elsewhere.get('/rfps')).status).toBe(302);
    const old = await new Visitor(server.baseUrl).post('/login', { email: 'evaluator1@city.example', password: 'demo-password' });
    expect(old.status).toBe(400);
    const fresh = new Visitor(server.baseUrl);
    await fresh.login('evaluator1@city.example', NEW_PASSWORD);
    expect((await fresh.get('/rfps')).status).toBe(200);
    expect(await withDb((db) => db.selectFrom('mail_outbox').select('subject').where('to_address', '=', 'evaluator1@city.example').where('kind', '=', 'account.password_changed').execute())).toHaveLength(1);

    // Used once: the link says so, to anyone, and the mail in the outbox no longer holds it.
    const again = await new Visitor(server.baseUrl).get(link!);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link was already used');
    expect((await new Visitor(server.baseUrl).post(link!, { password: 'another passphrase', confirm: 'another passphrase' })).status).toBe(410);
    const [spent] = await resetMails('evaluator1@city.example');
    expect(spent!.text_body + spent!.html_body).not.toContain(token);
    expect(spent!.text_body).toContain('/login/reset/(used)');

    const events = await (await admin.get('/admin/account-events')).text();
    expect(events).toContain('The system mailed a password-reset link, asked for on the sign-in page, to');
    expect(events).toContain('chose a new password through a reset link sent by mail.');
  });

  it('sets one password when the same link is used several times at once', async () => {
    await ask('evaluator2@city.example');
    const link = LINK.exec((await resetMails('evaluator2@city.example'))[0]!.text_body)![0];
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => new Visitor(server.baseUrl).post(link, { password: `${NEW_PASSWORD} ${i}`, confirm: `${NEW_PASSWORD} ${i}` })),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(5);
    const winner = statuses.indexOf(302);
    await new Visitor(server.baseUrl).login('evaluator2@city.example', `${NEW_PASSWORD} ${winner}`);
  });

  it('replaces an earlier link, refuses expired and unknown ones, and mails nothing to a disabled, single-sign-on or throttled address', async () => {
    await ask('evaluator3@city.example');
    await ask('evaluator3@city.example');
    const [first, second] = await resetMails('evaluator3@city.example');
    const firstLink = LINK.exec(first!.text_body)?.[0];
    expect(firstLink).toBeUndefined(); // struck from the mail when the second replaced it
    expect(first!.text_body).toContain('/login/reset/(used)');
    const secondLink = LINK.exec(second!.text_body)![0];
    expect((await new Visitor(server.baseUrl).get(secondLink)).status).toBe(200);

    await withDb((db) => db.updateTable('password_reset').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute());
    const expired = await new Visitor(server.baseUrl).get(secondLink);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired. Ask for a new one.');
    expect((await new Visitor(server.baseUrl).get(`/login/reset/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await new Visitor(server.baseUrl).get('/login/reset/short')).status).toBe(404);

    // The third ask within the hour still mails; the fourth does not, and says the same.
    const third = await ask('evaluator3@city.example');
    const fourth = await ask('evaluator3@city.example');
    expect(answerOf(fourth, 'evaluator3@city.example')).toBe(answerOf(third, 'evaluator3@city.example'));
    expect(await resetMails('evaluator3@city.example')).toHaveLength(3);

    // A disabled account, and an account that signs in only through the identity provider, get nothing.
    const leader = await withDb((db) => db.selectFrom('app_user').select('id').where('email', '=', 'leader@city.example').executeTakeFirstOrThrow());
    expect((await admin.post(`/admin/users/${leader.id}`, { intent: 'disable' })).status).toBeLessThan(400);
    expect(await withDb((db) => db.selectFrom('app_user').select('disabled').where('id', '=', leader.id).executeTakeFirstOrThrow())).toEqual({ disabled: 1 });
    await ask('leader@city.example');
    expect(await resetMails('leader@city.example')).toEqual([]);
    await withDb((db) => db.updateTable('app_user').set({ password_hash: 'sso:no-password' }).where('email', '=', 'evaluator2@city.example').execute());
    const before = (await resetMails('evaluator2@city.example')).length;
    await ask('evaluator2@city.example');
    expect(await resetMails('evaluator2@city.example')).toHaveLength(before);

    const empty = await new Visitor(server.baseUrl).post('/login/forgot', { email: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter the email address of your account.');
  });

  it('sends a signed-in person to change their password instead, and mails no link to a host the asker named', async () => {
    const response = await admin.get('/login/forgot');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/account/password');

    // A request naming another host (its Host header is the asker's to choose) is told reset by mail is unavailable.
    const port = new URL(server.baseUrl).port;
    const body = new URLSearchParams({ email: 'officer@city.example' }).toString();
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/login/forgot', method: 'POST', headers: { host: 'attacker.example', origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Resetting a password by mail is not available on this workbench.');
    expect(await resetMails('officer@city.example')).toEqual([]);
  });
});
