/**
 * The vendor portal through the real server (issue 15, items 1, 2 and 6): the lead invites contacts of two vendor
 * organisations, each creates an account from the mailed link and signs in with the mailed code. Then every route of
 * the build's manifest is walked as each vendor contact and as a third vendor whose organisation was never invited:
 * every staff page, loader and export sends them to the portal; the portal shows each only the RFPs its organisation
 * was invited to; and the RFP as a vendor reads it (HTML and loader JSON) holds none of what the panel scores with —
 * "what a strong answer shows", rubric anchors — nor another vendor, a panel member or a price.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';
import { inviteAndJoin, uninvitedContact, withDb as withServerDb } from '#tests/support/vendor-contacts';
/** Pages both audiences use (their own account), public ones, and sign-in steps: not staff pages. */
const SHARED_ROUTES = new Set([
  'routes/_index',
  'routes/login',
  'routes/logout',
  'routes/login_.verify',
  'routes/login_.forgot',
  'routes/login_.reset.$token',
  'routes/invitation.$token',
  'routes/auth.oidc.start',
  'routes/auth.oidc.callback',
  'routes/healthz',
  'routes/account._index',
  'routes/account.password',
  'routes/account.two-factor',
]);

describe('vendor portal isolation', () => {
  let server: TestServer;
  let routes: ServerBuild['routes'];
  const params: Record<string, string> = {};
  const vendors = new Map<'civic' | 'quick' | 'uninvited', Visitor>();

  const withDb = <T,>(run: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>) => withServerDb(server, run);

  beforeAll(async () => {
    server = await startTestServer();
    const build = (await import(pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'build', 'index.js')).href)) as ServerBuild;
    routes = build.routes;
    await withDb(async (db) => {
      const rfp = await db.selectFrom('rfp').select('id').executeTakeFirstOrThrow();
      params.rfpId = rfp.id;
      params.submissionId = (await db.selectFrom('submission').select('id').executeTakeFirstOrThrow()).id;
      params.vendorId = (await db.selectFrom('vendor').select('id').executeTakeFirstOrThrow()).id;
      params.criterionId = (await db.selectFrom('criterion').select('id').executeTakeFirstOrThrow()).id;
      params.questionId = (await db.selectFrom('question').select('id').executeTakeFirstOrThrow()).id;
      params.userId = (await db.selectFrom('app_user').select('id').executeTakeFirstOrThrow()).id;
      params.attachmentId = 'no-such-attachment';
      params.token = 'no-such-token-0123456789abcdef0123';
    });
    const lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    vendors.set('civic', await inviteAndJoin(server, lead, params.rfpId!, { vendorKey: 'civic-answers', name: 'Vera Vendor', email: 'vera@civic-answers.example' }));
    vendors.set('quick', await inviteAndJoin(server, lead, params.rfpId!, { vendorKey: 'quickserve-ai', name: 'Quinn Quick', email: 'quinn@quickserve.example' }));
    // A contact of a third organisation that was never invited to the RFP.
    vendors.set('uninvited', await uninvitedContact(server, { vendorKey: 'budgetbot', name: 'Bea Budget', email: 'bea@budgetbot.example' }));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  function pathOf(id: string): string {
    const segments: string[] = [];
    for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined) if (route.path) segments.unshift(route.path);
    return `/${segments.join('/')}`.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? `no-${name}`).replace(/\/+/g, '/');
  }

  it('sends every vendor contact from every staff page, loader and export to the portal, GET and POST', async () => {
    const wrong: string[] = [];
    let walked = 0;
    for (const id of Object.keys(routes).filter((r) => r !== 'root' && !SHARED_ROUTES.has(r) && !r.startsWith('routes/vendor.') && r !== 'routes/vendor._index')) {
      const path = pathOf(id);
      for (const [who, visitor] of vendors) {
        for (const response of [await visitor.get(path), await visitor.get(`${path}${path.includes('?') ? '&' : '?'}_data=${encodeURIComponent(id)}`), await visitor.post(path, {})]) {
          walked += 1;
          // 405: a route without an action refuses a POST before any loader runs, for everyone.
          const ok = (response.status === 302 && response.headers.get('location') === '/vendor') || response.status === 405 || (response.status === 204 && response.headers.get('x-remix-redirect') === '/vendor');
          if (!ok) wrong.push(`${who} ${response.url || path} (${id}): ${response.status} ${response.headers.get('location') ?? response.headers.get('x-remix-redirect') ?? ''}`);
          await response.body?.cancel();
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(walked).toBeGreaterThan(40 * 3 * 3);
  });

  it('shows each organisation only the RFPs it was invited to', async () => {
    for (const who of ['civic', 'quick'] as const) {
      const home = await (await vendors.get(who)!.get('/vendor')).text();
      expect(home).toContain('DEMO-311-GENAI');
      expect((await vendors.get(who)!.get(`/vendor/rfps/${params.rfpId}`)).status).toBe(200);
    }
    const uninvited = vendors.get('uninvited')!;
    expect(await (await uninvited.get('/vendor')).text()).toContain('No RFP is open to your organisation yet');
    expect((await uninvited.get(`/vendor/rfps/${params.rfpId}`)).status).toBe(404);
    expect((await uninvited.get(`/vendor/rfps/${params.rfpId}/workbook.xlsx`)).status).toBe(404);
    expect((await uninvited.get('/vendor/rfps/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('issues each organisation the workbook signed to itself', async () => {
    const civic = await vendors.get('civic')!.get(`/vendor/rfps/${params.rfpId}/workbook.xlsx`);
    expect(civic.status).toBe(200);
    expect(civic.headers.get('content-disposition')).toContain('civic-answers');
    const quick = await vendors.get('quick')!.get(`/vendor/rfps/${params.rfpId}/workbook.xlsx`);
    expect(quick.headers.get('content-disposition')).toContain('quickserve-ai');
  });

  it('keeps what the panel scores with, other vendors, the team and prices out of the RFP as a vendor reads it', async () => {
    const civic = vendors.get('civic')!;
    const html = await (await civic.get(`/vendor/rfps/${params.rfpId}`)).text();
    const data = await (await civic.get(`/vendor/rfps/${params.rfpId}?_data=${encodeURIComponent('routes/vendor.rfps.$rfpId')}`)).text();
    const home = await (await civic.get(`/vendor?_data=routes%2Fvendor._index`)).text();
    const forbidden = await withDb(async (db) => {
      const questions = await db.selectFrom('question').select(['strong_answer', 'options_json']).execute();
      const criteria = await db.selectFrom('criterion').select(['rubric_json']).execute();
      const others = await db.selectFrom('vendor').select('name').where('key', '!=', 'civic-answers').execute();
      const staff = await db.selectFrom('app_user').select(['name', 'email']).where('role', '!=', 'vendor').execute();
      const prices = await db.selectFrom('submission').select('price').where('price', 'is not', null).execute();
      const options = new Set(questions.flatMap((q) => (JSON.parse(q.options_json) as Array<{ label: string }>).map((o) => o.label)));
      const texts: string[] = [];
      // A strong answer may quote an option label word for word; an option label is vendor-facing.
      for (const q of questions) if (q.strong_answer && !options.has(q.strong_answer.trim())) texts.push(q.strong_answer);
      // References are names of public standards ("Section 508") that guidance and question texts also cite, so they
      // are not markers; the loader's fields are picked by name, and none is `references`.
      for (const c of criteria) {
        for (const level of JSON.parse(c.rubric_json) as Array<{ anchor?: string }>) if (level.anchor) texts.push(level.anchor);
      }
      texts.push(...others.map((o) => o.name), ...staff.flatMap((s) => [s.name, s.email]));
      texts.push(...prices.map((p) => String(p.price)), ...prices.map((p) => new Intl.NumberFormat('en-US').format(p.price!)));
      return texts.filter((t) => t.trim().length >= 6);
    });
    expect(forbidden.length).toBeGreaterThan(60);
    const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    for (const [where, body] of [['html', unescape(html)], ['loader JSON', data], ['home JSON', home]] as const) {
      const found = forbidden.filter((t) => body.includes(t) || body.includes(JSON.stringify(t).slice(1, -1)));
      expect(found, where).toEqual([]);
    }
    expect(data).not.toMatch(/"(strong_answer|strongAnswer|references|rubric|points)"/);
    // The page does carry the vendor-facing questionnaire: a question and its guidance.
    const question = await withDb((db) => db.selectFrom('question').select(['key', 'guidance']).where('guidance', 'is not', null).executeTakeFirstOrThrow());
    expect(html).toContain(question.key);
  });

  it('lists the contacts on the lead’s page, and refuses an address that is staff or another vendor’s', async () => {
    const lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    const civicSubmission = await withDb(async (db) => (await db.selectFrom('submission').innerJoin('vendor', 'vendor.id', 'submission.vendor_id').select('submission.id').where('vendor.key', '=', 'civic-answers').executeTakeFirstOrThrow()).id);
    const page = await (await lead.get(`/rfps/${params.rfpId}/vendors/${civicSubmission}/portal`)).text();
    expect(page).toContain('vera@civic-answers.example');
    expect(page).not.toContain('quinn@quickserve.example');
    const staff = await lead.post(`/rfps/${params.rfpId}/vendors/${civicSubmission}/portal`, { name: 'Evan', email: 'evaluator1@city.example' });
    expect(staff.status).toBe(400);
    expect(await staff.text()).toContain('is a city staff account');
    const other = await lead.post(`/rfps/${params.rfpId}/vendors/${civicSubmission}/portal`, { name: 'Quinn', email: 'quinn@quickserve.example' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('already the contact of another vendor');
  });
});
