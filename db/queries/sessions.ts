import type { Insertable } from 'kysely';
import type { Session, SessionRestriction, SessionTable, User } from '../schema';
import type { Executor } from './audit';

/**
 * Sessions are rows: revoking one is deleting it. The row id is the sha256 of the cookie token,
 * computed by the caller (app/utils/session.server.ts).
 */
export async function insertSession(db: Executor, session: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

export async function getSessionWithUser(
  db: Executor,
  id: string,
): Promise<{ session: Session; user: User } | undefined> {
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id as s_id',
      'session.user_id as s_user_id',
      'session.created_at as s_created_at',
      'session.last_seen_at as s_last_seen_at',
      'session.expires_at as s_expires_at',
      'session.ip as s_ip',
      'session.user_agent as s_user_agent',
      'session.restriction as s_restriction',
      'app_user.id',
      'app_user.email',
      'app_user.name',
      'app_user.role',
      'app_user.password_hash',
      'app_user.disabled',
      'app_user.created_at',
      'app_user.updated_at',
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    session: {
      id: row.s_id,
      user_id: row.s_user_id,
      created_at: row.s_created_at,
      last_seen_at: row.s_last_seen_at,
      expires_at: row.s_expires_at,
      ip: row.s_ip,
      user_agent: row.s_user_agent,
      restriction: row.s_restriction,
    },
    user: {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      password_hash: row.password_hash,
      disabled: row.disabled,
      created_at: row.created_at,
      updated_at: row.updated_at,
    },
  };
}

export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** Housekeeping: sessions past their absolute expiry. Idle ones are refused on use and removed then. */
export async function deleteExpiredSessions(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('session').where('expires_at', '<', now).execute();
}

/** Sessions neither past their absolute expiry nor idle longer than `idleMinutes`: the people signed in now. */
export async function countActiveSessions(db: Executor, idleMinutes: number): Promise<number> {
  const now = Date.now();
  const row = await db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('expires_at', '>', new Date(now).toISOString())
    .where('last_seen_at', '>', new Date(now - idleMinutes * 60_000).toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Lifts or changes what a session must do first (after a forced password change, or a second factor enrolled). */
export async function setSessionRestriction(db: Executor, id: string, restriction: SessionRestriction | null): Promise<void> {
  await db.updateTable('session').set({ restriction }).where('id', '=', id).execute();
}

/** Ends every session of a user but one (a password changed by its owner keeps the session that changed it). */
export async function deleteOtherSessions(db: Executor, userId: string, keepId: string): Promise<number> {
  const result = await db.deleteFrom('session').where('user_id', '=', userId).where('id', '!=', keepId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
