/**
 * Walks every route in the Remix build's route manifest, for an anonymous visitor and each role, with GET
 * and POST, and compares the outcome with the table below. A route without an entry fails the test, so a
 * new page cannot ship without someone deciding who may use it.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

type Who = 'anonymous' | 'admin' | 'lead' | 'evaluator' | 'observer' | 'outsider';
/** ok 200 · login 302→/login · home 302 elsewhere · denied 403 · hidden 404 · invalid 400 (allowed, empty form) · locked 409 · none 405 (no action) */
type Outcome = 'ok' | 'login' | 'home' | 'denied' | 'hidden' | 'invalid' | 'locked' | 'none';
type Row = Record<Who, Outcome>;

const all = (outcome: Outcome): Row => ({ anonymous: outcome, admin: outcome, lead: outcome, evaluator: outcome, observer: outcome, outsider: outcome });
const signedIn = (outcome: Outcome, anonymous: Outcome = 'login'): Row => ({ ...all(outcome), anonymous });

const EXPECTED: Record<string, { GET: Row; POST: Row }> = {
  'routes/_index': { GET: { ...all('home'), anonymous: 'login' }, POST: all('none') },
  // A signed-in visitor who posts to /login is sent home, as the GET does.
  'routes/login': { GET: { ...all('home'), anonymous: 'ok' }, POST: { ...all('home'), anonymous: 'invalid' } },
  'routes/logout': { GET: all('home'), POST: all('login') },
  // Single sign-on is not configured on the server this test starts: its routes answer 404 (single-sign-on.test.ts
  // covers them against a provider). A GET of the start goes to the sign-in page; only the form's POST starts.
  'routes/auth.oidc.start': { GET: all('login'), POST: all('hidden') },
  'routes/auth.oidc.callback': { GET: all('hidden'), POST: all('none') },
  // The second step of a sign-in: without a pending challenge (a right password moments ago) it is the sign-in page,
  // and so is a refused post's page (two-factor.test.ts posts codes with a challenge).
  'routes/login_.verify': { GET: all('login'), POST: all('login') },
  'routes/account._index': { GET: signedIn('ok'), POST: all('none') },
  'routes/account.password': { GET: signedIn('ok'), POST: signedIn('invalid') },
  'routes/account.two-factor': { GET: signedIn('ok'), POST: signedIn('invalid') },
  'routes/admin.account-events': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'denied' },
    POST: all('none'),
  },
  // An invitation link, public by design: the test's token matches none, so it is "not found" for everyone
  // (invitations.test.ts follows real links).
  'routes/invitation.$token': { GET: all('hidden'), POST: all('hidden') },
  // "Forgot your password?": for someone signed out; a signed-in person changes theirs on the account page. A reset
  // link is public by design like an invitation's (password-reset.test.ts follows real links).
  'routes/login_.forgot': { GET: { ...all('home'), anonymous: 'ok' }, POST: { ...all('home'), anonymous: 'invalid' } },
  'routes/login_.reset.$token': { GET: all('hidden'), POST: all('hidden') },
  'routes/healthz': { GET: all('ok'), POST: all('none') },
  'routes/rfps._index': { GET: signedIn('ok'), POST: all('none') },
  'routes/rfps.new': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'ok' },
    POST: { anonymous: 'login', admin: 'invalid', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'invalid' },
  },
  'routes/rfps.$rfpId._index': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.members': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'invalid', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.audit': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.export[.json]': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.questionnaire._index': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    // The demo RFP is open, so even the lead's valid request meets the questionnaire lock.
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.questionnaire.banks': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.questionnaire.import': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.questionnaire.criteria.$criterionId': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.questionnaire.questions.$questionId': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.questionnaire.versions': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.risk': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  // The lead edits details, deadlines and settings; a post with no field changes nothing (200). Admins oversee, not edit.
  'routes/rfps.$rfpId.details': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.status': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'ok', observer: 'ok', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  // The demo RFP is open with no scores: results render (with a "not final" banner) for the lead, observers and
  // admins; evaluators are refused until the RFP reaches consensus and their own scoresheets are submitted.
  'routes/rfps.$rfpId.results': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'ok', outsider: 'hidden' },
    POST: all('none'),
  },
  // The results page's drill-downs (JSON, one criterion): the page's guard and evaluator gate, and before consensus
  // (the demo is open) nobody reads individual scores, so readers of the results are refused too.
  'routes/rfps.$rfpId.results_.criterion.$criterionId': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.scorecard': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'ok', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.clone': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'invalid', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/vendors._index': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'ok' },
    POST: all('none'),
  },
  'routes/vendors.$vendorId': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'ok' },
    POST: { anonymous: 'login', admin: 'invalid', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'invalid' },
  },
  'routes/rfps.$rfpId.vendors._index': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.vendors.$submissionId': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  // Evaluators read responses only once assigned and attested (none is in the demo yet): 403 until then.
  'routes/rfps.$rfpId.attachments.$attachmentId': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.answers._index': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.answers.$questionId': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  // The scorecard downloads answer exactly as the results page does (the same guard and evaluator gate); the audit CSV
  // as the audit log page.
  'routes/rfps.$rfpId.scorecard[.xlsx]': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'ok', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.matrix[.csv]': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'ok', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.audit[.csv]': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  'routes/rfps.$rfpId.vendor-workbook[.xlsx]': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: all('none'),
  },
  // Evaluation. The demo RFP is open and nobody is assigned yet: the evaluator member sees "not assigned" on
  // My scoring, and is refused (403) every page carrying response content, as an unattested evaluator is.
  'routes/evaluations': { GET: signedIn('ok'), POST: all('none') },
  'routes/rfps.$rfpId.evaluation': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.evaluate._index': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'ok', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.evaluate.$submissionId': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  // The scoresheet's draft keeper: the scoresheet's guard (nobody in the demo is assigned yet); GET never reads a draft (405).
  'routes/rfps.$rfpId.evaluate.$submissionId_.draft': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  // Before consensus the lead sees a notice; recording consensus while the RFP is open is locked (409).
  'routes/rfps.$rfpId.consensus': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'locked', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/rfps.$rfpId.vendors.$submissionId_.import': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/admin.users._index': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'denied' },
    POST: { anonymous: 'login', admin: 'invalid', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'denied' },
  },
  // Everyone signed in has their own notifications; a POST with no intent is refused (400).
  'routes/notifications': { GET: signedIn('ok'), POST: signedIn('invalid') },
  'routes/admin.mail': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'denied' },
    POST: all('none'),
  },
  // The vendor portal (issue 15): a vendor contact's pages. Staff are sent to their own pages (302 to /rfps);
  // tests/integration/http/vendor-portal.test.ts walks them as vendor contacts of two organisations.
  'routes/vendor._index': { GET: signedIn('home'), POST: all('none') },
  'routes/vendor.rfps.$rfpId': { GET: signedIn('home'), POST: all('none') },
  'routes/vendor.rfps.$rfpId.workbook[.xlsx]': { GET: signedIn('home'), POST: all('none') },
  'routes/vendor.rfps.$rfpId_.response': { GET: signedIn('home'), POST: signedIn('home') },
  'routes/vendor.rfps.$rfpId_.response.$number[.json]': { GET: signedIn('home'), POST: all('none') },
  // Who has submitted online and when (never what), and the lead's bid opening; an empty post is refused (400).
  'routes/rfps.$rfpId.bid-opening': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/vendor.rfps.$rfpId_.questions': { GET: signedIn('home'), POST: signedIn('home') },
  // The lead answers vendors' questions and publishes addenda (the permission of the vendors' pages); a post without
  // an intent is refused (400). vendor-questions.test.ts asks, answers and publishes.
  'routes/rfps.$rfpId.questions': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  // The lead invites a vendor's contacts; an empty invitation is refused (400). Admins oversee, not run, procurement.
  'routes/rfps.$rfpId.vendors.$submissionId_.portal': {
    GET: { anonymous: 'login', admin: 'denied', lead: 'ok', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
    POST: { anonymous: 'login', admin: 'denied', lead: 'invalid', evaluator: 'denied', observer: 'denied', outsider: 'hidden' },
  },
  'routes/admin.users.$userId': {
    GET: { anonymous: 'login', admin: 'ok', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'denied' },
    POST: { anonymous: 'login', admin: 'invalid', lead: 'denied', evaluator: 'denied', observer: 'denied', outsider: 'denied' },
  },
};

