/**
 * Questions and answers as a vendor contact sees them (issue 15, item 5): their organisation's own questions with where
 * each stands, every published addendum of the RFP — whoever asked, never saying who — and asking a new question until
 * the Q&A deadline. The deadline and the RFP's status are checked by the server clock inside the write's transaction,
 * on the RFP's locked row, so a question sent a second late is refused however long ago the page was loaded.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadVendorFacingRfp } from '#app/confidentiality/vendor-facing.server';
import { withRfpLock } from '#app/rfp/locks.server';
import type { Database, Executor, Rfp } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { clipText } from '#app/utils/wording';
import { fieldError, type FormErrors, formError, parseForm, requiredText } from '#app/utils/form';
import { createVendorQuestion, listOwnQuestions, listPublishedAddenda } from '#db/queries/vendor-questions';
import type { VendorRfpAccess } from './access.server';
import { QUESTION_MAX_CHARS } from './qa-limits';

/** Why questions are no longer accepted (on the page and as the refusal), or null while they are. */
export function questionsClosedReason(rfp: Pick<Rfp, 'reference' | 'status' | 'qa_due_at'>, now: Date): string | null {
  if (rfp.status !== 'open') return `Proposals for ${rfp.reference} are closed, so questions are no longer accepted.`;
  if (rfp.qa_due_at && now.getTime() > Date.parse(rfp.qa_due_at)) {
    return `The deadline for questions about ${rfp.reference} was ${formatDateTime(rfp.qa_due_at)}: questions are no longer accepted.`;
  }
  return null;
}

/** Every published addendum, in the words a vendor reads: no column that names who asked is ever read. */
export async function vendorFacingAddenda(db: Executor, rfpId: string) {
  const addenda = await listPublishedAddenda(db, rfpId);
  return addenda.map((a) => ({ number: a.number, published: formatDateTime(a.publishedAt), questions: a.questions }));
}

export async function vendorQuestionsPage(db: Executor, access: VendorRfpAccess, now = new Date()) {
  const { rfp, organisation } = access;
  const [facing, own, addenda] = await Promise.all([loadVendorFacingRfp(db, rfp), listOwnQuestions(db, rfp.id, organisation.vendorId), vendorFacingAddenda(db, rfp.id)]);
  const closedReason = questionsClosedReason(rfp, now);
  return {
    rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title },
    questionsDue: facing.questionsDue,
    closedReason,
    questionOptions: facing.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions.map((q) => ({ value: q.key, label: `${q.key}: ${clipText(q.text, 90)}` })))),
    own: own.map((q) => ({
      id: q.id,
      asked: formatDateTime(q.askedAt),
      questionKey: q.questionKey,
      text: q.text,
      addendumNumber: q.addendumNumber,
    })),
    addenda,
  };
}

const askSchema = z.object({
  text: requiredText('Your question', QUESTION_MAX_CHARS),
  questionKey: z.string().trim().max(200).optional(),
});

export type AskOutcome = { ok: true } | { ok: false; status: 400 | 409; errors: FormErrors };

export async function askVendorQuestion(db: Kysely<Database>, access: VendorRfpAccess, formData: FormData): Promise<AskOutcome> {
  const parsed = parseForm(formData, askSchema);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  const questionKey = parsed.data.questionKey || null;
  return withRfpLock(
    db,
    access.rfp.id,
    () => null,
    async (trx, rfp): Promise<AskOutcome> => {
      // The server's clock, read after the RFP's row is locked: the deadline as it is at the moment of the write.
      const closed = questionsClosedReason(rfp, new Date());
      if (closed) return { ok: false, status: 409, errors: formError(closed) };
      if (questionKey !== null) {
        const facing = await loadVendorFacingRfp(trx, rfp);
        const keys = new Set(facing.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions.map((q) => q.key))));
        if (!keys.has(questionKey)) return { ok: false, status: 400, errors: fieldError('questionKey', 'Choose a question of the questionnaire, or the RFP in general.') };
      }
      await createVendorQuestion(
        trx,
        { id: access.user.id, email: access.user.email },
        { rfpId: rfp.id, vendorId: access.organisation.vendorId, vendorName: access.organisation.vendorName, questionKey, text: parsed.data.text },
      );
      return { ok: true };
    },
  );
}
