import { sql } from 'kysely';
import type { Executor } from './audit';

/**
 * Sign-in attempts counted per key (`ip:…`, `account:…`) in the database, so several app processes share one count.
 *
 * An attempt is counted *before* its password is checked, by one atomic upsert that returns the new count: however many
 * guesses arrive at once, on however many processes, only the first `maxFailures` of a window get a count within the
 * limit and so a password check. Reaching the limit locks the key for `lockMs`; attempts while it is locked are refused
 * (and keep counting). A correct sign-in gives its count back (`releaseLoginAttempt`) or clears the key, so the column
 * `failures` holds the attempts that failed or are still being checked.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts one attempt for the key and says whether its password may be checked. */
export async function reserveLoginAttempt(db: Executor, key: string, policy: ThrottlePolicy, now: Date): Promise<AttemptReservation> {
  const nowIso = now.toISOString();
  const windowCutoff = new Date(now.getTime() - policy.windowMs).toISOString();
  const lockUntil = new Date(now.getTime() + policy.lockMs).toISOString();
  // ISO-8601 UTC strings of one format compare in time order, on both dialects.
  const startsOver = sql<boolean>`(login_throttle.locked_until is not null and login_throttle.locked_until <= ${nowIso})
    or (login_throttle.locked_until is null and login_throttle.window_started_at < ${windowCutoff})`;
  const lockOnFirst = policy.maxFailures <= 1 ? sql<string | null>`${lockUntil}` : sql<string | null>`null`;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_started_at: nowIso, locked_until: policy.maxFailures <= 1 ? lockUntil : null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${startsOver} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql<string>`case when ${startsOver} then ${nowIso} else login_throttle.window_started_at end`,
        locked_until: sql<string | null>`case
          when ${startsOver} then ${lockOnFirst}
          when login_throttle.locked_until is null and login_throttle.failures + 1 >= ${policy.maxFailures} then ${lockUntil}
          else login_throttle.locked_until end`,
      }),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirstOrThrow();
  if (Number(row.failures) <= policy.maxFailures) return { allowed: true };
  const retryAfterMs = row.locked_until ? new Date(row.locked_until).getTime() - now.getTime() : policy.lockMs;
  return { allowed: false, retryAfterMs: Math.max(1, retryAfterMs) };
}

/**
 * Gives back an attempt that turned out not to be a failure (a correct password, or one refused elsewhere before its
 * check). If that attempt was the one that reached the limit, the lock it set goes with it.
 */
export async function releaseLoginAttempt(db: Executor, key: string, policy: ThrottlePolicy): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({
      failures: sql<number>`failures - 1`,
      locked_until: sql<string | null>`case when failures - 1 < ${policy.maxFailures} then null else locked_until end`,
    })
    .where('key', '=', key)
    .where('failures', '>', 0)
    .execute();
}

export async function clearLoginFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** The emails whose sign-in is locked now (too many failed passwords), with when the lock ends: for the users page. */
export async function listLockedAccounts(db: Executor, now = new Date()): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until'])
    .where('key', 'like', 'account:%')
    .where('locked_until', '>', now.toISOString())
    .execute();
  return new Map(rows.map((r) => [r.key.slice('account:'.length), r.locked_until!]));
}
