/**
 * Single sign-on through the real server against a real OpenID Provider (oidc-provider) on loopback: first-time
 * provisioning with the mapped role, the role re-read at each sign-in, linking by verified email, RP-initiated
 * sign-out, local passwords off but for the break-glass admin — and every refusal: a bad signature, another issuer,
 * another audience, an expired token, a replayed state, a domain not allowed, no role rule, an unverified email.
 * Each refusal is a page that says why (never a 500), signs nobody in, creates no account, and is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { CookieJar, roundTripToProvider } from '#tests/support/oidc-browserless';
import { startTestOidcProvider, type TestOidcProvider } from '#tests/support/oidc-provider';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('single sign-on with OpenID Connect', () => {
  let provider: TestOidcProvider;
  let server: TestServer;

  beforeAll(async () => {
    provider = await startTestOidcProvider(() => [server.baseUrl]);
    server = await startTestServer(
      provider.env({
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ROLE_MAP: 'city-ai-admins=admin,procurement=officer,evaluators=evaluator',
        OIDC_ALLOWED_DOMAINS: 'city.example',
        // No OIDC_DEFAULT_ROLE: someone no rule matches is refused.
        AUTH_LOCAL: 'false',
        AUTH_BREAK_GLASS_EMAIL: 'admin@city.example',
      }),
    );
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await provider?.stop();
  });

  async function withDb<T>(read: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
    const handle = openDatabase(server.databaseUrl);
    try {
      return await read(handle.db);
    } finally {
      await handle.close();
    }
  }

  const userByEmail = (email: string) => withDb((db) => db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst());
  const auditActions = (action: string) =>
    withDb((db) => db.selectFrom('audit_event').select(['entity_id', 'after_json', 'actor_email', 'before_json']).where('action', '=', action).orderBy('seq').execute());

  /** Signs in at the provider as `login` and lets the workbench answer the callback. */
  async function signIn(login: string, jar = new CookieJar()) {
    const trip = await roundTripToProvider(jar, server.baseUrl, login);
    const response = await jar.fetch(trip.callbackUrl);
    return { jar, trip, response, body: response.status === 302 ? '' : await response.text() };
  }

  async function expectRefused(login: string, status: number, message: RegExp, reason: string) {
    const before = (await auditActions('user.sso_refused')).length;
    const { jar, response, body } = await signIn(login);
    expect(response.status, body.slice(0, 300)).toBe(status);
    expect(body).toMatch(/You were not signed in/);
    expect(body).toMatch(message);
    expect(jar.get('wb_session')).toBeUndefined();
    const refusals = await auditActions('user.sso_refused');
    expect(refusals.length).toBe(before + 1);
    expect(JSON.parse(refusals.at(-1)!.after_json!)).toMatchObject({ reason });
    expect(server.output()).toContain(`"reason":"${reason}"`);
  }

  it('shows "Sign in with <name>" and folds the password form away for the break-glass admin', async () => {
    const page = await (await fetch(`${server.baseUrl}/login`)).text();
    expect(page).toContain('Sign in with <!-- -->Test City ID');
    expect(page).toMatch(/<details><summary>Vendor contacts and emergency administrator sign-in with a password<\/summary>/);
  });

  it('creates the account at first sign-in with the role its group maps to, and signs the person in', async () => {
    provider.accounts.set('pat', { email: 'Pat.New@City.Example', email_verified: true, name: 'Pat New', groups: ['staff', 'procurement'] });
    const { jar, response } = await signIn('pat');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/rfps');
    const user = await userByEmail('pat.new@city.example');
    expect(user).toMatchObject({ name: 'Pat New', role: 'officer', disabled: 0 });
    // An officer may start an RFP: the session carries the mapped role.
    expect((await jar.fetch(`${server.baseUrl}/rfps/new`)).status).toBe(200);
    const created = (await auditActions('user.create')).find((e) => e.entity_id === user!.id)!;
    expect(created.actor_email).toBe('single sign-on');
    // Nobody can use a password on an account made by single sign-on.
    expect(user!.password_hash.startsWith('$argon2')).toBe(false);
  });

  it('re-reads the role at each sign-in and audits a change', async () => {
    provider.accounts.set('pat', { email: 'pat.new@city.example', email_verified: true, name: 'Pat New', groups: ['evaluators'] });
    const { jar, response } = await signIn('pat');
    expect(response.status).toBe(302);
    const user = await userByEmail('pat.new@city.example');
    expect(user!.role).toBe('evaluator');
    expect((await jar.fetch(`${server.baseUrl}/rfps/new`)).status).toBe(403);
    const change = (await auditActions('user.role')).filter((e) => e.entity_id === user!.id);
    expect(change).toHaveLength(1);
    expect(JSON.parse(change[0]!.before_json!).role).toBe('officer');
    expect(JSON.parse(change[0]!.after_json!).role).toBe('evaluator');
  });

  it('links an existing account by a verified email, and finds it by its subject afterwards', async () => {
    const existing = await userByEmail('evaluator1@city.example');
    provider.accounts.set('e1', { email: 'Evaluator1@City.Example', email_verified: true, groups: ['evaluators'] });
    const first = await signIn('e1');
    expect(first.response.status).toBe(302);
    const links = (await auditActions('user.sso_link')).filter((e) => e.entity_id === existing!.id);
    expect(links).toHaveLength(1);
    // A later change of email at the provider still reaches the same account (found by issuer and subject).
    provider.accounts.set('e1', { email: 'evaluator.one@city.example', email_verified: true, groups: ['evaluators'] });
    const second = await signIn('e1');
    expect(second.response.status).toBe(302);
    const identity = await withDb((db) => db.selectFrom('user_identity').selectAll().where('subject', '=', 'e1').execute());
    expect(identity.map((i) => i.user_id)).toEqual([existing!.id]);
    expect(await userByEmail('evaluator.one@city.example')).toBeUndefined();
  });

  it('does not link an existing account by an email the provider has not verified', async () => {
    provider.accounts.set('mallory', { email: 'admin@city.example', email_verified: false, groups: ['city-ai-admins'] });
    await expectRefused('mallory', 403, /has not confirmed that this address is yours/, 'unverified_email');
    const links = await withDb((db) => db.selectFrom('user_identity').selectAll().where('subject', '=', 'mallory').execute());
    expect(links).toHaveLength(0);
  });

  it('refuses an email domain that is not allowed', async () => {
    provider.accounts.set('outsider', { email: 'someone@elsewhere.example', email_verified: true, groups: ['procurement'] });
    await expectRefused('outsider', 403, /Accounts at elsewhere\.example may not sign in/, 'domain');
    expect(await userByEmail('someone@elsewhere.example')).toBeUndefined();
  });

  it('refuses someone no role rule matches when there is no default role', async () => {
    provider.accounts.set('parks', { email: 'parks.person@city.example', email_verified: true, groups: ['parks'] });
    await expectRefused('parks', 403, /has no role in this workbench/, 'no_role');
    expect(await userByEmail('parks.person@city.example')).toBeUndefined();
  });

  // Each refusal is the library's own check: its message (logged, and kept in the audit event) names what failed.
  for (const [tamper, what, check] of [
    ['signature', 'signed by a key the provider never published', /JWT signature verification failed/],
    ['issuer', 'from another issuer', /"iss" \(issuer\).* iss$/],
    ['audience', 'for another application', /"aud" \(audience\).* aud$/],
    ['expired', 'that has expired', /expiration is past current timestamp exp$/],
  ] as const) {
    it(`refuses an ID token ${what}`, async () => {
      provider.accounts.set(`t-${tamper}`, { email: `token.${tamper}@city.example`, email_verified: true, groups: ['procurement'] });
      provider.tamper = tamper;
      try {
        await expectRefused(`t-${tamper}`, 400, /answer could not be verified/, 'token');
      } finally {
        provider.tamper = 'none';
      }
      const refusal = JSON.parse((await auditActions('user.sso_refused')).at(-1)!.after_json!) as { error: string; claim: string | null };
      expect(`${refusal.error} ${refusal.claim}`).toMatch(check);
      expect(await userByEmail(`token.${tamper}@city.example`)).toBeUndefined();
    });
  }

  it('refuses a replayed state, even with the browser’s state cookie', async () => {
    provider.accounts.set('replay', { email: 'replay.person@city.example', email_verified: true, groups: ['evaluators'] });
    const { trip, response } = await signIn('replay');
    expect(response.status).toBe(302);
    const attacker = new CookieJar();
    attacker.set('wb_oidc_state', trip.stateCookie!);
    const before = (await auditActions('user.sso_refused')).length;
    const replayed = await attacker.fetch(trip.callbackUrl);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toMatch(/already used, has expired, or was started in another browser/);
    expect(attacker.get('wb_session')).toBeUndefined();
    const refusals = await auditActions('user.sso_refused');
    expect(refusals.length).toBe(before + 1);
    expect(JSON.parse(refusals.at(-1)!.after_json!)).toMatchObject({ reason: 'state', stateKnown: false });
  });

  it('refuses a callback whose state is not the one this browser started', async () => {
    provider.accounts.set('csrf', { email: 'csrf.person@city.example', email_verified: true, groups: ['evaluators'] });
    const attackerJar = new CookieJar();
    const trip = await roundTripToProvider(attackerJar, server.baseUrl, 'csrf');
    // The victim's browser, sent the attacker's callback link, holds no state cookie (or another one).
    const victim = new CookieJar();
    victim.set('wb_oidc_state', 'some-other-state');
    const response = await victim.fetch(trip.callbackUrl);
    expect(response.status).toBe(400);
    expect(victim.get('wb_session')).toBeUndefined();
  });

  it('signs out of the workbench and on to the provider’s end-session endpoint', async () => {
    provider.accounts.set('leaver', { email: 'leaver@city.example', email_verified: true, groups: ['evaluators'] });
    const { jar } = await signIn('leaver');
    const session = jar.get('wb_session')!;
    const out = await jar.post(`${server.baseUrl}/logout`, {}, server.baseUrl);
    expect(out.status).toBe(302);
    const location = new URL(out.headers.get('location')!);
    expect(location.origin).toBe(provider.issuer);
    expect(location.pathname).toBe('/session/end');
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${server.baseUrl}/login`);
    expect(location.searchParams.get('id_token_hint')).toBeTruthy();
    const replay = await fetch(`${server.baseUrl}/rfps`, { headers: { cookie: `wb_session=${session}` }, redirect: 'manual' });
    expect(replay.headers.get('location')).toMatch(/^\/login/);
  });

  it('turns local passwords off for everyone but the break-glass admin, with the one failure message', async () => {
    const officer = await new Visitor(server.baseUrl).post('/login', { email: 'officer@city.example', password: 'demo-password' });
    expect(officer.status).toBe(400);
    expect(await officer.text()).toContain('The email or password is not correct.');
    await new Visitor(server.baseUrl).login('admin@city.example');
  });

  it('says so, without a 500, when a callback comes with the provider’s error', async () => {
    const jar = new CookieJar();
    const response = await jar.fetch(`${server.baseUrl}/auth/oidc/callback?error=access_denied&state=whatever`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/did not sign you in \(access_denied\)/);
  });

  it('refuses an account an admin disabled, though it is linked to the identity that signs in', async () => {
    const linked = await userByEmail('evaluator1@city.example');
    await withDb((db) => db.updateTable('app_user').set({ disabled: 1 }).where('id', '=', linked!.id).execute());
    try {
      provider.accounts.set('e1', { email: 'evaluator1@city.example', email_verified: true, groups: ['evaluators'] });
      await expectRefused('e1', 403, /Your account is disabled\. Contact an administrator/, 'disabled');
    } finally {
      await withDb((db) => db.updateTable('app_user').set({ disabled: 0 }).where('id', '=', linked!.id).execute());
    }
  });

  it('keeps the last enabled admin an admin when the provider’s groups stop giving the role, and says why', async () => {
    provider.accounts.set('chief', { email: 'admin@city.example', email_verified: true, name: 'Alex Admin', groups: ['evaluators'] });
    const first = await signIn('chief');
    expect(first.response.status).toBe(302);
    const admin = await userByEmail('admin@city.example');
    expect(admin!.role).toBe('admin');
    const kept = (await auditActions('user.sso_role_kept')).filter((e) => e.entity_id === admin!.id);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]!.after_json!)).toMatchObject({ role: 'admin', mapped_role: 'evaluator' });
    const users = await first.jar.fetch(`${server.baseUrl}/admin/users`);
    expect(users.status).toBe(200);
    // How each account signs in: Pat was made by single sign-on, Evaluator 1 was linked to it, the officer never used it.
    const rows = Object.fromEntries(
      [...(await users.text()).matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => [/<td>([^<]+@city\.example)<\/td>/.exec(m[1]!)?.[1], m[1]!]).filter(([email]) => email),
    );
    expect(rows['pat.new@city.example']).toContain('<td>Single sign-on</td><td>At the identity provider</td>');
    expect(rows['evaluator1@city.example']).toContain('<td>Password and single sign-on</td><td>Off</td>');
    expect(rows['officer@city.example']).toContain('<td>Password</td><td>Off</td>');
    const events = await (await first.jar.fetch(`${server.baseUrl}/admin/account-events`)).text();
    expect(events).toContain('they are the last enabled administrator.');

    // Once another admin exists, the provider's word holds.
    provider.accounts.set('second-admin', { email: 'second.admin@city.example', email_verified: true, name: 'Sam Second', groups: ['city-ai-admins'] });
    expect((await signIn('second-admin')).response.status).toBe(302);
    expect((await signIn('chief')).response.status).toBe(302);
    expect((await userByEmail('admin@city.example'))!.role).toBe('evaluator');
  });
});
