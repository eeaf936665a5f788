/**
 * How each account signs in: second factor (TOTP and recovery codes), a password that must be changed, the last
 * sign-in, and the installation's second-factor policy. Secrets live only in `account_security` and `recovery_code`,
 * never on the user row, so no audit record (which copies user rows) can hold one.
 *
 * Every "use once" rule is one conditional UPDATE whose affected-row count decides, so two requests racing with the
 * same code (or two app processes) cannot both succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { newId, nowIso } from '../ids';
import type { UserRole } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';
import { strikeSignInCodes } from './sign-in-codes';

export const RECOVERY_CODE_COUNT = 10;

import { TWO_FACTOR_POLICIES, type TwoFactorPolicy } from '#app/utils/two-factor-policy';

export { TWO_FACTOR_POLICIES, type TwoFactorPolicy };
const POLICY_KEY = 'two_factor_policy';

export interface AccountSecurity {
  mustChangePassword: boolean;
  totpEnabledAt: string | null;
  lastSignInAt: string | null;
  recoveryCodesLeft: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Recovery codes are typed by hand: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

async function ensureRow(db: Executor, userId: string): Promise<void> {
  await db
    .insertInto('account_security')
    .values({ user_id: userId, updated_at: nowIso() })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

export async function getAccountSecurity(db: Executor, userId: string): Promise<AccountSecurity> {
  const [row, codes] = await Promise.all([
    db.selectFrom('account_security').select(['must_change_password', 'totp_enabled_at', 'last_sign_in_at']).where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('recovery_code').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return {
    mustChangePassword: Boolean(row?.must_change_password),
    totpEnabledAt: row?.totp_enabled_at ?? null,
    lastSignInAt: row?.last_sign_in_at ?? null,
    recoveryCodesLeft: Number(codes.n),
  };
}

/** For the users page: every account's last sign-in and second factor, in one query. */
export async function listAccountSecurity(db: Executor, userIds: readonly string[]): Promise<Map<string, { lastSignInAt: string | null; twoFactor: boolean; mustChangePassword: boolean }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('account_security')
    .select(['user_id', 'last_sign_in_at', 'totp_enabled_at', 'must_change_password'])
    .where('user_id', 'in', [...userIds])
    .execute();
  return new Map(rows.map((r) => [r.user_id, { lastSignInAt: r.last_sign_in_at, twoFactor: r.totp_enabled_at !== null, mustChangePassword: Boolean(r.must_change_password) }]));
}

/**
 * How each account can sign in, for the users page: with a password (it has one: accounts made by single sign-on have
 * none) and/or through the identity provider (an identity is linked to it). One query for the page's accounts.
 */
export async function listSignInMethods(db: Executor, userIds: readonly string[]): Promise<Map<string, { password: boolean; singleSignOn: boolean }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .leftJoin('user_identity', 'user_identity.user_id', 'app_user.id')
    .select(['app_user.id', 'app_user.password_hash', 'user_identity.subject'])
    .where('app_user.id', 'in', [...userIds])
    .execute();
  const methods = new Map<string, { password: boolean; singleSignOn: boolean }>();
  for (const row of rows) {
    const known = methods.get(row.id) ?? { password: row.password_hash.startsWith('$argon2'), singleSignOn: false };
    if (row.subject !== null) known.singleSignOn = true;
    methods.set(row.id, known);
  }
  return methods;
}

/** One statement per sign-in (it is on every sign-in's path): insert the row with the time, or set the time. */
export async function recordSignIn(db: Executor, userId: string, at = nowIso()): Promise<void> {
  await db
    .insertInto('account_security')
    .values({ user_id: userId, last_sign_in_at: at, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_sign_in_at: at, updated_at: at }))
    .execute();
}

export async function setMustChangePassword(db: Executor, userId: string, must: boolean): Promise<void> {
  await ensureRow(db, userId);
  await db.updateTable('account_security').set({ must_change_password: must ? 1 : 0, updated_at: nowIso() }).where('user_id', '=', userId).execute();
}

/** The secret of a confirmed enrolment, for checking a code at sign-in. */
export async function getTotpSecret(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom('account_security').select('totp_secret').where('user_id', '=', userId).executeTakeFirst();
  return row?.totp_secret ?? null;
}

/** Keeps a secret being enrolled (shown as a QR code) until a code from it is confirmed; a new one replaces it. */
export async function setPendingTotpSecret(db: Executor, userId: string, secret: string): Promise<void> {
  await ensureRow(db, userId);
  await db.updateTable('account_security').set({ totp_pending_secret: secret, updated_at: nowIso() }).where('user_id', '=', userId).execute();
}

export async function getPendingTotpSecret(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom('account_security').select('totp_pending_secret').where('user_id', '=', userId).executeTakeFirst();
  return row?.totp_pending_secret ?? null;
}

/**
 * Records that a code of `step` was accepted, only if no code of this or a later step was: a code seen once (an
 * over-the-shoulder glance, a replayed request) is refused the second time. True when this call recorded it.
 */
export async function acceptTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('account_security')
    .set({ totp_last_step: step, updated_at: nowIso() })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function newRecoveryCodes(): string[] {
  // 10 hex characters in two groups of five: 40 bits each, easy to read out and type.
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const hex = randomBytes(5).toString('hex');
    return `${hex.slice(0, 5)}-${hex.slice(5)}`;
  });
}

async function replaceRecoveryCodes(db: Executor, userId: string): Promise<string[]> {
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  const codes = newRecoveryCodes();
  const now = nowIso();
  await db
    .insertInto('recovery_code')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: sha256(normaliseRecoveryCode(code)), created_at: now, used_at: null })))
    .execute();
  return codes;
}

