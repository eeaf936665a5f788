/**
 * The sign-in attempt counter over time: the limit, the lock and its end, a quiet window starting over, and an attempt
 * given back. Times are passed in, so nothing here waits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { releaseLoginAttempt, reserveLoginAttempt, type ThrottlePolicy } from '#db/queries/login-throttle';
import { createTestDatabase } from '#tests/support/db';

const MINUTE = 60_000;
const policy: ThrottlePolicy = { maxFailures: 3, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
const start = new Date('2026-12-02T09:00:00.000Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

describe('sign-in attempt counter', () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    await handle.close();
  });

  const reserve = (minutes: number, key = 'account:a@city.example') => reserveLoginAttempt(handle.db, key, policy, at(minutes));

  it('allows the limit, then refuses until the lock set by the last allowed attempt ends', async () => {
    expect(await reserve(0)).toEqual({ allowed: true });
    expect(await reserve(1)).toEqual({ allowed: true });
    expect(await reserve(2)).toEqual({ allowed: true });
    expect(await reserve(3)).toEqual({ allowed: false, retryAfterMs: 14 * MINUTE });
    expect(await reserve(16)).toEqual({ allowed: false, retryAfterMs: 1 * MINUTE });
    // Another key is not affected.
    expect(await reserve(3, 'account:b@city.example')).toEqual({ allowed: true });
    // After the lock: a fresh count.
    expect(await reserve(17)).toEqual({ allowed: true });
    expect(await reserve(17)).toEqual({ allowed: true });
    expect(await reserve(17)).toEqual({ allowed: true });
    expect((await reserve(17)).allowed).toBe(false);
  });

  it('starts over after a window without reaching the limit', async () => {
    await reserve(0);
    await reserve(1);
    expect(await reserve(17)).toEqual({ allowed: true });
    expect(await reserve(18)).toEqual({ allowed: true });
    expect(await reserve(19)).toEqual({ allowed: true });
    expect((await reserve(19)).allowed).toBe(false);
  });

  it('gives back an attempt that was not a failure, and with it the lock it set', async () => {
    await reserve(0);
    await reserve(0);
    await reserve(0); // reaches the limit: locked
    await releaseLoginAttempt(handle.db, 'account:a@city.example', policy);
    expect(await reserve(1)).toEqual({ allowed: true });
    expect((await reserve(1)).allowed).toBe(false);
  });
});
