import { newId, nowIso } from '../ids';
import type { GlobalRole, MemberRole, RfpStatus, User, UserRole } from '../schema';
import { setMustChangePassword } from './account-security';
import { type Actor, type Executor, recordAudit } from './audit';
import { containsText } from './text-search';
import type { ListWindow } from './vendors';

/** A user without the password hash: what screens and audit records get. */
export type PublicUser = Omit<User, 'password_hash'>;

function toPublic(user: User): PublicUser {
  const { password_hash: _omit, ...rest } = user;
  return rest;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getUserById(db: Executor, id: string): Promise<User | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getUserByEmail(db: Executor, email: string): Promise<User | undefined> {
  return db.selectFrom('app_user').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function listUsers(db: Executor): Promise<PublicUser[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('email').execute();
  return rows.map(toPublic);
}

/**
 * One page of the accounts, by email, matching `q` (contained in the name or the email, ignoring case) when given,
 * and how many match in all.
 */
export async function searchUsers(db: Executor, filter: ListWindow & { q?: string }): Promise<{ items: PublicUser[]; total: number }> {
  const matching = () => {
    const query = db.selectFrom('app_user');
    const text = filter.q;
    return text ? query.where((eb) => eb.or([containsText('app_user.name', text), containsText('app_user.email', text)])) : query;
  };
  const [rows, count] = await Promise.all([
    matching().selectAll().orderBy('email').limit(filter.limit).offset(filter.offset).execute(),
    matching()
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPublic), total: Number(count.n) };
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`An account with the email ${email} already exists.`);
  }
}

/** Creates an account (hash the password first, outside any transaction). Audited. */
export async function createUser(
  db: Executor,
  actor: Actor,
  input: { email: string; name: string; role: UserRole; passwordHash: string },
): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  if (await getUserByEmail(db, email)) throw new DuplicateEmailError(email);
  const now = nowIso();
  const user: User = {
    id: newId(),
    email,
    name: input.name.trim(),
    role: input.role,
    password_hash: input.passwordHash,
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('app_user').values(user).execute();
  await recordAudit(db, actor, { entity: 'user', entityId: user.id, action: 'user.create', after: toPublic(user) });
  return toPublic(user);
}

/** Applies a change to one user and records before/after. Returns undefined if there is no such user. */
async function updateUser(
  db: Executor,
  actor: Actor,
  id: string,
  action: string,
  change: Partial<Pick<User, 'role' | 'disabled' | 'password_hash' | 'name'>>,
): Promise<PublicUser | undefined> {
  const before = await getUserById(db, id);
  if (!before) return undefined;
  const after: User = { ...before, ...change, updated_at: nowIso() };
  await db.updateTable('app_user').set({ ...change, updated_at: after.updated_at }).where('id', '=', id).execute();
  // The hash itself never goes into the audit log; a reset shows as the action alone.
  await recordAudit(db, actor, { entity: 'user', entityId: id, action, before: toPublic(before), after: toPublic(after) });
  return toPublic(after);
}

export function setUserRole(db: Executor, actor: Actor, id: string, role: GlobalRole) {
  return updateUser(db, actor, id, 'user.role', { role });
}

/** Disabling also revokes every session of the user, in the same transaction. */
export async function setUserDisabled(db: Executor, actor: Actor, id: string, disabled: boolean) {
  const result = await updateUser(db, actor, id, disabled ? 'user.disable' : 'user.enable', { disabled: disabled ? 1 : 0 });
  if (result && disabled) await db.deleteFrom('session').where('user_id', '=', id).execute();
  return result;
}

/**
 * An admin's password reset revokes the user's sessions too (whoever held the old password is signed out), and the
 * password the admin typed is temporary: the next sign-in must choose a new one.
 */
export async function setUserPassword(db: Executor, actor: Actor, id: string, passwordHash: string) {
  const result = await updateUser(db, actor, id, 'user.password_reset', { password_hash: passwordHash });
  if (result) {
    await db.deleteFrom('session').where('user_id', '=', id).execute();
    await setMustChangePassword(db, id, true);
  }
  return result;
}

/**
 * A person changing their own password: every other session of theirs ends (the one they used stays), the
 * obligation to change it is lifted, and a mail tells them it happened. Audited without the hash.
 */
export async function changeOwnPassword(db: Executor, userId: string, passwordHash: string, keepSessionId: string) {
  const user = await getUserById(db, userId);
  if (!user) return undefined;
  const result = await updateUser(db, { id: user.id, email: user.email }, userId, 'user.password_change', { password_hash: passwordHash });
  await db.deleteFrom('session').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute();
  await setMustChangePassword(db, userId, false);
  return result;
}

/**
 * A password chosen through a reset link sent by mail: every session of the account ends (whoever knew the old
 * password is signed out, the person signs in afresh), and any obligation to change it is lifted. Audited without the hash.
 */
export async function resetPasswordByLink(db: Executor, userId: string, passwordHash: string) {
  const user = await getUserById(db, userId);
  if (!user) return undefined;
  const result = await updateUser(db, { id: user.id, email: user.email }, userId, 'user.password_reset_by_link', { password_hash: passwordHash });
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
  await setMustChangePassword(db, userId, false);
  return result;
}

export async function countActiveAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface AccountReach {
  /** Sessions that have not expired: each ends when the account is disabled. */
  activeSessions: number;
  /** The RFPs the person is a member of, with their role there and the RFP's status. */
  memberships: Array<{ rfp_id: string; reference: string; title: string; status: RfpStatus; role: MemberRole }>;
}

/** What disabling an account reaches, said on its confirmation. */
export async function accountReach(db: Executor, userId: string, now = nowIso()): Promise<AccountReach> {
  const [sessions, memberships] = await Promise.all([
    db.selectFrom('session').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('expires_at', '>', now).executeTakeFirstOrThrow(),
    db
      .selectFrom('rfp_member')
      .innerJoin('rfp', 'rfp.id', 'rfp_member.rfp_id')
      .select(['rfp.id as rfp_id', 'rfp.reference', 'rfp.title', 'rfp.status', 'rfp_member.role'])
      .where('rfp_member.user_id', '=', userId)
      .orderBy('rfp.reference')
      .execute(),
  ]);
  return { activeSessions: Number(sessions.n), memberships };
}
