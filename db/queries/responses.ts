/**
 * Vendors, submissions and answers. A vendor is in the registry once and may answer many RFPs; a submission
 * is a vendor's response to one RFP; an answer is one question's value. Every change is audited.
 */
import { newId, nowIso } from '../ids';
import type { Insertable, Selectable } from 'kysely';
import type { Answer, Database, Submission, SubmissionStatus, Vendor } from '../schema';
import { type Actor, type AuditInput, type Executor, recordAudit, recordAuditEvents } from './audit';
import { insertInBatches } from './batch';
import { containsText } from './text-search';
import { createSubmission, createVendor, DuplicateVendorError } from './vendors';

export type AnswerValue = string | number | string[] | null;

export async function searchVendors(db: Executor, query: string): Promise<Vendor[]> {
  let q = db.selectFrom('vendor').selectAll();
  const term = query.trim();
  if (term) q = q.where((eb) => eb.or([containsText('vendor.name', term), containsText('vendor.key', term), containsText('vendor.website', term)]));
  return q.orderBy('name').limit(200).execute();
}

export async function getVendor(db: Executor, id: string): Promise<Vendor | undefined> {
  return db.selectFrom('vendor').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function registerVendor(
  db: Executor,
  actor: Actor,
  input: { key: string; name: string; website: string | null; contactName: string | null; contactEmail: string | null },
): Promise<Vendor> {
  const clash = await db.selectFrom('vendor').select('id').where('key', '=', input.key).executeTakeFirst();
  if (clash) throw new DuplicateVendorError(input.key);
  return createVendor(db, actor, input);
}

export async function getSubmission(db: Executor, rfpId: string, id: string): Promise<(Submission & { vendor_name: string; vendor_key: string }) | undefined> {
  const row = await db
    .selectFrom('submission')
    .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
    .selectAll('submission')
    .select(['vendor.name as vendor_name', 'vendor.key as vendor_key'])
    .where('submission.rfp_id', '=', rfpId)
    .where('submission.id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, price: row.price === null ? null : Number(row.price) } : undefined;
}

export class DuplicateSubmissionError extends Error {
  constructor(name: string) {
    super(`${name} already has a response in this RFP.`);
  }
}

export class UnknownVendorError extends Error {
  constructor() {
    super('Choose a vendor from the registry.');
  }
}

export async function addVendorToRfp(db: Executor, actor: Actor, rfpId: string, vendorId: string, receivedAt: string | null = null): Promise<Submission> {
  const vendor = await getVendor(db, vendorId);
  if (!vendor) throw new UnknownVendorError();
  const existing = await db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).where('vendor_id', '=', vendorId).executeTakeFirst();
  if (existing) throw new DuplicateSubmissionError(vendor.name);
  // Adding a vendor records that a response is expected from it, not that one arrived.
  return createSubmission(db, actor, { rfpId, vendorId, status: 'expected', receivedAt });
}

/** A price that is not a positive number of dollars; every input path refuses it first with its own message. */
export class InvalidPriceError extends Error {
  constructor(value: unknown) {
    super(`The price must be a number of dollars more than 0 (got ${JSON.stringify(value)}).`);
  }
}

/** The price is one value: a positive finite number of dollars, or null while none is recorded. */
export function isValidPrice(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value) && value > 0);
}

/**
 * The question whose answer is the vendor's price: the first number question of the first price criterion, in
 * questionnaire order. The answer to it and the submission's recorded price are kept equal by every write here.
 */
export async function findPriceQuestion(db: Executor, rfpId: string): Promise<{ id: string; key: string } | undefined> {
  return db
    .selectFrom('question')
    .innerJoin('criterion', 'criterion.id', 'question.criterion_id')
    .innerJoin('section', 'section.id', 'criterion.section_id')
    .select(['question.id', 'question.key'])
    .where('question.rfp_id', '=', rfpId)
    .where('criterion.kind', '=', 'price')
    .where('question.answer_type', '=', 'number')
    .orderBy('section.position')
    .orderBy('criterion.position')
    .orderBy('question.position')
    .executeTakeFirst();
}

export interface SubmissionChange {
  status: SubmissionStatus;
  statusReason: string | null;
  receivedAt: string | null;
  price: number | null;
}

/**
 * Changes a submission's status, received date and price (audited with before and after). A changed price is also
 * saved as the answer to the price question, so the two never disagree.
 */
export async function updateSubmission(db: Executor, actor: Actor, rfpId: string, id: string, change: SubmissionChange): Promise<boolean> {
  if (!isValidPrice(change.price)) throw new InvalidPriceError(change.price);
  const before = await db.selectFrom('submission').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!before) return false;
  const beforePrice = before.price === null ? null : Number(before.price);
  if (change.price !== beforePrice) {
    const priceQuestion = await findPriceQuestion(db, rfpId);
    if (priceQuestion) await writeAnswers(db, actor, { rfpId, submissionId: id, source: 'manual', values: [{ questionId: priceQuestion.id, value: change.price }] });
  }
  await writeSubmission(db, actor, rfpId, { ...before, price: beforePrice }, change);
  return true;
}

