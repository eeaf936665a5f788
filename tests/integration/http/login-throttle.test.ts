/**
 * Sign-in throttling under concurrency: a burst of guesses sent at once, spread over two app processes that share one
 * database, may have at most the limit's worth of passwords checked. What a client sees tells the outcomes apart without
 * saying more than the form already says: a redirect (signed in), the one failure message (the password was checked
 * and is wrong, or the account does not exist), or the lock message (refused before any password was checked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '#tests/support/server';

const FAILED = 'The email or password is not correct.';
const LOCKED = /Too many failed sign-in attempts\. Try again in \d+ minutes?/;
const ACCOUNT_LIMIT = 5;
const IP_LIMIT = 20;

type Outcome = 'signed-in' | 'checked-wrong' | 'locked';

describe('sign-in throttling under a concurrent burst, across two app processes', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    // TRUST_PROXY lets each request say which client address it comes from, as a load balancer would.
    const env = { LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT), LOGIN_MAX_FAILURES_PER_IP: String(IP_LIMIT), TRUST_PROXY: 'loopback' };
    first = await startTestServer(env);
    second = await startTestServer(env, first.databaseUrl);
  }, 120_000);

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  async function attempt(index: number, email: string, password: string, clientIp: string): Promise<Outcome> {
    const server = index % 2 === 0 ? first : second;
    const response = await fetch(`${server.baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientIp },
      body: new URLSearchParams({ email, password }).toString(),
      redirect: 'manual',
    });
    const text = await response.text();
    if (response.status === 302) return 'signed-in';
    expect(response.status).toBe(400);
    if (LOCKED.test(text)) return 'locked';
    expect(text).toContain(FAILED);
    return 'checked-wrong';
  }

  function tally(outcomes: Outcome[]): Record<Outcome, number> {
    const counts: Record<Outcome, number> = { 'signed-in': 0, 'checked-wrong': 0, locked: 0 };
    for (const outcome of outcomes) counts[outcome] += 1;
    return counts;
  }

  it('checks at most the account limit of 150 guesses sent at once from 150 addresses, and refuses the right password sent late', async () => {
    const email = 'evaluator1@city.example';
    let sawLock!: () => void;
    const lockSeen = new Promise<void>((resolve) => (sawLock = resolve));
    const wrong = Array.from({ length: 149 }, (_, i) =>
      attempt(i, email, `wrong-guess-${i}`, `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}`).then((outcome) => {
        if (outcome === 'locked') sawLock();
        return outcome;
      }),
    );
    // The right password goes out while the burst is in flight, once the account is known to be over its limit
    // (or, where nothing ever locks, once the burst is done).
    await Promise.race([lockSeen, Promise.allSettled(wrong)]);
    const right = attempt(149, email, 'demo-password', '10.1.9.9');
    const outcomes = await Promise.all([...wrong, right]);

    const counts = tally(outcomes);
    expect(counts['signed-in'] + counts['checked-wrong']).toBe(ACCOUNT_LIMIT);
    expect(counts.locked).toBe(150 - ACCOUNT_LIMIT);
    expect(await right).toBe('locked');
    // Still locked afterwards, on either process.
    expect(await attempt(1, email, 'demo-password', '10.1.9.10')).toBe('locked');
  });

  it('checks at most the address limit of a burst from one address over many accounts; other addresses still sign in', async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(i, `nobody-${i}@city.example`, 'some-password', '10.2.0.1')));
    const counts = tally(outcomes);
    expect(counts['checked-wrong']).toBe(IP_LIMIT);
    expect(counts.locked).toBe(60 - IP_LIMIT);
    expect(await attempt(0, 'evaluator2@city.example', 'demo-password', '10.2.0.1')).toBe('locked');
    expect(await attempt(1, 'evaluator2@city.example', 'demo-password', '10.2.0.2')).toBe('signed-in');
  });

  it('does not count a correct sign-in against its address or account', async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < IP_LIMIT + 2; i += 1) outcomes.push(await attempt(i, 'leader@city.example', 'demo-password', '10.3.0.1'));
    expect(tally(outcomes)['signed-in']).toBe(IP_LIMIT + 2);
    // A few wrong guesses, then the right password: the account starts over after it.
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i += 1) expect(await attempt(i, 'officer@city.example', 'wrong-password', '10.3.0.2')).toBe('checked-wrong');
    expect(await attempt(0, 'officer@city.example', 'demo-password', '10.3.0.2')).toBe('signed-in');
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i += 1) expect(await attempt(i, 'officer@city.example', 'wrong-password', '10.3.0.2')).toBe('checked-wrong');
    expect(await attempt(0, 'officer@city.example', 'demo-password', '10.3.0.2')).toBe('signed-in');
  });
});
