import { nowIso } from '../ids';
import type { MemberRole, UserRole } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';

export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  global_role: UserRole;
  disabled: number;
  role: MemberRole;
  added_at: string;
}

const ROLE_ORDER: Record<MemberRole, number> = { lead: 0, evaluator: 1, observer: 2 };

/** Members of an RFP: leads first, then evaluators, then observers, each by name. */
export async function listMembers(db: Executor, rfpId: string): Promise<MemberRow[]> {
  const rows = await db
    .selectFrom('rfp_member')
    .innerJoin('app_user', 'app_user.id', 'rfp_member.user_id')
    .select([
      'rfp_member.user_id',
      'app_user.email',
      'app_user.name',
      'app_user.role as global_role',
      'app_user.disabled',
      'rfp_member.role',
      'rfp_member.added_at',
    ])
    .where('rfp_member.rfp_id', '=', rfpId)
    .orderBy('app_user.name')
    .execute();
  return rows.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

export async function getMemberRole(db: Executor, rfpId: string, userId: string): Promise<MemberRole | undefined> {
  const row = await db
    .selectFrom('rfp_member')
    .select('role')
    .where('rfp_id', '=', rfpId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

/** Adds a member, or changes the role of an existing one. Audited with before/after. */
export async function upsertMember(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string; role: MemberRole },
): Promise<void> {
  const before = await getMemberRole(db, input.rfpId, input.userId);
  if (before === input.role) return;
  if (before) {
    await db
      .updateTable('rfp_member')
      .set({ role: input.role })
      .where('rfp_id', '=', input.rfpId)
      .where('user_id', '=', input.userId)
      .execute();
  } else {
    await db
      .insertInto('rfp_member')
      .values({ rfp_id: input.rfpId, user_id: input.userId, role: input.role, added_by: actor.id, added_at: nowIso() })
      .execute();
  }
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'rfp_member',
    entityId: input.userId,
    action: before ? 'member.role' : 'member.add',
    before: before ? { user_id: input.userId, email: input.email, role: before } : undefined,
    after: { user_id: input.userId, email: input.email, role: input.role },
  });
}

export async function removeMember(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string },
): Promise<boolean> {
  const before = await getMemberRole(db, input.rfpId, input.userId);
  if (!before) return false;
  await db.deleteFrom('rfp_member').where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'rfp_member',
    entityId: input.userId,
    action: 'member.remove',
    before: { user_id: input.userId, email: input.email, role: before },
  });
  return true;
}

export async function countLeads(db: Executor, rfpId: string): Promise<number> {
  const row = await db
    .selectFrom('rfp_member')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('rfp_id', '=', rfpId)
    .where('role', '=', 'lead')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
