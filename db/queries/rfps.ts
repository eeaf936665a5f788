import type { Transaction } from 'kysely';
import { newId, nowIso } from '../ids';
import type { Database, MemberRole, Rfp, RfpStatus } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';

export interface RfpListItem {
  id: string;
  reference: string;
  title: string;
  department: string;
  status: RfpStatus;
  updated_at: string;
  /** The viewer's role in the RFP; null for an admin who is not a member. */
  my_role: MemberRole | null;
}

/**
 * RFPs the user may see: the ones they are a member of, or every RFP for an admin.
 * Scoped inside the query, so a caller cannot forget the filter.
 */
export async function listRfpsVisibleTo(db: Executor, user: { id: string; role: string }): Promise<RfpListItem[]> {
  const base = db
    .selectFrom('rfp')
    .leftJoin('rfp_member', (join) => join.onRef('rfp_member.rfp_id', '=', 'rfp.id').on('rfp_member.user_id', '=', user.id))
    .select([
      'rfp.id',
      'rfp.reference',
      'rfp.title',
      'rfp.department',
      'rfp.status',
      'rfp.updated_at',
      'rfp_member.role as my_role',
    ]);
  const scoped = user.role === 'admin' ? base : base.where('rfp_member.user_id', '=', user.id);
  return scoped.orderBy('rfp.updated_at', 'desc').orderBy('rfp.reference').execute();
}

export async function getRfpById(db: Executor, id: string): Promise<Rfp | undefined> {
  return db.selectFrom('rfp').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Locks the RFP's row for the rest of the transaction and returns it as it is now: the one way a write that a
 * lifecycle lock guards reads the status it checks. On PostgreSQL a no-op update takes the row lock: a concurrent
 * writer or change of status waits, and the read after it sees the committed status. On SQLite every transaction
 * begins IMMEDIATE (db/client.ts), so it is the database's only writer from its start, in any process, and nothing
 * can change the status between this read and the write; the no-op update is harmless there.
 * Takes a Transaction so it cannot be called outside one, where the lock would end with the statement.
 */
export async function lockRfpForWrite(trx: Transaction<Database>, rfpId: string): Promise<Rfp | undefined> {
  await trx
    .updateTable('rfp')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', rfpId)
    .execute();
  return trx.selectFrom('rfp').selectAll().where('id', '=', rfpId).executeTakeFirst();
}

export async function getRfpByReference(db: Executor, reference: string): Promise<Rfp | undefined> {
  return db.selectFrom('rfp').selectAll().where('reference', '=', reference).executeTakeFirst();
}

export interface NewRfpInput {
  reference: string;
  title: string;
  department: string;
  summary: string;
  qaDueAt?: string | null;
  proposalsDueAt?: string | null;
  evaluationDueAt?: string | null;
  /** Why a deadline already past was set (kept in the create event). */
  reason?: string | null;
}

export class DuplicateReferenceError extends Error {
  constructor(reference: string) {
    super(`An RFP with the reference ${reference} already exists.`);
  }
}

/** Creates a draft RFP with default scoring settings and makes its creator the lead. Audited. */
export async function createRfp(db: Executor, actor: Actor & { id: string }, input: NewRfpInput): Promise<Rfp> {
  if (await getRfpByReference(db, input.reference)) throw new DuplicateReferenceError(input.reference);
  const now = nowIso();
  const rfp: Rfp = {
    id: newId(),
    reference: input.reference,
    title: input.title,
    department: input.department,
    summary: input.summary,
    status: 'draft',
    scale_max: 5,
    aggregation: 'mean',
    divergence_threshold: 0.3,
    price_formula: 'ratio',
    total_points: 100,
    allow_half_points: 0,
    price_blind: 0,
    results_version: 0,
    risk_tier: null,
    qa_due_at: input.qaDueAt ?? null,
    proposals_due_at: input.proposalsDueAt ?? null,
    evaluation_due_at: input.evaluationDueAt ?? null,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
    risk_intake_json: null,
    questionnaire_version: 1,
  };
  await db.insertInto('rfp').values(rfp).execute();
  await recordAudit(db, actor, { rfpId: rfp.id, entity: 'rfp', entityId: rfp.id, action: 'rfp.create', after: rfp, reason: input.reason ?? null });
  await db
    .insertInto('rfp_member')
    .values({ rfp_id: rfp.id, user_id: actor.id, role: 'lead', added_by: actor.id, added_at: now })
    .execute();
  await recordAudit(db, actor, {
    rfpId: rfp.id,
    entity: 'rfp_member',
    entityId: actor.id,
    action: 'member.add',
    after: { user_id: actor.id, email: actor.email, role: 'lead' },
  });
  return rfp;
}

export async function listAllRfps(db: Executor): Promise<Rfp[]> {
  return db.selectFrom('rfp').selectAll().orderBy('reference').execute();
}

/** Columns of the RFP row that its details page edits (details, deadlines, scoring settings). */
export type RfpDetailsColumns = Partial<
  Pick<
    Rfp,
    | 'reference'
    | 'title'
    | 'department'
    | 'summary'
    | 'qa_due_at'
    | 'proposals_due_at'
    | 'evaluation_due_at'
    | 'scale_max'
    | 'aggregation'
    | 'allow_half_points'
    | 'divergence_threshold'
    | 'price_formula'
    | 'total_points'
  >
>;

/**
 * Writes the given columns of an RFP (the caller passes only those that change, and has checked its locks in the same
 * transaction) and records one `rfp.update` event with each column's value before and after, and the reason given
 * for a deadline already past. A reference another RFP has is refused.
 */
export async function updateRfpDetails(db: Executor, actor: Actor, rfp: Rfp, change: RfpDetailsColumns, reason: string | null): Promise<void> {
  const columns = Object.keys(change) as Array<keyof RfpDetailsColumns>;
  if (columns.length === 0) return;
  if (change.reference !== undefined) {
    const other = await db.selectFrom('rfp').select('id').where('reference', '=', change.reference).where('id', '!=', rfp.id).executeTakeFirst();
    if (other) throw new DuplicateReferenceError(change.reference);
  }
  await db
    .updateTable('rfp')
    .set({ ...change, updated_at: nowIso() })
    .where('id', '=', rfp.id)
    .execute();
  const before = Object.fromEntries(columns.map((c) => [c, rfp[c]]));
  await recordAudit(db, actor, { rfpId: rfp.id, entity: 'rfp', entityId: rfp.id, action: 'rfp.update', before, after: change, reason });
}

/** Whether any evaluator's or consensus score exists for the RFP, and whether one is a half point (scale changes need none). */
export async function scoresGiven(db: Executor, rfpId: string): Promise<{ any: boolean; halves: boolean }> {
  const values = [
    ...(await db.selectFrom('score').select('value').where('rfp_id', '=', rfpId).execute()),
    ...(await db.selectFrom('consensus_score').select('value').where('rfp_id', '=', rfpId).execute()),
  ];
  return { any: values.length > 0, halves: values.some((v) => !Number.isInteger(Number(v.value))) };
}
