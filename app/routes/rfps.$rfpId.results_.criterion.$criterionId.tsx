import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { criterionDrill } from '#app/results/matrix-compact';
import { loadResultsForViewer } from '#app/results/results.server';
import { buildMatrix } from '#app/results/view-model';
import { forbidden, notFound } from '#app/utils/permissions.server';

/** What an identifier can be (ids are UUIDs); anything longer is not one of this RFP's criteria. */
const CRITERION_ID_MAX = 100;

/**
 * The results page's drill-downs, one criterion at a time (JSON): every vendor's consensus note and each evaluator's
 * score and rationale on it. The same guard, evaluator gate, price-blind check and panel redaction as the page
 * (loadResultsForViewer), so nothing reaches a reader the page would not show them; bounded by one criterion
 * (25 vendors × 12 evaluators is 300 entries).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const criterionId = params.criterionId ?? '';
  if (criterionId.length === 0 || criterionId.length > CRITERION_ID_MAX) notFound('No such criterion in this RFP.');
  const { access, bundle, outcome, panelVisible } = await loadResultsForViewer(request, params.rfpId, { drillDown: true, focusCriterionId: criterionId });
  if (!panelVisible) forbidden('Each evaluator’s score and rationale can be read here once the RFP reaches consensus.');
  if (!outcome.ok) notFound('The results cannot be computed yet, so there is nothing to drill into.');
  const { rfp } = access;
  const matrix = buildMatrix(
    { rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title, status: rfp.status }, bundle, outcome, panelVisible, focusCriterionId: criterionId },
    outcome.results,
  );
  if (!matrix.focus) notFound('No such criterion in this RFP.');
  return json(criterionDrill(matrix.focus, matrix.evaluators), { headers: { 'Cache-Control': 'private, no-store' } });
}
