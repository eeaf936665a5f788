/**
 * Bringing a vendor's filled workbook in: the preview (nothing saved) and applying it (all or nothing).
 * Used by the import screen and by the demo, which enters its vendors' responses this way.
 */
import { type AnswerValue, type Executor, getAnswers, getQuestionnaire, recordAudit, type Rfp, saveAnswers, updateSubmission } from '#app/utils/db.server';
import { compareVendorAnswers, parseVendorWorkbook, type VendorImportPreview } from '#app/xlsx/vendor-response-import.server';

export async function previewVendorImport(db: Executor, rfp: Rfp, submissionId: string, bytes: Uint8Array, fileName: string): Promise<VendorImportPreview> {
  const parsed = await parseVendorWorkbook(bytes, fileName);
  const sections = await getQuestionnaire(db, rfp.id);
  const existing = Object.fromEntries(await getAnswers(db, submissionId));
  return compareVendorAnswers(
    parsed,
    {
      reference: rfp.reference,
      questionnaireVersion: rfp.questionnaire_version,
      questions: sections.flatMap((s) =>
        s.criteria.flatMap((c) => c.questions.map((q) => ({ id: q.id, key: q.key, text: q.text, answerType: q.answer_type, options: q.options, required: q.required }))),
      ),
    },
    existing,
  );
}

/**
 * Saves the preview's changes in the caller's transaction, and the total price when the price criterion's number
 * question was answered. Refuses a preview that cannot be applied.
 */
export async function applyVendorImport(
  db: Executor,
  actor: { id: string | null; email: string | null },
  rfp: Rfp,
  submission: { id: string; status: 'received' | 'responsive' | 'non_responsive' | 'withdrawn'; status_reason: string | null; received_at: string | null; price: number | null },
  preview: VendorImportPreview,
  fileName: string,
): Promise<{ changed: number; price: number | null }> {
  if (!preview.canApply) throw new Error(preview.refused ?? 'This workbook has rows that must be corrected before it can be imported.');
  const { changed } = await saveAnswers(db, actor, {
    rfpId: rfp.id,
    submissionId: submission.id,
    source: 'import',
    values: preview.changes.map((c) => ({ questionId: c.questionId, value: c.value as AnswerValue })),
  });
  const sections = await getQuestionnaire(db, rfp.id);
  const priceQuestion = sections.flatMap((s) => s.criteria).find((c) => c.kind === 'price')?.questions.find((q) => q.answer_type === 'number');
  const answers = await getAnswers(db, submission.id);
  const priceAnswer = priceQuestion ? answers.get(priceQuestion.id) : undefined;
  const price = typeof priceAnswer === 'number' && priceAnswer > 0 ? priceAnswer : submission.price;
  if (price !== submission.price) {
    await updateSubmission(db, actor, rfp.id, submission.id, { status: submission.status, statusReason: submission.status_reason, receivedAt: submission.received_at, price });
  }
  await recordAudit(db, actor, {
    rfpId: rfp.id,
    entity: 'submission',
    entityId: submission.id,
    action: 'responses.import',
    after: { file: fileName, changed, counts: preview.counts },
  });
  return { changed, price };
}
