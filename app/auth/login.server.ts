/**
 * Checking a sign-in attempt: throttling per IP and per account (stored in the database so every app
 * process shares it), and one message for every failure so the form does not reveal which emails exist.
 */
import {
  clearLoginFailures,
  decoyPasswordHash,
  getDb,
  getUserByEmail,
  lockRemainingMs,
  normaliseEmail,
  recordLoginFailure,
  type ThrottlePolicy,
  verifyPassword,
} from '#app/utils/db.server';

export const FAILED_LOGIN_MESSAGE = 'The email or password is not correct.';

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

export async function checkLogin(emailInput: string, password: string, clientIp: string): Promise<LoginOutcome> {
  const db = getDb();
  const email = normaliseEmail(emailInput);
  const accountKey = `account:${email}`;
  const ipKey = `ip:${clientIp}`;
  const now = new Date();
  const lockedFor = Math.max(await lockRemainingMs(db, accountKey, now), await lockRemainingMs(db, ipKey, now));
  if (lockedFor > 0) {
    const minutes = Math.ceil(lockedFor / 60_000);
    return {
      ok: false,
      message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset your password.`,
    };
  }
  const user = await getUserByEmail(db, email);
  // Always verify against a real hash so an unknown email takes as long as a wrong password.
  const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
  if (!user || !passwordMatches || user.disabled) {
    await recordLoginFailure(db, accountKey, ACCOUNT_POLICY, now);
    await recordLoginFailure(db, ipKey, IP_POLICY, now);
    return { ok: false, message: FAILED_LOGIN_MESSAGE };
  }
  await clearLoginFailures(db, accountKey);
  return { ok: true, userId: user.id };
}
