/**
 * What the vendor workbook is built from: the RFP's questionnaire as it stands (any status from draft on),
 * optionally issued to one vendor (their name and current answers prefilled), signed with the installation's key.
 */
import { buildVendorWorkbook, type VendorWorkbookInput } from '#app/xlsx/vendor-workbook.server';
import { type AnswerValue, type Executor, getAnswers, getQuestionnaire, type Rfp } from '#app/utils/db.server';
import { workbookSigningSecret } from './workbook-signing.server';

/** The vendor a workbook is issued to: their registry identity and their response in this RFP. */
export interface WorkbookRecipient {
  vendorId: string;
  vendorKey: string;
  name: string;
  submissionId: string;
}

export async function vendorWorkbookInput(db: Executor, rfp: Rfp, vendor?: Pick<WorkbookRecipient, 'name' | 'submissionId'>): Promise<VendorWorkbookInput> {
  const sections = await getQuestionnaire(db, rfp.id);
  let answers: Record<string, AnswerValue> | undefined;
  if (vendor) {
    const byId = await getAnswers(db, vendor.submissionId);
    answers = {};
    for (const q of sections.flatMap((s) => s.criteria.flatMap((c) => c.questions))) if (byId.has(q.id)) answers[q.key] = byId.get(q.id)!;
  }
  return {
    rfp: { reference: rfp.reference, title: rfp.title, department: rfp.department, questionnaireVersion: rfp.questionnaire_version, proposalsDueAt: rfp.proposals_due_at, qaDueAt: rfp.qa_due_at },
    sections: sections.map((s) => ({
      key: s.key,
      title: s.title,
      criteria: s.criteria.map((c) => ({
        key: c.key,
        title: c.title,
        kind: c.kind,
        questions: c.questions.map((q) => ({ key: q.key, text: q.text, guidance: q.guidance, answerType: q.answer_type, options: q.options.map((o) => ({ label: o.label })), required: q.required })),
      })),
    })),
    vendorName: vendor?.name,
    answers,
  };
}

/**
 * The signed workbook: issued to `recipient` (prefilled with their answers, or with `answers` when given), or blank —
 * issued to no vendor — without one. Every workbook the app hands out comes from here.
 */
export async function issueVendorWorkbook(db: Executor, rfp: Rfp, recipient?: WorkbookRecipient, answers?: Record<string, unknown>): Promise<Buffer> {
  const input = await vendorWorkbookInput(db, rfp, recipient);
  const secret = await workbookSigningSecret(db);
  return buildVendorWorkbook(answers ? { ...input, answers } : input, {
    secret,
    rfpId: rfp.id,
    vendor: recipient ? { id: recipient.vendorId, key: recipient.vendorKey, name: recipient.name } : null,
  });
}

export function vendorWorkbookFileName(rfp: Pick<Rfp, 'reference' | 'questionnaire_version'>, vendorKey?: string): string {
  return `${rfp.reference}-questionnaire-v${rfp.questionnaire_version}${vendorKey ? `-${vendorKey}` : ''}.xlsx`;
}
