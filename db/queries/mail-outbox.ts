/**
 * The mail outbox's data functions. A mail is enqueued in the caller's transaction, so it exists exactly when the change
 * that causes it is committed; the sender (app/mail/sender.server.ts) takes rows by lease, one compare-and-set update
 * each, so two processes never hold one row at the same time, and a lease left by a killed process runs out.
 */
import type { Kysely } from 'kysely';
import { newId, nowIso } from '../ids';
import type { Database, MailStatus } from '../schema';
import type { Executor } from './audit';
import { holdsSignInCode, SIGN_IN_CODE_MAIL_KIND } from './sign-in-codes';

export interface MailToEnqueue {
  kind: string;
  to: { address: string; userId?: string | null };
  rfpId?: string | null;
  subject: string;
  text: string;
  html: string;
  /** At most one mail per key, ever (e.g. `reminder:<rfp>:<user>:<day>`): a second enqueue does nothing. */
  dedupeKey?: string | null;
}

/** Adds a mail to the outbox in the caller's transaction. Returns its id, or null when its dedupe key was taken. */
export async function enqueueMail(db: Executor, mail: MailToEnqueue): Promise<string | null> {
  const id = newId();
  const now = nowIso();
  const result = await db
    .insertInto('mail_outbox')
    .values({
      id,
      kind: mail.kind,
      to_address: mail.to.address,
      to_user_id: mail.to.userId ?? null,
      rfp_id: mail.rfpId ?? null,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      dedupe_key: mail.dedupeKey ?? null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1 ? id : null;
}

/**
 * A link whose token appears in plain text only in its mail (an invitation, a password reset): once the link cannot be
 * used any more, the mail — kept in the outbox, shown to admins — loses the token too. `pathPrefix` is the link's
 * path up to the token, e.g. `/invitation/`.
 */
export async function strikeLinkFromMail(db: Executor, dedupeKey: string, pathPrefix: string): Promise<void> {
  const mail = await db.selectFrom('mail_outbox').select(['id', 'text_body', 'html_body']).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  if (!mail) return;
  const escaped = pathPrefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const token = new RegExp(`${escaped}[A-Za-z0-9_-]{20,200}`, 'g');
  const spent = `${pathPrefix}(used)`;
  await db
    .updateTable('mail_outbox')
    .set({ text_body: mail.text_body.replace(token, spent), html_body: mail.html_body.replace(token, spent) })
    .where('id', '=', mail.id)
    .execute();
}

export interface ClaimedMail {
  id: string;
  toAddress: string;
  subject: string;
  text: string;
  html: string;
  /** This attempt's number, from 1. */
  attempt: number;
}

/**
 * Takes up to `limit` due mails for `worker` until `now + leaseMs`. Each row is taken by its own conditional update
 * (pending, due, and not leased or its lease run out), so when two processes race for a row exactly one update
 * matches; the loser skips it.
 */
export async function claimDueMail(
  db: Kysely<Database>,
  worker: string,
  options: { now: Date; leaseMs: number; limit: number },
): Promise<ClaimedMail[]> {
  const now = options.now.toISOString();
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const candidates = await db
    .selectFrom('mail_outbox')
    .select(['id'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(options.limit)
    .execute();
  const claimed: ClaimedMail[] = [];
  for (const { id } of candidates) {
    const taken = await db
      .updateTable('mail_outbox')
      .set((eb) => ({ lease_owner: worker, lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returning(['id', 'to_address', 'subject', 'text_body', 'html_body', 'attempts'])
      .executeTakeFirst();
    if (!taken) continue;
    claimed.push({
      id: taken.id,
      toAddress: taken.to_address,
      subject: taken.subject,
      text: taken.text_body,
      html: taken.html_body,
      attempt: taken.attempts,
    });
  }
  return claimed;
}

export interface AttemptOutcome {
  mailId: string;
  worker: string;
  attempt: number;
  startedAt: Date;
  /** `retry` with the time of the next attempt, `failed` for good, or `sent`. */
  outcome: { kind: 'sent'; messageId: string; response: string } | { kind: 'retry'; error: string; nextAttemptAt: Date } | { kind: 'failed'; error: string };
}

/**
 * Records an attempt's outcome and releases the lease, only while `worker` still holds it: a process whose lease ran
 * out (it was too slow, another took the row) records its attempt but does not overwrite the row's state.
 */
export async function recordMailAttempt(db: Kysely<Database>, input: AttemptOutcome): Promise<void> {
  const finished = nowIso();
  const o = input.outcome;
  await db.transaction().execute(async (trx) => {
    const update =
      o.kind === 'sent'
        ? { status: 'sent' as MailStatus, sent_at: finished, message_id: o.messageId, last_error: null }
        : o.kind === 'retry'
          ? { next_attempt_at: o.nextAttemptAt.toISOString(), last_error: o.error }
          : { status: 'failed' as MailStatus, last_error: o.error };
    await trx
      .updateTable('mail_outbox')
      .set({ ...update, lease_owner: null, lease_until: null })
      .where('id', '=', input.mailId)
      .where('lease_owner', '=', input.worker)
      .execute();
    await trx
      .insertInto('mail_attempt')
      .values({
        mail_id: input.mailId,
        attempt: input.attempt,
        worker: input.worker,
        started_at: input.startedAt.toISOString(),
        finished_at: finished,
        outcome: o.kind,
        detail: (o.kind === 'sent' ? o.response : o.error).slice(0, 500),
      })
      .execute();
  });
}

export interface OutboxEntry {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  /** The text was withheld (a sign-in code that may still work): `text` says so instead. */
  textWithheld: boolean;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
}

export const WITHHELD_CODE_TEXT =
  'The text of this mail is withheld: it holds a one-time sign-in code that may still work. The code is removed from the mail once it is used, replaced or expired, and the text is shown then.';

/**
 * The outbox, newest first, optionally one status, one page at a time. A sign-in code mail that still holds its code
 * is listed without its text, whatever its status: a sent code works for minutes after it was sent, and whoever reads
 * this list (the Mail page, `workbench mail list`) is not the person the code is for (db/queries/sign-in-codes.ts).
 */
export async function listOutbox(
  db: Executor,
  options: { status?: MailStatus; limit: number; offset?: number },
): Promise<{ entries: OutboxEntry[]; total: number }> {
  let base = db.selectFrom('mail_outbox');
  if (options.status) base = base.where('status', '=', options.status);
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'kind', 'to_address', 'subject', 'text_body', 'status', 'attempts', 'last_error', 'created_at', 'sent_at', 'next_attempt_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset ?? 0)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    entries: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      to: r.to_address,
      subject: r.subject,
      ...(r.kind === SIGN_IN_CODE_MAIL_KIND && holdsSignInCode(r.text_body) ? { text: WITHHELD_CODE_TEXT, textWithheld: true } : { text: r.text_body, textWithheld: false }),
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      nextAttemptAt: r.next_attempt_at,
    })),
  };
}

/** How many mails are in each status (the admin page's summary and the metrics' gauge). */
export async function countOutboxByStatus(db: Executor): Promise<Record<MailStatus, number>> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<MailStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** The pending mails created after `since` (the development log prints each new one once). */
export async function listPendingMailSince(db: Executor, since: string): Promise<Array<{ id: string; to: string; subject: string; text: string; createdAt: string }>> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'created_at'])
    .where('status', '=', 'pending')
    .where('created_at', '>=', since)
    .orderBy('created_at')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, to: r.to_address, subject: r.subject, text: r.text_body, createdAt: r.created_at }));
}
