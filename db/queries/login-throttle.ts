import type { Executor } from './audit';

/**
 * Failed sign-ins counted per key (`ip:…`, `account:…`) in the database, so several app processes share
 * one count. After `maxFailures` within `windowMs` the key is locked for `lockMs`.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Milliseconds until the key may try again, or 0 when it is not locked. */
export async function lockRemainingMs(db: Executor, key: string, now: Date): Promise<number> {
  const row = await db.selectFrom('login_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  if (!row?.locked_until) return 0;
  return Math.max(0, new Date(row.locked_until).getTime() - now.getTime());
}

export async function recordLoginFailure(db: Executor, key: string, policy: ThrottlePolicy, now: Date): Promise<void> {
  const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  const windowExpired = !row || now.getTime() - new Date(row.window_started_at).getTime() > policy.windowMs;
  const failures = windowExpired ? 1 : row.failures + 1;
  const windowStart = windowExpired ? now.toISOString() : row.window_started_at;
  const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs).toISOString() : null;
  // When a lock is set, the next window starts fresh after it ends.
  const values = {
    key,
    failures: lockedUntil ? 0 : failures,
    window_started_at: lockedUntil ? lockedUntil : windowStart,
    locked_until: lockedUntil,
  };
  await db
    .insertInto('login_throttle')
    .values(values)
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function clearLoginFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
