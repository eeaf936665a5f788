/**
 * Issue 12, item 7, at the database (SQLite and PostgreSQL): a vendor added to an RFP is expected until its response
 * is recorded; the price is one value (the price question's answer and the recorded price), never 0 or less;
 * attachments are removed and replaced with an audit trail; registry entries are edited and duplicates merged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { SYSTEM_ACTOR } from '#db/queries/audit';
import { createCriterion, createQuestion, createSection } from '#db/queries/questionnaire';
import {
  addAttachment,
  addVendorToRfp,
  getAnswers,
  getSubmission,
  InvalidPriceError,
  registerVendor,
  removeAttachment,
  replaceAttachment,
  saveAnswers,
  updateSubmission,
} from '#db/queries/responses';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import { DuplicateVendorError, mergeVendors, updateVendor, VendorMergeError } from '#db/queries/vendors';
import { createTestDatabase } from '#tests/support/db';

describe('vendor records', () => {
  let handle: DatabaseHandle;
  let officer: { id: string; email: string };
  let rfpId: string;
  let priceQuestion: string;
  let textQuestion: string;

  beforeEach(async () => {
    handle = await createTestDatabase();
    const db = handle.db;
    officer = await createUser(db, SYSTEM_ACTOR, { email: 'officer@city.example', name: 'Officer', role: 'officer', passwordHash: 'x' });
    rfpId = (await createRfp(db, officer, { reference: 'RFP-7', title: 'Permit assistant', department: 'Buildings', summary: 'S' })).id;
    const section = await createSection(db, officer, rfpId, { title: 'Cost and governance' });
    const governance = await createCriterion(db, officer, rfpId, section.id, { title: 'Governance', kind: 'scored', points: 80, rubric: [] });
    const price = await createCriterion(db, officer, rfpId, section.id, { key: 'PRC', title: 'Price', kind: 'price', points: 20, rubric: [] });
    textQuestion = (await createQuestion(db, officer, rfpId, governance.id, { key: 'GOV-01', text: 'Who is accountable?', answerType: 'text', options: [], required: true, references: [] })).id;
    priceQuestion = (await createQuestion(db, officer, rfpId, price.id, { key: 'PRC-01', text: 'Total price', answerType: 'number', options: [], required: true, references: [] })).id;
  });
  afterEach(async () => {
    await handle.close();
  });

  /** An audit log in the order it was written: one RFP's, or the registry's (no RFP). */
  const events = (rfp: string | null) =>
    handle.db
      .selectFrom('audit_event')
      .select(['action', 'entity', 'before_json', 'after_json'])
      .where('rfp_id', rfp === null ? 'is' : '=', rfp)
      .orderBy('id')
      .execute();
  const vendor = (key: string, name = key) => registerVendor(handle.db, officer, { key, name, website: null, contactName: null, contactEmail: null });

  it('keeps an added vendor expected, with no received date, until an answer is recorded', async () => {
    const acme = await vendor('acme', 'Acme AI');
    const submission = await addVendorToRfp(handle.db, officer, rfpId, acme.id);
    expect((await getSubmission(handle.db, rfpId, submission.id))).toMatchObject({ status: 'expected', received_at: null });

    // Saving nothing but blanks records nothing.
    await saveAnswers(handle.db, officer, { rfpId, submissionId: submission.id, source: 'manual', values: [{ questionId: textQuestion, value: '' }] });
    expect((await getSubmission(handle.db, rfpId, submission.id))!.status).toBe('expected');

    await saveAnswers(handle.db, officer, { rfpId, submissionId: submission.id, source: 'manual', values: [{ questionId: textQuestion, value: 'The CIO.' }] });
    const received = (await getSubmission(handle.db, rfpId, submission.id))!;
    expect(received.status).toBe('received');
    expect(received.received_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const audit = (await events(rfpId)).filter((e) => e.action === 'submission.update');
    expect(JSON.parse(audit.at(-1)!.before_json!)).toMatchObject({ status: 'expected', received_at: null });
    expect(JSON.parse(audit.at(-1)!.after_json!)).toMatchObject({ status: 'received' });
  });

  it('receives an expected response when a file of it is attached', async () => {
    const submission = await addVendorToRfp(handle.db, officer, rfpId, (await vendor('acme')).id);
    await addAttachment(handle.db, officer, attachment(submission.id, 'a1', 'model-card.pdf'));
    expect((await getSubmission(handle.db, rfpId, submission.id))!.status).toBe('received');
  });

  it('keeps the price question’s answer and the recorded price one value, whichever is written', async () => {
    const submission = await addVendorToRfp(handle.db, officer, rfpId, (await vendor('acme')).id);
    await saveAnswers(handle.db, officer, { rfpId, submissionId: submission.id, source: 'manual', values: [{ questionId: priceQuestion, value: 415000 }] });
    expect((await getSubmission(handle.db, rfpId, submission.id))!.price).toBe(415000);

    await updateSubmission(handle.db, officer, rfpId, submission.id, { status: 'responsive', statusReason: null, receivedAt: null, price: 399000.5 });
    expect((await getAnswers(handle.db, submission.id)).get(priceQuestion)).toBe(399000.5);
    expect((await getSubmission(handle.db, rfpId, submission.id))!.price).toBe(399000.5);

    // Clearing the answer clears the price: nothing else holds a second copy.
    await saveAnswers(handle.db, officer, { rfpId, submissionId: submission.id, source: 'import', values: [{ questionId: priceQuestion, value: null }] });
    expect((await getSubmission(handle.db, rfpId, submission.id))!.price).toBeNull();
  });

  it('refuses a price of 0 or less on both writes, writing nothing', async () => {
    const submission = await addVendorToRfp(handle.db, officer, rfpId, (await vendor('acme')).id);
    for (const bad of [0, -5]) {
      await expect(saveAnswers(handle.db, officer, { rfpId, submissionId: submission.id, source: 'import', values: [{ questionId: textQuestion, value: 'x' }, { questionId: priceQuestion, value: bad }] })).rejects.toBeInstanceOf(InvalidPriceError);
      await expect(updateSubmission(handle.db, officer, rfpId, submission.id, { status: 'received', statusReason: null, receivedAt: null, price: bad })).rejects.toBeInstanceOf(InvalidPriceError);
    }
    expect((await getAnswers(handle.db, submission.id)).size).toBe(0);
    expect((await getSubmission(handle.db, rfpId, submission.id))).toMatchObject({ status: 'expected', price: null });
  });

  it('replaces and removes attachments, auditing both files without where they are stored', async () => {
    const submission = await addVendorToRfp(handle.db, officer, rfpId, (await vendor('acme')).id);
    const original = attachment(submission.id, 'a1', 'model-card-v1.pdf');
    await addAttachment(handle.db, officer, original);
    const ids = { rfpId, submissionId: submission.id, attachmentId: original.id };
    const replacement = { file_name: 'model-card-v2.pdf', media_type: 'application/pdf', size: 20, sha256: 'b'.repeat(64), storage_key: 'c'.repeat(48) };
    expect(await replaceAttachment(handle.db, officer, ids, replacement)).toBe(original.storage_key);
    const row = await handle.db.selectFrom('attachment').selectAll().where('id', '=', original.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ...replacement, question_id: original.question_id });

    // Another submission's attachment is not reachable through this one.
    expect(await removeAttachment(handle.db, officer, { ...ids, submissionId: 'someone-else' })).toBeUndefined();
    expect(await removeAttachment(handle.db, officer, ids)).toBe(replacement.storage_key);
    expect(await handle.db.selectFrom('attachment').select('id').where('id', '=', original.id).executeTakeFirst()).toBeUndefined();

    const audit = (await events(rfpId)).filter((e) => e.entity === 'attachment');
    expect(audit.map((e) => e.action)).toEqual(['attachment.add', 'attachment.replace', 'attachment.remove']);
    expect(JSON.parse(audit[1]!.before_json!)).toMatchObject({ file_name: 'model-card-v1.pdf', sha256: 'a'.repeat(64) });
    expect(JSON.parse(audit[1]!.after_json!)).toMatchObject({ file_name: 'model-card-v2.pdf', sha256: 'b'.repeat(64) });
    expect(JSON.parse(audit[2]!.before_json!)).toMatchObject({ file_name: 'model-card-v2.pdf' });
    for (const e of audit) expect(`${e.before_json}${e.after_json}`).not.toContain('storage_key');
  });

  it('edits a registry entry, audited, refusing a short name another vendor has', async () => {
    const acme = await vendor('acme', 'Acme');
    await vendor('civic', 'Civic');
    const edited = await updateVendor(handle.db, officer, acme.id, { key: 'acme-ai', name: 'Acme AI, Inc.', website: 'https://acme.example', contactName: 'Ada', contactEmail: 'ada@acme.example' });
    expect(edited).toMatchObject({ key: 'acme-ai', name: 'Acme AI, Inc.', contact_email: 'ada@acme.example' });
    await expect(updateVendor(handle.db, officer, acme.id, { key: 'civic', name: 'Acme', website: null, contactName: null, contactEmail: null })).rejects.toBeInstanceOf(DuplicateVendorError);
    const audit = (await events(null)).filter((e) => e.action === 'vendor.update');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.before_json!)).toMatchObject({ key: 'acme', name: 'Acme' });
  });

  it('merges a duplicate: its responses and recusals move, its details fill gaps, it leaves the registry; audited in both logs', async () => {
    const keep = await vendor('acme', 'Acme AI');
    const duplicate = await registerVendor(handle.db, officer, { key: 'acme-inc', name: 'ACME Inc', website: 'https://acme.example', contactName: 'Ada', contactEmail: null });
    const moved = await addVendorToRfp(handle.db, officer, rfpId, duplicate.id);
    const evaluator = await createUser(handle.db, SYSTEM_ACTOR, { email: 'eva@city.example', name: 'Eva', role: 'evaluator', passwordHash: 'x' });
    await handle.db.insertInto('recusal').values({ rfp_id: rfpId, user_id: evaluator.id, vendor_id: duplicate.id, reason: 'Former employer', created_at: new Date().toISOString() }).execute();

    const outcome = await mergeVendors(handle.db, officer, keep.id, duplicate.id);
    expect(outcome.moved).toEqual([{ submissionId: moved.id, rfpId, reference: 'RFP-7' }]);
    expect(outcome.kept).toMatchObject({ key: 'acme', name: 'Acme AI', website: 'https://acme.example', contact_name: 'Ada' });
    expect((await getSubmission(handle.db, rfpId, moved.id))!.vendor_name).toBe('Acme AI');
    expect((await handle.db.selectFrom('recusal').select('vendor_id').execute()).map((r) => r.vendor_id)).toEqual([keep.id]);
    expect(await handle.db.selectFrom('vendor').select('id').where('id', '=', duplicate.id).executeTakeFirst()).toBeUndefined();

    const registryLog = (await events(null)).filter((e) => e.action === 'vendor.merge');
    expect(JSON.parse(registryLog[0]!.before_json!).duplicate).toMatchObject({ key: 'acme-inc', name: 'ACME Inc' });
    const rfpLog = (await events(rfpId)).filter((e) => e.action === 'vendor.merge');
    expect(JSON.parse(rfpLog[0]!.after_json!)).toEqual({ vendor_id: keep.id, vendor_key: 'acme', vendor_name: 'Acme AI' });
  });

  it('refuses to merge two vendors that both answer one RFP, or a vendor into itself, changing nothing', async () => {
    const keep = await vendor('acme', 'Acme AI');
    const duplicate = await vendor('acme-inc', 'ACME Inc');
    await addVendorToRfp(handle.db, officer, rfpId, keep.id);
    await addVendorToRfp(handle.db, officer, rfpId, duplicate.id);
    await expect(mergeVendors(handle.db, officer, keep.id, duplicate.id)).rejects.toThrow(/ACME Inc and Acme AI both have a response in RFP-7/);
    await expect(mergeVendors(handle.db, officer, keep.id, keep.id)).rejects.toBeInstanceOf(VendorMergeError);
    expect((await handle.db.selectFrom('vendor').select('id').execute()).length).toBe(2);
  });

  function attachment(submissionId: string, id: string, fileName: string) {
    return {
      id,
      rfp_id: rfpId,
      submission_id: submissionId,
      question_id: textQuestion,
      file_name: fileName,
      media_type: 'application/pdf',
      size: 10,
      sha256: 'a'.repeat(64),
      storage_key: `${id.padEnd(48, '0')}`.replace(/[^0-9a-f]/g, '0'),
      uploaded_by: officer.id,
      uploaded_at: new Date().toISOString(),
    };
  }
});
