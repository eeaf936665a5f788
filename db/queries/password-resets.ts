/**
 * Password-reset links: a person who forgot their password gets a single-use link by mail that expires. The row holds
 * the SHA-256 of the link's token, never the token; asking again replaces the earlier link; using it is one conditional
 * UPDATE, so a link used twice at once sets one password.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newId, nowIso } from '../ids';
import { type Executor, recordAudit } from './audit';
import { clearLoginFailures } from './login-throttle';
import { strikeLinkFromMail } from './mail-outbox';
import { getUserById, type PublicUser, resetPasswordByLink } from './users';

/** The path of a reset link, up to its token. */
export const RESET_LINK_PATH = '/login/reset/';

/** The outbox key of a reset link's mail, so the link in it can be struck out once the link is spent. */
export function passwordResetMailKey(resetId: string): string {
  return `password-reset:${resetId}`;
}

export type PasswordResetState = 'pending' | 'expired' | 'used' | 'superseded';

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function strikeLink(db: Executor, resetId: string): Promise<void> {
  return strikeLinkFromMail(db, passwordResetMailKey(resetId), RESET_LINK_PATH);
}

/**
 * A new link for the account, valid `minutes`; earlier links of the account stop working. Returns the token for the
 * mail. Audited (without the token) as a request: who asked is not known, only that someone did.
 */
export async function createPasswordReset(
  db: Executor,
  user: { id: string; email: string },
  minutes: number,
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: string }> {
  const earlier = await db.selectFrom('password_reset').select(['id']).where('user_id', '=', user.id).where('used_at', 'is', null).where('superseded_at', 'is', null).execute();
  for (const row of earlier) {
    await db.updateTable('password_reset').set({ superseded_at: now.toISOString() }).where('id', '=', row.id).execute();
    await strikeLink(db, row.id);
  }
  const token = randomBytes(32).toString('base64url');
  const id = newId();
  const expiresAt = new Date(now.getTime() + minutes * 60_000).toISOString();
  await db
    .insertInto('password_reset')
    .values({ id, user_id: user.id, token_hash: tokenHash(token), created_at: now.toISOString(), expires_at: expiresAt, used_at: null, superseded_at: null })
    .execute();
  await recordAudit(db, { id: null, email: null }, { entity: 'user', entityId: user.id, action: 'user.password_reset_request', after: { email: user.email, expires_at: expiresAt } });
  return { id, token, expiresAt };
}

/** What a link leads to: its state and the account's email, for the reset page; null for a token never issued. */
export async function findPasswordReset(db: Executor, token: string, now = nowIso()): Promise<{ id: string; state: PasswordResetState; userId: string; email: string } | null> {
  if (token.length < 20 || token.length > 200) return null;
  const row = await db
    .selectFrom('password_reset')
    .innerJoin('app_user', 'app_user.id', 'password_reset.user_id')
    .select(['password_reset.id', 'password_reset.user_id', 'password_reset.expires_at', 'password_reset.used_at', 'password_reset.superseded_at', 'app_user.email', 'app_user.disabled'])
    .where('password_reset.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) return null;
  // A link of an account disabled since it was sent is as dead as a replaced one.
  const state: PasswordResetState = row.used_at ? 'used' : row.superseded_at || row.disabled ? 'superseded' : row.expires_at <= now ? 'expired' : 'pending';
  return { id: row.id, state, userId: row.user_id, email: row.email };
}

export class PasswordResetUnusableError extends Error {
  constructor(readonly state: PasswordResetState | 'unknown') {
    super(
      state === 'used'
        ? 'This link was already used to choose a password. Sign in with it, or ask for a new link.'
        : state === 'expired'
          ? 'This link has expired. Ask for a new one.'
          : 'This link is no longer valid. Ask for a new one.',
    );
  }
}

/**
 * Uses the link once and sets the account's password (in the caller's transaction): every session of the account ends,
 * a forced change is lifted, and the account's sign-in lock (too many wrong passwords) is cleared — the person proved
 * they hold the mailbox.
 */
export async function usePasswordReset(db: Executor, token: string, passwordHash: string, now = nowIso()): Promise<PublicUser> {
  const found = await findPasswordReset(db, token, now);
  if (!found || found.state !== 'pending') throw new PasswordResetUnusableError(found?.state ?? 'unknown');
  const claimed = await db
    .updateTable('password_reset')
    .set({ used_at: now })
    .where('id', '=', found.id)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new PasswordResetUnusableError('used');
  const user = await getUserById(db, found.userId);
  if (!user || user.disabled) throw new PasswordResetUnusableError('superseded');
  const changed = await resetPasswordByLink(db, user.id, passwordHash);
  if (!changed) throw new PasswordResetUnusableError('unknown');
  await clearLoginFailures(db, `account:${user.email}`);
  await strikeLink(db, found.id);
  return changed;
}
