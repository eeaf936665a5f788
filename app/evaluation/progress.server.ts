/**
 * Who has scored what: evaluator × vendor completion, computed from assignments, recusals, scoresheets and which
 * scores exist. Carries counts only — never a value or rationale — so it is safe for the lead's dashboard and the
 * evaluators' lists before consensus.
 */
import {
  type AssignmentRow,
  criteriaInScope,
  type EvaluatedSubmission,
  type Executor,
  listAssignments,
  listEvaluatedSubmissions,
  listMembers,
  listRecusals,
  listScorableCriteria,
  listScoredMarks,
  listScoresheets,
  type RecusalRow,
  type ScorableCriterion,
} from '#app/utils/db.server';

export type SheetState = 'not_started' | 'in_progress' | 'submitted' | 'recused';

export interface SheetProgress {
  evaluatorId: string;
  submissionId: string;
  vendorId: string;
  vendorName: string;
  state: SheetState;
  /** Criteria in the evaluator's scope. */
  total: number;
  /** Of those, scored with a rationale. */
  scored: number;
  submittedAt: string | null;
}

export interface EvaluationProgress {
  /** Assignments of people who are still evaluator members of the RFP. */
  assignments: AssignmentRow[];
  /** Assignments whose person is no longer an evaluator member (shown to the lead, not counted). */
  formerAssignments: AssignmentRow[];
  submissions: EvaluatedSubmission[];
  criteria: ScorableCriterion[];
  recusals: RecusalRow[];
  sheets: SheetProgress[];
}

/** Progress of every assignment (or of one evaluator) in an RFP. */
export async function loadProgress(db: Executor, rfpId: string, evaluatorId?: string): Promise<EvaluationProgress> {
  const [allAssignments, members, submissions, criteria, recusals, marks, sheetRows] = await Promise.all([
    listAssignments(db, rfpId),
    listMembers(db, rfpId),
    listEvaluatedSubmissions(db, rfpId),
    listScorableCriteria(db, rfpId),
    listRecusals(db, rfpId, evaluatorId),
    listScoredMarks(db, rfpId, evaluatorId),
    listScoresheets(db, rfpId, evaluatorId),
  ]);
  const evaluatorMembers = new Set(members.filter((m) => m.role === 'evaluator').map((m) => m.user_id));
  const scoped = evaluatorId ? allAssignments.filter((a) => a.user_id === evaluatorId) : allAssignments;
  const assignments = scoped.filter((a) => evaluatorMembers.has(a.user_id));
  const formerAssignments = scoped.filter((a) => !evaluatorMembers.has(a.user_id));
  const recused = new Set(recusals.map((r) => `${r.user_id}:${r.vendor_id}`));
  const sheetOf = new Map(sheetRows.map((s) => [`${s.evaluator_id}:${s.submission_id}`, s]));
  const scoredOf = new Map<string, Set<string>>();
  for (const m of marks) {
    const key = `${m.evaluator_id}:${m.submission_id}`;
    const set = scoredOf.get(key) ?? new Set<string>();
    set.add(m.criterion_id);
    scoredOf.set(key, set);
  }
  const sheets: SheetProgress[] = [];
  for (const a of assignments) {
    const inScope = criteriaInScope(criteria, a.section_ids);
    for (const s of submissions) {
      const key = `${a.user_id}:${s.id}`;
      const sheet = sheetOf.get(key);
      const done = scoredOf.get(key) ?? new Set<string>();
      const state: SheetState = recused.has(`${a.user_id}:${s.vendor_id}`) ? 'recused' : sheet ? sheet.status : 'not_started';
      sheets.push({
        evaluatorId: a.user_id,
        submissionId: s.id,
        vendorId: s.vendor_id,
        vendorName: s.vendor_name,
        state,
        total: inScope.length,
        scored: inScope.filter((c) => done.has(c.id)).length,
        submittedAt: sheet?.status === 'submitted' ? sheet.submitted_at : null,
      });
    }
  }
  return { assignments, formerAssignments, submissions, criteria, recusals, sheets };
}

/** Sheets still to submit before scoring is complete: assigned, not recused, with something to score. */
export function pendingSheets(progress: Pick<EvaluationProgress, 'sheets'>): SheetProgress[] {
  return progress.sheets.filter((s) => s.state !== 'recused' && s.state !== 'submitted' && s.total > 0);
}
