/**
 * Invitations: an admin names a person, their email and role; the person gets a single-use link that expires, and
 * chooses their own password. The row holds the SHA-256 of the link's token, never the token. Accepting is one
 * conditional UPDATE, so a link used twice at once creates one account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newId, nowIso } from '../ids';
import type { UserRole } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';
import { strikeLinkFromMail as strikeMailLink } from './mail-outbox';
import { createUser, DuplicateEmailError, getUserByEmail, normaliseEmail, type PublicUser } from './users';

/** The outbox key of an invitation's mail, so the link in it can be struck out once the link is spent. */
export function invitationMailKey(invitationId: string): string {
  return `invitation:${invitationId}`;
}

const LINK_PATH = '/invitation/';

function strikeLinkFromMail(db: Executor, invitationId: string): Promise<void> {
  return strikeMailLink(db, invitationMailKey(invitationId), LINK_PATH);
}

export interface PendingInvitation {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked';

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Invites a person (refused when an account with the email exists). An earlier pending invitation of the same address
 * is revoked: only the newest link works. Returns the token for the mail. Audited without the token.
 */
export async function createInvitation(
  db: Executor,
  actor: Actor,
  input: { email: string; name: string; role: UserRole; validDays: number; vendor?: { vendorId: string; rfpId: string } },
  now = new Date(),
): Promise<{ id: string; email: string; token: string; expiresAt: string }> {
  const email = normaliseEmail(input.email);
  if (await getUserByEmail(db, email)) throw new DuplicateEmailError(email);
  const earlier = await db.selectFrom('invitation').select(['id']).where('email', '=', email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute();
  for (const row of earlier) {
    await db.updateTable('invitation').set({ revoked_at: now.toISOString() }).where('id', '=', row.id).execute();
    await strikeLinkFromMail(db, row.id);
  }
  const token = randomBytes(32).toString('base64url');
  const id = newId();
  const expiresAt = new Date(now.getTime() + input.validDays * 86_400_000).toISOString();
  await db
    .insertInto('invitation')
    .values({ id, token_hash: tokenHash(token), email, name: input.name.trim(), role: input.role, invited_by: actor.id, created_at: now.toISOString(), expires_at: expiresAt, accepted_at: null, accepted_user_id: null, revoked_at: null, vendor_id: input.vendor?.vendorId ?? null, rfp_id: input.vendor?.rfpId ?? null })
    .execute();
  await recordAudit(db, actor, { entity: 'invitation', entityId: id, action: 'invitation.create', after: { email, name: input.name.trim(), role: input.role, expires_at: expiresAt, ...(input.vendor ? { vendor_id: input.vendor.vendorId, rfp_id: input.vendor.rfpId } : {}) } });
  return { id, email, token, expiresAt };
}

export async function listPendingInvitations(db: Executor, now = nowIso()): Promise<PendingInvitation[]> {
  const rows = await db
    .selectFrom('invitation')
    .leftJoin('app_user', 'app_user.id', 'invitation.invited_by')
    .select(['invitation.id', 'invitation.email', 'invitation.name', 'invitation.role', 'invitation.created_at', 'invitation.expires_at', 'app_user.name as inviter'])
    .where('invitation.accepted_at', 'is', null)
    .where('invitation.revoked_at', 'is', null)
    .where('invitation.expires_at', '>', now)
    .orderBy('invitation.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, invitedBy: r.inviter, createdAt: r.created_at, expiresAt: r.expires_at }));
}

/** What a link leads to, for the invitation page: never says more than the state and the invited name/email. */
export async function findInvitation(
  db: Executor,
  token: string,
  now = nowIso(),
): Promise<{ state: InvitationState; id: string; email: string; name: string; role: UserRole; vendorId: string | null; rfpId: string | null } | null> {
  if (token.length < 20 || token.length > 200) return null;
  const row = await db.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (!row) return null;
  const state: InvitationState = row.accepted_at ? 'accepted' : row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'pending';
  return { state, id: row.id, email: row.email, name: row.name, role: row.role, vendorId: row.vendor_id, rfpId: row.rfp_id };
}

export class InvitationUnusableError extends Error {
  constructor(readonly state: InvitationState | 'unknown') {
    super(
      state === 'accepted'
        ? 'This invitation was already used. Sign in with the account it created.'
        : state === 'expired'
          ? 'This invitation has expired. Ask an administrator to invite you again.'
          : 'This invitation is no longer valid. Ask an administrator to invite you again.',
    );
  }
}

/** Uses the link once and creates the account it invites (in the caller's transaction). */
export async function acceptInvitation(db: Executor, token: string, input: { name: string; passwordHash: string }, now = nowIso()): Promise<PublicUser> {
  const found = await findInvitation(db, token, now);
  if (!found || found.state !== 'pending') throw new InvitationUnusableError(found?.state ?? 'unknown');
  const claimed = await db
    .updateTable('invitation')
    .set({ accepted_at: now })
    .where('id', '=', found.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new InvitationUnusableError('accepted');
  const invitation = await db.selectFrom('invitation').select(['invited_by']).where('id', '=', found.id).executeTakeFirstOrThrow();
  const inviter = invitation.invited_by ? await db.selectFrom('app_user').select(['id', 'email']).where('id', '=', invitation.invited_by).executeTakeFirst() : undefined;
  // The account is created on the inviter's authority; the acceptance is the invitee's own act.
  const user = await createUser(db, inviter ? { id: inviter.id, email: inviter.email } : { id: null, email: 'system' }, { email: found.email, name: input.name, role: found.role, passwordHash: input.passwordHash });
  await db.updateTable('invitation').set({ accepted_user_id: user.id }).where('id', '=', found.id).execute();
  // A vendor contact's account speaks for the organisation it was invited for, from its first moment.
  if (found.role === 'vendor') {
    if (!found.vendorId) throw new InvitationUnusableError('unknown');
    await db.insertInto('vendor_contact').values({ user_id: user.id, vendor_id: found.vendorId, created_at: now }).execute();
  }
  await recordAudit(db, { id: user.id, email: user.email }, { entity: 'invitation', entityId: found.id, action: 'invitation.accept', after: { email: user.email, role: user.role } });
  await strikeLinkFromMail(db, found.id);
  return user;
}

export async function revokeInvitation(db: Executor, actor: Actor, id: string, now = nowIso()): Promise<boolean> {
  const row = await db.selectFrom('invitation').select(['email', 'name', 'role']).where('id', '=', id).executeTakeFirst();
  const result = await db.updateTable('invitation').set({ revoked_at: now }).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row || Number(result.numUpdatedRows) !== 1) return false;
  await recordAudit(db, actor, { entity: 'invitation', entityId: id, action: 'invitation.revoke', before: { email: row.email, name: row.name, role: row.role } });
  await strikeLinkFromMail(db, id);
  return true;
}

/**
 * Single sign-on created or linked the account of `email` (the identity provider decides its role): a pending
 * invitation of that address has done its job, so it is marked used and leaves the pending list.
 */
export async function settleInvitationsBySignIn(db: Executor, email: string, userId: string, now = nowIso()): Promise<void> {
  const pending = await db
    .selectFrom('invitation')
    .select(['id'])
    .where('email', '=', normaliseEmail(email))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    // A vendor contact's invitation is never settled by the city's identity provider.
    .where('vendor_id', 'is', null)
    .execute();
  for (const row of pending) {
    await db.updateTable('invitation').set({ accepted_at: now, accepted_user_id: userId }).where('id', '=', row.id).execute();
    await strikeLinkFromMail(db, row.id);
  }
}
