/**
 * The lead's side of the Q&A period (issue 15, item 5): every vendor's question with who asked and when, the answer
 * (and, to keep the asker anonymous, the question reworded for publication, the original kept), and the publication of
 * answered questions as the RFP's next numbered, dated addendum — mailed, in the same transaction, to every contact of
 * every invited organisation, without naming who asked. Answers and addenda are written while the RFP is open, checked
 * on the RFP's locked row; a published question is the record and no longer changes.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { QA_ADDENDUM_MAIL_KIND, qaAddendumMail } from '#app/mail/qa-mails';
import { withRfpLock } from '#app/rfp/locks.server';
import { STATUS_PHRASES } from '#app/rfp/status';
import type { Actor, Database, Executor, Rfp } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { clipText, plural } from '#app/utils/wording';
import { fieldError, type FormErrors, formError, parseForm, requiredText } from '#app/utils/form';
import { enqueueMail } from '#db/queries/mail-outbox';
import {
  createAddendum,
  getQuestionForAnswer,
  listInvitedContacts,
  listPublishableQuestionIds,
  listPublishedAddenda,
  listRfpQuestions,
  saveAnswer,
} from '#db/queries/vendor-questions';
import { ANSWER_MAX_CHARS, QUESTION_MAX_CHARS } from './qa-limits';

/** Why answers and addenda cannot be written now, or null while the RFP is open. */
export function qaLeadLock(rfp: Pick<Rfp, 'reference' | 'status'>): string | null {
  if (rfp.status === 'open') return null;
  if (rfp.status === 'draft') return `${rfp.reference} is a draft: vendors ask questions once it is open, and answers are published then.`;
  return `Questions about ${rfp.reference} are answered and published while it is open for proposals; it is now ${STATUS_PHRASES[rfp.status]}, so the Q&A record no longer changes.`;
}

export async function leadQuestionsPage(db: Executor, rfp: Rfp) {
  const [questions, addenda] = await Promise.all([listRfpQuestions(db, rfp.id), listPublishedAddenda(db, rfp.id)]);
  const publishable = questions.filter((q) => q.addendumNumber === null && q.answer !== null);
  return {
    questionsDue: rfp.qa_due_at ? formatDateTime(rfp.qa_due_at) : null,
    lock: qaLeadLock(rfp),
    nextAddendum: (addenda[0]?.number ?? 0) + 1,
    counts: {
      total: questions.length,
      awaiting: questions.filter((q) => q.answer === null).length,
      publishable: publishable.length,
      published: questions.filter((q) => q.addendumNumber !== null).length,
    },
    questions: questions.map((q) => ({
      id: q.id,
      vendorName: q.vendorName,
      askedBy: `${q.askedByName} (${q.askedByEmail})`,
      asked: formatDateTime(q.askedAt),
      questionKey: q.questionKey,
      text: q.text,
      publishedText: q.publishedText,
      /** The wording vendors will read, shortened: what the publish checkbox says. */
      summary: clipText(q.publishedText ?? q.text, 80),
      answer: q.answer,
      answered: q.answeredAt ? `${q.answeredByName ?? 'A former account'}, ${formatDateTime(q.answeredAt)}` : null,
      addendumNumber: q.addendumNumber,
    })),
    addenda: addenda.map((a) => ({ number: a.number, published: formatDateTime(a.publishedAt), count: a.questions.length })),
  };
}

export type LeadOutcome = { ok: true; message: string } | { ok: false; status: 400 | 404 | 409; errors: FormErrors };

const answerSchema = z.object({
  questionId: z.string().min(1, 'Choose a question to answer.'),
  publishedText: z.string().trim().max(QUESTION_MAX_CHARS, `The question as published must be at most ${QUESTION_MAX_CHARS} characters.`).optional(),
  answer: requiredText('The answer', ANSWER_MAX_CHARS),
});

export async function answerVendorQuestion(db: Kysely<Database>, actor: Actor, rfpId: string, formData: FormData): Promise<LeadOutcome> {
  const parsed = parseForm(formData, answerSchema);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  const { questionId, answer } = parsed.data;
  return withRfpLock(db, rfpId, qaLeadLock, async (trx): Promise<LeadOutcome> => {
    const question = await getQuestionForAnswer(trx, rfpId, questionId);
    if (!question) return { ok: false, status: 404, errors: formError('That question is not in this RFP.') };
    if (question.addendumId !== null) {
      return { ok: false, status: 409, errors: formError('That question is already published in an addendum: it is part of the record and no longer changes.') };
    }
    // Wording left empty, or as asked, is published as asked: only a real rewording is kept beside the original.
    const reworded = parsed.data.publishedText && parsed.data.publishedText !== question.text.trim() ? parsed.data.publishedText : null;
    await saveAnswer(trx, actor, { rfpId, question, publishedText: reworded, answer });
    return { ok: true, message: `Answer saved for ${question.vendorName}’s question. It reaches vendors when you publish it in an addendum.` };
  });
}

/** The question ids ticked on the page (a checkbox per question, all named `questionId`). */
function tickedIds(formData: FormData): string[] {
  return [...new Set(formData.getAll('questionId').filter((v): v is string => typeof v === 'string' && v !== ''))].slice(0, 1000);
}

export async function publishQaAddendum(db: Kysely<Database>, actor: Actor, rfpId: string, formData: FormData, origin: string): Promise<LeadOutcome> {
  const ids = tickedIds(formData);
  if (ids.length === 0) return { ok: false, status: 400, errors: fieldError('questionId', 'Tick at least one answered question to publish.') };
  return withRfpLock(db, rfpId, qaLeadLock, async (trx, rfp): Promise<LeadOutcome> => {
    const publishable = new Set(await listPublishableQuestionIds(trx, rfpId));
    if (ids.some((id) => !publishable.has(id))) {
      return { ok: false, status: 409, errors: formError('A ticked question is unanswered or already published (someone may have published meanwhile). Reload the page and try again.') };
    }
    const addendum = await createAddendum(trx, actor, { rfpId, questionIds: ids });
    const [published] = await listPublishedAddenda(trx, rfpId, addendum.id);
    const contacts = await listInvitedContacts(trx, rfpId);
    for (const contact of contacts) {
      const mail = qaAddendumMail({
        name: contact.name,
        rfpReference: rfp.reference,
        rfpTitle: rfp.title,
        number: addendum.number,
        publishedAt: formatDateTime(published!.publishedAt),
        questions: published!.questions,
        url: `${origin}/vendor/rfps/${rfp.id}/questions`,
      });
      await enqueueMail(trx, { kind: QA_ADDENDUM_MAIL_KIND, to: { address: contact.email, userId: contact.userId }, rfpId, ...mail, dedupeKey: `qa-addendum:${addendum.id}:${contact.userId}` });
    }
    return { ok: true, message: `Q&A addendum ${addendum.number} is published with ${plural(ids.length, 'answer')}, and mailed to ${plural(contacts.length, 'vendor contact')}.` };
  });
}
