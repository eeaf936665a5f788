/**
 * The team of an RFP (issue 12, item 6), through the real server: adding several people as evaluators and assigning
 * them in one step, a conflict an evaluator declares after attesting, a recusal the lead records (both audited, both
 * refused once the RFP is closed, both checked under the RFP's lock), who may do each, the evaluator's Results tab, and
 * the price-blind setting (item 8). Runs on SQLite and PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import type { GlobalRole, RfpStatus } from '#db/schema';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('the team of an RFP', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  let lead: Visitor;
  let evaluator: Visitor;
  let observer: Visitor;
  let passwordHash: string;
  const path = (rest = '') => `/rfps/${evaluation.rfpId}${rest}`;

  async function newUser(name: string, role: GlobalRole): Promise<{ id: string; email: string; name: string }> {
    const user = { id: randomUUID(), email: `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@city.example`, name };
    const now = new Date().toISOString();
    await handle.db.insertInto('app_user').values({ ...user, role, password_hash: passwordHash, disabled: 0, created_at: now, updated_at: now }).execute();
    return user;
  }

  async function setStatus(status: RfpStatus) {
    await handle.db.updateTable('rfp').set({ status }).where('id', '=', evaluation.rfpId).execute();
  }

  const auditActions = async () =>
    (await handle.db.selectFrom('audit_event').select(['action', 'after_json']).where('rfp_id', '=', evaluation.rfpId).orderBy('id').execute()).map((e) => ({
      action: e.action,
      after: e.after_json ? (JSON.parse(e.after_json) as Record<string, unknown>) : null,
    }));

  const form = (fields: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) params.append(k, value);
    return params.toString();
  };
  const postMany = (who: Visitor, url: string, fields: Record<string, string | string[]>) =>
    who.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl }, body: form(fields) });

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    passwordHash = await hashPassword('demo-password');
    evaluation = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [
        { key: 'quality', title: 'Quality', criteria: [{ key: 'Q-GOV', title: 'Governance', kind: 'scored', points: 70 }] },
        { key: 'cost', title: 'Cost', criteria: [{ key: 'PRC-01', title: 'Price', kind: 'price', points: 30 }] },
      ],
      vendors: [{ name: 'Acme Civic', price: 100_000 }, { name: 'Beta Gov', price: 120_000 }],
      evaluators: [{ name: 'Eve Evaluator' }],
      observers: [{ name: 'Omar Observer' }],
      score: () => null,
      sheet: () => null,
      consensus: [],
      passwordHash,
    });
    lead = new Visitor(server.baseUrl);
    await lead.login(evaluation.lead.email);
    evaluator = new Visitor(server.baseUrl);
    await evaluator.login(evaluation.evaluators[0]!.email);
    observer = new Visitor(server.baseUrl);
    await observer.login(evaluation.observers[0]!.email);
  }, 120_000);

  beforeEach(async () => {
    await setStatus('evaluation');
  });

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('adds several people as evaluators and assigns them to the whole RFP in one step, audited per person', async () => {
    const ann = await newUser('Ann Ames', 'evaluator');
    const bo = await newUser('Bo Berg', 'officer');
    const page = await (await lead.get(path('/members'))).text();
    expect(page).toContain('Assign them to evaluate the whole RFP');
    expect(page).toContain(`value="${ann.id}"`);

    const response = await postMany(lead, path('/members'), { intent: 'add', userId: [ann.id, bo.id], role: 'evaluator', assign: 'whole' });
    expect(response.status).toBe(200);
    const body = (await response.text()).replaceAll('<!-- -->', '');
    expect(body).toContain('Ann Ames and Bo Berg are now evaluators, each assigned to evaluate the whole RFP.');
    const members = await handle.db.selectFrom('rfp_member').select(['user_id', 'role']).where('rfp_id', '=', evaluation.rfpId).where('user_id', 'in', [ann.id, bo.id]).execute();
    expect(members.map((m) => m.role).sort()).toEqual(['evaluator', 'evaluator']);
    const assignments = await handle.db.selectFrom('assignment').select(['user_id', 'section_ids_json', 'coi_status']).where('rfp_id', '=', evaluation.rfpId).where('user_id', 'in', [ann.id, bo.id]).execute();
    expect(assignments).toHaveLength(2);
    expect(assignments.every((a) => a.section_ids_json === null && a.coi_status === 'pending')).toBe(true);
    const actions = (await auditActions()).filter((e) => e.after && [ann.id, bo.id].includes(e.after.user_id as string)).map((e) => e.action);
    expect(actions.filter((a) => a === 'member.add')).toHaveLength(2);
    const assigned = (await auditActions()).filter((e) => e.action === 'assignment.create' && [ann.email, bo.email].includes(e.after?.email as string));
    expect(assigned).toHaveLength(2);

    // The Members page now says they are assigned.
    expect((await (await lead.get(path('/members'))).text()).replaceAll('<!-- -->', '')).toContain('Assigned to evaluate');
  });

  it('adds nobody when one of the people cannot take the role, and says who and why', async () => {
    const cy = await newUser('Cy Chen', 'evaluator');
    const viewer = await newUser('Vi Viewer', 'viewer');
    const response = await postMany(lead, path('/members'), { intent: 'add', userId: [cy.id, viewer.id], role: 'evaluator', assign: 'whole' });
    expect(response.status).toBe(400);
    expect((await response.text()).replaceAll('<!-- -->', '')).toContain('Nobody was added. Vi Viewer is a leadership (viewer) and cannot be an evaluator.');
    const rows = await handle.db.selectFrom('rfp_member').select('user_id').where('rfp_id', '=', evaluation.rfpId).where('user_id', 'in', [cy.id, viewer.id]).execute();
    expect(rows).toEqual([]);
    expect((await postMany(lead, path('/members'), { intent: 'add', role: 'evaluator' })).status).toBe(400);
  });

  it('refuses an assignment once scoring is over (nothing saved), but still adds people without one', async () => {
    const dee = await newUser('Dee Dunn', 'evaluator');
    await setStatus('consensus');
    const refused = await postMany(lead, path('/members'), { intent: 'add', userId: [dee.id], role: 'evaluator', assign: 'whole' });
    expect(refused.status).toBe(409);
    expect(await handle.db.selectFrom('rfp_member').select('user_id').where('user_id', '=', dee.id).execute()).toEqual([]);
    const added = await postMany(lead, path('/members'), { intent: 'add', userId: [dee.id], role: 'evaluator' });
    expect(added.status).toBe(200);
    expect(await handle.db.selectFrom('assignment').select('user_id').where('user_id', '=', dee.id).execute()).toEqual([]);
  });

  it('lets only who manages members add them', async () => {
    const eli = await newUser('Eli Eng', 'evaluator');
    for (const who of [evaluator, observer]) {
      expect((await postMany(who, path('/members'), { intent: 'add', userId: [eli.id], role: 'evaluator', assign: 'whole' })).status).toBe(403);
    }
    expect(await handle.db.selectFrom('rfp_member').select('user_id').where('user_id', '=', eli.id).execute()).toEqual([]);
  });

  it('an evaluator declares a conflict found after attesting: recused at once, the vendor closed to them, audited', async () => {
    const me = evaluation.evaluators[0]!;
    const acme = evaluation.vendors[0]!;
    const page = await (await evaluator.get(path('/evaluate'))).text();
    expect(page).toContain('Declare a conflict found since you attested');
    expect((await evaluator.get(path(`/evaluate/${acme.submissionId}`))).status).toBe(200);

    const missing = await evaluator.post(path('/evaluate'), { intent: 'declare', conflictVendorId: acme.id, details: '', confirmRecusal: 'yes' });
    expect(missing.status).toBe(400);
    const unconfirmed = await evaluator.post(path('/evaluate'), { intent: 'declare', conflictVendorId: acme.id, details: 'My sister joined Acme Civic last week.' });
    expect(unconfirmed.status).toBe(400);
    const foreign = await evaluator.post(path('/evaluate'), { intent: 'declare', conflictVendorId: randomUUID(), details: 'x', confirmRecusal: 'yes' });
    expect(foreign.status).toBe(400);
    expect(await handle.db.selectFrom('recusal').select('vendor_id').where('rfp_id', '=', evaluation.rfpId).execute()).toEqual([]);

    const declared = await evaluator.post(path('/evaluate'), { intent: 'declare', conflictVendorId: acme.id, details: 'My sister joined Acme Civic last week.', confirmRecusal: 'yes' });
    expect(declared.status).toBe(302);
    const recusal = await handle.db.selectFrom('recusal').selectAll().where('rfp_id', '=', evaluation.rfpId).where('user_id', '=', me.id).executeTakeFirstOrThrow();
    expect(recusal).toMatchObject({ vendor_id: acme.id, origin: 'declaration', recorded_by: me.id, reason: 'My sister joined Acme Civic last week.' });
    const assignment = await handle.db.selectFrom('assignment').select('coi_status').where('rfp_id', '=', evaluation.rfpId).where('user_id', '=', me.id).executeTakeFirstOrThrow();
    expect(assignment.coi_status).toBe('declared');
    const actions = (await auditActions()).map((e) => e.action);
    expect(actions).toContain('conflict.declare');
    expect(actions).toContain('recusal.create');
    expect((await evaluator.get(path(`/evaluate/${acme.submissionId}`))).status).toBe(403);
    // The lead sees it, with where it came from.
    const dashboard = (await (await lead.get(path('/evaluation'))).text()).replaceAll('<!-- -->', '');
    expect(dashboard).toContain('declared by the evaluator after attesting');
    // Declaring it again changes nothing.
    expect((await evaluator.post(path('/evaluate'), { intent: 'declare', conflictVendorId: acme.id, details: 'Again.', confirmRecusal: 'yes' })).status).toBe(400);
  });

  it('the lead records a recusal (audited); evaluators and observers may not; a closed RFP refuses it', async () => {
    const me = evaluation.evaluators[0]!;
    const beta = evaluation.vendors[1]!;
    const fields = { intent: 'recuse', recuseEvaluatorId: me.id, recuseVendorId: beta.id, recuseReason: 'Consulted for Beta Gov in 2025.' };
    expect((await evaluator.post(path('/evaluation'), fields)).status).toBe(403);
    expect((await observer.post(path('/evaluation'), fields)).status).toBe(403);
    expect((await lead.post(path('/evaluation'), { ...fields, recuseReason: '' })).status).toBe(400);
    await setStatus('closed');
    expect((await lead.post(path('/evaluation'), fields)).status).toBe(409);
    await setStatus('evaluation');
    expect(await handle.db.selectFrom('recusal').select('vendor_id').where('vendor_id', '=', beta.id).execute()).toEqual([]);

    const recorded = await lead.post(path('/evaluation'), fields);
    expect(recorded.status).toBe(200);
    expect((await recorded.text()).replaceAll('<!-- -->', '')).toContain('Eve Evaluator is recused from Beta Gov');
    const recusal = await handle.db.selectFrom('recusal').selectAll().where('vendor_id', '=', beta.id).executeTakeFirstOrThrow();
    expect(recusal).toMatchObject({ user_id: me.id, origin: 'lead', recorded_by: evaluation.lead.id });
    const entry = (await auditActions()).find((e) => e.action === 'recusal.create' && e.after?.vendor_id === beta.id);
    expect(entry?.after).toMatchObject({ origin: 'lead', reason: 'Consulted for Beta Gov in 2025.', vendor: 'Beta Gov' });
    expect((await lead.post(path('/evaluation'), fields)).status).toBe(400);
    // The evaluator's own page says so.
    expect((await (await evaluator.get(path('/evaluate'))).text()).replaceAll('<!-- -->', '')).toContain('Consulted for Beta Gov in 2025.');
  });

  it('an evaluator’s Results tab appears only from consensus on; My scoring says when the results open', async () => {
    const resultsLink = `href="${path('/results')}"`;
    const overview = await (await evaluator.get(path())).text();
    expect(overview).not.toContain(resultsLink);
    expect((await (await evaluator.get(path('/evaluate'))).text()).replaceAll('<!-- -->', '')).toContain('The results open to you once the RFP reaches consensus');
    // The lead and the observer keep it in every status.
    expect(await (await lead.get(path())).text()).toContain(resultsLink);
    expect(await (await observer.get(path())).text()).toContain(resultsLink);
    await setStatus('consensus');
    expect(await (await evaluator.get(path())).text()).toContain(resultsLink);
  });

  it('the lead sets price-blind scoring while the RFP is a draft (audited); later it is fixed (409); nobody else may', async () => {
    await setStatus('draft');
    expect((await evaluator.post(path('/evaluation'), { intent: 'price-blind', priceBlind: 'on' })).status).toBe(403);
    const on = await lead.post(path('/evaluation'), { intent: 'price-blind', priceBlind: 'on' });
    expect(on.status).toBe(200);
    const rfp = await handle.db.selectFrom('rfp').select('price_blind').where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow();
    expect(Number(rfp.price_blind)).toBe(1);
    expect((await auditActions()).some((e) => e.action === 'rfp.price_blind' && e.after?.price_blind === true)).toBe(true);
    await setStatus('open');
    const locked = await lead.post(path('/evaluation'), { intent: 'price-blind', priceBlind: 'off' });
    expect(locked.status).toBe(409);
    const still = await handle.db.selectFrom('rfp').select('price_blind').where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow();
    expect(Number(still.price_blind)).toBe(1);
  });
});