async function writeSubmission(db: Executor, actor: Actor, rfpId: string, before: Submission, change: SubmissionChange): Promise<void> {
  const after = { status: change.status, status_reason: change.statusReason, received_at: change.receivedAt, price: change.price };
  if (before.status === after.status && before.status_reason === after.status_reason && before.received_at === after.received_at && before.price === after.price) return;
  await db.updateTable('submission').set(after).where('id', '=', before.id).where('rfp_id', '=', rfpId).execute();
  await recordAudit(db, actor, { rfpId, entity: 'submission', entityId: before.id, action: 'submission.update', before, after: { ...before, ...after } });
}

/**
 * What recording part of a response does to its submission: an expected vendor's response is now received (dated
 * `at` unless a date is already recorded), and a new answer to the price question is the recorded price.
 */
async function followRecordedResponse(db: Executor, actor: Actor, rfpId: string, submissionId: string, effect: { received: boolean; price?: number | null }, at: string): Promise<void> {
  const row = await db.selectFrom('submission').selectAll().where('rfp_id', '=', rfpId).where('id', '=', submissionId).executeTakeFirst();
  if (!row) return;
  const before = { ...row, price: row.price === null ? null : Number(row.price) };
  const nowReceived = effect.received && before.status === 'expected';
  await writeSubmission(db, actor, rfpId, before, {
    status: nowReceived ? 'received' : before.status,
    statusReason: before.status_reason,
    receivedAt: nowReceived ? (before.received_at ?? at) : before.received_at,
    price: effect.price === undefined ? before.price : effect.price,
  });
}

/** An expected vendor's response is received once a file of it is attached (called in the attaching transaction). */
export async function markResponseReceived(db: Executor, actor: Actor, rfpId: string, submissionId: string): Promise<void> {
  await followRecordedResponse(db, actor, rfpId, submissionId, { received: true }, nowIso());
}

export function parseAnswerValue(answer: Pick<Answer, 'value_json'> | undefined): AnswerValue {
  return answer ? (JSON.parse(answer.value_json) as AnswerValue) : null;
}

/** Answers of one submission by question id. */
export async function getAnswers(db: Executor, submissionId: string): Promise<Map<string, AnswerValue>> {
  const rows = await db.selectFrom('answer').select(['question_id', 'value_json']).where('submission_id', '=', submissionId).execute();
  return new Map(rows.map((r) => [r.question_id, parseAnswerValue(r)]));
}

/** Every vendor's answer to one question (for the side-by-side view). */
export async function getAnswersToQuestion(db: Executor, rfpId: string, questionId: string): Promise<Map<string, AnswerValue>> {
  const rows = await db.selectFrom('answer').select(['submission_id', 'value_json']).where('rfp_id', '=', rfpId).where('question_id', '=', questionId).execute();
  return new Map(rows.map((r) => [r.submission_id, parseAnswerValue(r)]));
}

