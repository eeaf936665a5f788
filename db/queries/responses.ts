/**
 * Vendors, submissions and answers. A vendor is in the registry once and may answer many RFPs; a submission
 * is a vendor's response to one RFP; an answer is one question's value. Every change is audited.
 */
import { newId, nowIso } from '../ids';
import type { Insertable } from 'kysely';
import type { Answer, Database, Submission, SubmissionStatus, Vendor } from '../schema';
import { type Actor, type AuditInput, type Executor, recordAudit, recordAuditEvents } from './audit';
import { insertInBatches } from './batch';
import { createSubmission, createVendor } from './vendors';

export type AnswerValue = string | number | string[] | null;

export async function searchVendors(db: Executor, query: string): Promise<Vendor[]> {
  let q = db.selectFrom('vendor').selectAll();
  const term = query.trim().toLowerCase();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb(eb.fn('lower', ['key']), 'like', like), eb(eb.fn('lower', ['website']), 'like', like)]));
  }
  return q.orderBy('name').limit(200).execute();
}

export async function getVendor(db: Executor, id: string): Promise<Vendor | undefined> {
  return db.selectFrom('vendor').selectAll().where('id', '=', id).executeTakeFirst();
}

export class DuplicateVendorError extends Error {
  constructor(key: string) {
    super(`A vendor with the short name ${key} is already in the registry.`);
  }
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

export async function addVendorToRfp(db: Executor, actor: Actor, rfpId: string, vendorId: string, receivedAt: string | null): Promise<Submission> {
  const vendor = await getVendor(db, vendorId);
  if (!vendor) throw new UnknownVendorError();
  const existing = await db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).where('vendor_id', '=', vendorId).executeTakeFirst();
  if (existing) throw new DuplicateSubmissionError(vendor.name);
  return createSubmission(db, actor, { rfpId, vendorId, receivedAt });
}

export async function updateSubmission(
  db: Executor,
  actor: Actor,
  rfpId: string,
  id: string,
  change: { status: SubmissionStatus; statusReason: string | null; receivedAt: string | null; price: number | null },
): Promise<boolean> {
  const before = await db.selectFrom('submission').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!before) return false;
  const after = { status: change.status, status_reason: change.statusReason, received_at: change.receivedAt, price: change.price };
  await db.updateTable('submission').set(after).where('id', '=', id).where('rfp_id', '=', rfpId).execute();
  await recordAudit(db, actor, { rfpId, entity: 'submission', entityId: id, action: 'submission.update', before, after: { ...before, ...after } });
  return true;
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
 */
export async function saveAnswers(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; submissionId: string; source: 'manual' | 'import'; values: Array<{ questionId: string; value: AnswerValue }> },
): Promise<{ changed: number }> {
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
