/**
 * What a forward move of the lifecycle will lock or change, said to the lead on the confirmation before it happens
 * (opening, moving to evaluation, closing scoring, closing the RFP), with the facts of this RFP: how many questions
 * freeze, whose responses lock, which scoresheets are still open, who ranks first.
 */
import { computeRfpResults, type Executor, getQuestionnaire, listMembers, listSubmissions, type Rfp, type RfpStatus } from '#app/utils/db.server';
import { loadProgress, pendingSheets } from '#app/evaluation/progress.server';
import { listOf, noun, plural } from '#app/utils/wording';
import { forwardNeedsReason } from './lifecycle.server';
import { STATUS_ORDER } from './status';

export interface MoveSummary {
  to: RfpStatus;
  /** The question the confirmation asks, e.g. "Open RFP-2026-014 for responses?". */
  title: string;
  /** The button that confirms, e.g. "Open for responses". */
  confirmLabel: string;
  /** What becomes read-only. */
  locks: string[];
  /** What else happens (who can do what next). */
  changes: string[];
  /** Why this move needs a reason now (it is early), or null. */
  reasonNeeded: string | null;
  reasonLabel: string;
}

/** The confirmation of moving `rfp` one step forward, or null when it is closed (nothing comes after). */
export async function summarizeForwardMove(db: Executor, rfp: Rfp, now = new Date()): Promise<MoveSummary | null> {
  const to = STATUS_ORDER[STATUS_ORDER.indexOf(rfp.status) + 1];
  if (!to) return null;
  const reasonNeeded = await forwardNeedsReason(db, rfp, now);
  const base = { to, reasonNeeded };
  switch (rfp.status) {
    case 'draft': {
      const sections = await getQuestionnaire(db, rfp.id);
      const criteria = sections.flatMap((s) => s.criteria);
      const questions = criteria.reduce((n, c) => n + c.questions.length, 0);
      return {
        ...base,
        title: `Open ${rfp.reference} for responses?`,
        confirmLabel: 'Open for responses',
        locks: [
          `The questionnaire is frozen as version ${rfp.questionnaire_version}: ${plural(questions, 'question')} in ${plural(criteria.length, 'criterion', 'criteria')}, with their weights, rubrics and the risk tier, can no longer be edited.`,
          'The scoring settings (scale, aggregation, half points, divergence threshold, price formula, total points) are locked.',
        ],
        changes: [
          'Vendor workbooks of this version can be downloaded, and responses recorded or imported.',
          `Changing the questionnaire afterwards means going back to draft with a reason, which starts version ${rfp.questionnaire_version + 1} and marks workbooks already sent as outdated.`,
        ],
        reasonLabel: 'Reason',
      };
    }
    case 'open': {
      const [submissions, members] = await Promise.all([listSubmissions(db, rfp.id), listMembers(db, rfp.id)]);
      const evaluated = submissions.filter((s) => s.status === 'received' || s.status === 'responsive');
      const left = submissions.filter((s) => !evaluated.includes(s));
      const evaluators = members.filter((m) => m.role === 'evaluator');
      return {
        ...base,
        title: `Move ${rfp.reference} to evaluation?`,
        confirmLabel: 'Move to evaluation',
        locks: [
          `The ${noun(evaluated.length, 'response')} of ${listOf(evaluated.map((s) => s.vendor_name))} ${evaluated.length === 1 ? 'is' : 'are'} locked: answers, prices, attachments and statuses can no longer be changed, and no vendor can be added.`,
          'Criteria, weights and rubrics stay locked while scoring lasts.',
          ...(left.length > 0 ? [`Not evaluated: ${listOf(left.map((s) => `${s.vendor_name} (${s.status.replace('_', '-')})`))}.`] : []),
        ],
        changes: [`${plural(evaluators.length, 'evaluator')} (${listOf(evaluators.map((m) => m.name))}) can attest their independence and start scoring their assignments.`],
        reasonLabel: 'Reason for starting the evaluation before proposals are due',
      };
    }
    case 'evaluation': {
      const progress = await loadProgress(db, rfp.id);
      const pending = pendingSheets(progress);
      const counted = progress.sheets.filter((s) => s.state !== 'recused' && s.total > 0);
      const nameOf = new Map(progress.assignments.map((a) => [a.user_id, a.name]));
      return {
        ...base,
        title: `Close scoring of ${rfp.reference}?`,
        confirmLabel: 'Close scoring',
        locks: [
          `Scoring closes: evaluators can no longer change or submit scoresheets. ${counted.length - pending.length} of ${plural(counted.length, 'assigned scoresheet')} ${counted.length - pending.length === 1 ? 'is' : 'are'} submitted.`,
          ...(pending.length > 0
            ? [`Not submitted, and left out of the results as they stand: ${listOf(pending.map((s) => `${nameOf.get(s.evaluatorId) ?? 'a former evaluator'} for ${s.vendorName} (${s.scored} of ${s.total} scored)`))}.`]
            : []),
        ],
        changes: ['Every submitted score becomes visible to the panel, and the lead records consensus where evaluators diverge.'],
        reasonLabel: 'Reason for closing scoring now',
      };
    }
    case 'consensus': {
      const { bundle, outcome } = await computeRfpResults(db, rfp);
      const winners = outcome.ok ? outcome.results.winnerIds.map((id) => bundle.vendors.find((v) => v.id === id)?.name ?? id) : [];
      return {
        ...base,
        title: `Close ${rfp.reference}?`,
        confirmLabel: 'Close the RFP',
        locks: ['The results become final and the whole RFP read-only: consensus scores, responses and the record can no longer be changed.'],
        changes: [
          ...(winners.length > 0 ? [`${listOf(winners)} ${winners.length === 1 ? 'ranks' : 'rank equal'} first.`] : []),
          'It can only be reopened by going back, with a reason kept in the audit log.',
        ],
        reasonLabel: 'Reason',
      };
    }
    case 'closed':
      return null;
  }
}
