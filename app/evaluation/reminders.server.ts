/**
 * A reminder the lead sends from the progress grid to chosen evaluators with scoresheets still open. Written under
 * the RFP's lock (only while it is in evaluation), as a notification of each person, mailed at once.
 */
import type { Kysely } from 'kysely';
import { notify } from '#db/queries/notifications';
import type { Database, Rfp } from '#db/schema';
import { reminderMail } from '#app/mail/notifications';
import { withRfpLock } from '#app/rfp/locks.server';
import { loadProgress, pendingSheets } from './progress.server';

export async function sendLeadReminders(
  db: Kysely<Database>,
  actor: { id: string; email: string },
  input: { rfp: Pick<Rfp, 'id'>; evaluatorIds: string[]; note: string | null; mailOrigin: string },
): Promise<{ ok: true; names: string[] } | { ok: false; problem: string }> {
  return withRfpLock(
    db,
    input.rfp.id,
    (rfp) => (rfp.status === 'evaluation' ? null : 'Reminders go out while the RFP is in evaluation.'),
    async (trx, rfp) => {
      const progress = await loadProgress(trx, rfp.id);
      const open = new Map<string, number>();
      for (const sheet of pendingSheets(progress)) open.set(sheet.evaluatorId, (open.get(sheet.evaluatorId) ?? 0) + 1);
      const names = new Map(progress.assignments.map((a) => [a.user_id, a.name]));
      const unknown = input.evaluatorIds.filter((id) => !open.has(id));
      if (unknown.length > 0) {
        const who = unknown.map((id) => names.get(id)).filter(Boolean);
        return { ok: false as const, problem: who.length > 0 ? `${who.join(', ')} has no scoresheet left to submit.` : 'Choose evaluators assigned to this RFP with scoresheets left to submit.' };
      }
      const lead = await trx.selectFrom('app_user').select('name').where('id', '=', actor.id).executeTakeFirst();
      // One per person and minute: a double press sends one reminder, a deliberate second one later sends another.
      const minute = new Date().toISOString().slice(0, 16);
      for (const userId of input.evaluatorIds) {
        const mail = reminderMail({ origin: input.mailOrigin, rfp, kind: 'lead', dueAt: rfp.evaluation_due_at, openSheets: open.get(userId)!, leadName: lead?.name, note: input.note ?? undefined });
        await notify(trx, { userId, kind: 'reminder.lead', rfpId: rfp.id, mail, linkPath: `/rfps/${rfp.id}/evaluate`, dedupeKey: `reminder.lead:${rfp.id}:${userId}:${minute}` });
      }
      return { ok: true as const, names: input.evaluatorIds.map((id) => names.get(id) ?? 'an evaluator') };
    },
  );
}
