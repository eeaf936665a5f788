/**
 * Questionnaire versions through the real server (issue 12, item 5): opening keeps the questionnaire vendors receive;
 * after going back to draft, the draft — and later the next version — is compared with the one before, word by word.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { DEMO_RISK_ANSWERS } from '#db/seed';
import { optionsToText } from '#app/rfp/questionnaire-forms';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('questionnaire versions', () => {
  let server: TestServer;
  let officer: Visitor;
  let handle: DatabaseHandle;
  let rfpPath: string;
  let rfpId: string;

  const page = async (path: string) => (await (await officer.get(path)).text()).replaceAll('<!-- -->', '');

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const created = await officer.post('/rfps/new', { reference: 'RFP-VER-12', title: 'Signal timing', department: 'Transportation', summary: 'Adaptive signals.' });
    rfpPath = created.headers.get('location')!;
    rfpId = rfpPath.split('/').pop()!;
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'apply-template', templateId: 'generative-ai-311' })).status).toBe(302);
    expect((await officer.post(`${rfpPath}/risk`, DEMO_RISK_ANSWERS)).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  const kept = () => handle.db.selectFrom('questionnaire_version').select(['version', 'snapshot_json', 'actor_email']).where('rfp_id', '=', rfpId).orderBy('version').execute();

  it('keeps nothing before the RFP opens, and version 1 as it opens', async () => {
    expect(await kept()).toEqual([]);
    expect(await page(`${rfpPath}/questionnaire/versions`)).toContain('No version has been published yet: version 1 is kept when the RFP opens.');
    expect((await officer.post(`${rfpPath}/status`, { to: 'open', from: 'draft' })).status).toBe(200);
    const [v1] = await kept();
    expect(v1).toMatchObject({ version: 1, actor_email: 'officer@city.example' });
    const questions = await handle.db.selectFrom('question').select('key').where('rfp_id', '=', rfpId).execute();
    const snapshot = JSON.parse(v1!.snapshot_json) as { sections: Array<{ criteria: Array<{ questions: Array<{ key: string }> }> }> };
    expect(snapshot.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions.map((q) => q.key))).sort()).toEqual(questions.map((q) => q.key).sort());
    const html = await page(`${rfpPath}/questionnaire/versions`);
    expect(html).toContain('<th scope="row">Version 1</th>');
    expect(html).toContain('There is nothing to compare yet');
  });

  it('compares the reopened draft with version 1, then version 2 with version 1 once it opens', async () => {
    expect((await officer.post(`${rfpPath}/status`, { to: 'draft', from: 'open', reason: 'Ask about data retention' })).status).toBe(200);
    const first = await handle.db
      .selectFrom('question')
      .innerJoin('criterion', 'criterion.id', 'question.criterion_id')
      .select(['question.id', 'question.key', 'question.text', 'question.answer_type', 'question.options_json', 'question.required', 'criterion.id as criterionId'])
      .where('question.rfp_id', '=', rfpId)
      .orderBy('criterion.position')
      .orderBy('question.position')
      .executeTakeFirstOrThrow();
    const edited = await officer.post(`${rfpPath}/questionnaire/questions/${first.id}`, {
      key: first.key,
      text: `${first.text} Include third-party models.`,
      answerType: first.answer_type,
      options: optionsToText(JSON.parse(first.options_json)),
      required: first.required ? 'yes' : 'no',
    });
    expect(edited.status).toBe(200);
    const added = await officer.post(`${rfpPath}/questionnaire/criteria/${first.criterionId}`, { intent: 'add-question', key: 'RET-01', text: 'How long are call recordings kept?', answerType: 'text', required: 'yes' });
    expect(added.status).toBe(302);

    const draft = await page(`${rfpPath}/questionnaire/versions`);
    expect(draft).toContain('<option value="draft" selected="">The draft (version 2, not published yet) against version 1</option>');
    expect(draft).toContain('1 question added, 1 changed.');
    expect(draft).toContain(`Question ${first.key}`);
    expect(draft).toMatch(/<ins><span class="usa-sr-only">\[The draft \(version 2\): <\/span>\s?Include third-party models\.<span class="usa-sr-only">\]<\/span><\/ins>/);
    expect(draft).toContain('Question RET-01');
    expect(draft).toContain('How long are call recordings kept?');

    expect((await officer.post(`${rfpPath}/status`, { to: 'open', from: 'draft' })).status).toBe(200);
    expect((await kept()).map((v) => v.version)).toEqual([1, 2]);
    // Later edits in a third draft do not change what version 2 was.
    expect((await officer.post(`${rfpPath}/status`, { to: 'draft', from: 'open', reason: 'One more change' })).status).toBe(200);
    const criteria = await handle.db.selectFrom('criterion').select('id').where('rfp_id', '=', rfpId).where('kind', '=', 'info').execute();
    for (const c of criteria) expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'delete', level: 'criterion', id: c.id })).status).toBe(302);
    const v2 = await page(`${rfpPath}/questionnaire/versions?compare=2`);
    expect(v2).toContain('Version 2 against version 1');
    expect(v2).toContain('1 question added, 1 changed.');
    const v3 = await page(`${rfpPath}/questionnaire/versions`);
    expect(v3).toContain('The draft (version 3) against version 2');
    expect(v3).toMatch(/\d+ questions? removed; \d+ criteri(on|a) removed\./);
  });

  it('is readable by the RFP’s members only', async () => {
    const outsider = new Visitor(server.baseUrl);
    await outsider.login('evaluator2@city.example');
    expect((await outsider.get(`${rfpPath}/questionnaire/versions`)).status).toBe(404);
    const anonymous = new Visitor(server.baseUrl);
    expect((await anonymous.get(`${rfpPath}/questionnaire/versions`)).status).toBe(302);
  });
});
