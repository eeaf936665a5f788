/**
 * The evaluation's data rules on the database itself (run on SQLite and PostgreSQL): versions, the scoring window
 * read inside the write's transaction, the submitted lock, reopening, the panel's view and consensus.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import {
  assignEvaluator,
  attestConflicts,
  listPanelScores,
  recordConsensusDecision,
  reopenScoresheet,
  saveEvaluatorScore,
  submitScoresheet,
} from '#db/queries/evaluation';
import { seedDemo } from '#db/seed';
import { createTestDatabase } from '#tests/support/db';

describe('evaluation queries', () => {
  let handle: DatabaseHandle;
  let rfpId: string;
  let lead: { id: string; email: string };
  let e1: { id: string; email: string };
  let e2: { id: string; email: string };
  let submissions: Array<{ id: string; vendor_id: string }>;
  let criteria: string[];

  beforeEach(async () => {
    handle = await createTestDatabase();
    ({ rfpId } = await seedDemo(handle.db));
    const users = await handle.db.selectFrom('app_user').select(['id', 'email']).execute();
    const byEmail = (email: string) => users.find((u) => u.email === email)!;
    lead = byEmail('officer@city.example');
    e1 = byEmail('evaluator1@city.example');
    e2 = byEmail('evaluator2@city.example');
    submissions = await handle.db.selectFrom('submission').select(['id', 'vendor_id']).where('rfp_id', '=', rfpId).orderBy('id').execute();
    criteria = (
      await handle.db.selectFrom('criterion').select('id').where('rfp_id', '=', rfpId).where('kind', '=', 'scored').orderBy('position').limit(2).execute()
    ).map((c) => c.id);
    for (const e of [e1, e2]) {
      await assignEvaluator(handle.db, lead, { rfpId, userId: e.id, email: e.email, sectionIds: null, mailOrigin: 'http://localhost:3000' });
      await attestConflicts(handle.db, e, { rfpId, userId: e.id, statement: 'S', statementSha256: 'h', declared: null });
    }
    await handle.db.updateTable('rfp').set({ status: 'evaluation', evaluation_due_at: '2099-01-01T00:00:00.000Z' }).where('id', '=', rfpId).execute();
  }, 60_000);

  afterEach(async () => {
    await handle.close();
  });

  const input = (over: Partial<Parameters<typeof saveEvaluatorScore>[2]> = {}) => ({
    rfpId,
    submissionId: submissions[0]!.id,
    criterionId: criteria[0]!,
    evaluatorId: e1.id,
    value: 3,
    rationale: 'Good evidence.',
    version: 0,
    ...over,
  });

  it('creates version 1, refuses a stale version with the current score, and bumps the version on change', async () => {
    const created = await saveEvaluatorScore(handle.db, e1, input());
    expect(created).toMatchObject({ ok: true, changed: true, score: { version: 1, value: 3 } });
    const stale = await saveEvaluatorScore(handle.db, e1, input({ value: 1, rationale: 'Other tab' }));
    expect(stale).toMatchObject({ ok: false, refusal: { kind: 'stale', current: { version: 1, value: 3, rationale: 'Good evidence.' } } });
    const same = await saveEvaluatorScore(handle.db, e1, input({ version: 1 }));
    expect(same).toMatchObject({ ok: true, changed: false });
    const updated = await saveEvaluatorScore(handle.db, e1, input({ version: 1, value: 4, rationale: 'Better on reflection.' }));
    expect(updated).toMatchObject({ ok: true, score: { version: 2, value: 4 } });
    const events = await handle.db.selectFrom('audit_event').select(['action', 'before_json', 'after_json']).where('entity', '=', 'score').orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['score.create', 'score.update']);
    expect(JSON.parse(events[1]!.before_json!)).toEqual({ value: 3, rationale: 'Good evidence.', version: 1 });
  });

  it('lets exactly one of two concurrent saves of the same version through', async () => {
    await saveEvaluatorScore(handle.db, e1, input());
    const [a, b] = await Promise.all([
      saveEvaluatorScore(handle.db, e1, input({ version: 1, value: 1, rationale: 'Tab A' })),
      saveEvaluatorScore(handle.db, e1, input({ version: 1, value: 5, rationale: 'Tab B' })),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const row = await handle.db.selectFrom('score').select(['version', 'rationale']).where('evaluator_id', '=', e1.id).executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
  });

  it('reads the scoring window inside the transaction and writes nothing when it is closed', async () => {
    await handle.db.updateTable('rfp').set({ evaluation_due_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', rfpId).execute();
    expect(await saveEvaluatorScore(handle.db, e1, input())).toEqual({ ok: false, refusal: { kind: 'closed', dueAt: '2020-01-01T00:00:00.000Z' } });
    // The same instant just before the due date is still open.
    expect((await saveEvaluatorScore(handle.db, e1, input(), new Date('2019-12-31T23:59:59.000Z'))).ok).toBe(true);
    await handle.db.updateTable('rfp').set({ status: 'consensus' }).where('id', '=', rfpId).execute();
    expect(await saveEvaluatorScore(handle.db, e2, input({ evaluatorId: e2.id }))).toEqual({ ok: false, refusal: { kind: 'status', status: 'consensus' } });
    const sheets = await handle.db.selectFrom('scoresheet').select('evaluator_id').execute();
    expect(sheets.map((s) => s.evaluator_id)).toEqual([e1.id]);
  });

  it('submits only a complete sheet, locks it, and reopens it for the lead with a reason', async () => {
    await saveEvaluatorScore(handle.db, e1, input());
    const incomplete = await submitScoresheet(handle.db, e1, { rfpId, submissionId: submissions[0]!.id, evaluatorId: e1.id, requiredCriterionIds: criteria });
    expect(incomplete).toEqual({ ok: false, refusal: { kind: 'incomplete', missing: [criteria[1]] } });
    await saveEvaluatorScore(handle.db, e1, input({ criterionId: criteria[1]! }));
    expect(await submitScoresheet(handle.db, e1, { rfpId, submissionId: submissions[0]!.id, evaluatorId: e1.id, requiredCriterionIds: criteria })).toEqual({ ok: true });
    expect(await saveEvaluatorScore(handle.db, e1, input({ version: 1, value: 0 }))).toEqual({ ok: false, refusal: { kind: 'submitted' } });
    const sheet = { rfpId, submissionId: submissions[0]!.id, evaluatorId: e1.id, reason: 'Typo' };
    expect(await reopenScoresheet(handle.db, lead, sheet)).toEqual({ ok: true });
    expect(await reopenScoresheet(handle.db, lead, sheet)).toEqual({ ok: false, refusal: { kind: 'not-submitted' } });
    expect((await saveEvaluatorScore(handle.db, e1, input({ version: 1, value: 0 }))).ok).toBe(true);
  });

  it('shows the panel only submitted scores of evaluators not recused, and records consensus only in consensus', async () => {
    await saveEvaluatorScore(handle.db, e1, input({ rationale: 'E1 submitted' }));
    await saveEvaluatorScore(handle.db, e2, input({ evaluatorId: e2.id, rationale: 'E2 in progress' }));
    await submitScoresheet(handle.db, e1, { rfpId, submissionId: submissions[0]!.id, evaluatorId: e1.id, requiredCriterionIds: [criteria[0]!] });
    expect((await listPanelScores(handle.db, rfpId)).map((p) => p.rationale)).toEqual(['E1 submitted']);
    await handle.db.insertInto('recusal').values({ rfp_id: rfpId, user_id: e1.id, vendor_id: submissions[0]!.vendor_id, reason: 'r', created_at: new Date().toISOString() }).execute();
    expect(await listPanelScores(handle.db, rfpId)).toEqual([]);

    const decision = { rfpId, submissionId: submissions[0]!.id, criterionId: criteria[0]!, value: 3, rationale: 'Agreed' };
    expect(await recordConsensusDecision(handle.db, lead, decision)).toEqual({ ok: false, refusal: { kind: 'status', status: 'evaluation' } });
    await handle.db.updateTable('rfp').set({ status: 'consensus' }).where('id', '=', rfpId).execute();
    expect(await recordConsensusDecision(handle.db, lead, decision)).toEqual({ ok: true, changed: true });
    expect(await recordConsensusDecision(handle.db, lead, decision)).toEqual({ ok: true, changed: false });
    expect(await recordConsensusDecision(handle.db, lead, { ...decision, value: 4 })).toEqual({ ok: true, changed: true });
    const actions = (await handle.db.selectFrom('audit_event').select('action').where('entity', '=', 'consensus_score').orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['consensus.record', 'consensus.update']);
  });
});
