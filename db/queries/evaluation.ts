/**
 * Evaluation (DESIGN §2–§3): who evaluates what (assignments with their conflict-of-interest attestation and
 * recusals), each evaluator's scores and scoresheets, the lead's consensus decisions, and the due date.
 *
 * Rules kept here, inside the transaction of the write they guard, so no page can forget them:
 * - a score is written only while the RFP is in evaluation and before `rfp.evaluation_due_at`;
 * - a score names the version it replaces; a save naming an older version is refused (no silent overwrite);
 * - a submitted scoresheet is locked until the lead reopens it (with a reason);
 * - consensus decisions are recorded only while the RFP is in consensus.
 * Every change is audited with before and after, in the same transaction. Every query is scoped by rfp_id.
 */
import type { Kysely, Transaction } from 'kysely';
import { newId, nowIso } from '../ids';
import type { CoiStatus, CriterionKind, Database, RecusalOrigin, Rfp, RfpStatus, ScoresheetStatus, SubmissionStatus } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';
import { mailOrigin } from '#app/mail/origin.server';
import { enqueueAssignmentMail, notifySheetReopened, notifySheetSubmitted } from './notifications';
import { lockRfpForWrite } from './rfps';

/** Submissions that are evaluated: received or found responsive (withdrawn and non-responsive ones are not). */
export const EVALUATED_SUBMISSION_STATUSES: readonly SubmissionStatus[] = ['received', 'responsive'];
/** Criterion kinds evaluators score: rubric levels, or pass (1) / fail (0). Price and info are not scored by people. */
export const EVALUATOR_SCORED_KINDS: readonly CriterionKind[] = ['scored', 'pass_fail'];

// ---------- assignments, attestation, recusals ----------

export interface AssignmentRow {
  user_id: string;
  name: string;
  email: string;
  /** Section ids the evaluator scores, or null for the whole RFP. */
  section_ids: string[] | null;
  coi_status: CoiStatus;
  coi_statement_sha256: string | null;
  coi_details: string | null;
  attested_at: string | null;
  assigned_at: string;
}

function parseSectionIds(json: string | null): string[] | null {
  if (json === null) return null;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : null;
}

function assignmentQuery(db: Executor, rfpId: string) {
  return db
    .selectFrom('assignment')
    .innerJoin('app_user', 'app_user.id', 'assignment.user_id')
    .select([
      'assignment.user_id',
      'app_user.name',
      'app_user.email',
      'assignment.section_ids_json',
      'assignment.coi_status',
      'assignment.coi_statement_sha256',
      'assignment.coi_details',
      'assignment.attested_at',
      'assignment.assigned_at',
    ])
    .where('assignment.rfp_id', '=', rfpId);
}

type AssignmentQueryRow = Awaited<ReturnType<ReturnType<typeof assignmentQuery>['executeTakeFirstOrThrow']>>;
function toAssignmentRow({ section_ids_json, ...rest }: AssignmentQueryRow): AssignmentRow {
  return { ...rest, section_ids: parseSectionIds(section_ids_json) };
}

/** The RFP's evaluator assignments, by evaluator name. */
export async function listAssignments(db: Executor, rfpId: string): Promise<AssignmentRow[]> {
  const rows = await assignmentQuery(db, rfpId).orderBy('app_user.name').execute();
  return rows.map(toAssignmentRow);
}

export async function getAssignment(db: Executor, rfpId: string, userId: string): Promise<AssignmentRow | undefined> {
  const row = await assignmentQuery(db, rfpId).where('assignment.user_id', '=', userId).executeTakeFirst();
  return row ? toAssignmentRow(row) : undefined;
}

/**
 * Assigns an evaluator to the whole RFP (`sectionIds` null) or to named sections, or changes the scope of an
 * existing assignment (its attestation is kept). Audited as `assignment.create` / `assignment.update`.
 * Returns what happened; `unchanged` writes nothing. A new assignment mails the evaluator (links start with
 * `mailOrigin`, the installation's public origin), in the same transaction.
 */
