/**
 * Checking a sign-in attempt: throttling per IP and per account (stored in the database so every app
 * process shares it), and one message for every failure so the form does not reveal which emails exist (a
 * disabled account is told so only once its password is right).
 */
import {
  clearLoginFailures,
  decoyPasswordHash,
  getDb,
  getUserByEmail,
  normaliseEmail,
  releaseLoginAttempt,
  reserveLoginAttempt,
  type ThrottlePolicy,
  verifyPassword,
} from '#app/utils/db.server';
import { localPasswordAllowed } from './oidc-settings.server';

export const FAILED_LOGIN_MESSAGE = 'The email or password is not correct.';

/**
 * Said only to someone who gave the right password for a disabled account: they know the account exists, and they
 * need to know why they cannot get in and who can let them. A wrong password or an unknown email gets the one
 * failure message above, so the form reveals neither which emails exist nor which accounts are disabled.
 */
export const DISABLED_ACCOUNT_MESSAGE = 'Your account is disabled. Contact an administrator of the workbench to have it enabled again.';

const ACCOUNT_POLICY: ThrottlePolicy = {
  maxFailures: Number(process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5),
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};
const IP_POLICY: ThrottlePolicy = {
  maxFailures: Number(process.env.LOGIN_MAX_FAILURES_PER_IP ?? 50),
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export type LoginOutcome = { ok: true; userId: string } | { ok: false; message: string };

function lockedOutcome(retryAfterMs: number): LoginOutcome {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return {
    ok: false,
    message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset your password.`,
  };
}

/**
 * Each attempt is counted for the account and the address before its password is checked (atomically, in the
 * database), so a burst of guesses sent at once gets no more checks than the limit allows.
 */
export async function checkLogin(emailInput: string, password: string, clientIp: string): Promise<LoginOutcome> {
  const db = getDb();
  const email = normaliseEmail(emailInput);
  const accountKey = `account:${email}`;
  const ipKey = `ip:${clientIp}`;
  const now = new Date();
  const account = await reserveLoginAttempt(db, accountKey, ACCOUNT_POLICY, now);
  if (!account.allowed) return lockedOutcome(account.retryAfterMs);
  const address = await reserveLoginAttempt(db, ipKey, IP_POLICY, now);
  if (!address.allowed) {
    // Refused for its address before any check: not a failure of this account.
    await releaseLoginAttempt(db, accountKey, ACCOUNT_POLICY);
    return lockedOutcome(address.retryAfterMs);
  }
  // With local passwords off (AUTH_LOCAL=false) every staff account but the break-glass admin is treated as unknown,
  // so the answer and its timing say nothing about which email is the break-glass one. Vendor contacts always sign in
  // with their password (and a mailed code): the city's identity provider is not theirs.
  const found = await getUserByEmail(db, email);
  const user = found && (found.role === 'vendor' || localPasswordAllowed(email)) ? found : undefined;
  // Always verify against a real hash so an unknown email takes as long as a wrong password.
  const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
  // A failure was counted when the attempt was reserved; a success clears the account and gives back the address's count.
  if (!user || !passwordMatches) return { ok: false, message: FAILED_LOGIN_MESSAGE };
  // Still counted as a failure (reserved above): a disabled account cannot be used to probe passwords without limit.
  if (user.disabled) return { ok: false, message: DISABLED_ACCOUNT_MESSAGE };
  await clearLoginFailures(db, accountKey);
  await releaseLoginAttempt(db, ipKey, IP_POLICY);
  return { ok: true, userId: user.id };
}
