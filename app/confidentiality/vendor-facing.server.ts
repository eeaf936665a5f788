/**
 * What a vendor contact may read of an RFP (issue 15, item 2): the one module every vendor-portal page, download and
 * mail takes RFP content from. It is built from the vendor workbook's own input (app/responses/vendor-workbook-source),
 * so the page and the workbook a vendor downloads say the same — questions, vendor guidance, answer types, options,
 * required marks — and neither carries what the panel uses to score: never "what a strong answer shows", rubric
 * anchors, references, points, other vendors, members or anything of the evaluation. Each field is picked by name,
 * here and in the workbook input: a column added to a table later reaches vendors only when it is added there.
 */
import { vendorWorkbookInput } from '#app/responses/vendor-workbook-source.server';
import type { Executor, Rfp } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import type { VendorCriterionKind, VendorWorkbookQuestion } from '#app/xlsx/vendor-workbook.server';

export type VendorFacingQuestion = VendorWorkbookQuestion;

export interface VendorFacingRfp {
  id: string;
  reference: string;
  title: string;
  department: string;
  summary: string;
  /** Whether proposals are still accepted, in the words a vendor reads. */
  stage: 'open' | 'closed';
  proposalsDue: string | null;
  questionsDue: string | null;
  questionnaireVersion: number;
  sections: Array<{
    key: string;
    title: string;
    criteria: Array<{ key: string; title: string; kind: VendorCriterionKind; questions: VendorFacingQuestion[] }>;
  }>;
  questionCount: number;
  requiredCount: number;
}

export async function loadVendorFacingRfp(db: Executor, rfp: Rfp): Promise<VendorFacingRfp> {
  const input = await vendorWorkbookInput(db, rfp);
  const questions = input.sections.flatMap((s) => s.criteria.flatMap((c) => c.questions));
  return {
    id: rfp.id,
    reference: rfp.reference,
    title: rfp.title,
    department: rfp.department,
    summary: rfp.summary,
    stage: vendorFacingListStage(rfp.status),
    proposalsDue: rfp.proposals_due_at ? formatDateTime(rfp.proposals_due_at) : null,
    questionsDue: rfp.qa_due_at ? formatDateTime(rfp.qa_due_at) : null,
    questionnaireVersion: rfp.questionnaire_version,
    sections: input.sections,
    questionCount: questions.length,
    requiredCount: questions.filter((q) => q.required).length,
  };
}

/** Whether an RFP still takes proposals, in the words a vendor reads: on its page and in the portal's list. */
export function vendorFacingListStage(status: Rfp['status']): 'open' | 'closed' {
  return status === 'open' ? 'open' : 'closed';
}
