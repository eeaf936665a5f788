/**
 * Moving an RFP through draft → open → evaluation → consensus → closed (DESIGN §2): what each step checks,
 * and the audited transition itself. Going back needs a reason; going back to draft starts a new
 * questionnaire version so vendor workbooks of the old one are recognised as outdated.
 */
import { mailOrigin as originFromSettings } from '#app/mail/origin.server';
import { notifyStatusChange } from '#db/queries/notifications';
import { loadQuestionBanks, indexCriteria } from '#fixtures/question-banks/load';
import type { Transaction } from 'kysely';
import {
  type Actor,
  computeRfpResults,
  type Database,
  type Executor,
  getQuestionnaire,
  listMembers,
  listSubmissions,
  lockRfpForWrite,
  recordAudit,
  recordQuestionnaireVersion,
  type Rfp,
  type RfpStatus,
} from '#app/utils/db.server';
import type { RiskLevel } from '#scoring/risk-tier';
import { questionnaireProblems, type QuestionnaireProblem } from './questionnaire-checks';
import { STATUS_LABELS, STATUS_ORDER } from './status';
import { loadProgress, pendingSheets } from '#app/evaluation/progress.server';
import { formatDateTime } from '#app/utils/format';
import { hasUnopenedBids } from '#app/confidentiality/sealed-responses.server';
import { plural } from '#app/utils/wording';

let bankIndex: Map<string, { bank: string }> | undefined;
/** Which shipped bank a criterion key comes from (for the risk-tier requirements). */
export function bankOfCriterion(key: string): string | undefined {
  bankIndex ??= indexCriteria(loadQuestionBanks());
  return bankIndex.get(key)?.bank;
}

export async function draftProblems(db: Executor, rfp: Rfp): Promise<QuestionnaireProblem[]> {
  const sections = await getQuestionnaire(db, rfp.id);
  const problems = questionnaireProblems(sections, {
    totalPoints: rfp.total_points,
    scaleMax: rfp.scale_max,
    riskLevel: (rfp.risk_tier as RiskLevel | null) ?? null,
    bankOfCriterion,
  });
  if (!rfp.risk_tier) problems.push({ message: 'The AI risk tier has not been assessed.', anchor: 'risk' });
  return problems;
}

/** Why the RFP cannot move forward from its current status now (empty when it can). */
export async function forwardBlockers(db: Executor, rfp: Rfp): Promise<string[]> {
  switch (rfp.status) {
    case 'draft':
      return (await draftProblems(db, rfp)).map((p) => p.message);
    case 'open': {
      const blockers: string[] = [];
      // Sealed online responses become responses only at the bid opening: starting the evaluation first would leave them out.
      if (await hasUnopenedBids(db, rfp.id)) blockers.push('Vendors submitted online and the bids are not opened yet: open them (Bid opening) once the proposals are due.');
      const submissions = await listSubmissions(db, rfp.id);
      if (!submissions.some((s) => s.status === 'received' || s.status === 'responsive')) {
        blockers.push('No vendor response is recorded (received or responsive).');
      }
      const members = await listMembers(db, rfp.id);
      if (!members.some((m) => m.role === 'evaluator')) blockers.push('No evaluator is a member of the RFP.');
      return blockers;
    }
    case 'evaluation':
      return [];
    case 'consensus': {
      // DESIGN §4.5: a split pass/fail vote needs the panel's decision before results are final and the RFP closes.
      const { bundle, outcome } = await computeRfpResults(db, rfp);
      if (!outcome.ok) return ['The results cannot be computed yet: fix the scoring problems shown on the results page.'];
      const vendorName = (id: string) => bundle.vendors.find((v) => v.id === id)?.name ?? id;
      const criterionTitle = (id: string) => bundle.criteria.find((c) => c.id === id)?.title ?? id;
      return outcome.results.mixedVotes.map(
        (m) => `The knock-out “${criterionTitle(m.criterionId)}” for ${vendorName(m.vendorId)} has a split vote (${m.passes} pass, ${m.fails} fail); record the consensus decision.`,
      );
    }
    case 'closed':
      return ['The RFP is closed; it can only be reopened.'];
  }
}

/**
 * Why moving forward now needs a reason (it is early), or null when it does not. DESIGN §2: the lead closes scoring
 * with a reason while some assigned scoresheet is not submitted; and evaluation starting before the proposals due
 * date (vendors may still be sending responses) is recorded with its reason, so a protest can see why.
 */
