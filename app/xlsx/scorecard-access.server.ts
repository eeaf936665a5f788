/**
 * Who may download the scorecard workbook and the matrix CSV: exactly who may read the results page, with the same
 * answers (app/results/results.server.ts, visibility.ts):
 * - `results:read` in the RFP (404 for non-members, 403 without the permission);
 * - evaluators only once the RFP is in consensus or closed **and** every scoresheet of theirs is submitted (403 with
 *   the reason otherwise — the export never carries others' scores to an evaluator still scoring);
 * - the panel's individual scores and rationales (the Evaluators and Rationale sheets, the Audit sheet's score entries)
 *   only as the reader's {@link PanelViewer} allows: in consensus or closed, never on a vendor they are recused from;
 * - vendors' answers only with `responses:read` (evaluators: once attested, never a vendor they are recused from);
 * - the audit log only with `audit:read`.
 */
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { refuseWhilePriceBlind } from '#app/confidentiality/price-blind.server';
import { evaluatorResultsGate, panelScoresVisible } from '#app/results/visibility';
import { getDb, loadScoringBundle } from '#app/utils/db.server';
import { forbidden, type RfpAccess, requireRfpAccess } from '#app/utils/permissions.server';
import { loadScorecardData, type ScorecardData, type ScorecardScope, type ScorecardViewer } from './scorecard-data.server';

export async function loadScorecardForRequest(
  request: Request,
  rfpId: string | undefined,
  scope: ScorecardScope,
): Promise<{ access: RfpAccess; data: ScorecardData }> {
  const access = await requireRfpAccess(request, rfpId, 'results:read');
  const { rfp, user } = access;
  const isEvaluator = access.memberRole === 'evaluator';
  // Cheap check first: before consensus an evaluator is refused without reading any score.
  if (isEvaluator) {
    const gate = evaluatorResultsGate(rfp.status, []);
    if (!gate.allowed) forbidden(gate.reason);
  }
  const db = getDb();
  const panelVisible = panelScoresVisible(rfp.status);
  const bundle = await loadScoringBundle(db, rfp, { details: scope === 'workbook' && panelVisible ? 'rationales' : 'none' });
  const me = bundle.evaluators.find((e) => e.id === user.id);
  if (isEvaluator) {
    const recused = new Set(me?.recusedFrom ?? []);
    const own = (bundle.input.scoresheets ?? []).filter((s) => s.evaluatorId === user.id && !recused.has(s.vendorId));
    const gate = evaluatorResultsGate(rfp.status, own);
    if (!gate.allowed) forbidden(gate.reason);
    await refuseWhilePriceBlind(db, access);
  }

  let canReadResponses = access.can('responses:read');
  let hiddenVendorIds: string[] = [];
  if (canReadResponses && isEvaluator && !access.can('responses:manage')) {
    const assignment = await db.selectFrom('assignment').select('coi_status').where('rfp_id', '=', rfp.id).where('user_id', '=', user.id).executeTakeFirst();
    canReadResponses = assignment !== undefined && assignment.coi_status !== 'pending';
    const recusals = await db.selectFrom('recusal').select('vendor_id').where('rfp_id', '=', rfp.id).where('user_id', '=', user.id).execute();
    hiddenVendorIds = recusals.map((r) => r.vendor_id);
  }
  const viewer: ScorecardViewer = {
    name: user.name,
    email: user.email,
    canReadResponses,
    canReadAudit: access.can('audit:read'),
    hiddenVendorIds,
    panel: await loadPanelViewerFor(db, access),
  };
  return { access, data: await loadScorecardData(db, rfp, viewer, scope, bundle) };
}
