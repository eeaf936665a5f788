/**
 * The lifecycle locks hold where the write happens (issue 10, item 2), against the real server:
 * - a request whose body arrives slowly, across a change of status, is refused with the 409 lock message and saves
 *   nothing (the status is read again inside the write's transaction, not only before the body);
 *   (vendor answers, weights, and scores — whose check was already in the transaction);
 * - simultaneous "move forward" clicks move the RFP once, with one audit event (compare-and-set on the status);
 * - an id posted in a form that belongs to another RFP is refused, and nothing changes.
 * Runs on SQLite and on PostgreSQL (TEST_DATABASE).
 */
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

/** How long the first half of a slow body waits before the rest is sent: enough for the action to start. */
const BODY_PAUSE_MS = 400;

interface SlowPost {
  /** Sends the rest of the body and resolves with the response. */
  finish(): Promise<{ status: number; body: string }>;
}

/**
 * Starts a same-origin form post and sends only the first half of its body; the server has run the action's
 * guards and waits in `request.formData()` until `finish()` sends the rest.
 */
async function startSlowPost(baseUrl: string, path: string, cookie: string, fields: Record<string, string>): Promise<SlowPost> {
  const body = Buffer.from(new URLSearchParams(fields).toString());
  const half = Math.floor(body.length / 2);
  let settle!: (value: { status: number; body: string }) => void;
  let fail!: (error: Error) => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const url = new URL(path, baseUrl);
  const request = httpRequest(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), origin: baseUrl, cookie },
    },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => settle({ status: res.statusCode ?? 0, body: text }));
    },
  );
  request.on('error', fail);
  request.flushHeaders();
  request.write(body.subarray(0, half));
  await sleep(BODY_PAUSE_MS);
  return {
    finish: async () => {
      request.end(body.subarray(half));
      return response;
    },
  };
}

const text = (html: string) => html.replaceAll('<!-- -->', '').replaceAll('&#x27;', "'").replaceAll('&quot;', '"');