export async function forwardNeedsReason(db: Executor, rfp: Pick<Rfp, 'id' | 'status' | 'proposals_due_at'>, now = new Date()): Promise<string | null> {
  if (rfp.status === 'open' && rfp.proposals_due_at && Date.parse(rfp.proposals_due_at) > now.getTime()) {
    return `Proposals are due ${formatDateTime(rfp.proposals_due_at)}: starting the evaluation before then needs a reason, which is kept in the audit log.`;
  }
  if (rfp.status === 'evaluation') {
    const progress = await loadProgress(db, rfp.id);
    if (progress.assignments.length === 0) return 'No evaluator is assigned: closing scoring now needs a reason, which is kept in the audit log.';
    const pending = pendingSheets(progress).length;
    if (pending > 0) {
      return `${plural(pending, 'assigned scoresheet')} ${pending === 1 ? 'is' : 'are'} not submitted yet: closing scoring now needs a reason, which is kept in the audit log.`;
    }
  }
  return null;
}

export class TransitionError extends Error {}

/**
 * Moves the RFP to `to`, inside the caller's transaction: locks the RFP's row and re-reads it first, so concurrent
 * moves (two leads, a double click) and writes guarded by a lock wait for each other, then checks the move against
 * the status just read. `expectedFrom` is the status the lead's page showed: a move from a status the RFP is no
 * longer in is refused. The update is a compare-and-set on the status, and the audit event is written only when it
 * changed the row, in the same transaction.
 */
export async function changeStatus(
  trx: Transaction<Database>,
  actor: Actor,
  rfpId: string,
  to: RfpStatus,
  reason: string | null,
  expectedFrom?: RfpStatus,
  mailOrigin: string = originFromSettings(null),
): Promise<void> {
  const rfp = await lockRfpForWrite(trx, rfpId);
  if (!rfp) throw new TransitionError('The RFP no longer exists.');
  if (expectedFrom && rfp.status !== expectedFrom) throw movedBySomeoneElse(rfp.status);
  const from = STATUS_ORDER.indexOf(rfp.status);
  const target = STATUS_ORDER.indexOf(to);
  if (target === from) throw new TransitionError(`The RFP is already ${STATUS_LABELS[to].toLowerCase()}.`);
  const backwards = target < from;
  if (!backwards && target !== from + 1) throw new TransitionError('An RFP moves forward one step at a time.');
  const whyReason = backwards ? 'Going back needs a reason; it is kept in the audit log.' : await forwardNeedsReason(trx, rfp);
  if (whyReason && !reason?.trim()) throw new TransitionError(whyReason);
  if (!backwards) {
    const blockers = await forwardBlockers(trx, rfp);
    if (blockers.length > 0) throw new TransitionError(`The RFP cannot move to ${STATUS_LABELS[to].toLowerCase()} yet: ${blockers.join(' ')}`);
  }
  const change = {
    status: to,
    updated_at: new Date().toISOString(),
    questionnaire_version: to === 'draft' ? rfp.questionnaire_version + 1 : rfp.questionnaire_version,
  };
  const moved = await trx.updateTable('rfp').set(change).where('id', '=', rfp.id).where('status', '=', rfp.status).executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    const now = await trx.selectFrom('rfp').select('status').where('id', '=', rfp.id).executeTakeFirst();
    throw movedBySomeoneElse(now?.status ?? rfp.status);
  }
  // Opening publishes this version of the questionnaire: keep it as vendors receive it, to compare the next one with.
  if (rfp.status === 'draft' && to === 'open') await recordQuestionnaireVersion(trx, actor, rfp.id, rfp.questionnaire_version);
  await recordAudit(trx, actor, {
    rfpId: rfp.id,
    entity: 'rfp',
    entityId: rfp.id,
    action: 'rfp.status',
    before: { status: rfp.status, questionnaire_version: rfp.questionnaire_version },
    after: { status: to, questionnaire_version: change.questionnaire_version },
    reason: reason?.trim() || null,
  });
  await notifyStatusChange(trx, actor, { rfpId: rfp.id, from: rfp.status, to, reason: reason?.trim() || null, mailOrigin });
}

function movedBySomeoneElse(now: RfpStatus): TransitionError {
  return new TransitionError(`The RFP was moved by someone else: it is ${STATUS_LABELS[now].toLowerCase()} now. Reload the page to see where it stands.`);
}