function isEmpty(value: AnswerValue): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Saves answers of one submission (one or many, in the caller's transaction). Unchanged values write nothing;
 * an empty value removes the answer. Each change is audited with old and new value. A whole workbook's answers go
 * in a few batched statements (db/queries/batch.ts), so the transaction stays short however many there are.
 * Recording an answer receives an expected vendor's response, and the price question's answer is the recorded
 * price (a price that is not more than 0 is refused with InvalidPriceError, nothing written).
 */
export async function saveAnswers(db: Executor, actor: Actor, input: SaveAnswersInput): Promise<{ changed: number }> {
  const priceQuestion = await findPriceQuestion(db, input.rfpId);
  const priceValue = priceQuestion ? input.values.findLast((v) => v.questionId === priceQuestion.id) : undefined;
  if (priceValue && !isEmpty(priceValue.value) && !isValidPrice(priceValue.value)) throw new InvalidPriceError(priceValue.value);
  const result = await writeAnswers(db, actor, input);
  if (result.changed > 0) {
    const recorded = input.values.some((v) => !isEmpty(v.value));
    const price = priceValue ? (isEmpty(priceValue.value) ? null : (priceValue.value as number)) : undefined;
    await followRecordedResponse(db, actor, input.rfpId, input.submissionId, { received: recorded, price }, nowIso());
  }
  return result;
}

export interface SaveAnswersInput {
  rfpId: string;
  submissionId: string;
  source: 'manual' | 'import';
  values: Array<{ questionId: string; value: AnswerValue }>;
}

/** The answer rows and their audit events only; `saveAnswers` adds what recording them means for the submission. */
async function writeAnswers(db: Executor, actor: Actor, input: SaveAnswersInput): Promise<{ changed: number }> {
  const current = await getAnswers(db, input.submissionId);
  const upserts: Array<Insertable<Database['answer']>> = [];
  const removed: string[] = [];
  const events: AuditInput[] = [];
  const updatedAt = nowIso();
  // One statement cannot upsert a row twice (PostgreSQL refuses), so a question given twice keeps its last value.
  const latest = new Map(input.values.map(({ questionId, value }) => [questionId, value]));
  for (const [questionId, value] of latest) {
    const old = current.has(questionId) ? current.get(questionId)! : null;
    const next = isEmpty(value) ? null : value;
    if (JSON.stringify(old) === JSON.stringify(next)) continue;
    if (next === null) removed.push(questionId);
    else {
      upserts.push({
        id: newId(),
        rfp_id: input.rfpId,
        submission_id: input.submissionId,
        question_id: questionId,
        value_json: JSON.stringify(next),
        source: input.source,
        updated_by: actor.id,
        updated_at: updatedAt,
      });
    }
    events.push({
      rfpId: input.rfpId,
      entity: 'answer',
      entityId: `${input.submissionId}:${questionId}`,
      action: input.source === 'import' ? 'answer.import' : 'answer.save',
      before: { value: old },
      after: { value: next },
    });
  }
  for (let i = 0; i < removed.length; i += 1_000) {
    await db
      .deleteFrom('answer')
      .where('submission_id', '=', input.submissionId)
      .where('question_id', 'in', removed.slice(i, i + 1_000))
      .execute();
  }
  await insertInBatches(
    db,
    'answer',
    upserts,
    'on conflict ("submission_id", "question_id") do update set "value_json" = excluded."value_json", "source" = excluded."source", "updated_by" = excluded."updated_by", "updated_at" = excluded."updated_at"',
  );
  await recordAuditEvents(db, actor, events);
  return { changed: events.length };
}

/** Answered-question counts per submission (progress on the vendors page). */
export async function countAnswersBySubmission(db: Executor, rfpId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('answer')
    .select(['submission_id', (eb) => eb.fn.countAll().as('n')])
    .where('rfp_id', '=', rfpId)
    .groupBy('submission_id')
    .execute();
  return new Map(rows.map((r) => [r.submission_id, Number(r.n)]));
}

export type AttachmentRow = Selectable<Database['attachment']>;

/** What the audit log keeps of a file: never where it is stored. */
function attachmentForAudit(row: { storage_key: string } & Record<string, unknown>): Record<string, unknown> {
  const { storage_key: _storageKey, ...kept } = row;
  return kept;
}

/** Records an evidence file already stored (in the caller's transaction); an expected response is now received. */
export async function addAttachment(db: Executor, actor: Actor, row: AttachmentRow): Promise<void> {
  await db.insertInto('attachment').values(row).execute();
  await recordAudit(db, actor, { rfpId: row.rfp_id, entity: 'attachment', entityId: row.id, action: 'attachment.add', after: attachmentForAudit(row) });
  await markResponseReceived(db, actor, row.rfp_id, row.submission_id);
}

export type StoredFile = Pick<AttachmentRow, 'file_name' | 'media_type' | 'size' | 'sha256' | 'storage_key'>;

/**
 * Puts a new file in place of one of the submission's attachments (same row, same question), audited with the old
 * and new file. Returns the old file's storage key, for the caller to delete after the commit; undefined when the
 * attachment is not this submission's.
 */
export async function replaceAttachment(db: Executor, actor: Actor, ids: { rfpId: string; submissionId: string; attachmentId: string }, file: StoredFile): Promise<string | undefined> {
  const before = await db.selectFrom('attachment').selectAll().where('id', '=', ids.attachmentId).where('submission_id', '=', ids.submissionId).where('rfp_id', '=', ids.rfpId).executeTakeFirst();
  if (!before) return undefined;
  const change = { ...file, uploaded_by: actor.id, uploaded_at: nowIso() };
  await db.updateTable('attachment').set(change).where('id', '=', before.id).execute();
  await recordAudit(db, actor, {
    rfpId: ids.rfpId,
    entity: 'attachment',
    entityId: before.id,
    action: 'attachment.replace',
    before: attachmentForAudit(before),
    after: attachmentForAudit({ ...before, ...change }),
  });
  return before.storage_key;
}

/** Removes one of the submission's attachments, audited with what it was. Returns its storage key (undefined: not found). */
export async function removeAttachment(db: Executor, actor: Actor, ids: { rfpId: string; submissionId: string; attachmentId: string }): Promise<string | undefined> {
  const before = await db.selectFrom('attachment').selectAll().where('id', '=', ids.attachmentId).where('submission_id', '=', ids.submissionId).where('rfp_id', '=', ids.rfpId).executeTakeFirst();
  if (!before) return undefined;
  await db.deleteFrom('attachment').where('id', '=', before.id).execute();
  await recordAudit(db, actor, { rfpId: ids.rfpId, entity: 'attachment', entityId: before.id, action: 'attachment.remove', before: attachmentForAudit(before) });
  return before.storage_key;
}

/** Whether anything of the submission's response is recorded: an answer or a file. */
export async function hasRecordedResponse(db: Executor, submissionId: string): Promise<boolean> {
  const [answer, file] = await Promise.all([
    db.selectFrom('answer').select('id').where('submission_id', '=', submissionId).limit(1).executeTakeFirst(),
    db.selectFrom('attachment').select('id').where('submission_id', '=', submissionId).limit(1).executeTakeFirst(),
  ]);
  return answer !== undefined || file !== undefined;
}