export async function assignEvaluator(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string; sectionIds: string[] | null; mailOrigin: string },
): Promise<'created' | 'updated' | 'unchanged'> {
  const sectionIdsJson = input.sectionIds === null ? null : JSON.stringify([...new Set(input.sectionIds)].sort());
  const before = await db
    .selectFrom('assignment')
    .select('section_ids_json')
    .where('rfp_id', '=', input.rfpId)
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  if (before && before.section_ids_json === sectionIdsJson) return 'unchanged';
  if (before) {
    await db
      .updateTable('assignment')
      .set({ section_ids_json: sectionIdsJson })
      .where('rfp_id', '=', input.rfpId)
      .where('user_id', '=', input.userId)
      .execute();
  } else {
    await db
      .insertInto('assignment')
      .values({ rfp_id: input.rfpId, user_id: input.userId, section_ids_json: sectionIdsJson, coi_status: 'pending', assigned_by: actor.id, assigned_at: nowIso() })
      .execute();
  }
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'assignment',
    entityId: input.userId,
    action: before ? 'assignment.update' : 'assignment.create',
    before: before ? { email: input.email, section_ids: parseSectionIds(before.section_ids_json) } : undefined,
    after: { email: input.email, section_ids: input.sectionIds === null ? null : parseSectionIds(sectionIdsJson) },
  });
  if (before) return 'updated';
  const sectionCount = parseSectionIds(sectionIdsJson)?.length ?? null;
  await enqueueAssignmentMail(db, actor, { rfpId: input.rfpId, userId: input.userId, sectionCount, mailOrigin: input.mailOrigin });
  return 'created';
}

/**
 * Removes an assignment that has no scores yet (with its recusals). An evaluator who has scored stays assigned:
 * their work is part of the record. Returns `has-scores` without writing in that case.
 */
export async function unassignEvaluator(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string },
): Promise<'removed' | 'not-assigned' | 'has-scores'> {
  const before = await getAssignment(db, input.rfpId, input.userId);
  if (!before) return 'not-assigned';
  const scored = await db
    .selectFrom('score')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('rfp_id', '=', input.rfpId)
    .where('evaluator_id', '=', input.userId)
    .executeTakeFirstOrThrow();
  if (Number(scored.n) > 0) return 'has-scores';
  await db.deleteFrom('recusal').where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).execute();
  await db.deleteFrom('assignment').where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'assignment',
    entityId: input.userId,
    action: 'assignment.remove',
    before: { email: input.email, section_ids: before.section_ids, coi_status: before.coi_status },
  });
  return 'removed';
}

/**
 * Records an evaluator's conflict-of-interest attestation: the exact statement shown and its sha256, and either
 * "no conflict" or the declared conflict (details) with a recusal from each named vendor. An attestation is
 * made once; returns false (writing nothing) when the evaluator has already attested.
 * Audited as `assignment.attest`, plus one `recusal.create` per vendor.
 */
export async function attestConflicts(
  db: Executor,
  actor: Actor,
  input: {
    rfpId: string;
    userId: string;
    statement: string;
    statementSha256: string;
    declared: { vendors: Array<{ id: string; name: string }>; details: string } | null;
  },
): Promise<boolean> {
  const now = nowIso();
  const status: CoiStatus = input.declared ? 'declared' : 'none';
  const result = await db
    .updateTable('assignment')
    .set({
      coi_status: status,
      coi_statement: input.statement,
      coi_statement_sha256: input.statementSha256,
      coi_details: input.declared?.details ?? null,
      attested_at: now,
    })
    .where('rfp_id', '=', input.rfpId)
    .where('user_id', '=', input.userId)
    .where('coi_status', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'assignment',
    entityId: input.userId,
    action: 'assignment.attest',
    before: { coi_status: 'pending' },
    after: {
      coi_status: status,
      coi_statement_sha256: input.statementSha256,
      coi_details: input.declared?.details ?? null,
      recused_from: input.declared?.vendors.map((v) => v.name) ?? [],
      attested_at: now,
    },
  });
  for (const vendor of input.declared?.vendors ?? []) {
    await db
      .insertInto('recusal')
      .values({ rfp_id: input.rfpId, user_id: input.userId, vendor_id: vendor.id, reason: input.declared!.details, created_at: now, origin: 'attestation', recorded_by: actor.id })
      .onConflict((oc) => oc.columns(['rfp_id', 'user_id', 'vendor_id']).doNothing())
      .execute();
    await recordAudit(db, actor, {
      rfpId: input.rfpId,
      entity: 'recusal',
      entityId: `${input.userId}:${vendor.id}`,
      action: 'recusal.create',
      after: { user_id: input.userId, vendor_id: vendor.id, vendor: vendor.name, reason: input.declared!.details },
    });
  }
  return true;
}

export interface RecusalRow {
  user_id: string;
  vendor_id: string;
  vendor_name: string;
  reason: string;
  created_at: string;
  /** From the attestation, a conflict declared later by the evaluator, or the lead officer. */
  origin: RecusalOrigin;
}

/** Recusals in an RFP (or of one evaluator), by vendor name. */
export async function listRecusals(db: Executor, rfpId: string, userId?: string): Promise<RecusalRow[]> {
  let query = db
    .selectFrom('recusal')
    .innerJoin('vendor', 'vendor.id', 'recusal.vendor_id')
    .select(['recusal.user_id', 'recusal.vendor_id', 'vendor.name as vendor_name', 'recusal.reason', 'recusal.created_at', 'recusal.origin'])
    .where('recusal.rfp_id', '=', rfpId);
  if (userId) query = query.where('recusal.user_id', '=', userId);
  return query.orderBy('vendor.name').execute();
}

