/**
 * The outbox and its sender against a real SMTP server on loopback, on SQLite and PostgreSQL: a mail enqueued in a
 * transaction exists only if it commits; two senders racing never send one mail twice; failures are retried with
 * backoff and recorded, a permanent refusal fails at once; a lease left by a dead sender runs out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { claimDueMail, countOutboxByStatus, enqueueMail, listOutbox } from '#db/queries/mail-outbox';
import { startMailSender } from '#app/mail/sender.server';
import { mailSettingsFromEnv } from '#app/mail/settings.server';
import { createTestDatabase } from '#tests/support/db';
import { startSmtpSink, type SmtpSink } from '#tests/support/smtp-sink';

const parts = (n: number) => ({ kind: 'test', to: { address: `person${n}@city.example` }, subject: `Mail ${n}`, text: `Text ${n}`, html: `<p>Text ${n}</p>` });

describe('the mail outbox', () => {
  let handle: DatabaseHandle;
  let sink: SmtpSink;

  beforeEach(async () => {
    handle = await createTestDatabase();
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await sink.close();
    await handle.close();
  });

  const settings = (extra: Record<string, string> = {}) =>
    mailSettingsFromEnv({ SMTP_URL: sink.url, MAIL_FROM: 'Workbench <workbench@city.example>', MAIL_POLL_SECONDS: '3600', MAIL_RETRY_SECONDS: '0.05', ...extra });

  it('holds a mail only when the change that enqueued it commits', async () => {
    await handle.db.transaction().execute((trx) => enqueueMail(trx, parts(1)));
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, parts(2));
        throw new Error('the change was refused');
      }),
    ).rejects.toThrow('refused');
    const { entries } = await listOutbox(handle.db, { limit: 10 });
    expect(entries.map((e) => e.subject)).toEqual(['Mail 1']);
  });

  it('enqueues a mail with a dedupe key at most once', async () => {
    expect(await enqueueMail(handle.db, { ...parts(1), dedupeKey: 'reminder:r:u:2027-03-01' })).not.toBeNull();
    expect(await enqueueMail(handle.db, { ...parts(1), dedupeKey: 'reminder:r:u:2027-03-01' })).toBeNull();
    expect((await countOutboxByStatus(handle.db)).pending).toBe(1);
  });

  it('delivers every pending mail once, even with two senders racing for them', async () => {
    for (let n = 0; n < 30; n++) await enqueueMail(handle.db, parts(n));
    const a = startMailSender({ db: handle.db, settings: settings(), log: () => {} });
    const b = startMailSender({ db: handle.db, settings: settings(), log: () => {} });
    const [sentA, sentB] = await Promise.all([a.runOnce(), b.runOnce()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(sentA + sentB).toBe(30);
    expect(sink.received).toHaveLength(30);
    expect(new Set(sink.received.map((m) => m.subject)).size).toBe(30);
    const { entries } = await listOutbox(handle.db, { limit: 100 });
    expect(entries.every((e) => e.status === 'sent' && e.attempts === 1 && e.sentAt)).toBe(true);
    // The Message-ID names the outbox row, so a repeat after a crash can be recognised by the receiver.
    expect(sink.received[0]!.messageId).toMatch(/^<[0-9a-f-]{36}@city\.example>$/);
    const attempts = await handle.db.selectFrom('mail_attempt').selectAll().execute();
    expect(attempts).toHaveLength(30);
    expect(attempts.every((r) => r.outcome === 'sent')).toBe(true);
  });

  it('retries a temporary refusal with a growing delay, then delivers', async () => {
    await enqueueMail(handle.db, parts(1));
    const sender = startMailSender({ db: handle.db, settings: settings(), log: () => {} });
    sink.behaviour = 'temporary';
    await sender.runOnce();
    let [row] = (await listOutbox(handle.db, { limit: 1 })).entries;
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toMatch(/451|Try again/);
    // The next attempt waits the base delay (50 ms here) after the failed one.
    const [first] = await handle.db.selectFrom('mail_attempt').select(['finished_at']).execute();
    expect(Date.parse(row!.nextAttemptAt) - Date.parse(first!.finished_at)).toBeGreaterThanOrEqual(40);
    sink.behaviour = 'accept';
    await new Promise((r) => setTimeout(r, 80));
    await sender.runOnce();
    await sender.stop();
    [row] = (await listOutbox(handle.db, { limit: 1 })).entries;
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sink.received).toHaveLength(1);
    const outcomes = (await handle.db.selectFrom('mail_attempt').select(['attempt', 'outcome']).orderBy('attempt').execute()).map((r) => `${r.attempt}:${r.outcome}`);
    expect(outcomes).toEqual(['1:retry', '2:sent']);
  });

  it('fails a mail at once on a permanent refusal, and after the last attempt otherwise', async () => {
    await enqueueMail(handle.db, parts(1));
    await enqueueMail(handle.db, parts(2));
    const sender = startMailSender({ db: handle.db, settings: settings({ MAIL_MAX_ATTEMPTS: '1' }), log: () => {} });
    sink.behaviour = 'permanent';
    await sender.runOnce();
    await sender.stop();
    const { entries } = await listOutbox(handle.db, { limit: 10 });
    expect(entries.map((e) => e.status)).toEqual(['failed', 'failed']);
    expect(entries[0]!.lastError).toMatch(/550|No such mailbox/);
    expect(sink.received).toHaveLength(0);
  });

  it('lets another sender take a mail only after a dead sender’s lease runs out', async () => {
    await enqueueMail(handle.db, parts(1));
    const now = new Date();
    expect(await claimDueMail(handle.db, 'dead-process', { now, leaseMs: 60_000, limit: 10 })).toHaveLength(1);
    // The dead process holds the lease: nobody else may take the mail.
    expect(await claimDueMail(handle.db, 'live-process', { now: new Date(now.getTime() + 30_000), leaseMs: 60_000, limit: 10 })).toHaveLength(0);
    const taken = await claimDueMail(handle.db, 'live-process', { now: new Date(now.getTime() + 61_000), leaseMs: 60_000, limit: 10 });
    expect(taken).toHaveLength(1);
    expect(taken[0]!.attempt).toBe(2);
  });
});
