/**
 * Notifications enqueued in the transaction of the change that causes them (the outbox, db/queries/mail-outbox.ts),
 * so a mail exists exactly when its change is committed. Wording: app/mail/notifications.ts.
 */
import { assignmentMail } from '#app/mail/notifications';
import type { Actor, Executor } from './audit';
import { enqueueMail } from './mail-outbox';

/** Tells an evaluator they were assigned to an RFP. */
export async function enqueueAssignmentMail(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; sectionCount: number | null; mailOrigin: string },
): Promise<void> {
  const [rfp, evaluator, assigner] = await Promise.all([
    db.selectFrom('rfp').select(['id', 'reference', 'title', 'evaluation_due_at']).where('id', '=', input.rfpId).executeTakeFirstOrThrow(),
    db.selectFrom('app_user').select(['name', 'email']).where('id', '=', input.userId).executeTakeFirstOrThrow(),
    actor.id ? db.selectFrom('app_user').select(['name']).where('id', '=', actor.id).executeTakeFirst() : undefined,
  ]);
  const mail = assignmentMail({
    origin: input.mailOrigin,
    rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title, evaluationDueAt: rfp.evaluation_due_at },
    evaluator: { name: evaluator.name },
    assignedBy: { name: assigner?.name ?? 'The lead officer' },
    sectionCount: input.sectionCount,
  });
  await enqueueMail(db, { kind: 'assignment.created', to: { address: evaluator.email, userId: input.userId }, rfpId: rfp.id, ...mail });
}