/** Sets, extends or clears (null) the evaluation due date. Audited as `evaluation.due_date` with the reason, if any. */
export async function setEvaluationDueDate(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; dueAt: string | null; reason: string | null },
): Promise<boolean> {
  const before = await db.selectFrom('rfp').select('evaluation_due_at').where('id', '=', input.rfpId).executeTakeFirst();
  if (!before || before.evaluation_due_at === input.dueAt) return false;
  await db.updateTable('rfp').set({ evaluation_due_at: input.dueAt, updated_at: nowIso() }).where('id', '=', input.rfpId).execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'rfp',
    entityId: input.rfpId,
    action: 'evaluation.due_date',
    before: { evaluation_due_at: before.evaluation_due_at },
    after: { evaluation_due_at: input.dueAt },
    reason: input.reason,
  });
  return true;
}

// ---------- what is evaluated ----------

export interface EvaluatedSubmission {
  id: string;
  vendor_id: string;
  vendor_name: string;
  status: SubmissionStatus;
}

/** Submissions evaluators score (received or responsive), by vendor name. */
export async function listEvaluatedSubmissions(db: Executor, rfpId: string): Promise<EvaluatedSubmission[]> {
  return db
    .selectFrom('submission')
    .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
    .select(['submission.id', 'submission.vendor_id', 'vendor.name as vendor_name', 'submission.status'])
    .where('submission.rfp_id', '=', rfpId)
    .where('submission.status', 'in', [...EVALUATED_SUBMISSION_STATUSES])
    .orderBy('vendor.name')
    .execute();
}

export interface ScorableCriterion {
  id: string;
  section_id: string;
  section_title: string;
  key: string;
  title: string;
  kind: CriterionKind;
  points: number;
}

/** Criteria evaluators score (scored and pass/fail), in questionnaire order (section, then criterion position). */
export async function listScorableCriteria(db: Executor, rfpId: string): Promise<ScorableCriterion[]> {
  const rows = await db
    .selectFrom('criterion')
    .innerJoin('section', 'section.id', 'criterion.section_id')
    .select(['criterion.id', 'criterion.section_id', 'section.title as section_title', 'criterion.key', 'criterion.title', 'criterion.kind', 'criterion.points'])
    .where('criterion.rfp_id', '=', rfpId)
    .where('criterion.kind', 'in', [...EVALUATOR_SCORED_KINDS])
    .orderBy('section.position')
    .orderBy('criterion.position')
    .execute();
  return rows.map((r) => ({ ...r, points: Number(r.points) }));
}

/** The criteria of an assignment's scope: every scorable criterion, or those in its sections. */
export function criteriaInScope<C extends { section_id: string }>(criteria: readonly C[], sectionIds: readonly string[] | null): C[] {
  if (sectionIds === null) return [...criteria];
  const sections = new Set(sectionIds);
  return criteria.filter((c) => sections.has(c.section_id));
}

export interface SubmissionAnswer {
  question_id: string;
  /** JSON text: string, string[], number or null. */
  value_json: string;
}

/** The answers of one submission of the RFP (the evidence evaluators read). */
export async function listSubmissionAnswers(db: Executor, rfpId: string, submissionId: string): Promise<SubmissionAnswer[]> {
  return db.selectFrom('answer').select(['question_id', 'value_json']).where('rfp_id', '=', rfpId).where('submission_id', '=', submissionId).execute();
}

export interface SubmissionAttachment {
  id: string;
  question_id: string | null;
  file_name: string;
  media_type: string;
  size: number;
}

/** Evidence files of one submission (names only; the bytes are served elsewhere). */
export async function listSubmissionAttachments(db: Executor, rfpId: string, submissionId: string): Promise<SubmissionAttachment[]> {
  const rows = await db
    .selectFrom('attachment')
    .select(['id', 'question_id', 'file_name', 'media_type', 'size'])
    .where('rfp_id', '=', rfpId)
    .where('submission_id', '=', submissionId)
    .orderBy('file_name')
    .execute();
  return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

// ---------- scores and scoresheets ----------

export interface EvaluatorScore {
  id: string;
  submission_id: string;
  criterion_id: string;
  value: number;
  rationale: string;
  version: number;
  updated_at: string;
}

/**
 * One evaluator's own scores in an RFP (optionally for one submission). The only score query an evaluator's
 * pages use before consensus: scoped to the evaluator inside the query, so nobody else's work can slip in.
 */
export async function listEvaluatorScores(db: Executor, rfpId: string, evaluatorId: string, submissionId?: string): Promise<EvaluatorScore[]> {
  let query = db
    .selectFrom('score')
    .select(['id', 'submission_id', 'criterion_id', 'value', 'rationale', 'version', 'updated_at'])
    .where('rfp_id', '=', rfpId)
    .where('evaluator_id', '=', evaluatorId);
  if (submissionId) query = query.where('submission_id', '=', submissionId);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, value: Number(r.value), version: Number(r.version) }));
}

