/**
 * What the vendor workbook is built from: the RFP's questionnaire as it stands (any status from draft on),
 * optionally with one vendor's current answers prefilled.
 */
import type { VendorWorkbookInput } from '#app/xlsx/vendor-workbook.server';
import { type AnswerValue, type Executor, getAnswers, getQuestionnaire, type Rfp } from '#app/utils/db.server';

export async function vendorWorkbookInput(db: Executor, rfp: Rfp, vendor?: { name: string; submissionId: string }): Promise<VendorWorkbookInput> {
  const sections = await getQuestionnaire(db, rfp.id);
  let answers: Record<string, AnswerValue> | undefined;
  if (vendor) {
    const byId = await getAnswers(db, vendor.submissionId);
    answers = {};
    for (const q of sections.flatMap((s) => s.criteria.flatMap((c) => c.questions))) if (byId.has(q.id)) answers[q.key] = byId.get(q.id)!;
  }
  return {
    rfp: { reference: rfp.reference, title: rfp.title, department: rfp.department, questionnaireVersion: rfp.questionnaire_version, proposalsDueAt: rfp.proposals_due_at },
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

export function vendorWorkbookFileName(rfp: Pick<Rfp, 'reference' | 'questionnaire_version'>, vendorKey?: string): string {
  return `${rfp.reference}-questionnaire-v${rfp.questionnaire_version}${vendorKey ? `-${vendorKey}` : ''}.xlsx`;
}
