/**
 * The batched writes the imports use (db/queries/batch.ts): what a questionnaire import adds next to what an RFP
 * already has, and a workbook's worth of answers saved at once, on both dialects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { listAuditEvents, SYSTEM_ACTOR } from '#db/queries/audit';
import { addImportedSections, createCriterion, createQuestion, createSection, getQuestionnaire, prepareImportedSections, type QuestionInput } from '#db/queries/questionnaire';
import { getAnswers, saveAnswers } from '#db/queries/responses';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import { createSubmission, createVendor } from '#db/queries/vendors';
import { createTestDatabase } from '#tests/support/db';

const question = (key: string, text = `Question ${key}?`): QuestionInput => ({
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

  it('adds imported sections after the existing ones, giving a taken key the first free suffix as one-at-a-time creation does', async () => {
    const existing = await createSection(handle.db, actor, rfpId, { key: 'Security', title: 'Security' });
    const criterion = await createCriterion(handle.db, actor, rfpId, existing.id, { title: 'Security', kind: 'scored', points: 10, rubric: [] });
    await createQuestion(handle.db, actor, rfpId, criterion.id, question('SEC-1'));
    await createQuestion(handle.db, actor, rfpId, criterion.id, question('SEC-1-2'));

    const prepared = await prepareImportedSections(rfpId, [
      { title: 'Security', questions: [question('SEC-1'), question('sec-2')] },
      { title: 'Privacy', questions: [question('PRV-1')] },
    ]);
    const summary = await handle.db.transaction().execute((trx) => addImportedSections(trx, prepared));

    expect(summary).toEqual({
      sections: 2,
      questions: 3,
      created: [
        { section: 'Security-2', title: 'Security', criterion: 'SECURITY-2', questions: ['SEC-1-3', 'sec-2'] },
        { section: 'Privacy', title: 'Privacy', criterion: 'PRIVACY', questions: ['PRV-1'] },
      ],
    });
    const sections = await getQuestionnaire(handle.db, rfpId);
    expect(sections.map((s) => [s.key, s.position, s.criteria.map((c) => c.questions.map((q) => [q.key, q.position]))])).toEqual([
      ['Security', 0, [[['SEC-1', 0], ['SEC-1-2', 1]]]],
      ['Security-2', 1, [[['SEC-1-3', 0], ['sec-2', 1]]]],
      ['Privacy', 2, [[['PRV-1', 0]]]],
    ]);
  });

  it('imports 5,000 questions in one transaction, keys and order intact', async () => {
    const questions = Array.from({ length: 5_000 }, (_, i) => question(`Q-${i + 1}`, `Question ${i + 1}: “quoted”, with 'apostrophes' and ; separators?`));
    const prepared = await prepareImportedSections(rfpId, [{ title: 'All', questions }]);
    const summary = await handle.db.transaction().execute((trx) => addImportedSections(trx, prepared));
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
