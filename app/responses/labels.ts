import type { SubmissionStatus } from '#app/utils/db.server';

/** Names shown for submission statuses (DESIGN §3). */
export const SUBMISSION_STATUS_LABELS: Record<SubmissionStatus, string> = {
  expected: 'Expected',
  received: 'Received',
  responsive: 'Responsive',
  non_responsive: 'Non-responsive',
  withdrawn: 'Withdrawn',
};

/** What each status means, for the status field's hint and the vendors list. */
export const SUBMISSION_STATUS_HINTS: Record<SubmissionStatus, string> = {
  expected: 'added to the RFP; no response recorded yet',
  received: 'response recorded, not yet checked for responsiveness',
  responsive: 'response checked and complete',
  non_responsive: 'response does not meet the RFP’s requirements (not evaluated)',
  withdrawn: 'the vendor withdrew (not evaluated)',
};