export interface ScoresheetRow {
  submission_id: string;
  evaluator_id: string;
  status: ScoresheetStatus;
  submitted_at: string | null;
  updated_at: string;
}

/** Scoresheets of an RFP (or of one evaluator). A sheet exists from the evaluator's first save. */
export async function listScoresheets(db: Executor, rfpId: string, evaluatorId?: string): Promise<ScoresheetRow[]> {
  let query = db.selectFrom('scoresheet').select(['submission_id', 'evaluator_id', 'status', 'submitted_at', 'updated_at']).where('rfp_id', '=', rfpId);
  if (evaluatorId) query = query.where('evaluator_id', '=', evaluatorId);
  return query.execute();
}

export interface ScoredMark {
  evaluator_id: string;
  submission_id: string;
  criterion_id: string;
}

/**
 * Which evaluator × submission × criterion has a score with a rationale: for progress figures only. Carries no
 * value or rationale, so the lead's dashboard cannot show anyone's scores before consensus.
 */
export async function listScoredMarks(db: Executor, rfpId: string, evaluatorId?: string): Promise<ScoredMark[]> {
  let query = db.selectFrom('score').select(['evaluator_id', 'submission_id', 'criterion_id']).where('rfp_id', '=', rfpId).where('rationale', '<>', '');
  if (evaluatorId) query = query.where('evaluator_id', '=', evaluatorId);
  return query.execute();
}

/** Why a scoring write was refused. The page turns each into a sentence. */
export type ScoringRefusal =
  | { kind: 'status'; status: RfpStatus }
  | { kind: 'closed'; dueAt: string }
  | { kind: 'submitted' }
  | { kind: 'stale'; current: EvaluatorScore | null }
  | { kind: 'incomplete'; missing: string[] }
  | { kind: 'not-submitted' }
  | { kind: 'not-in-rfp' };

class Refused extends Error {
  constructor(readonly refusal: ScoringRefusal) {
    super(refusal.kind);
  }
}

/** The RFP's row, locked for the rest of the scoring transaction (see `lockRfpForWrite`). */
async function lockRfp(trx: Transaction<Database>, rfpId: string): Promise<Rfp> {
  const rfp = await lockRfpForWrite(trx, rfpId);
  if (!rfp) throw new Error(`No RFP ${rfpId}`);
  return rfp;
}

/**
 * Refuses ids of another RFP: the submission must be one of this RFP's evaluated responses and the criterion (when
 * given) one of its scored or pass/fail criteria, checked in the write's transaction.
 */
async function assertScorable(trx: Executor, input: { rfpId: string; submissionId: string; criterionId?: string }): Promise<void> {
  const submission = await trx
    .selectFrom('submission')
    .select('id')
    .where('rfp_id', '=', input.rfpId)
    .where('id', '=', input.submissionId)
    .where('status', 'in', [...EVALUATED_SUBMISSION_STATUSES])
    .executeTakeFirst();
  if (!submission) throw new Refused({ kind: 'not-in-rfp' });
  if (input.criterionId === undefined) return;
  const criterion = await trx
    .selectFrom('criterion')
    .select('id')
    .where('rfp_id', '=', input.rfpId)
    .where('id', '=', input.criterionId)
    .where('kind', 'in', [...EVALUATOR_SCORED_KINDS])
    .executeTakeFirst();
  if (!criterion) throw new Refused({ kind: 'not-in-rfp' });
}

/** Refuses unless scoring is open now: status evaluation and (when set) before the due date. */
function assertScoringOpen(rfp: Rfp, now: Date): void {
  if (rfp.status !== 'evaluation') throw new Refused({ kind: 'status', status: rfp.status });
  if (rfp.evaluation_due_at && now.getTime() > Date.parse(rfp.evaluation_due_at)) throw new Refused({ kind: 'closed', dueAt: rfp.evaluation_due_at });
}

/**
 * Makes sure the evaluator's sheet for the submission exists and is in progress, and locks its row (the update
 * waits for a concurrent submit or reopen on PostgreSQL and re-checks the status after it).
 */
