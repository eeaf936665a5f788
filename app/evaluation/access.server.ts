/**
 * Guards of the evaluator's pages. On top of the RFP permission (`scores:own`), an evaluator must be assigned,
 * must have attested on conflicts of interest before any response content is sent (403 otherwise, from every
 * loader that carries answers), and never sees a vendor they are recused from.
 */
import { type AssignmentRow, type EvaluatedSubmission, getAssignment, getDb, listEvaluatedSubmissions, listRecusals } from '#app/utils/db.server';
import { forbidden, notFound, type RfpAccess, requireRfpAccess } from '#app/utils/permissions.server';
import { ATTEST_FIRST, NOT_ASSIGNED, recusedMessage } from './rules';

export interface EvaluatorAccess extends RfpAccess {
  assignment: AssignmentRow;
  actor: { id: string; email: string };
}

/** An evaluator member who is assigned to the RFP (attested or not). */
export async function requireAssignedEvaluator(request: Request, rfpId: string | undefined): Promise<EvaluatorAccess> {
  const access = await requireRfpAccess(request, rfpId, 'scores:own');
  const assignment = await getAssignment(getDb(), access.rfp.id, access.user.id);
  if (!assignment) forbidden(NOT_ASSIGNED);
  return { ...access, assignment, actor: { id: access.user.id, email: access.user.email } };
}

/**
 * An assigned evaluator who has attested, and the submission they may score (404 when it is not an evaluated
 * submission of this RFP, 403 when they are recused from its vendor).
 */
export async function requireScoringAccess(
  request: Request,
  rfpId: string | undefined,
  submissionId: string | undefined,
): Promise<EvaluatorAccess & { submission: EvaluatedSubmission }> {
  const access = await requireAssignedEvaluator(request, rfpId);
  if (access.assignment.coi_status === 'pending') forbidden(ATTEST_FIRST);
  const db = getDb();
  const submission = (await listEvaluatedSubmissions(db, access.rfp.id)).find((s) => s.id === submissionId);
  if (!submission) notFound('Response not found');
  const recusals = await listRecusals(db, access.rfp.id, access.user.id);
  if (recusals.some((r) => r.vendor_id === submission.vendor_id)) forbidden(recusedMessage(submission.vendor_name));
  return { ...access, submission };
}