/**
 * Turns the pending secret into the account's second factor, with the step of the code that confirmed it (so that
 * code cannot also sign in), and returns fresh recovery codes — shown once, stored only as hashes. Audited.
 */
export async function confirmTotpEnrolment(db: Executor, actor: Actor, userId: string, step: number): Promise<string[]> {
  const now = nowIso();
  await db
    .updateTable('account_security')
    .set({ totp_secret: sql<string>`totp_pending_secret`, totp_pending_secret: null, totp_enabled_at: now, totp_last_step: step, updated_at: now })
    .where('user_id', '=', userId)
    .where('totp_pending_secret', 'is not', null)
    .execute();
  const codes = await replaceRecoveryCodes(db, userId);
  await recordAudit(db, actor, { entity: 'user', entityId: userId, action: 'user.mfa_enrol', after: { method: 'totp', recovery_codes: codes.length } });
  return codes;
}

export async function regenerateRecoveryCodes(db: Executor, actor: Actor, userId: string): Promise<string[]> {
  const codes = await replaceRecoveryCodes(db, userId);
  await recordAudit(db, actor, { entity: 'user', entityId: userId, action: 'user.mfa_recovery_codes', after: { recovery_codes: codes.length } });
  return codes;
}

/** Uses one recovery code, once. True when the code was unused and is now used. Audited. */
export async function consumeRecoveryCode(db: Executor, userId: string, email: string, code: string): Promise<boolean> {
  const now = nowIso();
  const result = await db
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', sha256(normaliseRecoveryCode(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  const left = await db.selectFrom('recovery_code').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  await recordAudit(db, { id: userId, email }, { entity: 'user', entityId: userId, action: 'user.mfa_recovery_used', after: { recovery_codes_left: Number(left.n) } });
  return true;
}

/**
 * Removes the second factor (the person turning it off, or an admin resetting it for someone who lost their phone).
 * Recovery codes go with it. Audited with who did it.
 */
export async function removeTwoFactor(db: Executor, actor: Actor, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('account_security')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: nowIso() })
    .where('user_id', '=', userId)
    .where('totp_enabled_at', 'is not', null)
    .executeTakeFirst();
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await recordAudit(db, actor, { entity: 'user', entityId: userId, action: actor.id === userId ? 'user.mfa_disable' : 'user.mfa_reset', after: { method: 'totp' } });
  return true;
}

export async function getTwoFactorPolicy(db: Executor): Promise<TwoFactorPolicy> {
  const row = await db.selectFrom('installation_setting').select('value').where('key', '=', POLICY_KEY).executeTakeFirst();
  return TWO_FACTOR_POLICIES.includes(row?.value as TwoFactorPolicy) ? (row!.value as TwoFactorPolicy) : 'optional';
}

export async function setTwoFactorPolicy(db: Executor, actor: Actor, policy: TwoFactorPolicy): Promise<void> {
  const before = await getTwoFactorPolicy(db);
  const now = nowIso();
  await db
    .insertInto('installation_setting')
    .values({ key: POLICY_KEY, value: policy, updated_at: now, updated_by: actor.id })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: policy, updated_at: now, updated_by: actor.id }))
    .execute();
  await recordAudit(db, actor, { entity: 'setting', entityId: POLICY_KEY, action: 'setting.two_factor_policy', before: { policy: before }, after: { policy } });
}

/** Vendor contacts are never made to enrol an authenticator: without one, each sign-in mails them a one-time code. */
export function policyRequiresTwoFactor(policy: TwoFactorPolicy, role: UserRole): boolean {
  if (role === 'vendor') return false;
  return policy === 'everyone' || (policy === 'admins' && role === 'admin');
}

// ---------- the second step of a sign-in ----------

export const LOGIN_CHALLENGE_MINUTES = 5;

/**
 * A right password waiting for its code. Returns the token for the cookie; the row holds its hash. `mailedCodeHash`:
 * the SHA-256 of a code about to be mailed (db/queries/sign-in-codes.ts), for a sign-in without an authenticator.
 */
export async function createLoginChallenge(
  db: Executor,
  userId: string,
  redirectTo: string,
  now = new Date(),
  mailedCodeHash: string | null = null,
): Promise<{ token: string; id: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  // One pending challenge per account: a new sign-in replaces an older one, and the codes mailed for it stop working.
  const earlier = await db.selectFrom('login_challenge').select(['id', 'mailed_code_hash']).where('user_id', '=', userId).execute();
  for (const old of earlier) if (old.mailed_code_hash) await strikeSignInCodes(db, old.id);
  await db.deleteFrom('login_challenge').where('user_id', '=', userId).execute();
  const id = sha256(token);
  const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_MINUTES * 60_000).toISOString();
  await db
    .insertInto('login_challenge')
    .values({ id, user_id: userId, redirect_to: redirectTo, created_at: now.toISOString(), expires_at: expiresAt, mailed_code_hash: mailedCodeHash })
    .execute();
  return { token, id, expiresAt };
}

export interface LoginChallenge {
  id: string;
  userId: string;
  redirectTo: string;
  expiresAt: string;
  /** Set when the code was sent by mail (then no authenticator or recovery code applies). */
  mailedCodeHash: string | null;
}

export async function getLoginChallenge(db: Executor, token: string, now = new Date()): Promise<LoginChallenge | null> {
  if (token.length > 200) return null;
  const row = await db.selectFrom('login_challenge').selectAll().where('id', '=', sha256(token)).executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return null;
  return { id: row.id, userId: row.user_id, redirectTo: row.redirect_to, expiresAt: row.expires_at, mailedCodeHash: row.mailed_code_hash };
}

/** Ends a challenge once; false when another request already ended it (two codes sent at once). */
export async function endLoginChallenge(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('login_challenge').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
