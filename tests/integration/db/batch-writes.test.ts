/**
 * The batched writes the imports use (db/queries/batch.ts): what a questionnaire import adds next to what an RFP
 * already has, and a workbook's worth of answers saved at once, on both dialects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { listAuditEvents, SYSTEM_ACTOR } from '#db/queries/audit';
import { applyImport, createCriterion, createQuestion, createSection, getQuestionnaire, ImportConflictError, prepareImport, type QuestionInput } from '#db/queries/questionnaire';
import { getAnswers, saveAnswers } from '#db/queries/responses';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import { createSubmission, createVendor } from '#db/queries/vendors';
import { createTestDatabase } from '#tests/support/db';

const question = (key: string, text = `Question ${key}?`): QuestionInput & { key: string } => ({
  key,
  text,
  guidance: null,
  strongAnswer: null,
  answerType: 'text',
  options: [],
  required: true,
  references: [],
});

describe('batched writes', () => {
  let handle: DatabaseHandle;
  let rfpId: string;
  let actor: { id: string; email: string };
  beforeEach(async () => {
    handle = await createTestDatabase();
    const officer = await createUser(handle.db, SYSTEM_ACTOR, { email: 'officer@city.example', name: 'Officer', role: 'officer', passwordHash: 'x' });
    actor = { id: officer.id, email: officer.email };
    rfpId = (await createRfp(handle.db, officer, { reference: 'RFP-B', title: 'B', department: 'D', summary: 'S' })).id;
  });
  afterEach(async () => {
    await handle.close();
  });

  it('adds an import exactly as prepared: a known section title gets the questions under its first criterion, other sections go after the last one', async () => {
    const existing = await createSection(handle.db, actor, rfpId, { key: 'Security', title: 'Security' });
    const criterion = await createCriterion(handle.db, actor, rfpId, existing.id, { title: 'Security', kind: 'scored', points: 10, rubric: [] });
    await createQuestion(handle.db, actor, rfpId, criterion.id, question('SEC-1'));
    await createQuestion(handle.db, actor, rfpId, criterion.id, question('SEC-1-2'));
    // A section whose generated key (three letters for its title, "Privacy" → PRV) the import's new section would take.
    await createSection(handle.db, actor, rfpId, { key: 'PRV', title: 'Data protection' });

    const prepared = await prepareImport({
      rfpId,
      sections: [
        { title: 'security ', questions: [question('SEC-3'), question('sec-2')] },
        { title: 'Privacy', questions: [question('PRV-1')] },
      ],
      updates: [],
    });
    const summary = await handle.db.transaction().execute((trx) => applyImport(trx, prepared));

    expect(summary).toEqual({
      sections: 1,
      questions: 3,
      created: [{ section: 'PRV-2', title: 'Privacy', criterion: 'PRV-01', questions: ['PRV-1'] }],
      addedTo: [{ section: 'Security', title: 'Security', criterion: criterion.key, questions: ['SEC-3', 'sec-2'] }],
      updated: [],
    });
    const sections = await getQuestionnaire(handle.db, rfpId);
    expect(sections.map((s) => [s.key, s.position, s.criteria.map((c) => c.questions.map((q) => [q.key, q.position]))])).toEqual([
      ['Security', 0, [[['SEC-1', 0], ['SEC-1-2', 1], ['SEC-3', 2], ['sec-2', 3]]]],
      ['PRV', 1, []],
      ['PRV-2', 2, [[['PRV-1', 0]]]],
    ]);
  });

  it('never renames a question key: a key taken since the preview, or a question to update gone, writes nothing', async () => {
    const section = await createSection(handle.db, actor, rfpId, { title: 'Security' });
    const criterion = await createCriterion(handle.db, actor, rfpId, section.id, { title: 'Security', kind: 'scored', points: 10, rubric: [] });
    const kept = await createQuestion(handle.db, actor, rfpId, criterion.id, question('SEC-1'));
    const clash = await prepareImport({ rfpId, sections: [{ title: 'New', questions: [question('PRV-1'), question('sec-1')] }], updates: [] });
    const error = await handle.db
      .transaction()
      .execute((trx) => applyImport(trx, clash))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportConflictError);
    expect((error as ImportConflictError).taken).toEqual(['sec-1']);
    const gone = await prepareImport({ rfpId, sections: [], updates: [{ id: 'no-such-question', key: 'SEC-9', input: question('SEC-9') }] });
    expect(((await handle.db.transaction().execute((trx) => applyImport(trx, gone)).catch((e: unknown) => e)) as ImportConflictError).missing).toEqual(['SEC-9']);
    const stored = await getQuestionnaire(handle.db, rfpId);
    expect(stored.map((s) => [s.title, s.criteria.flatMap((c) => c.questions.map((q) => q.key))])).toEqual([['Security', ['SEC-1']]]);

    // Updating in place keeps the question where it is, with its id, and returns what it was.
    const update = await prepareImport({ rfpId, sections: [], updates: [{ id: kept.id, key: 'SEC-1', input: { ...question('SEC-1', 'Reworded?'), answerType: 'yes_no', options: [{ label: 'Yes', autoScore: 1 }, { label: 'No', autoScore: 0 }] } }] });
    const summary = await handle.db.transaction().execute((trx) => applyImport(trx, update));
    expect(summary.updated.map((u) => [u.key, u.before.text])).toEqual([['SEC-1', 'Question SEC-1?']]);
    const after = (await getQuestionnaire(handle.db, rfpId))[0]!.criteria[0]!.questions;
    expect(after.map((q) => [q.id, q.key, q.text, q.answer_type, q.options])).toEqual([[kept.id, 'SEC-1', 'Reworded?', 'yes_no', [{ label: 'Yes', autoScore: 1 }, { label: 'No', autoScore: 0 }]]]);
  });

  it('imports 5,000 questions in one transaction, keys and order intact', async () => {
    const questions = Array.from({ length: 5_000 }, (_, i) => question(`Q-${i + 1}`, `Question ${i + 1}: “quoted”, with 'apostrophes' and ; separators?`));
    const prepared = await prepareImport({ rfpId, sections: [{ title: 'All', questions }], updates: [] });
    const summary = await handle.db.transaction().execute((trx) => applyImport(trx, prepared));
    expect(summary.questions).toBe(5_000);
    const stored = (await getQuestionnaire(handle.db, rfpId))[0]!.criteria[0]!.questions;
    expect(stored.map((q) => q.key)).toEqual(questions.map((q) => q.key));
    expect(stored[4_999]!.text).toBe(questions[4_999]!.text);
    expect(stored[4_999]!.position).toBe(4_999);
  });

  it('saves a workbook of answers at once: changes upserted, blanks removed, unchanged left alone, each change audited', async () => {
    const section = await createSection(handle.db, actor, rfpId, { title: 'S' });
    const criterion = await createCriterion(handle.db, actor, rfpId, section.id, { title: 'C', kind: 'scored', points: 10, rubric: [] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createQuestion(handle.db, actor, rfpId, criterion.id, question(`Q-${i}`))).id);
    const vendor = await createVendor(handle.db, actor, { key: 'ACME', name: 'Acme', website: null, contactName: null, contactEmail: null });
    const submission = await createSubmission(handle.db, actor, { rfpId, vendorId: vendor.id });
    await saveAnswers(handle.db, actor, { rfpId, submissionId: submission.id, source: 'manual', values: [{ questionId: ids[0]!, value: 'kept' }, { questionId: ids[1]!, value: 'old' }] });

    const { changed } = await handle.db.transaction().execute((trx) =>
      saveAnswers(trx, actor, {
        rfpId,
        submissionId: submission.id,
        source: 'import',
        values: [
          { questionId: ids[0]!, value: 'kept' },
          { questionId: ids[1]!, value: '' },
          { questionId: ids[2]!, value: ['a', 'b'] },
        ],
      }),
    );
    expect(changed).toBe(2);
    expect(Object.fromEntries(await getAnswers(handle.db, submission.id))).toEqual({ [ids[0]!]: 'kept', [ids[2]!]: ['a', 'b'] });
    const imported = await listAuditEvents(handle.db, { rfpId, action: 'answer.import' });
    expect(imported.map((e) => [e.entity_id, JSON.parse(e.before_json!), JSON.parse(e.after_json!)]).reverse()).toEqual([
      [`${submission.id}:${ids[1]}`, { value: 'old' }, { value: null }],
      [`${submission.id}:${ids[2]}`, { value: null }, { value: ['a', 'b'] }],
    ]);
    // Saving over an existing answer updates it in place.
    await saveAnswers(handle.db, actor, { rfpId, submissionId: submission.id, source: 'import', values: [{ questionId: ids[0]!, value: 'new' }] });
    expect((await getAnswers(handle.db, submission.id)).get(ids[0]!)).toBe('new');
  });
});
