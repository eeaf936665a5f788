/** Names shown for submission statuses (DESIGN §3). */
export const SUBMISSION_STATUS_LABELS: Record<'received' | 'responsive' | 'non_responsive' | 'withdrawn', string> = {
  received: 'Received',
  responsive: 'Responsive',
  non_responsive: 'Non-responsive',
  withdrawn: 'Withdrawn',
};