async function lockOpenScoresheet(trx: Executor, input: { rfpId: string; submissionId: string; evaluatorId: string }, now: string): Promise<void> {
  await trx
    .insertInto('scoresheet')
    .values({ rfp_id: input.rfpId, submission_id: input.submissionId, evaluator_id: input.evaluatorId, status: 'in_progress', submitted_at: null, updated_at: now })
    .onConflict((oc) => oc.columns(['submission_id', 'evaluator_id']).doNothing())
    .execute();
  const open = await trx
    .updateTable('scoresheet')
    .set({ updated_at: now })
    .where('rfp_id', '=', input.rfpId)
    .where('submission_id', '=', input.submissionId)
    .where('evaluator_id', '=', input.evaluatorId)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  if (Number(open.numUpdatedRows) === 0) throw new Refused({ kind: 'submitted' });
}

async function getEvaluatorScore(trx: Executor, input: { rfpId: string; submissionId: string; criterionId: string; evaluatorId: string }): Promise<EvaluatorScore | null> {
  const row = await trx
    .selectFrom('score')
    .select(['id', 'submission_id', 'criterion_id', 'value', 'rationale', 'version', 'updated_at'])
    .where('rfp_id', '=', input.rfpId)
    .where('submission_id', '=', input.submissionId)
    .where('criterion_id', '=', input.criterionId)
    .where('evaluator_id', '=', input.evaluatorId)
    .executeTakeFirst();
  return row ? { ...row, value: Number(row.value), version: Number(row.version) } : null;
}

