/**
 * Notifications, written in the transaction of the change that causes them: an in-app row for the person and, as the
 * person's preferences say (app/mail/notification-kinds.ts), a mail in the outbox (db/queries/mail-outbox.ts) now, a
 * place in the daily digest, or nothing more. Wording: app/mail/notifications.ts.
 */
import type { ComposedMail } from '#app/mail/compose';
import { mailModeFor, parseModes, type MailMode, type NotificationKind } from '#app/mail/notification-kinds';
import { assignmentMail, sheetReopenedMail, sheetSubmittedMail, statusMail } from '#app/mail/notifications';
import { STATUS_ORDER } from '#app/rfp/status';
import { formatDateTime } from '#app/utils/format';
import type { RfpStatus } from '../schema';
import { newId, nowIso } from '../ids';
import type { Actor, Executor } from './audit';
import { enqueueMail } from './mail-outbox';

export interface NotificationInput {
  userId: string;
  kind: NotificationKind;
  rfpId: string | null;
  mail: ComposedMail;
  /** A path on this site the notification leads to. */
  linkPath: string | null;
  /** At most one notification (and mail) per key, whichever process writes it. */
  dedupeKey?: string;
}

/** Writes the notification and, by the person's preference, its mail. Returns false when the dedupe key was taken. */
export async function notify(db: Executor, input: NotificationInput): Promise<boolean> {
  const person = await db
    .selectFrom('app_user')
    .leftJoin('notification_preference', 'notification_preference.user_id', 'app_user.id')
    .select(['app_user.email', 'app_user.disabled', 'notification_preference.modes_json'])
    .where('app_user.id', '=', input.userId)
    .executeTakeFirst();
  if (!person) return false;
  // A disabled account is not mailed; the notification is kept, in case the account is enabled again.
  const mode: MailMode = person.disabled ? 'off' : mailModeFor(input.kind, parseModes(person.modes_json));
  const id = newId();
  const inserted = await db
    .insertInto('notification')
    .values({
      id,
      user_id: input.userId,
      rfp_id: input.rfpId,
      kind: input.kind,
      subject: input.mail.subject,
      text_body: input.mail.text,
      link_path: input.linkPath,
      dedupe_key: input.dedupeKey ?? null,
      mail_state: mode === 'immediate' ? 'mailed' : mode === 'digest' ? 'digest' : 'in_app',
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
  if (mode === 'immediate') {
    await enqueueMail(db, { kind: input.kind, to: { address: person.email, userId: input.userId }, rfpId: input.rfpId, ...input.mail, dedupeKey: input.dedupeKey ? `notification:${input.dedupeKey}` : null });
  }
  return true;
}

/** Tells an evaluator they were assigned to an RFP. */
export async function enqueueAssignmentMail(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; sectionCount: number | null; mailOrigin: string },
): Promise<void> {
  const [rfp, evaluator, assigner] = await Promise.all([
    db.selectFrom('rfp').select(['id', 'reference', 'title', 'evaluation_due_at']).where('id', '=', input.rfpId).executeTakeFirstOrThrow(),
    db.selectFrom('app_user').select(['name']).where('id', '=', input.userId).executeTakeFirstOrThrow(),
    actor.id ? db.selectFrom('app_user').select(['name']).where('id', '=', actor.id).executeTakeFirst() : undefined,
  ]);
  const mail = assignmentMail({
    origin: input.mailOrigin,
    rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title, evaluationDueAt: rfp.evaluation_due_at },
    evaluator: { name: evaluator.name },
    assignedBy: { name: assigner?.name ?? 'The lead officer' },
    sectionCount: input.sectionCount,
  });
  await notify(db, { userId: input.userId, kind: 'assignment', rfpId: rfp.id, mail, linkPath: `/rfps/${rfp.id}/evaluate` });
}

export interface NotificationEntry {
  id: string;
  kind: string;
  subject: string;
  text: string;
  linkPath: string | null;
  createdAt: string;
  read: boolean;
}

