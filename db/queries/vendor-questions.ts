/**
 * The Q&A period's rows (issue 15, item 5): vendors' questions, the lead's answers and the numbered addenda that publish
 * them. Two kinds of reader: the lead, who sees who asked; and vendors, who see their own organisation's questions and
 * the published ones — the functions vendors' pages call select no column that names the asking organisation or
 * person, so no page built from them can show it. Every change is audited in the RFP's log.
 */
import { newId, nowIso } from '../ids';
import { type Actor, type Executor, recordAudit } from './audit';

export interface NewVendorQuestion {
  rfpId: string;
  vendorId: string;
  vendorName: string;
  questionKey: string | null;
  text: string;
}

/**
 * Records a question asked by `asker` (a vendor contact) for their organisation. The audit entry names the vendor for
 * the lead; vendors never read the audit log.
 */
export async function createVendorQuestion(db: Executor, asker: { id: string; email: string }, input: NewVendorQuestion, now = nowIso()): Promise<string> {
  const id = newId();
  await db
    .insertInto('vendor_question')
    .values({ id, rfp_id: input.rfpId, vendor_id: input.vendorId, asked_by: asker.id, asked_at: now, question_key: input.questionKey, text: input.text })
    .execute();
  await recordAudit(db, asker, {
    rfpId: input.rfpId,
    entity: 'vendor_question',
    entityId: id,
    action: 'qa.ask',
    after: { vendor_id: input.vendorId, vendor_name: input.vendorName, question_key: input.questionKey, text: input.text },
  });
  return id;
}

/** One of an organisation's own questions, as its contacts see it: no answer until it is published. */
export interface OwnQuestionRow {
  id: string;
  askedAt: string;
  questionKey: string | null;
  text: string;
  addendumNumber: number | null;
}

export async function listOwnQuestions(db: Executor, rfpId: string, vendorId: string): Promise<OwnQuestionRow[]> {
  const rows = await db
    .selectFrom('vendor_question')
    .leftJoin('qa_addendum', 'qa_addendum.id', 'vendor_question.addendum_id')
    .select(['vendor_question.id', 'vendor_question.asked_at', 'vendor_question.question_key', 'vendor_question.text', 'qa_addendum.number'])
    .where('vendor_question.rfp_id', '=', rfpId)
    .where('vendor_question.vendor_id', '=', vendorId)
    .orderBy('vendor_question.asked_at', 'desc')
    .orderBy('vendor_question.id')
    .execute();
  return rows.map((r) => ({ id: r.id, askedAt: r.asked_at, questionKey: r.question_key, text: r.text, addendumNumber: r.number ?? null }));
}

/** A published question and its answer, in its published wording: nothing of who asked it. */
export interface PublishedQuestion {
  questionKey: string | null;
  question: string;
  answer: string;
}

export interface PublishedAddendum {
  id: string;
  number: number;
  publishedAt: string;
  questions: PublishedQuestion[];
}

/** Every addendum of the RFP with its questions, newest first; `addendumId` narrows it to one (its mail). */
export async function listPublishedAddenda(db: Executor, rfpId: string, addendumId?: string): Promise<PublishedAddendum[]> {
  let addendaQuery = db.selectFrom('qa_addendum').select(['id', 'number', 'published_at']).where('rfp_id', '=', rfpId);
  if (addendumId) addendaQuery = addendaQuery.where('id', '=', addendumId);
  const addenda = await addendaQuery.orderBy('number', 'desc').execute();
  if (addenda.length === 0) return [];
  // Only the published wording and the answer are selected: the asking organisation and person never leave the table.
  const questions = await db
    .selectFrom('vendor_question')
    .select(['addendum_id', 'question_key', 'text', 'published_text', 'answer'])
    .where('rfp_id', '=', rfpId)
    .where(
      'addendum_id',
      'in',
      addenda.map((a) => a.id),
    )
    .orderBy('asked_at')
    .orderBy('id')
    .execute();
  return addenda.map((a) => ({
    id: a.id,
    number: a.number,
    publishedAt: a.published_at,
    questions: questions
      .filter((q) => q.addendum_id === a.id)
      .map((q) => ({ questionKey: q.question_key, question: q.published_text ?? q.text, answer: q.answer ?? '' })),
  }));
}

/** A question as the lead sees it: who asked, when, the answer being prepared and whether it is published. */
export interface LeadQuestionRow {
  id: string;
  vendorName: string;
  askedByName: string;
  askedByEmail: string;
  askedAt: string;
  questionKey: string | null;
  text: string;
  publishedText: string | null;
  answer: string | null;
  answeredAt: string | null;
  answeredByName: string | null;
  addendumNumber: number | null;
}

