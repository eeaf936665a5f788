/**
 * Builds the {@link PriceView} for one reader of one RFP from the database (price-blind.ts has the rules). Readers who
 * cannot be blind — the RFP is not price-blind, they are not on the panel, scoring is over — cost no query.
 */
import type { Executor, MemberRole, Rfp } from '#app/utils/db.server';
import { criteriaInScope, EVALUATED_SUBMISSION_STATUSES, listScorableCriteria } from '#app/utils/db.server';
import { forbidden, type RfpAccess } from '#app/utils/permissions.server';
import { isPriceBlind, type OwnSheetState, PRICE_WITHHELD, PriceView } from './price-blind';

export { PRICE_WITHHELD, PriceView } from './price-blind';

export interface PriceReader {
  rfp: Pick<Rfp, 'id' | 'status' | 'price_blind'>;
  userId: string;
  memberRole: MemberRole | null;
}

/** The scoresheets `userId` must submit in the RFP, with their state (see price-blind.ts). */
async function requiredSheetStates(db: Executor, rfpId: string, userId: string): Promise<OwnSheetState[]> {
  const [assignment, submissions, recusals, sheets, criteria] = await Promise.all([
    db.selectFrom('assignment').select('section_ids_json').where('rfp_id', '=', rfpId).where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('submission').select(['id', 'vendor_id']).where('rfp_id', '=', rfpId).where('status', 'in', [...EVALUATED_SUBMISSION_STATUSES]).execute(),
    db.selectFrom('recusal').select('vendor_id').where('rfp_id', '=', rfpId).where('user_id', '=', userId).execute(),
    db.selectFrom('scoresheet').select(['submission_id', 'status']).where('rfp_id', '=', rfpId).where('evaluator_id', '=', userId).execute(),
    listScorableCriteria(db, rfpId),
  ]);
  if (!assignment) return [];
  const scope = assignment.section_ids_json === null ? null : (JSON.parse(assignment.section_ids_json) as string[]);
  if (criteriaInScope(criteria, scope).length === 0) return [];
  const recused = new Set(recusals.map((r) => r.vendor_id));
  const stateOf = new Map(sheets.map((s) => [s.submission_id, s.status]));
  return submissions.filter((s) => !recused.has(s.vendor_id)).map((s) => stateOf.get(s.id) ?? 'not_started');
}

/** The view for `reader`. */
export async function loadPriceView(db: Executor, reader: PriceReader): Promise<PriceView> {
  const { rfp, userId, memberRole } = reader;
  const priceBlind = Boolean(Number(rfp.price_blind));
  // Cheap first: a reader who is not blind whatever their sheets say needs no query.
  if (!isPriceBlind({ priceBlind, memberRole, status: rfp.status, requiredSheets: [] })) return PriceView.open();
  const [requiredSheets, priceCriteria] = await Promise.all([
    requiredSheetStates(db, rfp.id, userId),
    db.selectFrom('criterion').select('id').where('rfp_id', '=', rfp.id).where('kind', '=', 'price').execute(),
  ]);
  const criterionIds = priceCriteria.map((c) => c.id);
  const questions =
    criterionIds.length === 0 ? [] : await db.selectFrom('question').select('id').where('rfp_id', '=', rfp.id).where('criterion_id', 'in', criterionIds).execute();
  return PriceView.for({ priceBlind, memberRole, status: rfp.status, requiredSheets, priceCriterionIds: criterionIds, priceQuestionIds: questions.map((q) => q.id) });
}

/** The view for the signed-in reader of a guarded request. */
export function loadPriceViewFor(db: Executor, access: Pick<RfpAccess, 'rfp' | 'user' | 'memberRole'>): Promise<PriceView> {
  return loadPriceView(db, { rfp: access.rfp, userId: access.user.id, memberRole: access.memberRole });
}

/**
 * For pages and downloads that are about prices through and through (the results, the scorecard, the matrix): 403
 * with {@link PRICE_WITHHELD} while the reader is blind. (Their own guards admit evaluators only once scoring is over,
 * when nobody is blind; this keeps that true whatever those guards become.)
 */
export async function refuseWhilePriceBlind(db: Executor, access: Pick<RfpAccess, 'rfp' | 'user' | 'memberRole'>): Promise<void> {
  if ((await loadPriceViewFor(db, access)).hidden) forbidden(PRICE_WITHHELD);
}
