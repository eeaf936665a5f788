/**
 * The vendor registry and the users list page on the server, like the RFP list: 25 a page, `?page=` and `?q=`
 * in the address (a search is a link), the count of what matches, LIKE's own characters taken literally, and a page
 * number that cannot be understood answered 400 with what to change, still listing page 1.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

/** The page's text without React's comment markers between interpolated parts. */
const text = async (response: Response) => (await response.text()).replace(/<!-- -->/g, '');
/** The row headers (vendor or account names) the page lists, in order. */
const names = (html: string) => [...html.matchAll(/<th scope="row"><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!);

describe('the vendor registry and the users list page on the server', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let admin: Visitor;
  let officer: Visitor;
  let vendorTotal: number;
  let userTotal: number;

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    const now = new Date().toISOString();
    await handle.db
      .insertInto('vendor')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          id: randomUUID(),
          key: `zz-registry-${String(i + 1).padStart(2, '0')}`,
          name: i === 4 ? 'Zeta 100%_match Analytics' : `Zeta Registry ${String(i + 1).padStart(2, '0')}`,
          website: i === 9 ? 'https://zeta-ten.example' : null,
          contact_name: null,
          contact_email: null,
          created_at: now,
        })),
      )
      .execute();
    await handle.db
      .insertInto('app_user')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          id: randomUUID(),
          email: `zz-person-${String(i + 1).padStart(2, '0')}@city.example`,
          name: i === 4 ? 'Pat 100%_match Person' : `Person ${String(i + 1).padStart(2, '0')}`,
          role: 'evaluator' as const,
          password_hash: 'not-a-usable-hash',
          disabled: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    vendorTotal = Number((await handle.db.selectFrom('vendor').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    userTotal = Number((await handle.db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('the vendor registry pages 25 at a time, counts each vendor’s RFPs, and searches name, short name and website', async () => {
    const first = await text(await officer.get('/vendors'));
    expect(first).toContain(`${vendorTotal} vendors; showing 1–25.`);
    expect(names(first)).toHaveLength(25);
    expect(first).toMatch(/aria-label="Page 2[",]/);
    const last = Math.ceil(vendorTotal / 25);
    const lastPage = await text(await officer.get(`/vendors?page=${last}`));
    expect(names(lastPage)).toHaveLength(vendorTotal - (last - 1) * 25);
    const all = new Set<string>();
    for (let page = 1; page <= last; page += 1) for (const name of names(await text(await officer.get(`/vendors?page=${page}`)))) all.add(name);
    expect(all.size).toBe(vendorTotal);
    // A page past the end shows the last one.
    expect(names(await text(await officer.get('/vendors?page=99')))).toEqual(names(lastPage));

    const zeta = await text(await officer.get('/vendors?q=ZETA'));
    expect(zeta).toContain('30 vendors match; showing 1–25.');
    expect(names(await text(await officer.get('/vendors?q=zeta&page=2')))).toHaveLength(5);
    expect(names(await text(await officer.get('/vendors?q=zz-registry-07')))).toEqual(['Zeta Registry 07']);
    expect(names(await text(await officer.get('/vendors?q=zeta-ten')))).toEqual(['Zeta Registry 10']);
    // LIKE's own characters are taken literally.
    expect(names(await text(await officer.get(`/vendors?q=${encodeURIComponent('100%_m')}`)))).toEqual(['Zeta 100%_match Analytics']);
    expect(names(await text(await officer.get('/vendors?q=%25')))).toEqual(['Zeta 100%_match Analytics']);
    const one = await text(await officer.get('/vendors?q=zeta%20100'));
    expect(one).toContain('1 vendor matches.');
    expect(await text(await officer.get('/vendors?q=nothing-like-this'))).toContain('No vendor matches the search.');

    // The RFP counts come with the page: a demo vendor has answered the demo RFP.
    const demoVendor = await handle.db
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select(['vendor.name', (eb) => eb.fn.countAll().as('n')])
      .groupBy('vendor.name')
      .executeTakeFirstOrThrow();
    const found = await text(await officer.get(`/vendors?q=${encodeURIComponent(demoVendor.name)}`));
    expect(found).toMatch(new RegExp(`>${demoVendor.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</a></th>(<td>[^<]*</td>){3}<td>${Number(demoVendor.n)}</td>`));
  });

  it('the users list pages 25 at a time by email and searches names and emails', async () => {
    const first = await text(await admin.get('/admin/users'));
    expect(first).toContain(`${userTotal} accounts; showing 1–25.`);
    expect(names(first)).toHaveLength(25);
    const last = Math.ceil(userTotal / 25);
    const all = new Set<string>();
    for (let page = 1; page <= last; page += 1) for (const name of names(await text(await admin.get(`/admin/users?page=${page}`)))) all.add(name);
    expect(all.size).toBe(userTotal);

    const people = await text(await admin.get('/admin/users?q=ZZ-PERSON'));
    expect(people).toContain('30 accounts match; showing 1–25.');
    expect(names(people)[0]).toBe('Person 01');
    expect(names(await text(await admin.get('/admin/users?q=zz-person&page=2')))).toEqual(['Person 26', 'Person 27', 'Person 28', 'Person 29', 'Person 30']);
    expect(names(await text(await admin.get('/admin/users?q=person%2007')))).toEqual(['Person 07']);
    expect(names(await text(await admin.get(`/admin/users?q=${encodeURIComponent('100%_m')}`)))).toEqual(['Pat 100%_match Person']);
    expect(await text(await admin.get('/admin/users?q=nobody-here'))).toContain('No account matches the search.');
    // Only an admin reads the list.
    expect((await officer.get('/admin/users')).status).toBe(403);
  });

  it('answers a page number it cannot use with 400 and says so, still listing the first page', async () => {
    for (const path of ['/vendors?page=two', '/admin/users?page=0']) {
      const response = await admin.get(path);
      expect(response.status, path).toBe(400);
      const html = await text(response);
      expect(html, path).toContain('The page must be a whole number from 1.');
      expect(names(html), path).toHaveLength(25);
    }
  });
});