export async function listRfpQuestions(db: Executor, rfpId: string): Promise<LeadQuestionRow[]> {
  const rows = await db
    .selectFrom('vendor_question')
    .innerJoin('vendor', 'vendor.id', 'vendor_question.vendor_id')
    .innerJoin('app_user as asker', 'asker.id', 'vendor_question.asked_by')
    .leftJoin('app_user as answerer', 'answerer.id', 'vendor_question.answered_by')
    .leftJoin('qa_addendum', 'qa_addendum.id', 'vendor_question.addendum_id')
    .select([
      'vendor_question.id',
      'vendor.name as vendor_name',
      'asker.name as asker_name',
      'asker.email as asker_email',
      'vendor_question.asked_at',
      'vendor_question.question_key',
      'vendor_question.text',
      'vendor_question.published_text',
      'vendor_question.answer',
      'vendor_question.answered_at',
      'answerer.name as answerer_name',
      'qa_addendum.number',
    ])
    .where('vendor_question.rfp_id', '=', rfpId)
    .orderBy('vendor_question.asked_at')
    .orderBy('vendor_question.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    vendorName: r.vendor_name,
    askedByName: r.asker_name,
    askedByEmail: r.asker_email,
    askedAt: r.asked_at,
    questionKey: r.question_key,
    text: r.text,
    publishedText: r.published_text,
    answer: r.answer,
    answeredAt: r.answered_at,
    answeredByName: r.answerer_name ?? null,
    addendumNumber: r.number ?? null,
  }));
}

export interface QuestionForAnswer {
  id: string;
  vendorName: string;
  text: string;
  publishedText: string | null;
  answer: string | null;
  addendumId: string | null;
}

export async function getQuestionForAnswer(db: Executor, rfpId: string, questionId: string): Promise<QuestionForAnswer | undefined> {
  const row = await db
    .selectFrom('vendor_question')
    .innerJoin('vendor', 'vendor.id', 'vendor_question.vendor_id')
    .select(['vendor_question.id', 'vendor.name as vendor_name', 'vendor_question.text', 'vendor_question.published_text', 'vendor_question.answer', 'vendor_question.addendum_id'])
    .where('vendor_question.rfp_id', '=', rfpId)
    .where('vendor_question.id', '=', questionId)
    .executeTakeFirst();
  return row
    ? { id: row.id, vendorName: row.vendor_name, text: row.text, publishedText: row.published_text, answer: row.answer, addendumId: row.addendum_id }
    : undefined;
}

/**
 * Saves the lead's answer and the wording to publish (null: as asked). The caller has checked the question is not yet
 * published. Audited with what changed.
 */
export async function saveAnswer(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; question: QuestionForAnswer; publishedText: string | null; answer: string },
  now = nowIso(),
): Promise<void> {
  const { question } = input;
  await db
    .updateTable('vendor_question')
    .set({ published_text: input.publishedText, answer: input.answer, answered_by: actor.id, answered_at: now })
    .where('id', '=', question.id)
    .where('rfp_id', '=', input.rfpId)
    .execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'vendor_question',
    entityId: question.id,
    action: 'qa.answer',
    before: { vendor_name: question.vendorName, published_text: question.publishedText, answer: question.answer },
    after: { vendor_name: question.vendorName, published_text: input.publishedText, answer: input.answer, reworded: input.publishedText !== null },
  });
}

/** The RFP's answered questions not yet in an addendum, by id. */
export async function listPublishableQuestionIds(db: Executor, rfpId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('vendor_question')
    .select('id')
    .where('rfp_id', '=', rfpId)
    .where('addendum_id', 'is', null)
    .where('answer', 'is not', null)
    .orderBy('asked_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Publishes the given answered questions as the RFP's next addendum (number = last + 1). The caller holds the RFP's
 * write lock, so two publications cannot take the same number (the unique index refuses it anyway).
 */
export async function createAddendum(db: Executor, actor: Actor, input: { rfpId: string; questionIds: readonly string[] }, now = nowIso()): Promise<{ id: string; number: number }> {
  const last = await db.selectFrom('qa_addendum').select((eb) => eb.fn.max('number').as('number')).where('rfp_id', '=', input.rfpId).executeTakeFirst();
  const number = Number(last?.number ?? 0) + 1;
  const id = newId();
  await db.insertInto('qa_addendum').values({ id, rfp_id: input.rfpId, number, published_by: actor.id, published_at: now }).execute();
  await db
    .updateTable('vendor_question')
    .set({ addendum_id: id })
    .where('rfp_id', '=', input.rfpId)
    .where('id', 'in', [...input.questionIds])
    .where('addendum_id', 'is', null)
    .execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'qa_addendum',
    entityId: id,
    action: 'qa.publish',
    after: { number, published_at: now, question_ids: [...input.questionIds], questions: input.questionIds.length },
  });
  return { id, number };
}

export interface InvitedContact {
  userId: string;
  name: string;
  email: string;
}

/** Every enabled contact of every organisation invited to the RFP: who a published addendum is mailed to. */
export async function listInvitedContacts(db: Executor, rfpId: string): Promise<InvitedContact[]> {
  const rows = await db
    .selectFrom('portal_access')
    .innerJoin('vendor_contact', 'vendor_contact.vendor_id', 'portal_access.vendor_id')
    .innerJoin('app_user', 'app_user.id', 'vendor_contact.user_id')
    .select(['app_user.id', 'app_user.name', 'app_user.email'])
    .where('portal_access.rfp_id', '=', rfpId)
    .where('app_user.disabled', '=', 0)
    .orderBy('app_user.email')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email }));
}
