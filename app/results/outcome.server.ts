/**
 * A closed RFP's outcome, for its Overview: who was recommended and by how much, the ranking in brief, who was
 * disqualified, and when and by whom the RFP was closed. The same figures as the results page (the same engine run,
 * the same scorecard wording), shown to exactly those who may open the results page: nothing for anyone else.
 */
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { computeRfpResults, findRfpClosing, getDb } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import type { RfpAccess } from '#app/utils/permissions.server';
import { formatPoints } from './format';
import { buildScorecardView } from './scorecard';
import { evaluatorResultsGate } from './visibility';

export interface OutcomeView {
  final: boolean;
  /** The scorecard's sentence: "Civic Answers Inc., with 82.76 of 100.00 points." (or why there is none). */
  recommendation: string;
  margin: string | null;
  ranked: Array<{ rank: number; name: string; total: string }>;
  disqualified: Array<{ name: string; reasons: string }>;
  totalPoints: string;
  /** When it was closed, as the installation shows dates (in its time zone). */
  closedAt: string | null;
  closedBy: string | null;
  closingReason: string | null;
}

/** `null` unless the RFP is closed and the reader may read its results (the results page's own rule). */
export async function loadOutcome(access: RfpAccess): Promise<OutcomeView | null> {
  const { rfp } = access;
  if (rfp.status !== 'closed' || !access.can('results:read')) return null;
  const db = getDb();
  const { bundle, outcome } = await computeRfpResults(db, rfp, { details: 'none', rationalesFor: [] });
  if (access.memberRole === 'evaluator') {
    const me = bundle.evaluators.find((e) => e.id === access.user.id);
    const recused = new Set(me?.recusedFrom ?? []);
    const own = (bundle.input.scoresheets ?? []).filter((s) => s.evaluatorId === access.user.id && !recused.has(s.vendorId));
    if (!evaluatorResultsGate(rfp.status, own).allowed) return null;
  }
  const panel = await loadPanelViewerFor(db, access);
  const view = buildScorecardView(
    { rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title, status: rfp.status }, bundle: panel.redactBundle(bundle), outcome, panelVisible: false },
    '',
  );
  const closing = await findRfpClosing(db, rfp.id);
  return {
    final: view.final,
    recommendation: view.recommendation,
    margin: view.margin,
    ranked: view.ranking.flatMap((r) => (r.qualified && r.rank !== null ? [{ rank: r.rank, name: r.name, total: r.total }] : [])),
    disqualified: view.ranking.filter((r) => !r.qualified).map((r) => ({ name: r.name, reasons: r.disqualifiedBecause.join(' ') })),
    totalPoints: formatPoints(Number(rfp.total_points)),
    closedAt: closing ? formatDateTime(closing.at) : null,
    closedBy: closing?.by ?? null,
    closingReason: closing?.reason ?? null,
  };
}
