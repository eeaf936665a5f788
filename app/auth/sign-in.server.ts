/**
 * What happens once a password is right: an account with a second factor is asked for its code first (the password
 * alone starts no session); a vendor contact without an authenticator is mailed a one-time code for this sign-in
 * instead (issue 15, item 1); otherwise a session starts, restricted to choosing a new password when the one used was
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
import { signInCodeMail } from '#app/mail/account-mails';
import { readCookie, secureCookies, startSession } from '#app/utils/session.server';
import type { Executor } from '#db/queries/audit';
import { enqueueMail } from '#db/queries/mail-outbox';
import {
  endMailedCodeChallenge,
  maskEmail,
  newSignInCode,
  replaceMailedCode,
  sha256Hex,
  SIGN_IN_CODE_MAIL_KIND,
  signInCodeMailKey,
  signInCodeMailsOf,
  signInCodeMatches,
  strikeExpiredSignInCodes,
  strikeSignInCodes,
} from '#db/queries/sign-in-codes';
import type { SessionRestriction, UserRole } from '#db/schema';
import { matchTotp } from './totp.server';

export const CHALLENGE_COOKIE = 'wb_login_challenge';

/** Five wrong codes lock the second step for 15 minutes: a million codes cannot be walked through. */
const SECOND_FACTOR_POLICY: ThrottlePolicy = {
  maxFailures: Number(process.env.LOGIN_MAX_CODE_FAILURES ?? 5),
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

/**
 * Mailed codes per account, first codes and new ones alike: someone who has the password could otherwise sign in over
 * and over and fill the vendor's mailbox. Counted when a mail is about to be written, never given back.
 */
const CODE_MAIL_POLICY: ThrottlePolicy = { maxFailures: 10, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };
/** The least time between two codes of one sign-in, and how many new codes one sign-in may ask for. */
const NEW_CODE_INTERVAL_MS = Number(process.env.LOGIN_CODE_RESEND_SECONDS ?? 30) * 1000;
const MAX_NEW_CODES = 3;

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

/**
 * The response to a right password: the second step, or a (possibly restricted) session. `refused` when no code may be
 * mailed now (too many this hour): the sign-in page shows it.
 */
export async function afterPasswordAccepted(request: Request, userId: string, clientIp: string, redirectTo: string): Promise<Response | { refused: string }> {
  const db = getDb();
  // A vendor contact with an authenticator uses it, exactly as staff do.
  if (await getTotpSecret(db, userId)) {
    const { token } = await createLoginChallenge(db, userId, redirectTo);
    return redirect('/login/verify', { headers: { 'Set-Cookie': challengeCookie(token, LOGIN_CHALLENGE_MINUTES * 60) } });
  }
  const user = await getUserById(db, userId);
  if (user?.role === 'vendor') return mailSignInCode(user, redirectTo);
  const cookie = await startSession(request, userId, clientIp, user ? await restrictionFor(db, user) : null);
  return redirect(redirectTo, { headers: { 'Set-Cookie': cookie } });
}

function tooManyCodeMails(retryAfterMs: number): string {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return `Too many sign-in codes were mailed to this account in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** Writes the code's mail to the outbox, in the caller's transaction (the challenge's or the new code's). */
async function enqueueCodeMail(db: Executor, user: { id: string; email: string; name: string }, challengeId: string, n: number, code: string, expiresAt: string): Promise<void> {
  const mail = signInCodeMail({ name: user.name, code, expiresAt, minutes: LOGIN_CHALLENGE_MINUTES });
  await enqueueMail(db, { kind: SIGN_IN_CODE_MAIL_KIND, to: { address: user.email, userId: user.id }, ...mail, dedupeKey: signInCodeMailKey(challengeId, n) });
}

/**
 * A vendor contact's second step without an authenticator: a challenge holding the SHA-256 of a fresh code, and the
 * mail with the code, in one transaction, so a code exists exactly when its mail is in the outbox. Not audited, as
 * sign-ins with an authenticator code are not (the session itself is the record: last sign-in, the sessions list).
 */
async function mailSignInCode(user: { id: string; email: string; name: string }, redirectTo: string): Promise<Response | { refused: string }> {
  const db = getDb();
  const now = new Date();
  const allowed = await reserveLoginAttempt(db, `sign-in-code-mail:${user.id}`, CODE_MAIL_POLICY, now);
  if (!allowed.allowed) return { refused: tooManyCodeMails(allowed.retryAfterMs) };
  const code = newSignInCode();
  const challenge = await db.transaction().execute(async (trx) => {
    await strikeExpiredSignInCodes(trx, now);
    const created = await createLoginChallenge(trx, user.id, redirectTo, now, sha256Hex(code));
    await enqueueCodeMail(trx, user, created.id, 1, code, created.expiresAt);
    return created;
  });
  return redirect('/login/verify', { headers: { 'Set-Cookie': challengeCookie(challenge.token, LOGIN_CHALLENGE_MINUTES * 60) } });
}

export type SecondFactorOutcome = { ok: true; response: Response } | { ok: false; message: string; expired?: boolean };

export async function pendingChallenge(request: Request) {
  const token = readCookie(request, CHALLENGE_COOKIE);
  return token ? getLoginChallenge(getDb(), token) : null;
}

const SIGN_IN_EXPIRED = 'This sign-in has expired. Sign in again with your email and password.';
const WRONG_CODE = 'That code is not correct. Codes change every 30 seconds and each works once.';
const WRONG_MAILED_CODE = 'That code is not correct. Type the six digits from the latest sign-in mail: each code works once, and asking for a new code makes the earlier ones stop working.';

/** What the second-step page says about the pending sign-in: which kind of code it waits for, and where a mailed one went. */
export async function describeChallenge(request: Request): Promise<{ method: 'totp' } | { method: 'mail'; to: string; expiresAt: string; minutes: number } | null> {
  const challenge = await pendingChallenge(request);
  if (!challenge) return null;
  if (!challenge.mailedCodeHash) return { method: 'totp' };
  const user = await getUserById(getDb(), challenge.userId);
  if (!user) return null;
  return { method: 'mail', to: maskEmail(user.email), expiresAt: challenge.expiresAt, minutes: LOGIN_CHALLENGE_MINUTES };
}

function tooManyWrongCodes(retryAfterMs: number): string {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return `Too many wrong codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset your second factor.`;
}

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
  if (!reservation.allowed) return { ok: false, message: tooManyWrongCodes(reservation.retryAfterMs) };
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

/**
 * Checks the code typed at the second step: a TOTP code (six digits) or one of the account's recovery codes, or, for a
 * sign-in whose code was mailed, that code only.
 */
export async function verifySecondFactor(request: Request, code: string, clientIp: string): Promise<SecondFactorOutcome> {
  const db = getDb();
  const challenge = await pendingChallenge(request);
  if (!challenge) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const user = await getUserById(db, challenge.userId);
  if (!user || user.disabled) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  if (challenge.mailedCodeHash) return verifyMailedCode(request, challenge.id, user, code, clientIp);
  if (!(await getTotpSecret(db, challenge.userId))) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const check = await checkTotpCode(user, code, true);
  if (!check.ok) return check;
  // Two right codes sent at once: only one of them ends the challenge and gets a session.
  if (!(await endLoginChallenge(db, challenge.id))) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  return { ok: true, response: await signedIn(request, user, clientIp, challenge.redirectTo) };
}

async function signedIn(request: Request, user: { id: string; role: UserRole }, clientIp: string, redirectTo: string): Promise<Response> {
  const db = getDb();
  const headers = new Headers();
  headers.append('Set-Cookie', await startSession(request, user.id, clientIp, await restrictionFor(db, user)));
  headers.append('Set-Cookie', challengeCookie('', 0));
  return redirect(redirectTo, { headers });
}

/**
 * A mailed code: counted against the same per-account throttle as authenticator codes before it is looked at, compared
 * in constant time with the hash, and accepted by the one conditional delete that ends the challenge — so two right
 * codes sent at once give one session, and a code replaced meanwhile gives none. The mail loses its code in the same
 * transaction.
 */
async function verifyMailedCode(request: Request, challengeId: string, user: { id: string; role: UserRole }, code: string, clientIp: string): Promise<SecondFactorOutcome> {
  const db = getDb();
  const key = `second-factor:${user.id}`;
  const reservation = await reserveLoginAttempt(db, key, SECOND_FACTOR_POLICY, new Date());
  if (!reservation.allowed) return { ok: false, message: tooManyWrongCodes(reservation.retryAfterMs) };
  // Read again after counting: a new code may have been asked for since the request began.
  const current = await pendingChallenge(request);
  if (!current || current.id !== challengeId || !current.mailedCodeHash) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const typed = code.replace(/\s/g, '');
  // Recovery codes are for a lost authenticator; a mailed sign-in has none to lose, so nothing but the code counts.
  if (!/^\d{6}$/.test(typed) || !signInCodeMatches(typed, current.mailedCodeHash)) return { ok: false, message: WRONG_MAILED_CODE };
  const hash = current.mailedCodeHash;
  const ended = await db.transaction().execute(async (trx) => {
    if (!(await endMailedCodeChallenge(trx, challengeId, hash))) return false;
    await strikeSignInCodes(trx, challengeId);
    return true;
  });
  if (!ended) {
    // Another request ended the sign-in with this code first, or a new code replaced it a moment ago.
    const still = await pendingChallenge(request);
    return still ? { ok: false, message: WRONG_MAILED_CODE } : { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  }
  await clearLoginFailures(db, key);
  return { ok: true, response: await signedIn(request, user, clientIp, current.redirectTo) };
}

export type NewCodeOutcome = { ok: true; message: string; cookie: string } | { ok: false; message: string; expired?: boolean };

/**
 * "Send a new code": a fresh code replaces the sign-in's current one (which stops working, and leaves its mail), the
 * sign-in gets its full time again, and the new mail is written in the same transaction. At most one new code every
 * LOGIN_CODE_RESEND_SECONDS (30) and MAX_NEW_CODES per sign-in, and every mail counts toward the account's hourly cap.
 */
export async function sendNewSignInCode(request: Request): Promise<NewCodeOutcome> {
  const db = getDb();
  const token = readCookie(request, CHALLENGE_COOKIE);
  const challenge = token ? await getLoginChallenge(db, token) : null;
  if (!token || !challenge) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const oldHash = challenge.mailedCodeHash;
  if (!oldHash) return { ok: false, message: 'This sign-in uses your authenticator app: no code is sent by mail. Type the code the app shows.' };
  const user = await getUserById(db, challenge.userId);
  if (!user || user.disabled) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const now = new Date();
  const outcome = await db.transaction().execute(async (trx): Promise<{ ok: true } | { ok: false; message: string }> => {
    const mails = await signInCodeMailsOf(trx, challenge.id);
    if (mails.count > MAX_NEW_CODES) {
      return { ok: false, message: `${MAX_NEW_CODES} new codes were already sent for this sign-in. Sign in again with your email and password to get another.` };
    }
    const wait = mails.latestAt ? new Date(mails.latestAt).getTime() + NEW_CODE_INTERVAL_MS - now.getTime() : 0;
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return { ok: false, message: `A code was sent moments ago; mail can take a minute to arrive. You can ask for a new one in ${seconds} second${seconds === 1 ? '' : 's'}.` };
    }
    const cap = await reserveLoginAttempt(trx, `sign-in-code-mail:${user.id}`, CODE_MAIL_POLICY, now);
    if (!cap.allowed) return { ok: false, message: tooManyCodeMails(cap.retryAfterMs) };
    const code = newSignInCode();
    const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_MINUTES * 60_000);
    // Another request for a new code won the race: its code is the one in the latest mail.
    if (!(await replaceMailedCode(trx, challenge.id, oldHash, sha256Hex(code), expiresAt))) return { ok: false, message: 'A new code was just sent. Use the one in the latest mail.' };
    await strikeSignInCodes(trx, challenge.id);
    await enqueueCodeMail(trx, user, challenge.id, mails.count + 1, code, expiresAt.toISOString());
    return { ok: true };
  });
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    message: `A new code was sent to ${maskEmail(user.email)}. Codes in earlier mails no longer work.`,
    cookie: challengeCookie(token, LOGIN_CHALLENGE_MINUTES * 60),
  };
}

/**
 * A fresh code from the signed-in person's authenticator, asked before changing the second factor itself (turning it
 * off, new recovery codes): a session left open is not enough. Throttled and single-use like the sign-in step; a
 * recovery code does not count here.
 */
export function checkCurrentCode(user: { id: string; email: string }, code: string): Promise<CodeCheck> {
  return checkTotpCode(user, code, false);
}
