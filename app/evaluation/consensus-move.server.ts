/**
 * Closing scoring: evaluation → consensus (DESIGN §2). When every assigned, non-recused scoresheet is submitted the
 * move needs no reason from the lead; otherwise the lead must give one. The audited transition itself is
 * `changeStatus` (app/rfp/lifecycle.server.ts), which asks a reason for every move out of evaluation: when scoring is
 * complete we record the fact as the reason, so the audit event says why no human reason was needed.
 */
import { changeStatus, TransitionError } from '#app/rfp/lifecycle.server';
import { STATUS_LABELS } from '#app/rfp/status';
import { getDb, lockRfpForWrite } from '#app/utils/db.server';
import { loadProgress, pendingSheets } from './progress.server';

export const SCORING_COMPLETE_REASON = 'Scoring complete: every assigned evaluator submitted every scoresheet.';

export type MoveOutcome = { ok: true; reason: string } | { ok: false; status: 400 | 409; message: string };

class Stop extends Error {
  constructor(readonly outcome: MoveOutcome) {
    super('stop');
  }
}

export async function moveToConsensus(actor: { id: string; email: string }, rfpId: string, reason: string | null, mailOrigin: string): Promise<MoveOutcome> {
  try {
    return await getDb()
      .transaction()
      .execute(async (trx) => {
        // The row stays locked to the end: no scoresheet is submitted or reopened between this count and the move.
        const rfp = await lockRfpForWrite(trx, rfpId);
        if (!rfp || rfp.status !== 'evaluation') {
          throw new Stop({ ok: false, status: 409, message: `Scoring can be closed only while the RFP is in evaluation; it is ${STATUS_LABELS[rfp?.status ?? 'draft'].toLowerCase()} now.` });
        }
        const progress = await loadProgress(trx, rfpId);
        const pending = pendingSheets(progress);
        const complete = progress.assignments.length > 0 && pending.length === 0;
        if (!complete && !reason) {
          const names = new Map(progress.assignments.map((a) => [a.user_id, a.name]));
          const list = pending.map((p) => `${names.get(p.evaluatorId) ?? 'an evaluator'} — ${p.vendorName}`);
          throw new Stop({
            ok: false,
            status: 400,
            message:
              progress.assignments.length === 0
                ? 'No evaluator is assigned: closing scoring now needs a reason.'
                : `${pending.length} scoresheet${pending.length === 1 ? ' is' : 's are'} not submitted yet (${list.join('; ')}): closing scoring now needs a reason.`,
          });
        }
        const why = reason || SCORING_COMPLETE_REASON;
        await changeStatus(trx, actor, rfp.id, 'consensus', why, 'evaluation', mailOrigin);
        return { ok: true as const, reason: why };
      });
  } catch (error) {
    if (error instanceof Stop) return error.outcome;
    if (error instanceof TransitionError) return { ok: false, status: 409, message: error.message };
    throw error;
  }
}