/** Runs a scoring transaction; a refusal rolls back everything it did and comes back as a value. */
async function refusable<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; refusal: ScoringRefusal }> {
  try {
    return { ok: true, value: await db.transaction().execute(work) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    throw error;
  }
}

export type SaveScoreOutcome = { ok: true; score: EvaluatorScore; changed: boolean } | { ok: false; refusal: ScoringRefusal };

/**
 * Saves one evaluator's score (value and rationale) for a submission × criterion, in its own transaction.
 * `version` is the version the evaluator's form was showing (0 for "no score yet"); any other saved version is
 * refused as `stale` with the current score, never overwritten. Scoring must be open (status evaluation, before
 * the due date, read inside this transaction) and the scoresheet in progress. The caller checks that the
 * evaluator is assigned, attested, not recused, and that the value fits the criterion's scale.
 * Audited as `score.create` / `score.update` with before and after; an identical save writes nothing.
 */
export async function saveEvaluatorScore(
  db: Kysely<Database>,
  actor: Actor,
  input: { rfpId: string; submissionId: string; criterionId: string; evaluatorId: string; value: number; rationale: string; version: number },
  now: Date = new Date(),
): Promise<SaveScoreOutcome> {
  const outcome = await refusable(db, async (trx) => {
    const rfp = await lockRfp(trx, input.rfpId);
    assertScoringOpen(rfp, now);
    await assertScorable(trx, input);
    const at = now.toISOString();
    await lockOpenScoresheet(trx, input, at);
    const current = await getEvaluatorScore(trx, input);
    if ((current?.version ?? 0) !== input.version) throw new Refused({ kind: 'stale', current });
    // The saved score supersedes whatever draft the evaluator's typing left (issue 12: drafts end at the save).
    await deleteRationaleDrafts(trx, input);
    if (current && current.value === input.value && current.rationale === input.rationale) return { score: current, changed: false };
    let saved: EvaluatorScore;
    if (!current) {
      saved = { id: newId(), submission_id: input.submissionId, criterion_id: input.criterionId, value: input.value, rationale: input.rationale, version: 1, updated_at: at };
      const inserted = await trx
        .insertInto('score')
        .values({ ...saved, rfp_id: input.rfpId, evaluator_id: input.evaluatorId, created_at: at })
        .onConflict((oc) => oc.columns(['evaluator_id', 'submission_id', 'criterion_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw new Refused({ kind: 'stale', current: await getEvaluatorScore(trx, input) });
    } else {
      saved = { ...current, value: input.value, rationale: input.rationale, version: current.version + 1, updated_at: at };
      const updated = await trx
        .updateTable('score')
        .set({ value: saved.value, rationale: saved.rationale, version: saved.version, updated_at: at })
        .where('id', '=', current.id)
        .where('version', '=', current.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new Refused({ kind: 'stale', current: await getEvaluatorScore(trx, input) });
    }
    await recordAudit(trx, actor, {
      rfpId: input.rfpId,
      entity: 'score',
      entityId: saved.id,
      action: current ? 'score.update' : 'score.create',
      before: current ? { value: current.value, rationale: current.rationale, version: current.version } : undefined,
      after: {
        submission_id: input.submissionId,
        criterion_id: input.criterionId,
        evaluator_id: input.evaluatorId,
        value: saved.value,
        rationale: saved.rationale,
        version: saved.version,
      },
    });
    return { score: saved, changed: true };
  });
  return outcome.ok ? { ok: true, ...outcome.value } : outcome;
}

/**
 * Submits (locks) an evaluator's scoresheet for one submission, in its own transaction. Every criterion in
 * `requiredCriterionIds` must have a score with a rationale, else `incomplete` lists the missing ids in the
 * given order. Scoring must be open, as for a save. Audited as `scoresheet.submit`.
 */
export async function submitScoresheet(
  db: Kysely<Database>,
  actor: Actor,
  input: { rfpId: string; submissionId: string; evaluatorId: string; requiredCriterionIds: readonly string[]; mailOrigin?: string },
  now: Date = new Date(),
): Promise<{ ok: true } | { ok: false; refusal: ScoringRefusal }> {
  const outcome = await refusable(db, async (trx) => {
    const rfp = await lockRfp(trx, input.rfpId);
    assertScoringOpen(rfp, now);
    await assertScorable(trx, { rfpId: input.rfpId, submissionId: input.submissionId });
    const at = now.toISOString();
    await lockOpenScoresheet(trx, input, at);
    const scores = await listEvaluatorScores(trx, input.rfpId, input.evaluatorId, input.submissionId);
    const done = new Set(scores.filter((s) => s.rationale.trim() !== '').map((s) => s.criterion_id));
    const missing = input.requiredCriterionIds.filter((id) => !done.has(id));
    if (missing.length > 0) throw new Refused({ kind: 'incomplete', missing });
    // A submitted sheet is read-only, so a draft left on it could never be restored or saved.
    await deleteRationaleDrafts(trx, input);
    await trx
      .updateTable('scoresheet')
      .set({ status: 'submitted', submitted_at: at, updated_at: at })
      .where('rfp_id', '=', input.rfpId)
      .where('submission_id', '=', input.submissionId)
      .where('evaluator_id', '=', input.evaluatorId)
      .execute();
    await recordAudit(trx, actor, {
      rfpId: input.rfpId,
      entity: 'scoresheet',
      entityId: `${input.evaluatorId}:${input.submissionId}`,
      action: 'scoresheet.submit',
      before: { status: 'in_progress' },
      after: { status: 'submitted', submitted_at: at, scores: scores.length, evaluator_id: input.evaluatorId, submission_id: input.submissionId },
    });
    await notifySheetSubmitted(trx, { ...input, mailOrigin: input.mailOrigin ?? mailOrigin(null) });
  });
  return outcome.ok ? { ok: true } : outcome;
}

// ---------- rationale drafts ----------

/** The longest draft rationale kept: the same bound as a saved rationale. */
export const RATIONALE_DRAFT_MAX = 10_000;

export interface RationaleDraft {
  criterion_id: string;
  value: number | null;
  rationale: string;
  updated_at: string;
}

/** One evaluator's drafts on one submission. Only ever read for that evaluator's own scoresheet. */
export async function listRationaleDrafts(db: Executor, rfpId: string, evaluatorId: string, submissionId: string): Promise<RationaleDraft[]> {
  const rows = await db
    .selectFrom('rationale_draft')
    .select(['criterion_id', 'value', 'rationale', 'updated_at'])
    .where('rfp_id', '=', rfpId)
    .where('evaluator_id', '=', evaluatorId)
    .where('submission_id', '=', submissionId)
    .execute();
  return rows.map((r) => ({ ...r, value: r.value === null ? null : Number(r.value) }));
}

async function deleteRationaleDrafts(trx: Executor, input: { rfpId: string; submissionId: string; evaluatorId: string; criterionId?: string }): Promise<void> {
  let query = trx.deleteFrom('rationale_draft').where('rfp_id', '=', input.rfpId).where('submission_id', '=', input.submissionId).where('evaluator_id', '=', input.evaluatorId);
  if (input.criterionId !== undefined) query = query.where('criterion_id', '=', input.criterionId);
  await query.execute();
}

export type SaveDraftOutcome = { ok: true; kept: boolean; updatedAt: string } | { ok: false; refusal: ScoringRefusal };

/**
 * Keeps what the evaluator has typed for one criterion, under the same locks as a score save (RFP in evaluation,
 * before the due date, the ids this RFP's, the sheet not submitted), read in this transaction. It never creates a
 * scoresheet (a draft is not progress) and writes no audit event: a draft is not a record until it is saved as a
 * score, which is audited. A draft that is empty, or the same as the saved score, is deleted instead (`kept: false`).
 * The caller checks assignment, attestation, recusal, the value's scale and the rationale's length.
 */
export async function saveRationaleDraft(
  db: Kysely<Database>,
  input: { rfpId: string; submissionId: string; criterionId: string; evaluatorId: string; value: number | null; rationale: string },
  now: Date = new Date(),
): Promise<SaveDraftOutcome> {
  const outcome = await refusable(db, async (trx) => {
    const rfp = await lockRfp(trx, input.rfpId);
    assertScoringOpen(rfp, now);
    await assertScorable(trx, input);
    const sheet = await trx
      .selectFrom('scoresheet')
      .select('status')
      .where('rfp_id', '=', input.rfpId)
      .where('submission_id', '=', input.submissionId)
      .where('evaluator_id', '=', input.evaluatorId)
      .executeTakeFirst();
    if (sheet?.status === 'submitted') throw new Refused({ kind: 'submitted' });
    const at = now.toISOString();
    const saved = await getEvaluatorScore(trx, input);
    const nothingNew = (input.rationale.trim() === '' && input.value === null) || (saved !== null && saved.value === input.value && saved.rationale === input.rationale);
    if (nothingNew) {
      await deleteRationaleDrafts(trx, input);
      return { kept: false, updatedAt: at };
    }
    const row = { rfp_id: input.rfpId, evaluator_id: input.evaluatorId, submission_id: input.submissionId, criterion_id: input.criterionId, value: input.value, rationale: input.rationale, updated_at: at };
    await trx
      .insertInto('rationale_draft')
      .values(row)
      .onConflict((oc) => oc.columns(['evaluator_id', 'submission_id', 'criterion_id']).doUpdateSet({ value: input.value, rationale: input.rationale, updated_at: at }))
      .execute();
    return { kept: true, updatedAt: at };
  });
  return outcome.ok ? { ok: true, ...outcome.value } : outcome;
}

/**
 * Reopens a submitted scoresheet (the lead, with a reason), in its own transaction. Only while the RFP is in
 * evaluation: after that the panel has seen the scores. Audited as `scoresheet.reopen` with the reason.
 */
export async function reopenScoresheet(
  db: Kysely<Database>,
  actor: Actor,
  input: { rfpId: string; submissionId: string; evaluatorId: string; reason: string; mailOrigin?: string },
): Promise<{ ok: true } | { ok: false; refusal: ScoringRefusal }> {
  const outcome = await refusable(db, async (trx) => {
    const rfp = await lockRfp(trx, input.rfpId);
    if (rfp.status !== 'evaluation') throw new Refused({ kind: 'status', status: rfp.status });
    const at = nowIso();
    const reopened = await trx
      .updateTable('scoresheet')
      .set({ status: 'in_progress', submitted_at: null, updated_at: at })
      .where('rfp_id', '=', input.rfpId)
      .where('submission_id', '=', input.submissionId)
      .where('evaluator_id', '=', input.evaluatorId)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    if (Number(reopened.numUpdatedRows) === 0) throw new Refused({ kind: 'not-submitted' });
    await recordAudit(trx, actor, {
      rfpId: input.rfpId,
      entity: 'scoresheet',
      entityId: `${input.evaluatorId}:${input.submissionId}`,
      action: 'scoresheet.reopen',
      before: { status: 'submitted' },
      after: { status: 'in_progress', evaluator_id: input.evaluatorId, submission_id: input.submissionId },
      reason: input.reason,
    });
    await notifySheetReopened(trx, actor, { ...input, mailOrigin: input.mailOrigin ?? mailOrigin(null) });
  });
  return outcome.ok ? { ok: true } : outcome;
}

// ---------- the panel's scores and consensus ----------

export interface PanelScore {
  evaluator_id: string;
  evaluator_name: string;
  submission_id: string;
  criterion_id: string;
  value: number;
  rationale: string;
  updated_at: string;
}

/**
 * Scores from submitted scoresheets only (optionally of one submission): what the panel may see in consensus.
 * Recused evaluators' scores are left out (their sheet never counts).
 */
export async function listPanelScores(db: Executor, rfpId: string, submissionId?: string): Promise<PanelScore[]> {
  let query = db
    .selectFrom('score')
    .innerJoin('scoresheet', (join) =>
      join.onRef('scoresheet.submission_id', '=', 'score.submission_id').onRef('scoresheet.evaluator_id', '=', 'score.evaluator_id'),
    )
    .innerJoin('app_user', 'app_user.id', 'score.evaluator_id')
    .innerJoin('submission', 'submission.id', 'score.submission_id')
    .leftJoin('recusal', (join) =>
      join.onRef('recusal.rfp_id', '=', 'score.rfp_id').onRef('recusal.user_id', '=', 'score.evaluator_id').onRef('recusal.vendor_id', '=', 'submission.vendor_id'),
    )
    .select(['score.evaluator_id', 'app_user.name as evaluator_name', 'score.submission_id', 'score.criterion_id', 'score.value', 'score.rationale', 'score.updated_at'])
    .where('score.rfp_id', '=', rfpId)
    .where('scoresheet.status', '=', 'submitted')
    .where('recusal.vendor_id', 'is', null);
  if (submissionId) query = query.where('score.submission_id', '=', submissionId);
  const rows = await query.orderBy('app_user.name').execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

export interface ConsensusDecision {
  id: string;
  submission_id: string;
  criterion_id: string;
  value: number;
  rationale: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string;
}

/** Consensus decisions of an RFP (optionally of one submission). */
export async function listConsensusDecisions(db: Executor, rfpId: string, submissionId?: string): Promise<ConsensusDecision[]> {
  let query = db
    .selectFrom('consensus_score')
    .leftJoin('app_user', 'app_user.id', 'consensus_score.decided_by')
    .select([
      'consensus_score.id',
      'consensus_score.submission_id',
      'consensus_score.criterion_id',
      'consensus_score.value',
      'consensus_score.rationale',
      'consensus_score.decided_by',
      'app_user.name as decided_by_name',
      'consensus_score.decided_at',
    ])
    .where('consensus_score.rfp_id', '=', rfpId);
  if (submissionId) query = query.where('consensus_score.submission_id', '=', submissionId);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/**
 * Records (or revises) the consensus score of a submission × criterion, in its own transaction, while the RFP is in
 * consensus. Audited as `consensus.record` / `consensus.update` with before and after; an identical decision writes nothing.
 */
export async function recordConsensusDecision(
  db: Kysely<Database>,
  actor: Actor,
  input: { rfpId: string; submissionId: string; criterionId: string; value: number; rationale: string },
): Promise<{ ok: true; changed: boolean } | { ok: false; refusal: ScoringRefusal }> {
  const outcome = await refusable(db, async (trx) => {
    const rfp = await lockRfp(trx, input.rfpId);
    if (rfp.status !== 'consensus') throw new Refused({ kind: 'status', status: rfp.status });
    await assertScorable(trx, input);
    const before = await trx
      .selectFrom('consensus_score')
      .selectAll()
      .where('rfp_id', '=', input.rfpId)
      .where('submission_id', '=', input.submissionId)
      .where('criterion_id', '=', input.criterionId)
      .executeTakeFirst();
    if (before && Number(before.value) === input.value && before.rationale === input.rationale) return false;
    const at = nowIso();
    const id = before?.id ?? newId();
    if (before) {
      await trx.updateTable('consensus_score').set({ value: input.value, rationale: input.rationale, decided_by: actor.id, decided_at: at }).where('id', '=', id).execute();
    } else {
      await trx
        .insertInto('consensus_score')
        .values({ id, rfp_id: input.rfpId, submission_id: input.submissionId, criterion_id: input.criterionId, value: input.value, rationale: input.rationale, decided_by: actor.id, decided_at: at })
        .execute();
    }
    await recordAudit(trx, actor, {
      rfpId: input.rfpId,
      entity: 'consensus_score',
      entityId: id,
      action: before ? 'consensus.update' : 'consensus.record',
      before: before ? { value: Number(before.value), rationale: before.rationale, decided_by: before.decided_by } : undefined,
      after: { submission_id: input.submissionId, criterion_id: input.criterionId, value: input.value, rationale: input.rationale },
    });
    return true;
  });
  return outcome.ok ? { ok: true, changed: outcome.value } : outcome;
}

// ---------- "my evaluations" ----------

export interface MyEvaluationRfp {
  rfp_id: string;
  reference: string;
  title: string;
  status: RfpStatus;
  evaluation_due_at: string | null;
  coi_status: CoiStatus;
  section_ids: string[] | null;
}

/** The RFPs a person is assigned to evaluate, most recently assigned first. */
export async function listAssignmentsOfUser(db: Executor, userId: string): Promise<MyEvaluationRfp[]> {
  const rows = await db
    .selectFrom('assignment')
    .innerJoin('rfp', 'rfp.id', 'assignment.rfp_id')
    .innerJoin('rfp_member', (join) => join.onRef('rfp_member.rfp_id', '=', 'assignment.rfp_id').onRef('rfp_member.user_id', '=', 'assignment.user_id'))
    .select(['rfp.id as rfp_id', 'rfp.reference', 'rfp.title', 'rfp.status', 'rfp.evaluation_due_at', 'assignment.coi_status', 'assignment.section_ids_json'])
    .where('assignment.user_id', '=', userId)
    .where('rfp_member.role', '=', 'evaluator')
    .orderBy('assignment.assigned_at', 'desc')
    .execute();
  return rows.map(({ section_ids_json, ...rest }) => ({ ...rest, section_ids: parseSectionIds(section_ids_json) }));
}
