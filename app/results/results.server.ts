/**
 * What the results and scorecard loaders share: the access check (including the evaluators' extra condition) and
 * loading + computing the RFP's results, with the panel's individual scores cut to what the reader may receive
 * (app/confidentiality/panel.ts) before anything else sees them.
 */
import { loadPanelViewerFor, type PanelViewer } from '#app/confidentiality/panel.server';
import { refuseWhilePriceBlind } from '#app/confidentiality/price-blind.server';
import { computeRfpResults, getDb, type RfpResults } from '#app/utils/db.server';
import { forbidden, requireRfpAccess, type RfpAccess } from '#app/utils/permissions.server';
import { evaluatorResultsGate, panelScoresVisible } from './visibility';

export interface LoadedResults extends RfpResults {
  access: RfpAccess;
  /** The RFP is in consensus or closed (individual scores may be shown, to whom {@link panel} allows). */
  panelVisible: boolean;
  /** What this reader may receive of the panel's individual scores; `bundle` is already redacted by it. */
  panel: PanelViewer;
}

/**
 * `results:read` in the RFP (404 for non-members, 403 without the permission); for evaluators, additionally the RFP in
 * consensus or closed and every one of their own scoresheets submitted (403 with the reason otherwise).
 * `drillDown`: also read the panel's individual scores when the viewer may see them (status consensus or closed),
 * with the rationales of `focusCriterionId` only: no page carries rationales it does not show, so the results page's
 * drill-downs read them one criterion at a time (rfps.$rfpId.results_.criterion.$criterionId).
 */
export async function loadResultsForViewer(
  request: Request,
  rfpId: string | undefined,
  options: { drillDown: boolean; focusCriterionId?: string | null },
): Promise<LoadedResults> {
  const access = await requireRfpAccess(request, rfpId, 'results:read');
  const status = access.rfp.status;
  const isEvaluator = access.memberRole === 'evaluator';
  // Cheap check first: before consensus an evaluator is refused without reading any score.
  if (isEvaluator) {
    const gate = evaluatorResultsGate(status, []);
    if (!gate.allowed) forbidden(gate.reason);
  }
  const panelVisible = panelScoresVisible(status);
  const details = options.drillDown && panelVisible ? 'scores' : 'none';
  const focus = details === 'scores' && options.focusCriterionId ? [options.focusCriterionId] : [];
  const db = getDb();
  const loaded = await computeRfpResults(db, access.rfp, { details, rationalesFor: focus });
  if (isEvaluator) {
    const me = loaded.bundle.evaluators.find((e) => e.id === access.user.id);
    const recused = new Set(me?.recusedFrom ?? []);
    const own = (loaded.bundle.input.scoresheets ?? []).filter((s) => s.evaluatorId === access.user.id && !recused.has(s.vendorId));
    const gate = evaluatorResultsGate(status, own);
    if (!gate.allowed) forbidden(gate.reason);
    await refuseWhilePriceBlind(db, access);
  }
  const panel = await loadPanelViewerFor(db, access);
  const bundle = panel.redactBundle(loaded.bundle);
  return { bundle, outcome: loaded.outcome, access, panelVisible, panel };
}