describe('locks are checked where the write happens', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let lead: Visitor;
  let rfpId: string;

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  const status = async () => (await handle.db.selectFrom('rfp').select('status').where('id', '=', rfpId).executeTakeFirstOrThrow()).status;
  const auditCount = async (action: string) => (await handle.db.selectFrom('audit_event').select('id').where('rfp_id', '=', rfpId).where('action', '=', action).execute()).length;
  const statusEvents = () => auditCount('rfp.status');

  it('refuses a vendor answer whose body was still arriving when evaluation started, and saves nothing', async () => {
    expect(await status()).toBe('open');
    const answer = await handle.db
      .selectFrom('answer')
      .innerJoin('question', 'question.id', 'answer.question_id')
      .innerJoin('criterion', 'criterion.id', 'question.criterion_id')
      .select(['answer.submission_id', 'answer.question_id', 'answer.value_json', 'criterion.section_id'])
      .where('answer.rfp_id', '=', rfpId)
      .where('question.answer_type', '=', 'text')
      .executeTakeFirstOrThrow();
    const slow = await startSlowPost(server.baseUrl, `/rfps/${rfpId}/vendors/${answer.submission_id}`, lead.sessionCookie, {
      intent: 'answers',
      sectionId: answer.section_id,
      [`present-${answer.question_id}`]: '1',
      [`answer-${answer.question_id}`]: 'An answer written after the deadline, which must not reach the evaluators.',
    });
    const savesBefore = await auditCount('answer.save');
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'evaluation' })).status).toBe(200);
    const refused = await slow.finish();
    expect(refused.status).toBe(409);
    expect(text(refused.body)).toContain('cannot be changed while the RFP is in evaluation: responses are locked once evaluation starts');
    const after = await handle.db.selectFrom('answer').select('value_json').where('submission_id', '=', answer.submission_id).where('question_id', '=', answer.question_id).executeTakeFirstOrThrow();
    expect(after.value_json).toBe(answer.value_json);
    expect(await auditCount('answer.save')).toBe(savesBefore);
  });

  it('refuses a weight change whose body was still arriving when the RFP opened, and saves nothing', async () => {
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'draft', reason: 'Reword a question' })).status).toBe(200);
    const criterion = await handle.db.selectFrom('criterion').selectAll().where('rfp_id', '=', rfpId).where('kind', '=', 'scored').orderBy('position').executeTakeFirstOrThrow();
    const rubric = Object.fromEntries((JSON.parse(criterion.rubric_json) as Array<{ level: number; anchor: string }>).map((r) => [`rubric-${r.level}`, r.anchor]));
    const slow = await startSlowPost(server.baseUrl, `/rfps/${rfpId}/questionnaire/criteria/${criterion.id}`, lead.sessionCookie, {
      intent: 'update',
      key: criterion.key,
      title: criterion.title,
      description: criterion.description ?? '',
      kind: criterion.kind,
      points: String(Number(criterion.points) + 7),
      ...rubric,
    });
    const updatesBefore = await auditCount('criterion.update');
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'open' })).status).toBe(200);
    const refused = await slow.finish();
    expect(refused.status).toBe(409);
    expect(text(refused.body)).toContain('is locked because the RFP is open for responses: vendors are answering this version of it');
    const after = await handle.db.selectFrom('criterion').select('points').where('id', '=', criterion.id).executeTakeFirstOrThrow();
    expect(Number(after.points)).toBe(Number(criterion.points));
    expect(await auditCount('criterion.update')).toBe(updatesBefore);
  });

  it('moves the RFP once when the lead clicks "move forward" many times at once, with one audit event', async () => {
    expect(await status()).toBe('open');
    const before = await statusEvents();
    const clicks = await Promise.all(Array.from({ length: 8 }, () => lead.post(`/rfps/${rfpId}/status`, { to: 'evaluation' })));
    const codes = clicks.map((r) => r.status).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(await status()).toBe('evaluation');
    expect((await statusEvents()) - before).toBe(1);
  });

  it('refuses a move from a status the RFP is no longer in (the page was out of date)', async () => {
    expect(await status()).toBe('evaluation');
    const before = await statusEvents();
    const stale = await lead.post(`/rfps/${rfpId}/status`, { from: 'open', to: 'evaluation' });
    expect(stale.status).toBe(409);
    expect(text(await stale.text())).toContain('The RFP was moved by someone else');
    expect(await statusEvents()).toBe(before);
  });

  it('refuses a score whose body was still arriving when scoring closed, and saves nothing', async () => {
    expect(await status()).toBe('evaluation');
    const evaluatorUser = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator1@city.example').executeTakeFirstOrThrow();
    expect((await lead.post(`/rfps/${rfpId}/evaluation`, { intent: 'assign', evaluatorId: evaluatorUser.id, scope: 'whole' })).status).toBe(200);
    const evaluator = new Visitor(server.baseUrl);
    await evaluator.login('evaluator1@city.example');
    expect((await evaluator.post(`/rfps/${rfpId}/evaluate`, { intent: 'attest', coi: 'none', confirm: 'yes' })).status).toBe(302);
    const submission = await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).where('status', '=', 'responsive').executeTakeFirstOrThrow();
    const criterion = await handle.db.selectFrom('criterion').select('id').where('rfp_id', '=', rfpId).where('kind', '=', 'scored').orderBy('position').executeTakeFirstOrThrow();
    const slow = await startSlowPost(server.baseUrl, `/rfps/${rfpId}/evaluate/${submission.id}`, evaluator.sessionCookie, {
      intent: 'score',
      criterionId: criterion.id,
      value: '4',
      rationale: 'Written while the lead was closing scoring.',
      version: '0',
    });
    expect((await lead.post(`/rfps/${rfpId}/status`, { from: 'evaluation', to: 'consensus', reason: 'The panel has enough to decide' })).status).toBe(200);
    const refused = await slow.finish();
    expect(refused.status).toBe(409);
    expect(text(refused.body)).toContain('Scores can be saved only while the RFP is in evaluation; it is consensus now.');
    expect(await handle.db.selectFrom('score').select('id').where('rfp_id', '=', rfpId).where('evaluator_id', '=', evaluatorUser.id).execute()).toEqual([]);
  });

  it('refuses a section of another RFP, or a vendor not in the registry, posted in a form, and changes nothing', async () => {
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'draft', reason: 'Add a criterion' })).status).toBe(200);
    const created = await lead.post('/rfps/new', { reference: 'OTHER-RFP-1', title: 'Another RFP', department: 'Parks', summary: 'A second procurement.' });
    expect(created.status).toBe(302);
    const otherId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'OTHER-RFP-1').executeTakeFirstOrThrow()).id;
    expect((await lead.post(`/rfps/${otherId}/questionnaire`, { intent: 'add-section', title: 'Theirs' })).status).toBe(302);
    const theirSection = await handle.db.selectFrom('section').select('id').where('rfp_id', '=', otherId).executeTakeFirstOrThrow();
    const count = async (table: 'criterion' | 'section' | 'question') => Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const criteriaBefore = await count('criterion');

    // A criterion added to "this" RFP under another RFP's section.
    const attached = await lead.post(`/rfps/${rfpId}/questionnaire`, { intent: 'add-criterion', sectionId: theirSection.id, title: 'Smuggled', kind: 'scored', points: '5' });
    expect([400, 404]).toContain(attached.status);
    expect(await count('criterion')).toBe(criteriaBefore);
    expect(await handle.db.selectFrom('criterion').select('id').where('section_id', '=', theirSection.id).execute()).toEqual([]);

    // Moving, duplicating or deleting another RFP's section through this RFP's page.
    for (const intent of ['move', 'duplicate', 'delete'] as const) {
      const sectionsBefore = await count('section');
      const response = await lead.post(`/rfps/${rfpId}/questionnaire`, { intent, level: 'section', id: theirSection.id, direction: 'up' });
      expect([400, 404]).toContain(response.status);
      expect(await count('section')).toBe(sectionsBefore);
    }
    expect(await handle.db.selectFrom('section').select('id').where('id', '=', theirSection.id).executeTakeFirst()).toBeDefined();

    // A vendor id that is in no registry row: a clear 400, not a foreign-key failure.
    const submissionsBefore = Number((await handle.db.selectFrom('submission').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const unknownVendor = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-existing', vendorId: 'no-such-vendor' });
    expect(unknownVendor.status).toBe(400);
    expect(text(await unknownVendor.text())).toContain('Choose a vendor from the registry.');
    expect(Number((await handle.db.selectFrom('submission').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(submissionsBefore);
  });
});
