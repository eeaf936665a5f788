/**
 * A vendor contact's sign-in through the real server (issue 15, item 1): the password alone opens nothing; a one-time
 * code is mailed (written to the outbox with the sign-in), works once, stops working when a new one is asked for, is
 * throttled like an authenticator code, and is never readable by an administrator on the Mail page while it works.
 * A vendor with an authenticator uses it as staff do; staff sign-in is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '#app/auth/totp.server';
import { openDatabase } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const PASSWORD = 'demo-password';
const CODE = /Your sign-in code: (\d{6})/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('vendor sign-in with a mailed code', () => {
  let server: TestServer;
  let admin: Visitor;
  const ids = new Map<string, string>();

  async function withDb<T>(run: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
    const handle = openDatabase(server.databaseUrl);
    try {
      return await run(handle.db);
    } finally {
      await handle.close();
    }
  }

  /** The sign-in code mails of an address, oldest first. */
  function codeMails(address: string) {
    return withDb((db) =>
      db
        .selectFrom('mail_outbox')
        .select(['subject', 'text_body', 'html_body', 'to_user_id'])
        .where('to_address', '=', address)
        .where('kind', '=', 'account.sign_in_code')
        .orderBy('created_at', 'asc')
        .orderBy('dedupe_key', 'asc')
        .execute(),
    );
  }

  async function latestCode(address: string): Promise<string> {
    const mails = await codeMails(address);
    const code = CODE.exec(mails.at(-1)?.text_body ?? '')?.[1];
    expect(code, mails.at(-1)?.text_body).toBeDefined();
    return code!;
  }

  /** Posts the password; expects the second step and no session. */
  async function passwordStep(visitor: Visitor, email: string): Promise<void> {
    const response = await visitor.post('/login', { email, password: PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login/verify');
    expect(visitor.sessionCookie).toBe('');
    expect((await visitor.get('/rfps')).headers.get('location')).toMatch(/^\/login/);
  }

  /** The admin's Mail page, every status, never holds the code. */
  async function expectOutboxWithout(code: string): Promise<string> {
    const page = await (await admin.get('/admin/mail')).text();
    expect(page).toContain('Your sign-in code for the AI Vendor Evaluation Workbench');
    expect(page).not.toContain(code);
    for (const status of ['pending', 'sent', 'failed']) expect(await (await admin.get(`/admin/mail?status=${status}`)).text()).not.toContain(code);
    return page;
  }

  const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_CODE_FAILURES: '5', LOGIN_CODE_RESEND_SECONDS: '2', MAIL_POLL_SECONDS: '1' });
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    // Vendor contacts of two registry vendors, with the demo's password (its hash copied, not computed again).
    await withDb(async (db) => {
      const { password_hash } = await db.selectFrom('app_user').select('password_hash').where('email', '=', 'officer@city.example').executeTakeFirstOrThrow();
      const vendors = await db.selectFrom('vendor').select('id').orderBy('name').limit(2).execute();
      expect(vendors).toHaveLength(2);
      const contacts = [
        ['vera@acme.example', 'Vera Vance', vendors[0]!.id],
        ['vic@acme.example', 'Vic Lock', vendors[0]!.id],
        ['val@globex.example', 'Val Race', vendors[1]!.id],
        ['tom@globex.example', 'Tom Totp', vendors[1]!.id],
      ] as const;
      for (const [email, name, vendorId] of contacts) {
        const id = newId();
        const now = nowIso();
        ids.set(email, id);
        await db.insertInto('app_user').values({ id, email, name, role: 'vendor', password_hash, disabled: 0, created_at: now, updated_at: now }).execute();
        await db.insertInto('vendor_contact').values({ user_id: id, vendor_id: vendorId, created_at: now }).execute();
      }
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('mails a code instead of a session; a wrong code is refused; the right one signs in once, to the portal; no admin reads it', async () => {
    const vera = new Visitor(server.baseUrl);
    await passwordStep(vera, 'vera@acme.example');
    const page = await (await vera.get('/login/verify')).text();
    expect(page).toContain('We e-mailed a six-digit code to v•••@acme.example. It is valid for 5 minutes');
    expect(page).toContain('works once');
    expect(page).toContain('Send a new code');
    expect(page).not.toContain('recovery code');

    const [mail, ...more] = await codeMails('vera@acme.example');
    expect(more).toHaveLength(0);
    expect(mail!.to_user_id).toBe(ids.get('vera@acme.example'));
    const code = CODE.exec(mail!.text_body)![1]!;
    expect(mail!.subject).not.toContain(code);
    expect(mail!.html_body).toContain(`Your sign-in code: ${code}`);
    expect(mail!.text_body).toContain('Hello Vera Vance,');
    // Only the hash is stored with the sign-in.
    const challenge = await withDb((db) => db.selectFrom('login_challenge').selectAll().where('user_id', '=', ids.get('vera@acme.example')!).executeTakeFirstOrThrow());
    expect(challenge.mailed_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(challenge)).not.toContain(code);

    // While it works, the Mail page withholds the text; the demo's log (no SMTP) is where the vendor reads it.
    expect(await expectOutboxWithout(code)).toContain('The text of this mail is withheld');
    for (let i = 0; i < 50 && !server.output().includes(`Your sign-in code: ${code}`); i++) await sleep(200);
    expect(server.output()).toContain(`Your sign-in code: ${code}`);

    const wrong = await vera.post('/login/verify', { code: otherCode(code) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That code is not correct. Type the six digits from the latest sign-in mail');
    // Recovery codes belong to an authenticator; a mailed sign-in has none.
    expect(await (await vera.post('/login/verify', { code: '3f9a2-c81d0' })).text()).toContain('That code is not correct');
    expect(await (await vera.post('/login/verify', { code: '' })).text()).toContain('Enter the six-digit code from the sign-in mail.');

    const signedIn = await vera.post('/login/verify', { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe('/rfps');
    expect(vera.sessionCookie).not.toBe('');
    const staffPage = await vera.get('/rfps');
    expect(staffPage.status).toBe(302);
    expect(staffPage.headers.get('location')).toBe('/vendor');

    // Used: the stored mail lost the code, the Mail page shows the struck text, and the code opens nothing again.
    const [used] = await codeMails('vera@acme.example');
    expect(used!.text_body).not.toContain(code);
    expect(used!.html_body).not.toContain(code);
    expect(used!.text_body).toContain('no longer works');
    const after = await expectOutboxWithout(code);
    expect(after).toContain('The sign-in code of this mail no longer works');
    const again = await vera.post('/login/verify', { code });
    // The sign-in it belonged to is over: the page sends the browser back to the sign-in form.
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe('/login');
    const thief = new Visitor(server.baseUrl);
    await passwordStep(thief, 'vera@acme.example');
    const replay = await thief.post('/login/verify', { code });
    expect(replay.status).toBe(400);
    expect(thief.sessionCookie).toBe('');
  });

  it('sends a new code on request, which replaces the old one; at most one every few seconds and three per sign-in', async () => {
    const vera = new Visitor(server.baseUrl);
    await passwordStep(vera, 'vera@acme.example');
    const first = await latestCode('vera@acme.example');
    // The sign-in before this one (the thief's) was replaced: its code left its mail.
    const mails = await codeMails('vera@acme.example');
    expect(mails.filter((m) => CODE.test(m.text_body))).toHaveLength(1);

    const tooSoon = await vera.post('/login/verify', { intent: 'new-code' });
    expect(tooSoon.status).toBe(429);
    expect(await tooSoon.text()).toMatch(/A code was sent moments ago; mail can take a minute to arrive\. You can ask for a new one in \d seconds?\./);
    expect(await latestCode('vera@acme.example')).toBe(first);

    await sleep(2_100);
    const resent = await vera.post('/login/verify', { intent: 'new-code' });
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain('A new code was sent to v•••@acme.example. Codes in earlier mails no longer work.');
    const second = await latestCode('vera@acme.example');
    await expectOutboxWithout(second);
    const replaced = await vera.post('/login/verify', { code: first });
    expect(replaced.status).toBe(400);
    expect(await replaced.text()).toContain('That code is not correct');
    expect((await codeMails('vera@acme.example')).filter((m) => CODE.test(m.text_body) || CODE.test(m.html_body))).toHaveLength(1);

    for (let i = 0; i < 2; i++) {
      await sleep(2_100);
      expect((await vera.post('/login/verify', { intent: 'new-code' })).status).toBe(200);
    }
    await sleep(2_100);
    const enough = await vera.post('/login/verify', { intent: 'new-code' });
    expect(enough.status).toBe(429);
    expect(await enough.text()).toContain('3 new codes were already sent for this sign-in. Sign in again with your email and password to get another.');

    const latest = await latestCode('vera@acme.example');
    expect((await vera.post('/login/verify', { code: second })).status).toBe(400);
    await expectOutboxWithout(latest);
    const signedIn = await vera.post('/login/verify', { code: latest });
    expect(signedIn.status).toBe(302);
    expect((await vera.get('/rfps')).headers.get('location')).toBe('/vendor');
    expect((await codeMails('vera@acme.example')).some((m) => CODE.test(m.text_body) || CODE.test(m.html_body))).toBe(false);
  }, 30_000);

  it('locks the step after five wrong codes, the right one included', async () => {
    const vic = new Visitor(server.baseUrl);
    await passwordStep(vic, 'vic@acme.example');
    const code = await latestCode('vic@acme.example');
    for (let i = 0; i < 5; i++) {
      const wrong = await vic.post('/login/verify', { code: otherCode(String(Number(code) + i)) });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('That code is not correct');
    }
    const right = await vic.post('/login/verify', { code });
    expect(right.status).toBe(400);
    expect(await right.text()).toContain('Too many wrong codes. Try again in 15 minutes');
    expect(vic.sessionCookie).toBe('');
  });

  it('gives one session for two right codes sent at once', async () => {
    const val = new Visitor(server.baseUrl);
    await passwordStep(val, 'val@globex.example');
    const code = await latestCode('val@globex.example');
    const answers = await Promise.all([1, 2, 3].map(() => val.post('/login/verify', { code })));
    // The others find the sign-in over, and the page sends them back to the sign-in form.
    expect(answers.map((a) => a.headers.get('location')).sort()).toEqual(['/login', '/login', '/rfps']);
    const sessions = await withDb((db) => db.selectFrom('session').select('id').where('user_id', '=', ids.get('val@globex.example')!).execute());
    expect(sessions).toHaveLength(1);
  });

  it('lets a vendor with an authenticator use it instead of mail, and leaves staff sign-in as it was', async () => {
    const tom = new Visitor(server.baseUrl);
    await passwordStep(tom, 'tom@globex.example');
    expect((await tom.post('/login/verify', { code: await latestCode('tom@globex.example') })).status).toBe(302);
    expect((await tom.post('/account/two-factor', { intent: 'start' })).status).toBe(200);
    const secret = /class="wb-secret-key">([A-Z2-7 ]+)</.exec(await (await tom.get('/account/two-factor')).text())![1]!.replace(/ /g, '');
    expect((await tom.post('/account/two-factor', { intent: 'confirm', code: totpAt(secret, new Date()) })).status).toBe(200);
    await tom.post('/logout', {});

    const mailsBefore = (await codeMails('tom@globex.example')).length;
    await passwordStep(tom, 'tom@globex.example');
    expect(await (await tom.get('/login/verify')).text()).toContain('Enter the six-digit code your authenticator app shows');
    expect(await codeMails('tom@globex.example')).toHaveLength(mailsBefore);
    const asked = await tom.post('/login/verify', { intent: 'new-code' });
    expect(await asked.text()).toContain('This sign-in uses your authenticator app: no code is sent by mail.');
    expect((await tom.post('/login/verify', { code: totpAt(secret, new Date(Date.now() + 30_000)) })).status).toBe(302);
    expect((await tom.get('/rfps')).headers.get('location')).toBe('/vendor');

    const officer = new Visitor(server.baseUrl);
    const response = await officer.post('/login', { email: 'officer@city.example', password: PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/rfps');
    expect((await officer.get('/rfps')).status).toBe(200);
    expect(await codeMails('officer@city.example')).toHaveLength(0);
  });
});