const ACCOUNTS: Record<Exclude<Who, 'anonymous'>, string> = {
  admin: 'admin@city.example',
  lead: 'officer@city.example',
  evaluator: 'evaluator1@city.example',
  observer: 'leader@city.example',
  outsider: 'outsider@city.example',
};

function outcomeOf(response: Response): Outcome {
  const location = response.headers.get('location') ?? '';
  switch (response.status) {
    case 200:
      return 'ok';
    case 302:
      return location.startsWith('/login') ? 'login' : 'home';
    case 400:
      return 'invalid';
    case 403:
      return 'denied';
    case 404:
      return 'hidden';
    case 405:
      return 'none';
    case 409:
      return 'locked';
    default:
      return `unexpected ${response.status}` as Outcome;
  }
}

/** The URL path of a manifest route, with its parents' segments and real ids for the parameters. */
function pathOf(routes: ServerBuild['routes'], id: string, params: Record<string, string>): string {
  const segments: string[] = [];
  for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined) {
    if (route.path) segments.unshift(route.path);
  }
  const path = `/${segments.join('/')}`.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`No test value for the route parameter :${name} (route ${id}); add one to the test.`);
    return value;
  });
  return path.replace(/\/+/g, '/');
}

describe('route access', () => {
  let server: TestServer;
  let routes: ServerBuild['routes'];
  const visitors = new Map<Who, Visitor>();
  const params: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const build = (await import(pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'build', 'index.js')).href)) as ServerBuild;
    routes = build.routes;

    const admin = new Visitor(server.baseUrl);
    await admin.login(ACCOUNTS.admin);
    const created = await admin.post('/admin/users', { name: 'Oscar Outsider', email: ACCOUNTS.outsider, role: 'officer', password: 'demo-password' });
    expect(created.status).toBe(200);

    const handle = openDatabase(server.databaseUrl);
    const rfp = await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    const user = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator2@city.example').executeTakeFirstOrThrow();
    params.rfpId = rfp.id;
    params.userId = user.id;
    const criterion = await handle.db.selectFrom('criterion').select('id').where('rfp_id', '=', rfp.id).executeTakeFirstOrThrow();
    const question = await handle.db.selectFrom('question').select('id').where('rfp_id', '=', rfp.id).executeTakeFirstOrThrow();
    params.criterionId = criterion.id;
    const submission = await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfp.id).executeTakeFirstOrThrow();
    params.submissionId ??= submission.id;
    params.vendorId = (await handle.db.selectFrom('vendor').select('id').executeTakeFirstOrThrow()).id;
    params.questionId = question.id;
    params.token = 'no-such-invitation-token-0123456789abcdef';
    params.number = '1';
    await handle.close();

    // One evidence file, so the download route has something to serve.
    const lead = new Visitor(server.baseUrl);
    await lead.login(ACCOUNTS.lead);
    const evidence = new FormData();
    evidence.set('file', new File([new TextEncoder().encode('Model card, version 3.2')], 'model-card.txt'));
    const attached = await lead.request(`/rfps/${params.rfpId}/vendors/${params.submissionId}`, { method: 'POST', body: evidence, headers: { origin: server.baseUrl } });
    expect(attached.status).toBe(200);
    const handle2 = openDatabase(server.databaseUrl);
    params.attachmentId = (await handle2.db.selectFrom('attachment').select('id').executeTakeFirstOrThrow()).id;
    await handle2.close();
    visitors.set('anonymous', new Visitor(server.baseUrl));
    for (const [who, email] of Object.entries(ACCOUNTS) as Array<[Exclude<Who, 'anonymous'>, string]>) {
      const visitor = who === 'admin' ? admin : new Visitor(server.baseUrl);
      if (who !== 'admin') await visitor.login(email);
      visitors.set(who, visitor);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('has an expected-access entry for every route in the manifest, and no stale entries', () => {
    const walked = Object.keys(routes).filter((id) => id !== 'root');
    const missing = walked.filter((id) => !EXPECTED[id]);
    expect(missing, `routes without an entry in EXPECTED: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(EXPECTED).filter((id) => !routes[id])).toEqual([]);
  });

  it('gives every visitor exactly the expected outcome for GET and POST on every route', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const id of Object.keys(routes).filter((r) => r !== 'root')) {
      const expected = EXPECTED[id];
      if (!expected) continue;
      const path = pathOf(routes, id, params);
      for (const method of ['GET', 'POST'] as const) {
        for (const [who, visitor] of visitors) {
          // Signing out would end the visitor's session for the rest of the walk: use a throwaway session.
          let actor = visitor;
          if (id === 'routes/logout' && method === 'POST' && who !== 'anonymous') {
            actor = new Visitor(server.baseUrl);
            await actor.login(ACCOUNTS[who]);
          }
          const response = method === 'GET' ? await actor.get(path) : await actor.post(path, {});
          const got = outcomeOf(response);
          checked += 1;
          if (got !== expected[method][who]) mismatches.push(`${method} ${path} (${id}) as ${who}: expected ${expected[method][who]}, got ${got}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length * 12);
  });

  it('answers 404 for an RFP that does not exist, the same as for one the visitor may not see', async () => {
    const lead = visitors.get('lead')!;
    expect((await lead.get('/rfps/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await visitors.get('outsider')!.get(`/rfps/${params.rfpId}`)).status).toBe(404);
  });
});
