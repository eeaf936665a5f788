/**
 * Issue 12, item 11 and the account part of item 3: a production start on an empty database says how to create the
 * first administrator; the site has a favicon and a missing page is not logged as a server error; disabling an
 * account is confirmed with what it ends; a disabled person who signs in is told to contact an administrator, while
 * a wrong password or an unknown email still gets the one message that reveals nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const text = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '');

describe('a production start on an empty database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SEED_DEMO: 'false' });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('prints how to create the first administrator', () => {
    expect(server.output()).toContain('No account exists yet. Create the first administrator');
    expect(server.output()).toContain('echo "$PASSWORD" | npx workbench user create --email you@city.gov --name "Your Name" --role admin');
    expect(server.output()).toMatch(/then sign in at http:\/\/localhost:\d+\/login/);
  });

  it('serves a favicon, links it from every page, and logs no stack trace for a page that does not exist', async () => {
    const ico = await fetch(`${server.baseUrl}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toMatch(/icon/);
    expect(Buffer.from(await ico.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    const svg = await fetch(`${server.baseUrl}/favicon.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await text(await fetch(`${server.baseUrl}/login`))).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');

    const before = server.output().length;
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${server.baseUrl}/no-such-page-${i}`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.output().slice(before)).not.toMatch(/No route matches|at .*node_modules/);
  });
});

describe('a disabled account', () => {
  let server: TestServer;
  let admin: Visitor;
  let userId: string;
  let userPath: string;
  const password = 'a temporary passphrase';

  beforeAll(async () => {
    server = await startTestServer();
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    expect((await admin.post('/admin/users', { name: 'Dana Disabled', email: 'dana@city.example', role: 'evaluator', password })).status).toBe(200);
    userId = /href="\/admin\/users\/([0-9a-f-]{36})"[^>]*>Dana Disabled/.exec(await text(await admin.get('/admin/users')))![1]!;
    userPath = `/admin/users/${userId}`;
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('is disabled through a confirmation that says what disabling ends', async () => {
    const dana = new Visitor(server.baseUrl);
    await dana.login('dana@city.example', password);
    const page = await text(await admin.get(userPath));
    expect(page).toContain(`href="${userPath}?confirm=disable"`);
    expect(page).not.toMatch(/<button[^>]*>Disable account/);

    const confirm = await text(await admin.get(`${userPath}?confirm=disable`));
    expect(confirm).toContain('Disable Dana Disabled’s account?');
    expect(confirm).toContain('Dana Disabled can no longer sign in, and the session they have open ends now.');
    expect(confirm).toContain('They are not on the team of any RFP.');
    expect(confirm).toMatch(/<input type="hidden" name="intent" value="disable"\/>/);

    const done = await admin.post(userPath, { intent: 'disable' });
    expect(done.status).toBe(200);
    expect(await text(done)).toContain('account is disabled and their sessions were ended');
    expect((await dana.get('/rfps')).status).toBe(302);
  });

  it('offers no disable confirmation to anyone but an administrator, nor for their own account', async () => {
    const officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    expect((await officer.get(`${userPath}?confirm=disable`)).status).toBe(403);
    const handle = openDatabase(server.databaseUrl);
    const me = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'admin@city.example').executeTakeFirstOrThrow();
    await handle.close();
    const own = await text(await admin.get(`/admin/users/${me.id}?confirm=disable`));
    expect(own).toContain('This is your own account: another administrator can disable it.');
    expect(own).not.toContain('’s account?');
  });

  it('tells its owner, once the password is right, to contact an administrator', async () => {
    const refused = await new Visitor(server.baseUrl).post('/login', { email: 'dana@city.example', password });
    expect(refused.status).toBe(400);
    const html = await text(refused);
    expect(html).toContain('Your account is disabled. Contact an administrator of the workbench to have it enabled again.');
  });

  it('reveals nothing to someone with a wrong password or an unknown email', async () => {
    const wrong = await text(await new Visitor(server.baseUrl).post('/login', { email: 'dana@city.example', password: 'not the password at all' }));
    const unknown = await text(await new Visitor(server.baseUrl).post('/login', { email: 'nobody@city.example', password: 'not the password at all' }));
    for (const html of [wrong, unknown]) {
      expect(html).toContain('The email or password is not correct.');
      expect(html).not.toContain('disabled');
    }
  });
});
