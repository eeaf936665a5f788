/**
 * The builder's rules through the real server: weights must add up before an RFP opens, the lock answers 409
 * with a reason, going back needs a reason, and each step is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { DEMO_RISK_ANSWERS } from '#db/seed';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('building and opening an RFP', () => {
  let server: TestServer;
  let officer: Visitor;
  let rfpPath: string;

  beforeAll(async () => {
    server = await startTestServer();
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const created = await officer.post('/rfps/new', { reference: 'RFP-BUILD-1', title: 'Permit assistant', department: 'Buildings', summary: 'Pre-screens permits.' });
    expect(created.status).toBe(302);
    rfpPath = created.headers.get('location')!;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('starts from a template, refuses to open while problems remain, and opens once they are fixed', async () => {
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'apply-template', templateId: 'generative-ai-311' })).status).toBe(302);
    const builder = await (await officer.get(`${rfpPath}/questionnaire`)).text();
    expect(builder).toMatch(/Total \(target (?:<!-- -->)?100/);
    expect(builder).toContain('The AI risk tier has not been assessed.');

    const refused = await officer.post(`${rfpPath}/status`, { to: 'open' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('The AI risk tier has not been assessed.');

    expect((await officer.post(`${rfpPath}/risk`, DEMO_RISK_ANSWERS)).status).toBe(200);
    const risk = await (await officer.get(`${rfpPath}/risk`)).text();
    expect(risk).toContain('Level II');

    // Break the weights: a new scored criterion of 5 points makes 105 and has no rubric or question.
    const handle = openDatabase(server.databaseUrl);
    const rfpId = rfpPath.split('/').pop()!;
    const section = await handle.db.selectFrom('section').select('id').where('rfp_id', '=', rfpId).orderBy('position').executeTakeFirstOrThrow();
    const added = await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-criterion', sectionId: section.id, title: 'Extra', kind: 'scored', points: '5' });
    expect(added.status).toBe(302);
    const blocked = await officer.post(`${rfpPath}/status`, { to: 'open' });
    expect(blocked.status).toBe(409);
    const text = await blocked.text();
    expect(text).toContain('Points add up to 105, not 100.');
    expect(text).toMatch(/has no rubric anchor for levels 0, 1, 2, 3, 4, 5/);
    expect(text).toMatch(/Extra.{0,20} has no question/);

    const extra = await handle.db.selectFrom('criterion').select('id').where('rfp_id', '=', rfpId).where('title', '=', 'Extra').executeTakeFirstOrThrow();
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'delete', level: 'criterion', id: extra.id })).status).toBe(302);
    const opened = await officer.post(`${rfpPath}/status`, { to: 'open' });
    expect(opened.status).toBe(200);

    // Locked: the server refuses any questionnaire write with 409 and says why.
    const locked = await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-section', title: 'Late addition' });
    expect(locked.status).toBe(409);
    expect(await locked.text()).toMatch(/locked because the RFP is open for responses/);
    const question = await handle.db.selectFrom('question').select('id').where('rfp_id', '=', rfpId).executeTakeFirstOrThrow();
    expect((await officer.post(`${rfpPath}/questionnaire/questions/${question.id}`, { key: 'X', text: 'changed', answerType: 'text' })).status).toBe(409);

    // Going back needs a reason, and starts a new questionnaire version.
    const noReason = await officer.post(`${rfpPath}/status`, { to: 'draft', reason: '' });
    expect(noReason.status).toBe(409);
    expect(await noReason.text()).toContain('Going back needs a reason');
    expect((await officer.post(`${rfpPath}/status`, { to: 'draft', reason: 'Add a data-retention question' })).status).toBe(200);
    const rfp = await handle.db.selectFrom('rfp').selectAll().where('id', '=', rfpId).executeTakeFirstOrThrow();
    expect(rfp.status).toBe('draft');
    expect(rfp.questionnaire_version).toBe(2);
    const events = await handle.db.selectFrom('audit_event').selectAll().where('rfp_id', '=', rfpId).where('action', '=', 'rfp.status').orderBy('id').execute();
    expect(events.map((e) => [JSON.parse(e.after_json!).status, e.reason])).toEqual([
      ['open', null],
      ['draft', 'Add a data-retention question'],
    ]);
    await handle.close();
  });

  it('lets only the lead edit: an evaluator member gets 403, a non-member 404', async () => {
    const evaluator = new Visitor(server.baseUrl);
    await evaluator.login('evaluator1@city.example');
    expect((await evaluator.post(`${rfpPath}/questionnaire`, { intent: 'add-section', title: 'x' })).status).toBe(404);
    const handle = openDatabase(server.databaseUrl);
    const user = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator1@city.example').executeTakeFirstOrThrow();
    await handle.close();
    expect((await officer.post(`${rfpPath}/members`, { intent: 'add', userId: user.id, role: 'evaluator' })).status).toBe(200);
    expect((await evaluator.get(`${rfpPath}/questionnaire`)).status).toBe(200);
    expect((await evaluator.post(`${rfpPath}/questionnaire`, { intent: 'add-section', title: 'x' })).status).toBe(403);
  });

  it('clones the questionnaire (not vendors) into a new draft the cloner leads', async () => {
    const handle = openDatabase(server.databaseUrl);
    const demo = await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    const cloned = await officer.post(`/rfps/${demo.id}/clone`, { reference: 'RFP-NEXT-311', title: 'Next 311 assistant' });
    expect(cloned.status).toBe(302);
    const next = await handle.db.selectFrom('rfp').selectAll().where('reference', '=', 'RFP-NEXT-311').executeTakeFirstOrThrow();
    expect(next.status).toBe('draft');
    expect(next.risk_tier).toBe('II');
    const count = async (table: 'question' | 'criterion' | 'submission', rfpId: string) =>
      Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('rfp_id', '=', rfpId).executeTakeFirstOrThrow()).n);
    expect(await count('question', next.id)).toBe(await count('question', demo.id));
    expect(await count('criterion', next.id)).toBe(await count('criterion', demo.id));
    expect(await count('submission', next.id)).toBe(0);
    const again = await officer.post(`/rfps/${demo.id}/clone`, { reference: 'RFP-NEXT-311', title: 'Again' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already exists');
    await handle.close();
  });

  it('adds single questions from the banks into the matching criterion, and reorders', async () => {
    const added = await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-questions', questionKeys: 'PRIV-01' });
    expect(added.status).toBe(200);
    const handle = openDatabase(server.databaseUrl);
    const rfpId = rfpPath.split('/').pop()!;
    const sections = await handle.db.selectFrom('section').select(['id', 'position']).where('rfp_id', '=', rfpId).orderBy('position').execute();
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'move', level: 'section', id: sections[1]!.id, direction: 'up' })).status).toBe(302);
    const after = await handle.db.selectFrom('section').select(['id', 'position']).where('rfp_id', '=', rfpId).orderBy('position').execute();
    expect(after[0]!.id).toBe(sections[1]!.id);
    expect(after.map((s) => s.position)).toEqual(after.map((_, i) => i));
    await handle.close();
  });

  it('refuses to delete a question or criterion that vendors have answered, even after reopening to draft', async () => {
    const handle = openDatabase(server.databaseUrl);
    const demo = await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    expect((await officer.post(`/rfps/${demo.id}/status`, { to: 'draft', reason: 'Clarify a question' })).status).toBe(200);
    const answered = await handle.db
      .selectFrom('answer')
      .innerJoin('question', 'question.id', 'answer.question_id')
      .select(['question.id as questionId', 'question.criterion_id as criterionId'])
      .where('answer.rfp_id', '=', demo.id)
      .executeTakeFirstOrThrow();
    for (const [level, id] of [['question', answered.questionId], ['criterion', answered.criterionId]] as const) {
      const refused = await officer.post(`/rfps/${demo.id}/questionnaire`, { intent: 'delete', level, id });
      expect(refused.status).toBe(409);
      expect(await refused.text()).toMatch(new RegExp(`This ${level} cannot be deleted: \\d+ vendor answers? depends? on it`));
    }
    const still = await handle.db.selectFrom('question').select('id').where('id', '=', answered.questionId).executeTakeFirst();
    expect(still).toBeDefined();
    await handle.close();
  });
});
