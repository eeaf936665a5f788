/**
 * Sign-in, sessions, throttling, cross-site refusal and security headers, through the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const FAILED = 'The email or password is not correct.';

describe('sign-in and sessions', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('signs in with a secure, HttpOnly, SameSite=Lax session cookie of at least 128 bits and a fresh id', async () => {
    const visitor = new Visitor(server.baseUrl);
    const response = await visitor.post('/login', { email: 'Officer@City.Example', password: 'demo-password', redirectTo: '/rfps/new' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/rfps/new');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const token = /wb_session=([^;]+)/.exec(cookie)![1]!;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const first = visitor.sessionCookie;
    await visitor.login('officer@city.example');
    expect(visitor.sessionCookie).not.toBe(first);
    expect((await visitor.get('/rfps')).status).toBe(200);
  });

  it('accepts only local paths as redirectTo', async () => {
    for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const visitor = new Visitor(server.baseUrl);
      const response = await visitor.post('/login', { email: 'leader@city.example', password: 'demo-password', redirectTo: target });
      expect(response.headers.get('location'), target).toBe('/rfps');
    }
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    const unknown = await new Visitor(server.baseUrl).post('/login', { email: 'nobody@city.example', password: 'whatever-password' });
    const wrong = await new Visitor(server.baseUrl).post('/login', { email: 'evaluator3@city.example', password: 'not-the-password' });
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    expect(await unknown.text()).toContain(FAILED);
    expect(await wrong.text()).toContain(FAILED);
  });

  it('locks an account after repeated failures, even for the right password, and says for how long', async () => {
    const visitor = new Visitor(server.baseUrl);
    for (let i = 0; i < 3; i += 1) await visitor.post('/login', { email: 'evaluator2@city.example', password: 'wrong-password' });
    const locked = await visitor.post('/login', { email: 'evaluator2@city.example', password: 'demo-password' });
    expect(locked.status).toBe(400);
    expect(await locked.text()).toMatch(/Too many failed sign-in attempts\. Try again in 15 minutes/);
    // Another account from the same address is unaffected by this account's lock.
    await visitor.login('evaluator1@city.example');
  });

  it('revokes the session on logout: the old cookie no longer works', async () => {
    const visitor = new Visitor(server.baseUrl);
    await visitor.login('leader@city.example');
    const cookie = visitor.sessionCookie;
    const out = await visitor.post('/logout', {});
    expect(out.headers.get('location')).toBe('/login');
    const replay = await fetch(`${server.baseUrl}/rfps`, { headers: { cookie }, redirect: 'manual' });
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toMatch(/^\/login/);
  });

  it('revokes every session of a user when an admin disables them, and they cannot sign in', async () => {
    const admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    const created = await admin.post('/admin/users', { name: 'Temp Person', email: 'temp@city.example', role: 'viewer', password: 'temporary-password' });
    expect(created.status).toBe(200);
    const temp = new Visitor(server.baseUrl);
    await temp.login('temp@city.example', 'temporary-password');
    expect((await temp.get('/rfps')).status).toBe(200);

    const list = await (await admin.get('/admin/users')).text();
    const userId = /href="\/admin\/users\/([0-9a-f-]{36})"[^>]*>Temp Person/.exec(list)![1]!;
    expect((await admin.post(`/admin/users/${userId}`, { intent: 'disable' })).status).toBe(200);
    expect((await temp.get('/rfps')).status).toBe(302);
    const again = await new Visitor(server.baseUrl).post('/login', { email: 'temp@city.example', password: 'temporary-password' });
    expect(again.status).toBe(400);

    expect((await admin.post(`/admin/users/${userId}`, { intent: 'enable' })).status).toBe(200);
    await new Visitor(server.baseUrl).login('temp@city.example', 'temporary-password');
  });

  it('refuses a POST whose Origin is another site with 403', async () => {
    const visitor = new Visitor(server.baseUrl);
    await visitor.login('officer@city.example');
    const response = await visitor.post('/rfps/new', { reference: 'X-1', title: 't', department: 'd', summary: 's' }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    const fetchSite = await visitor.request('/logout', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchSite.status).toBe(403);
  });

  it('sends security headers on pages, data and static files', async () => {
    for (const path of ['/login', '/healthz', '/rfps']) {
      const response = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual' });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toMatch(/unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe-inline/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
    const page = await (await fetch(`${server.baseUrl}/login`)).text();
    const nonce = /nonce="([^"]+)"/.exec(page)?.[1];
    expect(nonce).toBeTruthy();
    // Every inline script carries the nonce.
    const inline = [...page.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBeGreaterThan(0);
    for (const [, attributes] of inline) expect(attributes).toContain(`nonce="${nonce}"`);
  });

  it('reports health with the dialect', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite' });
  });
});
