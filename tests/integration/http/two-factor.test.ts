/**
 * Two-step verification, temporary passwords and the installation's policy, through the real server: what a person
 * signing in, an admin, and someone holding a stolen password or an overheard code each meet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '#app/auth/totp.server';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const PASSWORD = 'demo-password';

async function text(response: Response): Promise<string> {
  return response.text();
}

/** Sets up an authenticator for a signed-in visitor; returns its secret and the recovery codes shown once. */
async function enrol(visitor: Visitor): Promise<{ secret: string; codes: string[] }> {
  expect((await visitor.post('/account/two-factor', { intent: 'start' })).status).toBe(200);
  const page = await text(await visitor.get('/account/two-factor'));
  expect(page).toContain('data:image/svg+xml;base64,');
  const secret = /class="wb-secret-key">([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, '');
  const wrong = await visitor.post('/account/two-factor', { intent: 'confirm', code: '000000' === totpAt(secret, new Date()) ? '111111' : '000000' });
  expect(wrong.status).toBe(400);
  const confirmed = await visitor.post('/account/two-factor', { intent: 'confirm', code: totpAt(secret, new Date()) });
  expect(confirmed.status).toBe(200);
  const codes = [...(await text(confirmed)).matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
  expect(codes).toHaveLength(10);
  return { secret, codes };
}

/** Posts the password; expects the second step (no session yet). */
async function passwordStep(visitor: Visitor, email: string, password = PASSWORD): Promise<void> {
  const response = await visitor.post('/login', { email, password });
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('/login/verify');
  expect(visitor.sessionCookie).toBe('');
  expect((await visitor.get('/rfps')).headers.get('location')).toMatch(/^\/login/);
}

const at = (offsetSteps: number) => new Date(Date.now() + offsetSteps * 30_000);

describe('two-step verification', () => {
  let server: TestServer;
  let admin: Visitor;

  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_CODE_FAILURES: '3' });
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('asks for a code after the password; each code and each recovery code works once; audited', async () => {
    const officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const { secret, codes } = await enrol(officer);
    expect((await officer.post('/logout', {})).status).toBe(302);

    // A stolen password alone opens nothing.
    await passwordStep(officer, 'officer@city.example');
    const wrong = await officer.post('/login/verify', { code: totpAt(secret, at(-5)) });
    expect(wrong.status).toBe(400);
    expect(await text(wrong)).toContain('That code is not correct');
    const code = totpAt(secret, at(1));
    const signedIn = await officer.post('/login/verify', { code });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe('/rfps');
    expect((await officer.get('/rfps')).status).toBe(200);

    // The same code, overheard, in another browser: refused, and so is an older one.
    const thief = new Visitor(server.baseUrl);
    await passwordStep(thief, 'officer@city.example');
    expect((await thief.post('/login/verify', { code })).status).toBe(400);
    expect((await thief.post('/login/verify', { code: totpAt(secret, at(0)) })).status).toBe(400);

    // A recovery code, typed loosely, once.
    const phoneLost = new Visitor(server.baseUrl);
    await passwordStep(phoneLost, 'officer@city.example');
    expect((await phoneLost.post('/login/verify', { code: ` ${codes[0]!.toUpperCase()} ` })).status).toBe(302);
    const again = new Visitor(server.baseUrl);
    await passwordStep(again, 'officer@city.example');
    expect((await again.post('/login/verify', { code: codes[0]! })).status).toBe(400);

    const handle = openDatabase(server.databaseUrl);
    try {
      const actions = await handle.db.selectFrom('audit_event').select('action').where('actor_email', '=', 'officer@city.example').where('action', 'like', 'user.mfa%').execute();
      expect(actions.map((a) => a.action).sort()).toEqual(['user.mfa_enrol', 'user.mfa_recovery_used']);
      // Only hashes of the recovery codes are stored; the secret is never in the audit log.
      const stored = await handle.db.selectFrom('recovery_code').select('code_hash').execute();
      expect(stored.some((r) => r.code_hash.includes(codes[1]!))).toBe(false);
      const log = await handle.db.selectFrom('audit_event').select(['before_json', 'after_json']).execute();
      expect(JSON.stringify(log)).not.toContain(secret);
    } finally {
      await handle.close();
    }
    const events = await text(await admin.get('/admin/account-events'));
    expect(events).toContain('Olivia Ortiz turned on two-step verification');
    expect(events).toContain('signed in with a recovery code (9 left)');
  });

  it('counts a burst of wrong codes sent at once before checking any, then locks the second step', async () => {
    const evaluator = new Visitor(server.baseUrl);
    await evaluator.login('evaluator3@city.example');
    const { secret } = await enrol(evaluator);
    await evaluator.post('/logout', {});
    await passwordStep(evaluator, 'evaluator3@city.example');
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => evaluator.post('/login/verify', { code: String(100000 + i) })));
    expect(guesses.every((g) => g.status === 400)).toBe(true);
    const bodies = await Promise.all(guesses.map(text));
    // At most LOGIN_MAX_CODE_FAILURES (3) guesses were checked at all; the rest were refused unseen.
    expect(bodies.filter((b) => b.includes('That code is not correct')).length).toBeLessThanOrEqual(3);
    const right = await evaluator.post('/login/verify', { code: totpAt(secret, at(1)) });
    expect(right.status).toBe(400);
    expect(await text(right)).toContain('Too many wrong codes');

    // The admin resets it for someone who lost their phone: the password alone signs in again.
    const handle = openDatabase(server.databaseUrl);
    const user = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator3@city.example').executeTakeFirstOrThrow();
    await handle.close();
    const reset = await admin.post(`/admin/users/${user.id}`, { intent: 'reset-two-factor' });
    expect(await text(reset)).toContain('two-step verification was reset');
    const fresh = new Visitor(server.baseUrl);
    const response = await fresh.post('/login', { email: 'evaluator3@city.example', password: PASSWORD });
    expect(response.headers.get('location')).toBe('/rfps');
  });

  it('sends a person whose password an admin reset to choose a new one before anything else', async () => {
    const handle = openDatabase(server.databaseUrl);
    const user = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator2@city.example').executeTakeFirstOrThrow();
    await handle.close();
    expect((await admin.post(`/admin/users/${user.id}`, { intent: 'reset-password', password: 'temporary-password-1' })).status).toBe(200);
    expect(await text(await admin.get('/admin/users'))).toContain('Must choose a new password');

    const person = new Visitor(server.baseUrl);
    await person.login('evaluator2@city.example', 'temporary-password-1');
    for (const path of ['/rfps', '/account', '/notifications', '/evaluations']) {
      const response = await person.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe('/account/password');
    }
    const page = await text(await person.get('/account/password'));
    expect(page).toContain('Choose a new password');
    const same = await person.post('/account/password', { current: 'temporary-password-1', password: 'temporary-password-1', confirm: 'temporary-password-1' });
    expect(await text(same)).toContain('Choose a password different from the current one.');
    // An empty form says what is missing, not that two empty fields are "the same password".
    const empty = await text(await person.post('/account/password', { current: '', password: '', confirm: '' }));
    expect(empty).toContain('Enter your current password.');
    expect(empty).not.toContain('Choose a password different from the current one.');
    const mismatch = await person.post('/account/password', { current: 'temporary-password-1', password: 'my-own-passphrase-9', confirm: 'my-own-passphrase-8' });
    expect(await text(mismatch)).toContain('The two new passwords are not the same.');
    const badCurrent = await person.post('/account/password', { current: 'wrong-password-xx', password: 'my-own-passphrase-9', confirm: 'my-own-passphrase-9' });
    expect(badCurrent.status).toBe(400);
    const done = await person.post('/account/password', { current: 'temporary-password-1', password: 'my-own-passphrase-9', confirm: 'my-own-passphrase-9' });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/rfps');
    expect((await person.get('/rfps')).status).toBe(200);

    const again = new Visitor(server.baseUrl);
    await again.login('evaluator2@city.example', 'my-own-passphrase-9');
    expect((await again.get('/rfps')).status).toBe(200);
    const check = openDatabase(server.databaseUrl);
    try {
      const mail = await check.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', 'evaluator2@city.example').where('kind', '=', 'account.password_changed').execute();
      expect(mail).toHaveLength(1);
      expect(mail[0]!.text_body).not.toContain('my-own-passphrase-9');
    } finally {
      await check.close();
    }
  });

  it('makes every password account enrol at its next sign-in when the admin requires it', async () => {
    expect((await admin.post('/admin/users', { intent: 'two-factor-policy', policy: 'everyone' })).status).toBe(200);
    const leader = new Visitor(server.baseUrl);
    await leader.login('leader@city.example');
    const blocked = await leader.get('/rfps');
    expect(blocked.headers.get('location')).toBe('/account/two-factor');
    expect(await text(await leader.get('/account/two-factor'))).toContain('requires two-step verification for your account');
    await enrol(leader);
    expect((await leader.get('/rfps')).status).toBe(200);
    const off = await leader.post('/account/two-factor', { intent: 'disable', code: '123456' });
    expect(await text(off)).toContain('cannot be turned off');
    expect((await admin.post('/admin/users', { intent: 'two-factor-policy', policy: 'optional' })).status).toBe(200);
  });
});
