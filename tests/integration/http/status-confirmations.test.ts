/**
 * Consequential moves of the lifecycle are confirmed (issue 12, item 3): the Status page's forward button opens a
 * confirmation saying what the move will lock or change for this RFP, and asks once; a move before the proposals due
 * date needs a reason, refused without one and kept in the audit log with it; only the lead sees or makes the move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const page = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '');

describe('confirming lifecycle moves', () => {
  let server: TestServer;
  let lead: Visitor;
  let evaluator: Visitor;
  let handle: ReturnType<typeof openDatabase>;
  let rfpId: string;
  let status: string;

  const currentStatus = async () => (await handle.db.selectFrom('rfp').select('status').where('id', '=', rfpId).executeTakeFirstOrThrow()).status;
  const statusEvents = () => handle.db.selectFrom('audit_event').select(['reason', 'after_json']).where('rfp_id', '=', rfpId).where('action', '=', 'rfp.status').orderBy('seq').execute();

  beforeAll(async () => {
    server = await startTestServer();
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    evaluator = new Visitor(server.baseUrl);
    await evaluator.login('evaluator1@city.example');
    handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    status = `/rfps/${rfpId}/status`;
    // Proposals are due in ten days: moving to evaluation now is early.
    await handle.db.updateTable('rfp').set({ proposals_due_at: new Date(Date.now() + 10 * 86_400_000).toISOString() }).where('id', '=', rfpId).execute();
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('offers the move as a step to a confirmation, not as a button that moves at once', async () => {
    const html = await page(await lead.get(status));
    expect(html).toContain(`href="${status}?move=evaluation"`);
    expect(html).toContain('Move to evaluation…');
    expect(html).not.toMatch(/<button[^>]*>Move to/);
  });

  it('says what evaluation will lock, and asks a reason before the proposals due date', async () => {
    const html = await page(await lead.get(`${status}?move=evaluation`));
    expect(html).toContain('Move DEMO-311-GENAI to evaluation?');
    expect(html).toMatch(/The responses of [^<]*Civic Answers Inc\.[^<]* are locked: answers, prices, attachments and statuses can no longer be changed/);
    expect(html).toContain('Proposals are due');
    expect(html).toContain('starting the evaluation before then needs a reason');
    expect(html).toMatch(/<textarea[^>]*name="reason"[^>]*required/);
    expect(html).toMatch(/<button type="submit"[^>]*>Move to evaluation<\/button>/);
  });

  it('shows the confirmation only to the lead, and refuses the move from anyone else', async () => {
    const html = await page(await evaluator.get(`${status}?move=evaluation`));
    expect(html).not.toContain('Move DEMO-311-GENAI to evaluation?');
    const refused = await evaluator.post(status, { from: 'open', to: 'evaluation', reason: 'Let me in' });
    expect(refused.status).toBe(403);
    expect(await currentStatus()).toBe('open');
  });

  it('refuses an early move without a reason, saying why at the reason field, and moves nothing', async () => {
    const before = (await statusEvents()).length;
    const refused = await lead.post(`${status}?move=evaluation`, { from: 'open', to: 'evaluation', reason: '  ' });
    expect(refused.status).toBe(409);
    const html = await page(refused);
    expect(html).toContain('href="#reason"');
    expect(html).toContain('starting the evaluation before then needs a reason, which is kept in the audit log.');
    expect(await currentStatus()).toBe('open');
    expect((await statusEvents()).length).toBe(before);
  });

  it('moves early with the reason, and keeps the reason in the audit log', async () => {
    const moved = await lead.post(`${status}?move=evaluation`, { from: 'open', to: 'evaluation', reason: 'Every invited vendor has responded.' });
    expect(moved.status).toBe(200);
    expect(await page(moved)).toContain('The RFP is now in evaluation.');
    expect(await currentStatus()).toBe('evaluation');
    const last = (await statusEvents()).at(-1)!;
    expect(last.reason).toBe('Every invited vendor has responded.');
    expect(JSON.parse(last.after_json!)).toMatchObject({ status: 'evaluation' });
  });

  it('says that closing scoring ends the evaluators’ work, and asks a reason when nobody is assigned', async () => {
    const html = await page(await lead.get(`${status}?move=consensus`));
    expect(html).toContain('Close scoring of DEMO-311-GENAI?');
    expect(html).toContain('evaluators can no longer change or submit scoresheets');
    expect(html).toContain('No evaluator is assigned: closing scoring now needs a reason');
    const refused = await lead.post(`${status}?move=consensus`, { from: 'evaluation', to: 'consensus' });
    expect(refused.status).toBe(409);
    expect(await currentStatus()).toBe('evaluation');
  });

  it('says opening freezes this questionnaire version and what reopening it costs', async () => {
    expect((await lead.post(status, { from: 'evaluation', to: 'draft', reason: 'Add a data-retention question' })).status).toBe(200);
    const { version } = await handle.db.selectFrom('rfp').select('questionnaire_version as version').where('id', '=', rfpId).executeTakeFirstOrThrow();
    const questions = await handle.db.selectFrom('question').select((eb) => eb.fn.countAll<number>().as('n')).where('rfp_id', '=', rfpId).executeTakeFirstOrThrow();
    const html = await page(await lead.get(`${status}?move=open`));
    expect(html).toContain('Open DEMO-311-GENAI for responses?');
    expect(html).toContain(`The questionnaire is frozen as version ${version}: ${Number(questions.n)} questions in`);
    expect(html).toContain(`starts version ${version + 1} and marks workbooks already sent as outdated`);
    // Nothing early about opening: no reason asked.
    expect(html).not.toMatch(/<textarea[^>]*name="reason"/);
    expect((await lead.post(`${status}?move=open`, { from: 'draft', to: 'open' })).status).toBe(200);
    expect(await currentStatus()).toBe('open');
  });
});
