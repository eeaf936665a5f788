/**
 * Reminders and digests driven by the clock, run inside every app process. Each tick works out what should have
 * been sent by now — a reminder some days before an evaluation's due date, an overdue notice after it, the daily
 * digest — and writes each with a dedupe key, so several processes, or a process catching up after downtime,
 * write each at most once. After downtime only the latest reminder that applies is sent (not every one missed).
 */
import type { Kysely } from 'kysely';
import type { Database } from '#db/schema';
import { enqueueMail } from '#db/queries/mail-outbox';
import { notify } from '#db/queries/notifications';
import { loadProgress, pendingSheets } from '#app/evaluation/progress.server';
import { startPeriodic } from '#app/utils/periodic.server';
import { installationTimeZone, instantOfWallTime, wallTimeAt } from '#app/utils/time-zone';
import { digestMail, reminderMail } from './notifications';

export interface SchedulerSettings {
  /** Days before the due date a reminder goes to evaluators with sheets still open, e.g. [3, 1]. */
  reminderDays: number[];
  /** The hour (0–23, in TIME_ZONE) the daily digest is written. */
  digestHour: number;
  intervalMs: number;
  origin: string;
}

const DAY_MS = 86_400_000;

/** REMINDER_DAYS ("3,1"), DIGEST_HOUR (8), SCHEDULER_SECONDS (60): read at start; a bad value stops the start. */
export function schedulerSettingsFromEnv(env: Record<string, string | undefined>, origin: string): SchedulerSettings {
  const days = (env.REMINDER_DAYS ?? '3,1')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (!days.every((d) => /^\d{1,2}$/.test(d) && Number(d) >= 1)) throw new Error(`REMINDER_DAYS must list whole days from 1, like "3,1" (got "${env.REMINDER_DAYS}").`);
  const hour = env.DIGEST_HOUR ?? '8';
  if (!/^\d{1,2}$/.test(hour) || Number(hour) > 23) throw new Error(`DIGEST_HOUR must be an hour from 0 to 23 (got "${hour}").`);
  const seconds = Number(env.SCHEDULER_SECONDS ?? 60);
  if (!(seconds > 0)) throw new Error(`SCHEDULER_SECONDS must be more than 0 (got "${env.SCHEDULER_SECONDS}").`);
  return { reminderDays: [...new Set(days.map(Number))].sort((a, b) => b - a), digestHour: Number(hour), intervalMs: seconds * 1000, origin };
}

/** Which reminder applies at `now` for a due date: overdue, the latest "N days before" passed, or none yet. */
export function reminderDue(dueAt: string, now: Date, reminderDays: readonly number[]): { kind: 'overdue' } | { kind: 'due'; days: number } | null {
  const due = Date.parse(dueAt);
  if (now.getTime() >= due) return { kind: 'overdue' };
  const passed = reminderDays.filter((d) => now.getTime() >= due - d * DAY_MS);
  return passed.length > 0 ? { kind: 'due', days: Math.min(...passed) } : null;
}

/** The latest digest time at or before `now`: today's DIGEST_HOUR in the zone, or yesterday's. */
export function digestCutoff(now: Date, hour: number, zone: string): Date {
  const wall = wallTimeAt(now.getTime(), zone);
  const today = instantOfWallTime({ ...wall, hour, minute: 0, second: 0, millisecond: 0 }, zone);
  if (today <= now.getTime()) return new Date(today);
  const yesterday = wallTimeAt(now.getTime() - DAY_MS, zone);
  return new Date(instantOfWallTime({ ...yesterday, hour, minute: 0, second: 0, millisecond: 0 }, zone));
}