export async function listNotifications(db: Executor, userId: string, options: { limit: number; offset: number }): Promise<{ entries: NotificationEntry[]; total: number; unread: number }> {
  const [rows, counts] = await Promise.all([
    db
      .selectFrom('notification')
      .select(['id', 'kind', 'subject', 'text_body', 'link_path', 'created_at', 'read_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    db
      .selectFrom('notification')
      .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('read_at').as('read')])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow(),
  ]);
  const total = Number(counts.total);
  return {
    total,
    unread: total - Number(counts.read),
    entries: rows.map((r) => ({ id: r.id, kind: r.kind, subject: r.subject, text: r.text_body, linkPath: r.link_path, createdAt: r.created_at, read: r.read_at !== null })),
  };
}

export async function countUnreadNotifications(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the person's own notifications read: the ids given, or all of them. Returns how many changed. */
export async function markNotificationsRead(db: Executor, userId: string, ids: readonly string[] | 'all'): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let q = db.updateTable('notification').set({ read_at: nowIso() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', [...ids]);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function getMailModes(db: Executor, userId: string): Promise<Partial<Record<NotificationKind, MailMode>>> {
  const row = await db.selectFrom('notification_preference').select('modes_json').where('user_id', '=', userId).executeTakeFirst();
  return parseModes(row?.modes_json);
}

export async function setMailModes(db: Executor, userId: string, modes: Partial<Record<NotificationKind, MailMode>>): Promise<void> {
  const json = JSON.stringify(parseModes(JSON.stringify(modes)));
  const now = nowIso();
  await db
    .insertInto('notification_preference')
    .values({ user_id: userId, modes_json: json, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ modes_json: json, updated_at: now }))
    .execute();
}

async function rfpRef(db: Executor, rfpId: string) {
  return db.selectFrom('rfp').select(['id', 'reference', 'title', 'status', 'evaluation_due_at']).where('id', '=', rfpId).executeTakeFirstOrThrow();
}

async function nameOf(db: Executor, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  return (await db.selectFrom('app_user').select('name').where('id', '=', userId).executeTakeFirst())?.name ?? null;
}

async function vendorNameOf(db: Executor, submissionId: string): Promise<string> {
  const row = await db.selectFrom('submission').innerJoin('vendor', 'vendor.id', 'submission.vendor_id').select('vendor.name').where('submission.id', '=', submissionId).executeTakeFirst();
  return row?.name ?? 'a vendor';
}

/** Tells the RFP's leads that an evaluator submitted a scoresheet, with how many are in. */
export async function notifySheetSubmitted(db: Executor, input: { rfpId: string; submissionId: string; evaluatorId: string; mailOrigin: string }): Promise<void> {
  const [rfp, evaluatorName, vendorName, leads, submitted, assigned, evaluated, recusals] = await Promise.all([
    rfpRef(db, input.rfpId),
    nameOf(db, input.evaluatorId),
    vendorNameOf(db, input.submissionId),
    db.selectFrom('rfp_member').select('user_id').where('rfp_id', '=', input.rfpId).where('role', '=', 'lead').execute(),
    db.selectFrom('scoresheet').select((eb) => eb.fn.countAll<number>().as('n')).where('rfp_id', '=', input.rfpId).where('status', '=', 'submitted').executeTakeFirstOrThrow(),
    db
      .selectFrom('assignment')
      .innerJoin('rfp_member', (j) => j.onRef('rfp_member.rfp_id', '=', 'assignment.rfp_id').onRef('rfp_member.user_id', '=', 'assignment.user_id'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assignment.rfp_id', '=', input.rfpId)
      .where('rfp_member.role', '=', 'evaluator')
      .executeTakeFirstOrThrow(),
    db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).where('rfp_id', '=', input.rfpId).where('status', 'in', ['received', 'responsive']).executeTakeFirstOrThrow(),
    db
      .selectFrom('recusal')
      .innerJoin('submission', (j) => j.onRef('submission.vendor_id', '=', 'recusal.vendor_id').onRef('submission.rfp_id', '=', 'recusal.rfp_id'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('recusal.rfp_id', '=', input.rfpId)
      .where('submission.status', 'in', ['received', 'responsive'])
      .executeTakeFirstOrThrow(),
  ]);
  const expected = Math.max(Number(submitted.n), Number(assigned.n) * Number(evaluated.n) - Number(recusals.n));
  const mail = sheetSubmittedMail({ origin: input.mailOrigin, rfp, evaluatorName: evaluatorName ?? 'An evaluator', vendorName, submitted: Number(submitted.n), expected });
  for (const lead of leads) {
    if (lead.user_id === input.evaluatorId) continue;
    await notify(db, { userId: lead.user_id, kind: 'sheet.submitted', rfpId: rfp.id, mail, linkPath: `/rfps/${rfp.id}/evaluation` });
  }
}

/** Tells the evaluator that the lead reopened their scoresheet, with the reason. */
export async function notifySheetReopened(db: Executor, actor: Actor, input: { rfpId: string; submissionId: string; evaluatorId: string; reason: string; mailOrigin: string }): Promise<void> {
  const [rfp, leadName, vendorName] = await Promise.all([rfpRef(db, input.rfpId), nameOf(db, actor.id), vendorNameOf(db, input.submissionId)]);
  const mail = sheetReopenedMail({ origin: input.mailOrigin, rfp, submissionId: input.submissionId, vendorName, leadName: leadName ?? 'The lead', reason: input.reason });
  await notify(db, { userId: input.evaluatorId, kind: 'sheet.reopened', rfpId: rfp.id, mail, linkPath: `/rfps/${rfp.id}/evaluate/${input.submissionId}` });
}

/**
 * Tells the members a status change concerns, except whoever made it: the other leads always; assigned evaluators when
 * scoring opens, closes, or goes back; observers when the results become provisional or final.
 */
export async function notifyStatusChange(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; from: RfpStatus; to: RfpStatus; reason: string | null; mailOrigin: string },
): Promise<void> {
  const [rfp, byName, members, assignments] = await Promise.all([
    rfpRef(db, input.rfpId),
    nameOf(db, actor.id),
    db.selectFrom('rfp_member').select(['user_id', 'role']).where('rfp_id', '=', input.rfpId).execute(),
    db.selectFrom('assignment').select('user_id').where('rfp_id', '=', input.rfpId).execute(),
  ]);
  const assigned = new Set(assignments.map((a) => a.user_id));
  const backwards = STATUS_ORDER.indexOf(input.to) < STATUS_ORDER.indexOf(input.from);
  for (const m of members) {
    if (m.user_id === actor.id) continue;
    // An evaluator member not assigned has nothing to score: scoring opening or closing does not concern them.
    if (m.role === 'evaluator' && !assigned.has(m.user_id)) continue;
    const meaning = statusMeaning(m.role, input.to, backwards, rfp.evaluation_due_at);
    if (!meaning) continue;
    const mail = statusMail({ origin: input.mailOrigin, rfp, from: input.from, to: input.to, byName: byName ?? 'The lead', reason: input.reason, whatItMeans: meaning });
    await notify(db, { userId: m.user_id, kind: 'rfp.status', rfpId: rfp.id, mail, linkPath: `/rfps/${rfp.id}` });
  }
}

/** What the move means for a member in this role, or null when it does not concern them. */
function statusMeaning(role: 'lead' | 'evaluator' | 'observer', to: RfpStatus, backwards: boolean, dueAt: string | null): string | null {
  if (role === 'lead') return 'You are a lead of this RFP.';
  if (role === 'evaluator') {
    if (backwards) return 'Your scoresheets stay as they are; the lead will say what happens next.';
    if (to === 'evaluation') return `Scoring is open: attest that you have no conflict of interest, then score each vendor${dueAt ? ` by ${formatDateTime(dueAt)}` : ''}.`;
    if (to === 'consensus') return 'Scoring is closed. The panel now agrees its consensus; you can see the results of the vendors you scored.';
    if (to === 'closed') return 'The evaluation is closed and its results are final.';
    return null;
  }
  if (to === 'consensus' && !backwards) return 'Provisional results are available; they are final when the RFP is closed.';
  if (to === 'closed' && !backwards) return 'The evaluation is closed and its results are final.';
  return null;
}
