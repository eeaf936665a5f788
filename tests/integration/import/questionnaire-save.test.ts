/**
 * The questionnaire import's service over the database (issue 11, items 4 and 7): an upload is parsed once and its grid
 * stored with the pending upload; proposals and previews read the stored grid; confirming saves exactly the previewed
 * keys, refuses (409) when the questionnaire changed since the preview, updates in place when asked, and a file already
 * imported into the RFP is recognised by its content hash. On both dialects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { type Actor, listAuditEvents, SYSTEM_ACTOR } from '#db/queries/audit';
import { getPendingUpload, savePendingUpload } from '#db/queries/pending-uploads';
import { createCriterion, createQuestion, createSection, getQuestionnaire, listQuestionKeys } from '#db/queries/questionnaire';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import { parseRunCount } from '#app/import/parse-in-worker.server';
import {
  type ImportPlan,
  inspectGrid,
  loadUploadGrid,
  packUploadGrid,
  parseUpload,
  planOf,
  previewGrid,
  previousImports,
  saveImport,
  type UploadToSave,
} from '#app/import/questionnaire-import.server';
import { createTestDatabase } from '#tests/support/db';
import { refusal } from '#tests/support/refusal';

const csv = (lines: string[]) => new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
const HEADER = 'Key,Section,Question,Answer type,Options';
const FIRST = csv([
  HEADER,
  'GOV-01,Governance,Who approves changes to the model?,Text,',
  'GOV 1.1,Governance,Do you keep a register of model versions?,Yes/No,',
  'DAT-01,Data,Where is customer data stored?,Choice,United States;European Union',
]);

describe('the questionnaire import service', () => {
  let handle: DatabaseHandle;
  let rfp: { id: string; reference: string };
  let officer: Actor & { id: string; email: string };

  beforeEach(async () => {
    handle = await createTestDatabase();
    const user = await createUser(handle.db, SYSTEM_ACTOR, { email: 'officer@city.example', name: 'Officer', role: 'officer', passwordHash: 'x' });
    officer = { id: user.id, email: user.email };
    rfp = await createRfp(handle.db, officer, { reference: 'RFP-IMP', title: 'Import', department: 'IT', summary: 'S' });
  });
  afterEach(async () => {
    await handle.close();
  });

  /** Upload as the page does: parse once, keep the grid with the upload, read it back as a new request would. */
  async function upload(bytes: Uint8Array, fileName: string): Promise<UploadToSave> {
    const parsed = await parseUpload(bytes, fileName);
    const id = await savePendingUpload(handle.db, { rfpId: rfp.id, userId: officer.id, fileName, bytes, grid: await packUploadGrid(parsed.grid), sha256: parsed.sha256 });
    const stored = (await getPendingUpload(handle.db, { id, rfpId: rfp.id, userId: officer.id }))!;
    return { id, fileName, size: stored.size, sha256: stored.sha256!, grid: await loadUploadGrid(handle.db, stored) };
  }

  const keysOf = async () => (await getQuestionnaire(handle.db, rfp.id)).map((s) => [s.title, s.criteria.flatMap((c) => c.questions.map((q) => q.key))]);

  it('parses an upload once: the stored grid serves every proposal, preview and the save', async () => {
    const before = parseRunCount();
    const bytes = csv([HEADER, ...Array.from({ length: 1_200 }, (_, i) => `Q-${i + 1},Section ${Math.floor(i / 100) + 1},Question ${i + 1}?,Text,`)]);
    const parsed = await parseUpload(bytes, 'big.csv');
    const id = await savePendingUpload(handle.db, { rfpId: rfp.id, userId: officer.id, fileName: 'big.csv', bytes, grid: await packUploadGrid(parsed.grid), sha256: parsed.sha256 });
    const stored = (await getPendingUpload(handle.db, { id, rfpId: rfp.id, userId: officer.id }))!;
    const grid = await loadUploadGrid(handle.db, stored);
    // The database copy is the parse, row for row (another app process reads this one).
    expect(grid).toEqual(parsed.grid);
    expect(grid.sheets[0]!.rows).toHaveLength(1_201);
    const mapping = inspectGrid(grid, 'big.csv').proposed;
    await previewGrid(grid, 'big.csv', planOf({ ...mapping, columns: { question: 3 } }), []);
    const preview = await previewGrid(grid, 'big.csv', planOf(mapping), []);
    expect(preview.sections).toHaveLength(12);
    const outcome = await saveImport(handle.db, rfp, officer, { id, fileName: 'big.csv', size: stored.size, sha256: stored.sha256!, grid }, planOf(mapping), { expected: preview.fingerprint });
    expect(outcome).toMatchObject({ created: 1_200, updated: 0, sections: 12 });
    expect(parseRunCount() - before).toBe(1);
    // The pending upload is gone once imported.
    expect(await getPendingUpload(handle.db, { id, rfpId: rfp.id, userId: officer.id })).toBeUndefined();
  });

  it('saves exactly the previewed keys, options with their shares, and audits one event with the file’s hash', async () => {
    const file = await upload(FIRST, 'first.csv');
    const plan = planOf(inspectGrid(file.grid, file.fileName).proposed);
    const preview = await previewGrid(file.grid, file.fileName, plan, []);
    const previewed = preview.sections.map((s) => [s.title, s.questions.map((q) => q.key)]);
    await saveImport(handle.db, rfp, officer, file, plan, { expected: preview.fingerprint });
    expect(await keysOf()).toEqual(previewed);
    const stored = (await getQuestionnaire(handle.db, rfp.id)).flatMap((s) => s.criteria.flatMap((c) => c.questions));
    const previewQuestions = preview.sections.flatMap((s) => s.questions);
    expect(stored.map((q) => [q.key, q.text, q.answer_type, q.options])).toEqual(previewQuestions.map((q) => [q.key, q.text, q.answerType, q.options]));
    const events = await listAuditEvents(handle.db, { rfpId: rfp.id, action: 'questionnaire.import' });
    expect(events).toHaveLength(1);
    const after = JSON.parse(events[0]!.after_json!);
    expect(after).toMatchObject({ file: 'first.csv', sha256: file.sha256, sections: 2, questions: 3, updated: [], plan: { onCollision: 'skip' } });
    expect(after.created.flatMap((s: { questions: string[] }) => s.questions)).toEqual(previewQuestions.map((q) => q.key));
  });

  it('refuses with 409 when the questionnaire changed since the preview, writing nothing', async () => {
    const file = await upload(FIRST, 'first.csv');
    const plan = planOf(inspectGrid(file.grid, file.fileName).proposed);
    const preview = await previewGrid(file.grid, file.fileName, plan, await listQuestionKeys(handle.db, rfp.id));
    // Meanwhile someone adds, in the builder, a question with one of the previewed keys.
    const section = await createSection(handle.db, officer, rfp.id, { title: 'Elsewhere' });
    const criterion = await createCriterion(handle.db, officer, rfp.id, section.id, { title: 'Elsewhere', kind: 'scored', points: 5, rubric: [] });
    await createQuestion(handle.db, officer, rfp.id, criterion.id, { key: 'DAT-01', text: 'Added meanwhile?', answerType: 'text', options: [], required: false, references: [] });
    const error = await refusal(() => saveImport(handle.db, rfp, officer, file, plan, { expected: preview.fingerprint }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 409, code: 'changed_since_preview' });
    expect(error.message).toContain('changed since the preview; preview again');
    expect(await keysOf()).toEqual([['Elsewhere', ['DAT-01']]]);
    expect(await listAuditEvents(handle.db, { rfpId: rfp.id, action: 'questionnaire.import' })).toEqual([]);
  });

  it('recognises a file already imported into the RFP by its content, and skips its keys unless told otherwise', async () => {
    const first = await upload(FIRST, 'first.csv');
    const plan = planOf(inspectGrid(first.grid, first.fileName).proposed);
    await saveImport(handle.db, rfp, officer, first, plan);
    // The same bytes under another name.
    const again = await upload(FIRST, 'renamed copy.csv');
    expect(again.sha256).toBe(first.sha256);
    expect(await previousImports(handle.db, rfp.id, again.sha256)).toEqual([expect.objectContaining({ fileName: 'first.csv', actorEmail: officer.email, created: 3, updated: 0 })]);
    const preview = await previewGrid(again.grid, again.fileName, plan, await listQuestionKeys(handle.db, rfp.id));
    expect(preview.sections).toEqual([]);
    expect(preview.collisions.map((c) => c.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(preview.collisions.map((c) => c.existingText)).toContain('Where is customer data stored?');
    const error = await refusal(() => saveImport(handle.db, rfp, officer, again, plan));
    expect(error.status).toBe(400);
    expect(error.message).toContain('This file was already imported into this RFP');
    // Nothing doubled: no "-2" keys.
    expect((await keysOf()).flatMap(([, keys]) => keys as string[]).some((k) => /-2$/.test(k))).toBe(false);
    // Another RFP has never seen it.
    const other = await createRfp(handle.db, officer, { reference: 'RFP-OTHER', title: 'Other', department: 'IT', summary: 'S' });
    expect(await previousImports(handle.db, other.id, again.sha256)).toEqual([]);
  });

  it('updates the colliding questions in place (same ids), with their old values in the audit event', async () => {
    const first = await upload(FIRST, 'first.csv');
    const plan = planOf(inspectGrid(first.grid, first.fileName).proposed);
    await saveImport(handle.db, rfp, officer, first, plan);
    const ids = new Map((await listQuestionKeys(handle.db, rfp.id)).map((q) => [q.key, q.id]));
    const edited = await upload(
      csv([HEADER, 'GOV-01,Governance,"Who approves changes to the model, and how?",Text,', 'DAT-02,Data,How long is data kept?,Number,', 'DAT-01,Data,Where is data stored and processed?,Choice,US;EU;Other']),
      'second.csv',
    );
    const updatePlan: ImportPlan = { ...plan, onCollision: 'update' };
    const preview = await previewGrid(edited.grid, edited.fileName, updatePlan, await listQuestionKeys(handle.db, rfp.id));
    expect(preview.sections.flatMap((s) => s.questions.map((q) => [q.key, q.action, q.existingId ?? null]))).toEqual([
      ['GOV-01', 'update', ids.get('GOV-01')],
      ['DAT-02', 'add', null],
      ['DAT-01', 'update', ids.get('DAT-01')],
    ]);
    const outcome = await saveImport(handle.db, rfp, officer, edited, updatePlan, { expected: preview.fingerprint });
    expect(outcome).toMatchObject({ created: 1, updated: 2, sections: 0 });
    const questions = (await getQuestionnaire(handle.db, rfp.id)).map((s) => [s.title, s.criteria.flatMap((c) => c.questions.map((q) => [q.key, q.id === ids.get(q.key), q.text]))]);
    expect(questions).toEqual([
      [
        'Governance',
        [
          ['GOV-01', true, 'Who approves changes to the model, and how?'],
          [expect.any(String), true, 'Do you keep a register of model versions?'],
        ],
      ],
      // The file's "Data" section is the RFP's: the new question goes under its criterion, after the others.
      [
        'Data',
        [
          ['DAT-01', true, 'Where is data stored and processed?'],
          ['DAT-02', false, 'How long is data kept?'],
        ],
      ],
    ]);
    const event = (await listAuditEvents(handle.db, { rfpId: rfp.id, action: 'questionnaire.import' }))[0]!;
    expect(JSON.parse(event.before_json!).updated.map((q: { key: string; text: string }) => [q.key, q.text])).toEqual([
      ['GOV-01', 'Who approves changes to the model?'],
      ['DAT-01', 'Where is customer data stored?'],
    ]);
    const after = JSON.parse(event.after_json!);
    expect(after).toMatchObject({ file: 'second.csv', sections: 0, questions: 1 });
    expect(after.addedTo).toEqual([{ section: expect.any(String), title: 'Data', criterion: expect.any(String), questions: ['DAT-02'] }]);
    expect(after.updated.map((q: { key: string; text: string }) => [q.key, q.text])).toEqual([
      ['GOV-01', 'Who approves changes to the model, and how?'],
      ['DAT-01', 'Where is data stored and processed?'],
    ]);
  });

  it('refuses to import into an RFP that is not a draft', async () => {
    const file = await upload(FIRST, 'first.csv');
    await handle.db.updateTable('rfp').set({ status: 'open' }).where('id', '=', rfp.id).execute();
    const refused = await saveImport(handle.db, rfp, officer, file, planOf(inspectGrid(file.grid, file.fileName).proposed)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(409);
    expect(await (refused as Response).text()).toContain('The questionnaire of RFP-IMP is locked');
    expect(await keysOf()).toEqual([]);
  });
});
