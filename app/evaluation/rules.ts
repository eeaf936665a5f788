/**
 * The evaluation's rules and wording shared by the server and the browser: the choices a criterion offers,
 * how a score reads, what a refusal says, and when the due date has passed.
 */
import { STATUS_LABELS } from '#app/rfp/status';
import { formatDateTime } from '#app/utils/format';
import type { RfpStatus } from '#app/utils/db.server';

export interface RubricLevelLike {
  level: number;
  anchor: string;
}

export interface ScoreChoice {
  /** The value posted and stored: 0..S for scored criteria, 1 (pass) / 0 (fail) for knock-outs. */
  value: number;
  label: string;
  /** The rubric's anchor text for the level ('' when the rubric gives none, e.g. half levels). */
  anchor: string;
}

/**
 * Radio choices of a criterion: rubric levels 0..S (and the halves between when the RFP allows half points),
 * or Pass / Fail for a knock-out.
 */
export function scoreChoices(kind: string, rubric: readonly RubricLevelLike[], scaleMax: number, allowHalfPoints: boolean): ScoreChoice[] {
  const anchorOf = (level: number) => rubric.find((r) => r.level === level)?.anchor ?? '';
  if (kind === 'pass_fail') {
    return [
      { value: 1, label: 'Pass', anchor: anchorOf(1) },
      { value: 0, label: 'Fail', anchor: anchorOf(0) },
    ];
  }
  const choices: ScoreChoice[] = [];
  const step = allowHalfPoints ? 0.5 : 1;
  for (let value = 0; value <= scaleMax + 1e-9; value += step) {
    const whole = Number.isInteger(value);
    choices.push({
      value,
      label: whole ? `Level ${value}` : `${value} (between levels ${Math.floor(value)} and ${Math.ceil(value)})`,
      anchor: whole ? anchorOf(value) : '',
    });
  }
  return choices;
}

/** A stored score as words: Pass / Fail for knock-outs, otherwise the number (halves kept) out of S. */
export function formatScore(kind: string, value: number, scaleMax: number): string {
  if (kind === 'pass_fail') return value === 1 ? 'Pass' : 'Fail';
  return `${Number.isInteger(value) ? value : value.toFixed(1)} of ${scaleMax}`;
}

/** Whether a posted value fits the criterion: a choice it offers. */
export function isAllowedValue(kind: string, value: number, scaleMax: number, allowHalfPoints: boolean): boolean {
  return scoreChoices(kind, [], scaleMax, allowHalfPoints).some((c) => c.value === value);
}

export function isOverdue(dueAt: string | null, now: Date = new Date()): boolean {
  return dueAt !== null && now.getTime() > Date.parse(dueAt);
}

export const SCORING_CLOSED = (dueAt: string) =>
  `Scoring closed on ${formatDateTime(dueAt)}. The lead officer can extend the due date on the Evaluation page.`;

export const SCORING_NEEDS_EVALUATION = (status: RfpStatus) =>
  `Scores can be saved only while the RFP is in evaluation; it is ${STATUS_LABELS[status].toLowerCase()} now.`;

export const SHEET_LOCKED =
  'This scoresheet is submitted and locked. Only the lead officer can reopen it, with a reason kept in the audit log.';

export const SHEET_STATUS_LABELS: Record<'not_started' | 'in_progress' | 'submitted', string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  submitted: 'Submitted',
};

export const NOT_ASSIGNED = 'You are not assigned to evaluate this RFP. The lead officer assigns evaluators on the Evaluation page.';

export const ATTEST_FIRST =
  'Vendors’ responses are shown only after you attest on conflicts of interest. Open “My scoring” for this RFP and make the attestation first.';

export const SUBMIT_FIRST = 'The panel’s scores are shown to an evaluator only after they have submitted their own scoresheet.';

export const recusedMessage = (vendorName: string) =>
  `You declared a conflict of interest with ${vendorName}, so you take no part in evaluating its response.`;

/** The sentence for a scoring write the database refused because of the RFP's state (not a stale version). */
export function scoringRefusalMessage(refusal: { kind: string; status?: RfpStatus; dueAt?: string }): string {
  switch (refusal.kind) {
    case 'status':
      return SCORING_NEEDS_EVALUATION(refusal.status!);
    case 'closed':
      return SCORING_CLOSED(refusal.dueAt!);
    case 'submitted':
      return SHEET_LOCKED;
    case 'not-in-rfp':
      return 'That vendor response or criterion is not one scored in this RFP.';
    default:
      return 'This could not be saved.';
  }
}
