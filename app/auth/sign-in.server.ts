/**
 * What happens once a password is right: an account with a second factor is asked for its code first (the password
 * alone starts no session); otherwise a session starts, restricted to choosing a new password when the one used was
 * temporary (typed by an admin), or to enrolling a second factor when the installation's policy requires one.
 * The second step is throttled per account, and each code works once.
 */
import { redirect } from '@remix-run/node';
import {
  acceptTotpStep,
  clearLoginFailures,
  consumeRecoveryCode,
  createLoginChallenge,
  endLoginChallenge,
  getAccountSecurity,
  getDb,
  getLoginChallenge,
  getTotpSecret,
  getTwoFactorPolicy,
  getUserById,
  LOGIN_CHALLENGE_MINUTES,
  policyRequiresTwoFactor,
  reserveLoginAttempt,
  type ThrottlePolicy,
} from '#app/utils/db.server';
import { readCookie, secureCookies, startSession } from '#app/utils/session.server';
import type { Executor } from '#db/queries/audit';
import type { SessionRestriction, UserRole } from '#db/schema';
import { matchTotp } from './totp.server';

export const CHALLENGE_COOKIE = 'wb_login_challenge';

/** Five wrong codes lock the second step for 15 minutes: a million codes cannot be walked through. */
const SECOND_FACTOR_POLICY: ThrottlePolicy = {
  maxFailures: Number(process.env.LOGIN_MAX_CODE_FAILURES ?? 5),
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

function challengeCookie(value: string, maxAgeSeconds: number): string {
  const attributes = [`${CHALLENGE_COOKIE}=${value}`, 'Path=/login', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secureCookies()) attributes.push('Secure');
  return attributes.join('; ');
}

/** What a new session of this account must do first, if anything. */
export async function restrictionFor(db: Executor, user: { id: string; role: UserRole }): Promise<SessionRestriction | null> {
  const [security, policy] = await Promise.all([getAccountSecurity(db, user.id), getTwoFactorPolicy(db)]);
  if (security.mustChangePassword) return 'change-password';
  if (!security.totpEnabledAt && policyRequiresTwoFactor(policy, user.role)) return 'enrol-two-factor';
  return null;
}

/** The response to a right password: the second step, or a (possibly restricted) session. */
export async function afterPasswordAccepted(request: Request, userId: string, clientIp: string, redirectTo: string): Promise<Response> {
  const db = getDb();
  if (await getTotpSecret(db, userId)) {
    const token = await createLoginChallenge(db, userId, redirectTo);
    return redirect('/login/verify', { headers: { 'Set-Cookie': challengeCookie(token, LOGIN_CHALLENGE_MINUTES * 60) } });
  }
  const user = await getUserById(db, userId);
  const cookie = await startSession(request, userId, clientIp, user ? await restrictionFor(db, user) : null);
  return redirect(redirectTo, { headers: { 'Set-Cookie': cookie } });
}

export type SecondFactorOutcome = { ok: true; response: Response } | { ok: false; message: string; expired?: boolean };

export async function pendingChallenge(request: Request) {
  const token = readCookie(request, CHALLENGE_COOKIE);
  return token ? getLoginChallenge(getDb(), token) : null;
}

const SIGN_IN_EXPIRED = 'This sign-in has expired. Sign in again with your email and password.';
const WRONG_CODE = 'That code is not correct. Codes change every 30 seconds and each works once.';

type CodeCheck = { ok: true } | { ok: false; message: string };

/**
 * The one check of a code from the person's authenticator (or, where `recovery` allows, one of their recovery codes):
 * the attempt is counted before the code is looked at, a time step is accepted once, and a right code clears the count.
 */
async function checkTotpCode(user: { id: string; email: string }, code: string, recovery: boolean): Promise<CodeCheck> {
  const db = getDb();
  const key = `second-factor:${user.id}`;
  const now = new Date();
  const reservation = await reserveLoginAttempt(db, key, SECOND_FACTOR_POLICY, now);
  if (!reservation.allowed) {
    const minutes = Math.ceil(reservation.retryAfterMs / 60_000);
    return { ok: false, message: `Too many wrong codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset your second factor.` };
  }
  const typed = code.trim();
  let accepted = false;
  if (/^\d{3}\s?\d{3}$/.test(typed)) {
    const secret = await getTotpSecret(db, user.id);
    const step = secret ? matchTotp(secret, typed, now) : null;
    accepted = step !== null && (await acceptTotpStep(db, user.id, step));
  } else if (recovery) {
    accepted = await db.transaction().execute((trx) => consumeRecoveryCode(trx, user.id, user.email, typed));
  }
  if (!accepted) return { ok: false, message: WRONG_CODE };
  await clearLoginFailures(db, key);
  return { ok: true };
}

/** Checks the code typed at the second step: a TOTP code (six digits) or one of the account's recovery codes. */
export async function verifySecondFactor(request: Request, code: string, clientIp: string): Promise<SecondFactorOutcome> {
  const db = getDb();
  const challenge = await pendingChallenge(request);
  if (!challenge) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const user = await getUserById(db, challenge.userId);
  if (!user || user.disabled || !(await getTotpSecret(db, challenge.userId))) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const check = await checkTotpCode(user, code, true);
  if (!check.ok) return check;
  // Two right codes sent at once: only one of them ends the challenge and gets a session.
  if (!(await endLoginChallenge(db, challenge.id))) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const headers = new Headers();
  headers.append('Set-Cookie', await startSession(request, user.id, clientIp, await restrictionFor(db, user)));
  headers.append('Set-Cookie', challengeCookie('', 0));
  return { ok: true, response: redirect(challenge.redirectTo, { headers }) };
}

/**
 * A fresh code from the signed-in person's authenticator, asked before changing the second factor itself (turning it
 * off, new recovery codes): a session left open is not enough. Throttled and single-use like the sign-in step; a
 * recovery code does not count here.
 */
export function checkCurrentCode(user: { id: string; email: string }, code: string): Promise<CodeCheck> {
  return checkTotpCode(user, code, false);
}
