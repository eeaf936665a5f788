/**
 * Keeps the evaluator's rationale (and level) as a draft while they type on the scoresheet: posted, debounced, by the
 * scoresheet's fetcher. A resource route with JSON answers; the scoresheet's Save button remains the real save. The
 * access checks are the score save's (member, assigned, attested, not recused), and the locks are checked in the
 * write's transaction (in evaluation, before the due date, the sheet not submitted): 409 with the reason otherwise.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { z } from 'zod';
import { requireScoringAccess } from '#app/evaluation/access.server';
import { isAllowedValue, scoringRefusalMessage } from '#app/evaluation/rules';
import { criteriaInScope, getDb, listScorableCriteria, RATIONALE_DRAFT_MAX, saveRationaleDraft } from '#app/utils/db.server';

export interface DraftReply {
  ok: boolean;
  /** When the draft was kept (ISO), or null when nothing needed keeping (empty, or the same as the saved score). */
  savedAt: string | null;
  error: string | null;
}

/** Drafts are only written here; they are read on their author's scoresheet and nowhere else. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireScoringAccess(request, params.rfpId, params.submissionId);
  throw new Response('Drafts are saved with POST from the scoresheet.', { status: 405, headers: { Allow: 'POST' } });
}

const draftSchema = z.object({
  criterionId: z.string().min(1).max(100),
  value: z.string().max(20).optional(),
  rationale: z.string().max(RATIONALE_DRAFT_MAX, `A rationale must be at most ${RATIONALE_DRAFT_MAX} characters.`),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireScoringAccess(request, params.rfpId, params.submissionId);
  const { rfp, submission, assignment } = access;
  const reply = (status: number, body: DraftReply) => json<DraftReply>(body, { status });
  const formData = await request.formData();
  const parsed = draftSchema.safeParse({
    criterionId: formData.get('criterionId') ?? '',
    value: formData.get('value') ?? undefined,
    rationale: formData.get('rationale') ?? '',
  });
  if (!parsed.success) return reply(400, { ok: false, savedAt: null, error: `Draft not kept: ${parsed.error.issues[0]?.message ?? 'the form is incomplete.'}` });
  const input = parsed.data;
  const criteria = criteriaInScope(await listScorableCriteria(getDb(), rfp.id), assignment.section_ids);
  const criterion = criteria.find((c) => c.id === input.criterionId);
  if (!criterion) return reply(400, { ok: false, savedAt: null, error: 'Draft not kept: that criterion is not one you score.' });
  const rawValue = input.value?.trim() ?? '';
  const value = rawValue === '' ? null : /^\d+(\.\d+)?$/.test(rawValue) ? Number(rawValue) : NaN;
  if (value !== null && !isAllowedValue(criterion.kind, value, rfp.scale_max, Boolean(rfp.allow_half_points))) {
    return reply(400, { ok: false, savedAt: null, error: 'Draft not kept: choose one of the levels.' });
  }
  const outcome = await saveRationaleDraft(getDb(), { rfpId: rfp.id, submissionId: submission.id, criterionId: criterion.id, evaluatorId: access.user.id, value, rationale: input.rationale });
  if (!outcome.ok) return reply(409, { ok: false, savedAt: null, error: `Draft not kept: ${scoringRefusalMessage(outcome.refusal)}` });
  return reply(200, { ok: true, savedAt: outcome.kept ? outcome.updatedAt : null, error: null });
}
