/**
 * What each notification says. Pure composition (app/mail/compose.ts escapes everything for the HTML body); the
 * functions that enqueue them live beside the change that causes them, in the same transaction (db/queries).
 * No notification carries anything of the panel's evaluation (scores, rationales): only who, what and when.
 */
import { STATUS_LABELS, STATUS_PHRASES } from '#app/rfp/status';
import { formatDateTime } from '#app/utils/format';
import type { RfpStatus } from '#db/schema';
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

interface RfpRef {
  id: string;
  reference: string;
  title: string;
}

const rfpName = (rfp: RfpRef) => `“${rfp.title}” (${rfp.reference})`;
const FOOTER_MEMBER = `You receive this mail because you are a member of this RFP in the ${PRODUCT}. Choose which mails you receive on your Notifications page.`;

export function sheetSubmittedMail(n: { origin: string; rfp: RfpRef; evaluatorName: string; vendorName: string; submitted: number; expected: number }): ComposedMail {
  return composeMail({
    subject: `${n.rfp.reference}: ${n.evaluatorName} submitted a scoresheet`,
    greeting: 'Hello,',
    paragraphs: [
      `${n.evaluatorName} submitted their scoresheet for ${n.vendorName} on ${rfpName(n.rfp)}.`,
      `${n.submitted} of ${n.expected} scoresheets are in.`,
    ],
    action: { label: 'Open the evaluation progress', url: `${n.origin}/rfps/${n.rfp.id}/evaluation` },
    footer: FOOTER_MEMBER,
  });
}

export function sheetReopenedMail(n: { origin: string; rfp: RfpRef; submissionId: string; vendorName: string; leadName: string; reason: string }): ComposedMail {
  return composeMail({
    subject: `${n.rfp.reference}: your scoresheet for ${n.vendorName} was reopened`,
    greeting: 'Hello,',
    paragraphs: [`${n.leadName} reopened your scoresheet for ${n.vendorName} on ${rfpName(n.rfp)}. The reason given:`, n.reason, 'Review your scores, then submit the scoresheet again.'],
    action: { label: 'Open the scoresheet', url: `${n.origin}/rfps/${n.rfp.id}/evaluate/${n.submissionId}` },
    footer: `You receive this mail because you are an evaluator on this RFP in the ${PRODUCT}.`,
  });
}

/** Subject as a sentence ("is now in consensus", not "is now consensus"); the move between the statuses' names. */
export function statusMail(n: { origin: string; rfp: RfpRef; from: RfpStatus; to: RfpStatus; byName: string; reason: string | null; whatItMeans: string }): ComposedMail {
  return composeMail({
    subject: `${n.rfp.reference} is now ${STATUS_PHRASES[n.to]}`,
    greeting: 'Hello,',
    paragraphs: [`${n.byName} moved ${rfpName(n.rfp)} from “${STATUS_LABELS[n.from]}” to “${STATUS_LABELS[n.to]}”.`, ...(n.reason ? [`The reason given: ${n.reason}`] : []), n.whatItMeans],
    action: { label: 'Open the RFP', url: `${n.origin}/rfps/${n.rfp.id}` },
    footer: FOOTER_MEMBER,
  });
}

export function reminderMail(n: { origin: string; rfp: RfpRef; kind: 'due' | 'overdue' | 'lead'; dueAt: string | null; openSheets: number; leadName?: string; note?: string }): ComposedMail {
  const due = n.dueAt ? formatDateTime(n.dueAt) : null;
  const sheets = n.openSheets === 1 ? '1 scoresheet' : `${n.openSheets} scoresheets`;
  const subject =
    n.kind === 'overdue' ? `${n.rfp.reference}: your scores are overdue` : n.kind === 'due' ? `${n.rfp.reference}: your scores are due ${due ?? 'soon'}` : `${n.rfp.reference}: a reminder from ${n.leadName ?? 'the lead'}`;
  const first =
    n.kind === 'overdue'
      ? `Your scores for ${rfpName(n.rfp)} were due ${due}. You have ${sheets} not yet submitted.`
      : n.kind === 'due'
        ? `Your scores for ${rfpName(n.rfp)} are due ${due}. You have ${sheets} not yet submitted.`
        : `${n.leadName ?? 'The lead'} reminds you that you have ${sheets} not yet submitted on ${rfpName(n.rfp)}${due ? `, due ${due}` : ''}.`;
  return composeMail({
    subject,
    greeting: 'Hello,',
    paragraphs: [first, ...(n.note ? [n.note] : [])],
    action: { label: 'Open your evaluation', url: `${n.origin}/rfps/${n.rfp.id}/evaluate` },
    footer: `You receive this mail because you are an evaluator on this RFP in the ${PRODUCT}.`,
  });
}

export function digestMail(n: { origin: string; name: string; items: Array<{ subject: string; createdAt: string }> }): ComposedMail {
  return composeMail({
    subject: n.items.length === 1 ? `Your daily digest: ${n.items[0]!.subject}` : `Your daily digest: ${n.items.length} notifications`,
    greeting: `Hello ${n.name},`,
    paragraphs: ['Since the last digest:', n.items.map((i) => `• ${i.subject} (${formatDateTime(i.createdAt)})`).join('\n')],
    action: { label: 'Open your notifications', url: `${n.origin}/notifications` },
    footer: `You receive this digest because you chose it on your Notifications page in the ${PRODUCT}.`,
  });
}
