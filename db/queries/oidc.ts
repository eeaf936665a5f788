/**
 * Single sign-on's rows: started sign-ins (used once), accounts' identities at the provider, and the ID token a
 * session began with. Account changes go through users.ts, which audits them.
 */
import { nowIso } from '../ids';
import type { OidcSignInTable, User } from '../schema';
import type { Executor } from './audit';

export async function insertOidcSignIn(db: Executor, row: OidcSignInTable): Promise<void> {
  await db.insertInto('oidc_sign_in').values(row).execute();
}

/**
 * Takes the started sign-in out of the table and returns it, in one statement: of two callbacks carrying the same
 * state only one gets the row, so a state is never accepted twice. Expired rows are dropped on the way.
 */
export async function takeOidcSignIn(db: Executor, id: string, now = nowIso()): Promise<OidcSignInTable | undefined> {
  await db.deleteFrom('oidc_sign_in').where('expires_at', '<', now).execute();
  return db.deleteFrom('oidc_sign_in').where('id', '=', id).returningAll().executeTakeFirst();
}

export async function getUserByIdentity(db: Executor, issuer: string, subject: string): Promise<User | undefined> {
  return db
    .selectFrom('user_identity')
    .innerJoin('app_user', 'app_user.id', 'user_identity.user_id')
    .selectAll('app_user')
    .where('user_identity.issuer', '=', issuer)
    .where('user_identity.subject', '=', subject)
    .executeTakeFirst();
}

export async function linkUserIdentity(db: Executor, input: { issuer: string; subject: string; userId: string }): Promise<void> {
  const now = nowIso();
  await db
    .insertInto('user_identity')
    .values({ issuer: input.issuer, subject: input.subject, user_id: input.userId, created_at: now, last_sign_in_at: now })
    .execute();
}

export async function noteIdentitySignIn(db: Executor, issuer: string, subject: string): Promise<void> {
  await db.updateTable('user_identity').set({ last_sign_in_at: nowIso() }).where('issuer', '=', issuer).where('subject', '=', subject).execute();
}

export async function insertOidcSession(db: Executor, sessionId: string, idToken: string): Promise<void> {
  await db.insertInto('oidc_session').values({ session_id: sessionId, id_token: idToken }).execute();
}

export async function getOidcSessionIdToken(db: Executor, sessionId: string): Promise<string | undefined> {
  const row = await db.selectFrom('oidc_session').select('id_token').where('session_id', '=', sessionId).executeTakeFirst();
  return row?.id_token;
}