/** Reminders for every RFP in evaluation with a due date, to each evaluator with a sheet still to submit. */
export async function writeDueReminders(db: Kysely<Database>, settings: SchedulerSettings, now: Date): Promise<number> {
  const rfps = await db.selectFrom('rfp').select(['id', 'reference', 'title', 'evaluation_due_at']).where('status', '=', 'evaluation').where('evaluation_due_at', 'is not', null).execute();
  let written = 0;
  for (const rfp of rfps) {
    const applies = reminderDue(rfp.evaluation_due_at!, now, settings.reminderDays);
    if (!applies) continue;
    const open = new Map<string, number>();
    for (const sheet of pendingSheets(await loadProgress(db, rfp.id))) open.set(sheet.evaluatorId, (open.get(sheet.evaluatorId) ?? 0) + 1);
    for (const [userId, openSheets] of open) {
      const key = applies.kind === 'overdue' ? `reminder.overdue:${rfp.id}:${userId}:${rfp.evaluation_due_at}` : `reminder.due:${rfp.id}:${userId}:${rfp.evaluation_due_at}:${applies.days}`;
      const mail = reminderMail({ origin: settings.origin, rfp, kind: applies.kind, dueAt: rfp.evaluation_due_at, openSheets });
      const done = await db.transaction().execute((trx) => notify(trx, { userId, kind: applies.kind === 'overdue' ? 'reminder.overdue' : 'reminder.due', rfpId: rfp.id, mail, linkPath: `/rfps/${rfp.id}/evaluate`, dedupeKey: key }));
      if (done) written += 1;
    }
  }
  return written;
}

/**
 * One digest mail per person with notifications waiting for it, covering those written before the latest digest
 * time. The set is fixed by that time, so two processes writing the same digest write the same one (the dedupe key
 * keeps one), and marking the notifications mailed is in the digest's own transaction.
 */
export async function writeDigests(db: Kysely<Database>, settings: SchedulerSettings, now: Date, zone = installationTimeZone()): Promise<number> {
  const cutoff = digestCutoff(now, settings.digestHour, zone).toISOString();
  const people = await db.selectFrom('notification').select('user_id').distinct().where('mail_state', '=', 'digest').where('created_at', '<', cutoff).execute();
  let written = 0;
  for (const { user_id: userId } of people) {
    const wrote = await db.transaction().execute(async (trx) => {
      const items = await trx
        .selectFrom('notification')
        .select(['id', 'subject', 'created_at'])
        .where('user_id', '=', userId)
        .where('mail_state', '=', 'digest')
        .where('created_at', '<', cutoff)
        .orderBy('created_at')
        .execute();
      const person = await trx.selectFrom('app_user').select(['name', 'email', 'disabled']).where('id', '=', userId).executeTakeFirst();
      if (items.length === 0 || !person) return false;
      const ids = items.map((i) => i.id);
      await trx.updateTable('notification').set({ mail_state: person.disabled ? 'in_app' : 'mailed' }).where('id', 'in', ids).execute();
      if (person.disabled) return false;
      const mail = digestMail({ origin: settings.origin, name: person.name, items: items.map((i) => ({ subject: i.subject, createdAt: i.created_at })) });
      return (await enqueueMail(trx, { kind: 'digest', to: { address: person.email, userId }, rfpId: null, ...mail, dedupeKey: `digest:${userId}:${cutoff}` })) !== null;
    });
    if (wrote) written += 1;
  }
  return written;
}

export interface Scheduler {
  runOnce(): Promise<{ reminders: number; digests: number }>;
  stop(): Promise<void>;
}

export function startScheduler(db: Kysely<Database>, settings: SchedulerSettings, log: (line: string) => void = (l) => console.log(l)): Scheduler {
  const pass = async () => {
    const now = new Date();
    try {
      return { reminders: await writeDueReminders(db, settings, now), digests: await writeDigests(db, settings, now) };
    } catch (error) {
      log(`The scheduler could not write reminders: ${error instanceof Error ? error.message : String(error)}`);
      return { reminders: 0, digests: 0 };
    }
  };
  // A first pass soon after start catches up on what was due while no process ran.
  return startPeriodic(pass, { intervalMs: settings.intervalMs, firstDelayMs: Math.min(settings.intervalMs, 2_000) });
}
