/**
 * What each notification says. Pure composition (app/mail/compose.ts escapes everything for the HTML body); the
 * functions that enqueue them live beside the change that causes them, in the same transaction (db/queries).
 * No notification carries anything of the panel's evaluation (scores, rationales): only who, what and when.
 */
import { formatDateTime } from '#app/utils/format';
import { composeMail, type ComposedMail } from './compose';

const PRODUCT = 'AI Vendor Evaluation Workbench';

export interface AssignmentNotice {
  origin: string;
  rfp: { id: string; reference: string; title: string; evaluationDueAt: string | null };
  evaluator: { name: string };
  assignedBy: { name: string };
  /** null: the whole RFP; otherwise how many sections. */
  sectionCount: number | null;
}

export function assignmentMail(notice: AssignmentNotice): ComposedMail {
  const scope = notice.sectionCount === null ? 'the whole questionnaire' : notice.sectionCount === 1 ? 'one section of the questionnaire' : `${notice.sectionCount} sections of the questionnaire`;
  const due = notice.rfp.evaluationDueAt ? `Scores are due ${formatDateTime(notice.rfp.evaluationDueAt)}.` : 'The lead has not set a due date for the scores yet.';
  return composeMail({
    subject: `You are assigned to evaluate ${notice.rfp.reference}: ${notice.rfp.title}`,
    greeting: `Hello ${notice.evaluator.name},`,
    paragraphs: [
      `${notice.assignedBy.name} assigned you to evaluate “${notice.rfp.title}” (${notice.rfp.reference}), for ${scope}.`,
      `Before you read any vendor’s response you will be asked to attest that you have no conflict of interest. ${due}`,
    ],
    action: { label: 'Open the evaluation', url: `${notice.origin}/rfps/${notice.rfp.id}/evaluate` },
    footer: `You receive this mail because you are an evaluator on this RFP in the ${PRODUCT}.`,
  });
}
