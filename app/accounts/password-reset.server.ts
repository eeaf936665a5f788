/**
 * "Forgot your password?": the one path that mails a reset link. The answer to the person asking is always the same,
 * whether the address has an account or not, so the form reveals no account; behind it, a link is mailed only to an
 * enabled account that signs in with a password, and asking is throttled per address and per client.
 */
import type { Kysely } from 'kysely';
import { localPasswordAllowed } from '#app/auth/oidc-settings.server';
import { passwordResetMail } from '#app/mail/account-mails';
import { reserveLoginAttempt, type ThrottlePolicy } from '#db/queries/login-throttle';
import { enqueueMail } from '#db/queries/mail-outbox';
import { createPasswordReset, passwordResetMailKey, RESET_LINK_PATH } from '#db/queries/password-resets';
import { getUserByEmail, normaliseEmail } from '#db/queries/users';
import type { Database } from '#db/schema';

/** Three links an hour for one address: enough for a lost mail, too few to flood someone's mailbox. */
const PER_ADDRESS: ThrottlePolicy = { maxFailures: 3, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };
/** Twenty requests an hour from one client address, whatever addresses they name. */
const PER_CLIENT: ThrottlePolicy = { maxFailures: 20, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };

/** Whether the account is one a reset link may be sent to: a local password account (not single sign-on only), enabled. */
function resettable(user: { password_hash: string; disabled: number; email: string } | undefined): boolean {
  return Boolean(user && !user.disabled && user.password_hash.startsWith('$argon2') && localPasswordAllowed(user.email));
}

/**
 * Mails a reset link to `emailInput` when it belongs to a resettable account and the throttles allow. Returns nothing
 * the caller could show: the page says the same sentence every time.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  input: { email: string; clientIp: string; origin: string; validMinutes: number },
  now = new Date(),
): Promise<void> {
  const email = normaliseEmail(input.email);
  // Counted before anything is looked up, like a sign-in: a burst of requests gets no more mails than the limit.
  const client = await reserveLoginAttempt(db, `reset-ip:${input.clientIp}`, PER_CLIENT, now);
  if (!client.allowed) return;
  const address = await reserveLoginAttempt(db, `reset-mail:${email}`, PER_ADDRESS, now);
  if (!address.allowed) return;
  const user = await getUserByEmail(db, email);
  if (!resettable(user)) return;
  await db.transaction().execute(async (trx) => {
    // The link and its mail are one transaction: a link exists exactly when its mail is in the outbox.
    const reset = await createPasswordReset(trx, { id: user!.id, email: user!.email }, input.validMinutes, now);
    const mail = passwordResetMail({ url: `${input.origin}${RESET_LINK_PATH}${reset.token}`, name: user!.name, expiresAt: reset.expiresAt });
    await enqueueMail(trx, { kind: 'account.password_reset', to: { address: user!.email, userId: user!.id }, ...mail, dedupeKey: passwordResetMailKey(reset.id) });
  });
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin a reset link may start with. A reset is asked for by someone not signed in, so the request's Host header
 * is the asker's to choose: trusting it would let an attacker have the victim's link point at the attacker's server
 * ("reset poisoning"). So only the configured public origin (APP_ORIGIN) is used, or the request's own origin when it
 * is a loopback address (a demo on this machine); otherwise no link can be mailed.
 */
export function resetLinkOrigin(request: Request, env: Record<string, string | undefined> = process.env): string | null {
  const configured = env.APP_ORIGIN?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  const url = new URL(request.url);
  return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.') ? url.origin : null;
}
