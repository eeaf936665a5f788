/**
 * The questionnaire as vendors received it, version by version. When an RFP opens (draft → open) its questionnaire
 * is kept whole at the RFP's `questionnaire_version`; going back to draft starts the next version (lifecycle), so
 * every published version has its copy and version N can be compared with N−1 long after the live rows changed
 * (app/rfp/questionnaire-compare.ts). Items are identified by their keys, as vendors and workbooks quote them.
 */
import { newId, nowIso } from '../ids';
import type { AnswerType, CriterionKind } from '../schema';
import type { Actor, Executor } from './audit';
import { getQuestionnaire, type QuestionOption, type RubricLevel, type SectionView } from './questionnaire';

export interface SnapshotQuestion {
  key: string;
  text: string;
  guidance: string | null;
  /** Shown to evaluators only, never part of what vendors are told. */
  strongAnswer: string | null;
  answerType: AnswerType;
  options: QuestionOption[];
  required: boolean;
  references: string[];
}

export interface SnapshotCriterion {
  key: string;
  title: string;
  description: string | null;
  kind: CriterionKind;
  points: number;
  rubric: RubricLevel[];
  questions: SnapshotQuestion[];
}

export interface SnapshotSection {
  key: string;
  title: string;
  criteria: SnapshotCriterion[];
}

export interface QuestionnaireSnapshot {
  sections: SnapshotSection[];
}

export interface QuestionnaireVersionInfo {
  version: number;
  takenAt: string;
  actorEmail: string | null;
}

/** The questionnaire's content, without ids or positions (order is the arrays' order). */
export function snapshotOf(sections: SectionView[]): QuestionnaireSnapshot {
  return {
    sections: sections.map((s) => ({
      key: s.key,
      title: s.title,
      criteria: s.criteria.map((c) => ({
        key: c.key,
        title: c.title,
        description: c.description,
        kind: c.kind,
        points: Number(c.points),
        rubric: c.rubric,
        questions: c.questions.map((q) => ({
          key: q.key,
          text: q.text,
          guidance: q.guidance,
          strongAnswer: q.strong_answer,
          answerType: q.answer_type,
          options: q.options,
          required: q.required,
          references: q.references,
        })),
      })),
    })),
  };
}

/**
 * Keeps the RFP's questionnaire as it is now as `version`, inside the caller's transaction (the one that opens the
 * RFP, so the copy is exactly what opened). Taking the same version again replaces it: a version is only ever
 * re-taken by an import that set the counter without copies (portable files), never after vendors saw it.
 */
export async function recordQuestionnaireVersion(db: Executor, actor: Actor, rfpId: string, version: number): Promise<void> {
  const row = {
    id: newId(),
    rfp_id: rfpId,
    version,
    snapshot_json: JSON.stringify(snapshotOf(await getQuestionnaire(db, rfpId))),
    taken_by: actor.id,
    actor_email: actor.email,
    taken_at: nowIso(),
  };
  await db
    .insertInto('questionnaire_version')
    .values(row)
    .onConflict((oc) => oc.columns(['rfp_id', 'version']).doUpdateSet({ snapshot_json: row.snapshot_json, taken_by: row.taken_by, actor_email: row.actor_email, taken_at: row.taken_at }))
    .execute();
}

/** The versions kept for an RFP, newest first. */
export async function listQuestionnaireVersions(db: Executor, rfpId: string): Promise<QuestionnaireVersionInfo[]> {
  const rows = await db.selectFrom('questionnaire_version').select(['version', 'taken_at', 'actor_email']).where('rfp_id', '=', rfpId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: Number(r.version), takenAt: r.taken_at, actorEmail: r.actor_email }));
}

export async function getQuestionnaireVersion(db: Executor, rfpId: string, version: number): Promise<(QuestionnaireVersionInfo & { snapshot: QuestionnaireSnapshot }) | undefined> {
  const row = await db.selectFrom('questionnaire_version').selectAll().where('rfp_id', '=', rfpId).where('version', '=', version).executeTakeFirst();
  if (!row) return undefined;
  return { version: Number(row.version), takenAt: row.taken_at, actorEmail: row.actor_email, snapshot: JSON.parse(row.snapshot_json) as QuestionnaireSnapshot };
}
