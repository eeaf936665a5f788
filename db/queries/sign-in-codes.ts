/**
 * One-time sign-in codes sent by mail, the second step of a vendor contact without an authenticator (issue 15, item 1).
 * The challenge row (login_challenge) holds the SHA-256 of the code, never the code; the code itself is in plain text
 * only in its mail. Every mail of a challenge has the outbox key `sign-in-code:<challenge id>:<n>` (n from 1: the first
 * code, then each new one asked for), so the challenge's mails can be found, counted and struck.
 *
 * Why the code leaves the stored mail: the outbox is readable by administrators (the Mail page, `workbench mail
 * list`). A vendor's second factor is meant to be their mailbox; if an administrator could read a live code there, a
 * password learnt elsewhere would be enough to open the vendor's session — and with it the sealed response that nobody
 * in the city may see before the deadline. So the code is struck from the mail once it cannot be used any more (used,
 * replaced, or its sign-in expired or replaced), and the listing withholds the text of any such mail that still holds
 * one (listOutbox). The development log still prints the mail when it is enqueued: there is no one else to read it.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Executor } from './audit';

export const SIGN_IN_CODE_MAIL_KIND = 'account.sign_in_code';

/** The line of the mail that holds the code, up to the code: the strike replaces it with {@link STRUCK_CODE_LINE}. */
export const SIGN_IN_CODE_LINE = 'Your sign-in code: ';

/** What a struck mail says instead of its code line. It does not contain {@link SIGN_IN_CODE_LINE}, so a struck mail is not struck again. */
export const STRUCK_CODE_LINE = 'The sign-in code of this mail no longer works (it was used, replaced or expired) and was removed from this copy.';

const CODE_IN_MAIL = new RegExp(`${SIGN_IN_CODE_LINE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\d{6}`, 'g');

/** Whether a mail's body still holds a sign-in code (a mail of this kind that was not struck). */
export function holdsSignInCode(body: string): boolean {
  CODE_IN_MAIL.lastIndex = 0;
  return CODE_IN_MAIL.test(body);
}

export function signInCodeMailKey(challengeId: string, n: number): string {
  return `sign-in-code:${challengeId}:${n}`;
}

function keyPrefix(challengeId: string): string {
  // A challenge id is the hex SHA-256 of its token: no LIKE wildcard can be in it.
  return `sign-in-code:${challengeId}:%`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Six digits from the CSPRNG, leading zeros kept. */
export function newSignInCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A typed code against the stored hash, in constant time (both are SHA-256 digests, so of one length). */
export function signInCodeMatches(typed: string, storedHash: string): boolean {
  const typedHash = Buffer.from(sha256Hex(typed), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === typedHash.length && timingSafeEqual(typedHash, stored);
}

/** Strikes the code from every mail of the challenge (in the caller's transaction). */
export async function strikeSignInCodes(db: Executor, challengeId: string): Promise<void> {
  const mails = await db.selectFrom('mail_outbox').select(['id', 'text_body', 'html_body']).where('dedupe_key', 'like', keyPrefix(challengeId)).execute();
  for (const mail of mails) {
    if (!holdsSignInCode(mail.text_body) && !holdsSignInCode(mail.html_body)) continue;
    await db
      .updateTable('mail_outbox')
      .set({ text_body: mail.text_body.replace(CODE_IN_MAIL, STRUCK_CODE_LINE), html_body: mail.html_body.replace(CODE_IN_MAIL, STRUCK_CODE_LINE) })
      .where('id', '=', mail.id)
      .execute();
  }
}

/**
 * Strikes the codes of sign-ins that have expired or are gone (replaced by a newer sign-in, ended some other way):
 * nothing else happens when a code just runs out, so each new mailed sign-in sweeps the ones before it.
 */
export async function strikeExpiredSignInCodes(db: Executor, now = new Date()): Promise<void> {
  const mails = await db
    .selectFrom('mail_outbox')
    .select(['dedupe_key'])
    .where('kind', '=', SIGN_IN_CODE_MAIL_KIND)
    .where('text_body', 'like', `%${SIGN_IN_CODE_LINE}%`)
    .execute();
  const challengeIds = [...new Set(mails.map((m) => /^sign-in-code:([0-9a-f]{64}):\d+$/.exec(m.dedupe_key ?? '')?.[1]).filter((id): id is string => Boolean(id)))];
  if (challengeIds.length === 0) return;
  const live = await db.selectFrom('login_challenge').select('id').where('id', 'in', challengeIds).where('expires_at', '>', now.toISOString()).execute();
  const liveIds = new Set(live.map((c) => c.id));
  for (const id of challengeIds) if (!liveIds.has(id)) await strikeSignInCodes(db, id);
}

/** How many code mails the challenge has had, and when the latest was written (to throttle asking for new ones). */
export async function signInCodeMailsOf(db: Executor, challengeId: string): Promise<{ count: number; latestAt: string | null }> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('latest')])
    .where('dedupe_key', 'like', keyPrefix(challengeId))
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), latestAt: (row.latest as string | null) ?? null };
}

/**
 * Puts a new code in place of the challenge's current one, and gives the sign-in its full time again: one
 * compare-and-set on the old hash, so of two requests for a new code sent at once only one replaces it (false for the
 * other), and a code being checked against the old hash can no longer end the challenge.
 */
export async function replaceMailedCode(db: Executor, challengeId: string, oldHash: string, newHash: string, expiresAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('login_challenge')
    .set({ mailed_code_hash: newHash, expires_at: expiresAt.toISOString() })
    .where('id', '=', challengeId)
    .where('mailed_code_hash', '=', oldHash)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Ends a mailed-code challenge with the code that was checked: one conditional delete, so two right codes sent at once
 * end it once, and a code replaced meanwhile ends nothing.
 */
export async function endMailedCodeChallenge(db: Executor, challengeId: string, codeHash: string): Promise<boolean> {
  const result = await db.deleteFrom('login_challenge').where('id', '=', challengeId).where('mailed_code_hash', '=', codeHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** `vera@acme.example` → `v•••@acme.example`: enough for the person to recognise their address, not to learn it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
