/**
 * The conflict-of-interest attestation evaluators make before they may read any vendor's response (DESIGN §1, §3).
 * The exact text shown is stored with its sha256 in the assignment, so the record proves what was attested even if
 * this wording changes later: change it only by adding a new version, never by editing a published one.
 */

export const COI_STATEMENT_VERSION = 1;

export const COI_STATEMENT = [
  'Conflict-of-interest attestation (version 1).',
  'I attest that, to the best of my knowledge after reasonable inquiry, neither I nor any member of my household or immediate family:',
  '(a) holds a financial interest in, or receives or expects compensation, gifts or favours from, any vendor that responded to this RFP, its parent or affiliates, or any subcontractor it names;',
  '(b) is or has in the past 24 months been employed by, contracted to, or an officer, director, adviser or owner of any such vendor, or is negotiating future employment with one;',
  '(c) has a close personal relationship with a person who will benefit from the award.',
  'I have not discussed this procurement with any vendor outside the official process and will not do so until the award is final. ' +
    'I will score each response only on the published criteria and the content of the response, on my own, and keep the responses, my scores and the panel’s deliberations confidential.',
  'Where I declare a conflict with a vendor below, I take no part in evaluating that vendor. ' +
    'If I become aware of a conflict later, I will stop evaluating the vendor concerned and tell the lead officer at once.',
].join('\n\n');

export const COI_LABELS: Record<'pending' | 'none' | 'declared', string> = {
  pending: 'Not attested yet',
  none: 'No conflict',
  declared: 'Conflict declared',
};
