/**
 * The evaluation through the real server, as the lead and three evaluators use it over HTTP: assignment, the
 * conflict-of-interest gate, scoring with versions, independence (raw HTML and loader JSON), submission and its
 * lock, reopening, the due date, closing scoring, consensus, and the audit trail of each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const SCORING_ROUTE = 'routes/rfps.$rfpId.evaluate.$submissionId';
const E1_SECRET = 'E1-SECRET-RATIONALE: strong governance <script>alert(1)</script>';
const E2_SECRET = 'E2-PRIVATE-RATIONALE: thin evidence';

/** A same-origin form post with repeated fields (checkbox groups). */
function postPairs(visitor: Visitor, path: string, pairs: Array<[string, string]>): Promise<Response> {
  return visitor.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: visitor.baseUrl },
    body: new URLSearchParams(pairs).toString(),
  });
}

describe('evaluation', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let lead: Visitor;
  let e1: Visitor;
  let e2: Visitor;
  let e3: Visitor;
  let observer: Visitor;
  let rfpId: string;
  let base: string;
  const users: Record<string, string> = {};
  const submissions: Record<string, string> = {};
  const vendors: Record<string, string> = {};
  let criteria: Array<{ id: string; kind: string; section_id: string }>;
  let sections: Record<string, string>;
  /** The scored criteria of evaluator 2's scope (knock-outs and Responsible AI). */
  let e2Criteria: Array<{ id: string; kind: string }>;

  const scoringPath = (submission: string) => `${base}/evaluate/${submissions[submission]}`;
  const score = (visitor: Visitor, submission: string, criterionId: string, value: string, rationale: string, version = '0', next?: string) =>
    visitor.post(scoringPath(submission), { intent: 'score', criterionId, value, rationale, version, ...(next ? { next } : {}) });

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    const db = handle.db;
    const rfp = await db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    rfpId = rfp.id;
    base = `/rfps/${rfpId}`;
    for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute()) users[u.email] = u.id;
    for (const s of await db.selectFrom('submission').innerJoin('vendor', 'vendor.id', 'submission.vendor_id').select(['submission.id', 'vendor.key', 'vendor.id as vendor_id']).where('submission.rfp_id', '=', rfpId).execute()) {
      submissions[s.key] = s.id;
      vendors[s.key] = s.vendor_id;
    }
    sections = Object.fromEntries((await db.selectFrom('section').select(['id', 'key']).where('rfp_id', '=', rfpId).execute()).map((s) => [s.key, s.id]));
    criteria = await db
      .selectFrom('criterion')
      .innerJoin('section', 'section.id', 'criterion.section_id')
      .select(['criterion.id', 'criterion.kind', 'criterion.section_id'])
      .where('criterion.rfp_id', '=', rfpId)
      .where('criterion.kind', 'in', ['scored', 'pass_fail'])
      .orderBy('section.position')
      .orderBy('criterion.position')
      .execute();
    e2Criteria = criteria.filter((c) => c.section_id === sections['knock-outs'] || c.section_id === sections['responsible-ai']);

    lead = new Visitor(server.baseUrl);
    e1 = new Visitor(server.baseUrl);
    e2 = new Visitor(server.baseUrl);
    e3 = new Visitor(server.baseUrl);
    observer = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    await e1.login('evaluator1@city.example');
    await e2.login('evaluator2@city.example');
    await e3.login('evaluator3@city.example');
    await observer.login('leader@city.example');
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('lets the lead assign evaluators to the whole RFP or to sections, and move the RFP to evaluation', async () => {
    const before = await e1.get(`${base}/evaluate`);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain('You are not assigned to evaluate this RFP yet');

    expect((await lead.post(`${base}/evaluation`, { intent: 'assign', evaluatorId: users['evaluator1@city.example']!, scope: 'whole' })).status).toBe(200);
    const sectionsMissing = await lead.post(`${base}/evaluation`, { intent: 'assign', evaluatorId: users['evaluator2@city.example']!, scope: 'sections' });
    expect(sectionsMissing.status).toBe(400);
    const assigned = await postPairs(lead, `${base}/evaluation`, [
      ['intent', 'assign'],
      ['evaluatorId', users['evaluator2@city.example']!],
      ['scope', 'sections'],
      ['sectionId', sections['knock-outs']!],
      ['sectionId', sections['responsible-ai']!],
    ]);
    expect(assigned.status).toBe(200);
    expect(await assigned.text()).toContain('is assigned to 2 sections');
    expect((await lead.post(`${base}/evaluation`, { intent: 'assign', evaluatorId: users['evaluator3@city.example']!, scope: 'whole' })).status).toBe(200);
    // Only evaluator members can be assigned.
    expect((await lead.post(`${base}/evaluation`, { intent: 'assign', evaluatorId: users['leader@city.example']!, scope: 'whole' })).status).toBe(400);
    // Evaluators and observers cannot assign.
    expect((await e1.post(`${base}/evaluation`, { intent: 'assign', evaluatorId: users['evaluator1@city.example']!, scope: 'whole' })).status).toBe(403);

    const moved = await lead.post(`${base}/status`, { to: 'evaluation' });
    expect(moved.status).toBe(200);

    const list = await (await e2.get('/evaluations')).text();
    expect(list).toContain('DEMO-311-GENAI');
    expect(list).toMatch(/0\/7/);
  });

  it('refuses every response-carrying loader to an evaluator who has not attested (403)', async () => {
    const page = await e1.get(scoringPath('civic-answers'));
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('attest on conflicts of interest');
    const data = await e1.get(`${scoringPath('civic-answers')}?_data=${encodeURIComponent(SCORING_ROUTE)}`);
    expect(data.status).toBe(403);
    expect((await score(e1, 'civic-answers', criteria[0]!.id, '1', 'too early')).status).toBe(403);
    // The lead does not score, and an observer is not an evaluator.
    expect((await lead.get(scoringPath('civic-answers'))).status).toBe(403);
    expect((await observer.get(scoringPath('civic-answers'))).status).toBe(403);
  });

  it('records the attestation with the statement hash, and a declared conflict recuses from the vendor', async () => {
    const invalid = await e2.post(`${base}/evaluate`, { intent: 'attest', coi: 'declared', confirm: 'yes', details: '' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Choose each vendor you have a conflict with');
    expect((await e1.post(`${base}/evaluate`, { intent: 'attest', coi: 'none' })).status).toBe(400);

    expect((await e1.post(`${base}/evaluate`, { intent: 'attest', coi: 'none', confirm: 'yes' })).status).toBe(302);
    const declared = await postPairs(e2, `${base}/evaluate`, [
      ['intent', 'attest'],
      ['coi', 'declared'],
      ['confirm', 'yes'],
      ['vendorId', vendors['omnisight']!],
      ['details', 'My spouse works for OmniSight Analytics as a data engineer.'],
    ]);
    expect(declared.status).toBe(302);
    expect((await e3.post(`${base}/evaluate`, { intent: 'attest', coi: 'none', confirm: 'yes' })).status).toBe(302);
    // Once only.
    expect((await e1.post(`${base}/evaluate`, { intent: 'attest', coi: 'none', confirm: 'yes' })).status).toBe(409);

    const assignment = await handle.db.selectFrom('assignment').selectAll().where('rfp_id', '=', rfpId).where('user_id', '=', users['evaluator2@city.example']!).executeTakeFirstOrThrow();
    expect(assignment.coi_status).toBe('declared');
    expect(assignment.coi_statement).toContain('Conflict-of-interest attestation');
    const { createHash } = await import('node:crypto');
    expect(assignment.coi_statement_sha256).toBe(createHash('sha256').update(assignment.coi_statement!, 'utf8').digest('hex'));
    const recusals = await handle.db.selectFrom('recusal').selectAll().where('rfp_id', '=', rfpId).execute();
    expect(recusals).toEqual([expect.objectContaining({ user_id: users['evaluator2@city.example'], vendor_id: vendors['omnisight'] })]);

    const recused = await e2.get(scoringPath('omnisight'));
    expect(recused.status).toBe(403);
    expect(await recused.text()).toContain('conflict of interest with OmniSight Analytics');
    expect((await e2.get(scoringPath('civic-answers'))).status).toBe(200);

    const dashboard = await (await lead.get(`${base}/evaluation`)).text();
    expect(dashboard).toContain('is recused from');
    expect(dashboard).toContain('My spouse works for OmniSight Analytics');
    expect(dashboard).toContain('Conflict declared');
  });

  it('saves a score with its rationale, shows vendor and evaluator text as text, and moves to the next criterion', async () => {
    const [first, second] = criteria;
    expect(first!.kind).toBe('pass_fail');
    const saved = await score(e1, 'civic-answers', first!.id, '1', E1_SECRET, '0', second!.id);
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe(`${scoringPath('civic-answers')}?saved=${first!.id}#criterion-${second!.id}`);

    const html = await (await e1.get(`${scoringPath('civic-answers')}?saved=${first!.id}`)).text();
    expect(html).toContain('Saved just now');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('dangerouslySetInnerHTML');

    // Invalid level, missing rationale: 400, nothing saved.
    expect((await score(e1, 'civic-answers', second!.id, '9', 'x')).status).toBe(400);
    expect((await score(e1, 'civic-answers', second!.id, '3', '   ')).status).toBe(400);
    expect((await score(e1, 'civic-answers', first!.id, '3', 'pass/fail takes 0 or 1', '1')).status).toBe(400);
  });

  it('refuses a save from a stale form (two tabs) with 409, showing the saved value and rationale', async () => {
    const first = criteria[0]!;
    const stale = await score(e1, 'civic-answers', first.id, '0', 'Second tab thinks it fails', '0');
    expect(stale.status).toBe(409);
    const body = await stale.text();
    expect(body).toContain('changed in another tab or window');
    expect(body).toContain('The saved score is now Pass');
    expect(body).toContain('E1-SECRET-RATIONALE');
    // The attempt is kept in the form; saving again on the current version is an explicit replacement.
    expect(body).toContain('Second tab thinks it fails');
    expect((await score(e1, 'civic-answers', first.id, '1', `${E1_SECRET} (revised)`, '1')).status).toBe(302);
    const row = await handle.db.selectFrom('score').selectAll().where('criterion_id', '=', first.id).where('evaluator_id', '=', users['evaluator1@city.example']!).executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(row.rationale).toBe(`${E1_SECRET} (revised)`);
  });

  it('keeps evaluators independent: another evaluator’s rationale is in no page or loader JSON before submission', async () => {
    expect((await score(e2, 'civic-answers', criteria[0]!.id, '0', E2_SECRET)).status).toBe(302);
    const scoredCriterion = e2Criteria.find((c) => c.kind === 'scored')!;
    expect((await score(e1, 'civic-answers', scoredCriterion.id, '5', `${E1_SECRET} scored`)).status).toBe(302);
    expect((await score(e2, 'civic-answers', scoredCriterion.id, '1', `${E2_SECRET} scored`)).status).toBe(302);

    const e1Html = await (await e1.get(scoringPath('civic-answers'))).text();
    const e1Json = await (await e1.get(`${scoringPath('civic-answers')}?_data=${encodeURIComponent(SCORING_ROUTE)}`)).text();
    expect(e1Html).toContain('E1-SECRET-RATIONALE');
    expect(e1Json).toContain('E1-SECRET-RATIONALE');
    for (const text of [e1Html, e1Json]) expect(text).not.toContain('E2-PRIVATE');
    const e2Html = await (await e2.get(scoringPath('civic-answers'))).text();
    const e2Json = await (await e2.get(`${scoringPath('civic-answers')}?_data=${encodeURIComponent(SCORING_ROUTE)}`)).text();
    for (const text of [e2Html, e2Json]) {
      expect(text).toContain('E2-PRIVATE');
      expect(text).not.toContain('E1-SECRET');
    }
    // Nor on the lists, the dashboard, or the consensus page (403 before submitting).
    for (const [visitor, path] of [
      [e1, '/evaluations'],
      [e1, `${base}/evaluate`],
      [e1, `${base}/evaluate?_data=${encodeURIComponent('routes/rfps.$rfpId.evaluate._index')}`],
      [lead, `${base}/evaluation`],
      [lead, `${base}/evaluation?_data=${encodeURIComponent('routes/rfps.$rfpId.evaluation')}`],
      [lead, `${base}/consensus`],
    ] as const) {
      const text = await (await visitor.get(path)).text();
      expect(text, path).not.toContain('E2-PRIVATE');
      expect(text, path).not.toContain('E1-SECRET');
    }
    const early = await e1.get(`${base}/consensus`);
    expect(early.status).toBe(403);
    expect(await early.text()).not.toContain('E2-PRIVATE');
  });

  it('submits only when every assigned criterion is scored with a rationale, then locks the scoresheet', async () => {
    const refused = await e1.post(scoringPath('civic-answers'), { intent: 'submit' });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain(`Not submitted: ${criteria.length - 2} of ${criteria.length} criteria still need a score and a rationale`);

    const done = new Set([criteria[0]!.id, e2Criteria.find((c) => c.kind === 'scored')!.id]);
    for (const c of criteria) {
      if (done.has(c.id)) continue;
      const value = c.kind === 'pass_fail' ? '1' : '3';
      expect((await score(e1, 'civic-answers', c.id, value, `Evaluator 1 on ${c.id}`)).status).toBe(302);
    }
    // Submitting asks once, saying what it locks; without the confirmation nothing is submitted.
    const asked = await e1.post(scoringPath('civic-answers'), { intent: 'submit' });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain('You can no longer change these scores or rationales');
    expect(question).toContain(`All ${criteria.length} criteria are scored with a rationale.`);
    expect(question).toContain('Yes, submit and lock my scores');
    const sheetNow = () =>
      handle.db.selectFrom('scoresheet').select('status').where('submission_id', '=', submissions['civic-answers']!).where('evaluator_id', '=', users['evaluator1@city.example']!).executeTakeFirstOrThrow();
    expect((await sheetNow()).status).toBe('in_progress');
    expect((await e1.post(scoringPath('civic-answers'), { intent: 'submit', confirmed: 'no' })).status).toBe(400);
    expect((await sheetNow()).status).toBe('in_progress');
    const submitted = await e1.post(scoringPath('civic-answers'), { intent: 'submit', confirmed: 'yes' });
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get('location')).toBe(`${base}/evaluate?submitted=${submissions['civic-answers']}`);

    const locked = await score(e1, 'civic-answers', criteria[1]!.id, '1', 'after submitting', '1');
    expect(locked.status).toBe(409);
    expect(await locked.text()).toContain('submitted and locked');
    expect((await e1.post(scoringPath('civic-answers'), { intent: 'submit' })).status).toBe(409);
    expect((await e1.post(scoringPath('civic-answers'), { intent: 'submit', confirmed: 'yes' })).status).toBe(409);
    const page = await (await e1.get(scoringPath('civic-answers'))).text();
    expect(page).toContain('Submitted');
    expect(page).not.toContain('Save and next');

    // After submitting, still in evaluation: the consensus page opens but shows nobody's scores yet.
    const consensus = await e1.get(`${base}/consensus`);
    expect(consensus.status).toBe(200);
    expect(await consensus.text()).not.toContain('E2-PRIVATE');
  });

  it('keeps an evaluator who has scored assigned: their work is part of the record', async () => {
    const refused = await lead.post(`${base}/evaluation`, { intent: 'unassign', evaluatorId: users['evaluator1@city.example']! });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('has already scored');
  });

  it('lets only the lead reopen a submitted scoresheet, with a reason', async () => {
    const sheet = `${users['evaluator1@city.example']}:${submissions['civic-answers']}`;
    expect((await e1.post(`${base}/evaluation`, { intent: 'reopen', sheet, reopenReason: 'mine' })).status).toBe(403);
    expect((await lead.post(`${base}/evaluation`, { intent: 'reopen', sheet, reopenReason: '' })).status).toBe(400);
    const reopened = await lead.post(`${base}/evaluation`, { intent: 'reopen', sheet, reopenReason: 'Evaluator asked to correct a typo in a rationale.' });
    expect(reopened.status).toBe(200);
    expect((await score(e1, 'civic-answers', criteria[1]!.id, '1', 'Corrected rationale after reopening', '1')).status).toBe(302);
    expect((await e1.post(scoringPath('civic-answers'), { intent: 'submit', confirmed: 'yes' })).status).toBe(302);
  });

  it('refuses scoring after the due date with 409 until the lead extends it', async () => {
    const c = criteria[0]!;
    // A due date already past closes scoring at once: asked to confirm first, then set with the reason. It stays after
    // the demo's proposals deadline (Nov 16, 2026): deadlines are kept in order.
    const unconfirmed = await lead.post(`${base}/evaluation`, { intent: 'due-date', evaluationDueDate: '2026-11-20', dueReason: 'Testing the deadline' });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('has already passed');
    expect((await lead.post(`${base}/evaluation`, { intent: 'due-date', evaluationDueDate: '2026-11-20', confirmPast: 'yes', dueReason: 'Testing the deadline' })).status).toBe(200);
    const dashboard = await (await lead.get(`${base}/evaluation`)).text();
    expect(dashboard).toContain('Overdue');
    const closed = await score(e3, 'civic-answers', c.id, '1', 'Evaluator 3 is late');
    expect(closed.status).toBe(409);
    expect(await closed.text()).toContain('Scoring closed on Nov 20, 2026, 11:59 PM UTC');
    expect((await lead.post(`${base}/evaluation`, { intent: 'due-date', evaluationDueDate: '2099-12-31', dueReason: 'Extended for evaluator 3' })).status).toBe(200);
    expect((await score(e3, 'civic-answers', c.id, '1', 'Evaluator 3 on time now')).status).toBe(302);
  });

  it('closes scoring: a reason is needed while scoresheets are pending', async () => {
    // Evaluator 2 completes and submits their sheet for Civic Answers (knock-outs and Responsible AI only).
    const done = new Set([criteria[0]!.id, e2Criteria.find((c) => c.kind === 'scored')!.id]);
    for (const c of e2Criteria) {
      if (done.has(c.id)) continue;
      expect((await score(e2, 'civic-answers', c.id, c.kind === 'pass_fail' ? '1' : '2', `Evaluator 2 on ${c.id}`)).status).toBe(302);
    }
    expect((await e2.post(scoringPath('civic-answers'), { intent: 'submit', confirmed: 'yes' })).status).toBe(302);

    const noReason = await lead.post(`${base}/evaluation`, { intent: 'consensus' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('not submitted yet');
    expect((await e1.post(`${base}/evaluation`, { intent: 'consensus', reason: 'x' })).status).toBe(403);
    const moved = await lead.post(`${base}/evaluation`, { intent: 'consensus', reason: 'Panel agreed to review Civic Answers first.' });
    expect(moved.status).toBe(200);
    const rfp = await handle.db.selectFrom('rfp').select('status').where('id', '=', rfpId).executeTakeFirstOrThrow();
    expect(rfp.status).toBe('consensus');
    const late = await score(e3, 'civic-answers', criteria[2]!.id, '1', 'too late');
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('only while the RFP is in evaluation');
  });

  it('shows the panel’s scores in consensus to the lead and to evaluators who submitted, and records consensus', async () => {
    const path = `${base}/consensus?submission=${submissions['civic-answers']}`;
    const leadPage = await lead.get(path);
    expect(leadPage.status).toBe(200);
    const leadHtml = await leadPage.text();
    expect(leadHtml).toContain('E1-SECRET-RATIONALE');
    expect(leadHtml).toContain('E2-PRIVATE-RATIONALE');
    expect(leadHtml).toContain('Divergent: spread 80%');
    expect(leadHtml).toContain('Mixed pass/fail — decision required');
    expect(leadHtml).not.toContain('Evaluator 3 on time now'); // evaluator 3 never submitted
    expect(leadHtml).toContain('Record consensus');

    const e1Page = await e1.get(path);
    expect(e1Page.status).toBe(200);
    const e1Html = await e1Page.text();
    expect(e1Html).toContain('E2-PRIVATE-RATIONALE');
    expect(e1Html).not.toContain('Record consensus');
    expect((await e3.get(path)).status).toBe(403);
    expect((await observer.get(path)).status).toBe(403);
    expect((await e1.post(`${base}/consensus`, { intent: 'decide' })).status).toBe(403);

    const first = criteria[0]!;
    expect((await lead.post(`${base}/consensus`, { intent: 'decide', submissionId: submissions['civic-answers']!, criterionId: first.id, value: '1', rationale: '' })).status).toBe(400);
    expect((await lead.post(`${base}/consensus`, { intent: 'decide', submissionId: submissions['civic-answers']!, criterionId: first.id, value: '4', rationale: 'x' })).status).toBe(400);
    const decided = await lead.post(`${base}/consensus`, {
      intent: 'decide',
      submissionId: submissions['civic-answers']!,
      criterionId: first.id,
      value: '1',
      rationale: 'The signed attestation was found in the appendix; the panel agrees it passes.',
    });
    expect(decided.status).toBe(302);
    const after = await (await lead.get(path)).text();
    expect(after).toContain('Mixed pass/fail — decided');
    expect(after).toContain('the panel agrees it passes');
  });

  it('audits every step with before and after', async () => {
    const events = await handle.db.selectFrom('audit_event').selectAll().where('rfp_id', '=', rfpId).orderBy('id').execute();
    const actions = new Set(events.map((e) => e.action));
    for (const action of [
      'assignment.create',
      'assignment.attest',
      'recusal.create',
      'score.create',
      'score.update',
      'scoresheet.submit',
      'scoresheet.reopen',
      'evaluation.due_date',
      'rfp.status',
      'consensus.record',
    ]) {
      expect(actions, action).toContain(action);
    }
    const update = events.find((e) => e.action === 'score.update')!;
    expect(JSON.parse(update.before_json!)).toMatchObject({ value: 1, version: 1, rationale: E1_SECRET });
    expect(JSON.parse(update.after_json!)).toMatchObject({ value: 1, version: 2, rationale: `${E1_SECRET} (revised)` });
    const reopen = events.find((e) => e.action === 'scoresheet.reopen')!;
    expect(reopen.reason).toBe('Evaluator asked to correct a typo in a rationale.');
    expect(reopen.actor_email).toBe('officer@city.example');
    const closing = events.filter((e) => e.action === 'rfp.status').at(-1)!;
    expect(JSON.parse(closing.after_json!)).toMatchObject({ status: 'consensus' });
    expect(closing.reason).toBe('Panel agreed to review Civic Answers first.');
    const due = events.filter((e) => e.action === 'evaluation.due_date');
    expect(due.map((e) => e.reason)).toEqual(['Testing the deadline', 'Extended for evaluator 3']);

    const audit = await (await lead.get(`${base}/audit?action=scoresheet.submit`)).text();
    expect(audit).toContain('scoresheet.submit');
    // The "when" filter: whole UTC days, inclusive.
    const day = reopen.at.slice(0, 10);
    const sameDay = await (await lead.get(`${base}/audit?action=scoresheet.reopen&from=${day}&to=${day}`)).text();
    expect(sameDay).toContain('Evaluator asked to correct a typo');
    const before = await (await lead.get(`${base}/audit?action=scoresheet.reopen&from=2000-01-01&to=2000-01-02`)).text();
    expect(before).not.toContain('Evaluator asked to correct a typo');
    expect(before).toContain('No entries match these filters.');
  });
});
