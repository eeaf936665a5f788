/**
 * Bringing a vendor's filled workbook in: the preview (nothing saved) and applying it (all or nothing).
 * Used by the import screen and by the demo, which enters its vendors' responses this way.
 */
import { type AnswerValue, type Executor, findPriceQuestion, getAnswers, getQuestionnaire, recordAudit, type Rfp, saveAnswers } from '#app/utils/db.server';
import { compareVendorAnswers, parseVendorWorkbook, type VendorImportPreview } from '#app/xlsx/vendor-response-import.server';
import { workbookSigningSecret } from './workbook-signing.server';

/** The response the workbook is imported into: which vendor it belongs to decides the "issued to another vendor" flag. */
export interface ImportTarget {
  id: string;
  vendor_id: string;
  vendor_key: string;
  vendor_name: string;
}

export async function previewVendorImport(db: Executor, rfp: Rfp, submission: ImportTarget, bytes: Uint8Array, fileName: string): Promise<VendorImportPreview> {
  const parsed = await parseVendorWorkbook(bytes, fileName);
  const sections = await getQuestionnaire(db, rfp.id);
  const existing = Object.fromEntries(await getAnswers(db, submission.id));
  const priceQuestion = await findPriceQuestion(db, rfp.id);
  return compareVendorAnswers(
    parsed,
    {
      rfpId: rfp.id,
      reference: rfp.reference,
      questionnaireVersion: rfp.questionnaire_version,
      questions: sections.flatMap((s) =>
        s.criteria.flatMap((c) =>
          c.questions.map((q) => ({ id: q.id, key: q.key, text: q.text, answerType: q.answer_type, options: q.options, required: q.required, isPrice: q.id === priceQuestion?.id })),
        ),
      ),
    },
    existing,
    { vendor: { id: submission.vendor_id, key: submission.vendor_key, name: submission.vendor_name }, secret: await workbookSigningSecret(db) },
  );
}

/** The lead's acceptance of a flagged workbook: the reason goes into the audit log with the flags it covers. */
export interface FlagAcceptance {
  reason: string;
}

export class FlagsNotAcceptedError extends Error {}

/**
 * Saves the preview's changes in the caller's transaction; the answer to the price question is the recorded price
 * (db/queries/responses.ts keeps them one value). Refuses a preview that cannot be applied, and a flagged one without an acceptance.
 */
export async function applyVendorImport(
  db: Executor,
  actor: { id: string | null; email: string | null },
  rfp: Rfp,
  submission: { id: string },
  preview: VendorImportPreview,
  fileName: string,
  acceptance?: FlagAcceptance,
): Promise<{ changed: number; price: number | null }> {
  if (!preview.canApply) throw new Error(preview.refused ?? 'This workbook has rows that must be corrected before it can be imported.');
  const reason = acceptance?.reason.trim() ?? '';
  if (preview.flagged && reason === '') throw new FlagsNotAcceptedError('This workbook is flagged: the flags must be accepted, with a reason, before it is imported.');
  const { changed } = await saveAnswers(db, actor, {
    rfpId: rfp.id,
    submissionId: submission.id,
    source: 'import',
    values: preview.changes.map((c) => ({ questionId: c.questionId, value: c.value as AnswerValue })),
  });
  // saveAnswers made the price question's answer the recorded price, and an expected response received.
  const after = await db.selectFrom('submission').select('price').where('id', '=', submission.id).executeTakeFirstOrThrow();
  const price = after.price === null ? null : Number(after.price);
  await recordAudit(db, actor, {
    rfpId: rfp.id,
    entity: 'submission',
    entityId: submission.id,
    action: 'responses.import',
    after: {
      file: fileName,
      changed,
      counts: preview.counts,
      signature: preview.signature,
      issuedTo: preview.issuedTo?.key ?? null,
      ...(preview.flagged ? { acceptedFlags: acceptedFlags(preview) } : {}),
    },
    reason: preview.flagged ? reason : null,
  });
  return { changed, price };
}

/** Which flags the lead accepted: the workbook's, and each flagged row's, with the texts that differed. */
function acceptedFlags(preview: VendorImportPreview) {
  return {
    workbook: preview.workbookFlags.map((f) => ({ code: f.code, message: f.message })),
    rows: preview.rows
      .filter((r) => r.flags.length > 0)
      .map((r) => ({ key: r.key, sheet: r.sheet, row: r.row, flags: r.flags.map((f) => ({ code: f.code, before: clip(f.before), after: clip(f.after) })) })),
  };
}

/** Texts in the audit log are kept to a readable length; the workbook itself holds the rest. */
function clip(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
