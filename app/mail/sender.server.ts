/**
 * The sender loop: every few seconds it takes the due mails of the outbox by lease (db/queries/mail-outbox.ts) and
 * delivers them over SMTP with nodemailer. Safe with several app processes (a row is held by one lease at a time) and
 * across restarts (a killed process's lease runs out and another attempt is made). A failed attempt is retried with a
 * doubling delay; a permanent refusal (5xx) or the last attempt marks the mail failed. Every attempt is recorded.
 *
 * Delivery is at least once: a process killed after the SMTP server accepted a mail and before its row is marked sent
 * sends it again after the lease runs out. Every attempt carries the same Message-ID (`<mail id@domain>`), so a
 * receiving system can recognise the repeat.
 *
 * With no SMTP server configured the loop does not send: mails stay pending (admins see them on the Mail page) and, in
 * development, each new one is printed to the log once.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '#db/schema';
import { claimDueMail, listPendingMailSince, recordMailAttempt, type ClaimedMail } from '#db/queries/mail-outbox';
import { startPeriodic } from '#app/utils/periodic.server';
import { describeMailError, retryDelayMs, type MailSettings } from './settings.server';

export interface MailSender {
  /** Runs one pass now (tests, and after a change that enqueued mail in this process). */
  runOnce(): Promise<number>;
  /** Stops taking new mail and waits for the pass in progress. */
  stop(): Promise<void>;
}

export interface MailSenderOptions {
  db: Kysely<Database>;
  settings: MailSettings;
  log?: (line: string) => void;
  /** Print pending mail when there is no SMTP server (development). */
  printWithoutSmtp?: boolean;
  /** A transport to use instead of one made from the settings (tests). */
  transport?: Transporter;
}


export function createTransport(settings: MailSettings): Transporter | null {
  const url = settings.smtpUrl;
  if (!url) return null;
  // Every wait on the server is shorter than the lease, so a slow server cannot make a mail outlive its lease (after
  // which another process would send it too). STARTTLS is used when the server offers it; smtps: is TLS from the start.
  const wait = Math.max(1_000, Math.min(30_000, Math.floor(settings.leaseMs / 4)));
  const secure = url.protocol === 'smtps:';
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: wait,
    greetingTimeout: wait,
    socketTimeout: wait,
  });
}

function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function startMailSender(options: MailSenderOptions): MailSender {
  const { db, settings } = options;
  const log = options.log ?? ((line) => console.log(line));
  const worker = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const transport = options.transport ?? createTransport(settings);
  const startedAt = new Date().toISOString();
  const printed = new Set<string>();
  let running = true;

  async function deliver(mail: ClaimedMail, via: Transporter): Promise<void> {
    const started = new Date();
    const messageId = `<${mail.id}@${settings.messageIdDomain}>`;
    try {
      const info = (await via.sendMail({ from: settings.from, to: mail.toAddress, subject: mail.subject, text: mail.text, html: mail.html, messageId })) as { response?: string };
      await recordMailAttempt(db, { mailId: mail.id, worker, attempt: mail.attempt, startedAt: started, outcome: { kind: 'sent', messageId, response: describeMailError(info.response ?? 'accepted') } });
    } catch (error) {
      const detail = describeMailError(error);
      const last = mail.attempt >= settings.maxAttempts || permanent(error);
      await recordMailAttempt(db, {
        mailId: mail.id,
        worker,
        attempt: mail.attempt,
        startedAt: started,
        outcome: last ? { kind: 'failed', error: detail } : { kind: 'retry', error: detail, nextAttemptAt: new Date(Date.now() + retryDelayMs(settings, mail.attempt)) },
      });
      log(`Mail ${mail.id} to ${mail.toAddress}: attempt ${mail.attempt} ${last ? 'failed for good' : 'failed, will retry'}: ${detail}`);
    }
  }

  async function printPending(): Promise<number> {
    const fresh = (await listPendingMailSince(db, startedAt)).filter((m) => !printed.has(m.id));
    for (const m of fresh) {
      printed.add(m.id);
      log(`Mail (not sent: no SMTP_URL) to ${m.to}\nSubject: ${m.subject}\n\n${m.text}`);
    }
    return fresh.length;
  }

  async function pass(): Promise<number> {
    if (!transport) return options.printWithoutSmtp ? printPending() : 0;
    let sent = 0;
    // One mail at a time, each leased just before it is sent: a batch leased together could see its last mails'
    // leases run out while the first were still being sent, and another process send them as well.
    while (running) {
      const [mail] = await claimDueMail(db, worker, { now: new Date(), leaseMs: settings.leaseMs, limit: 1 });
      if (!mail) break;
      await deliver(mail, transport);
      sent += 1;
    }
    return sent;
  }

  const job = startPeriodic(
    () =>
      pass().catch((error: unknown) => {
        log(`The mail sender could not read the outbox: ${describeMailError(error)}`);
        return 0;
      }),
    { intervalMs: settings.pollMs },
  );
  return {
    runOnce: job.runOnce,
    async stop() {
      running = false;
      await job.stop();
      transport?.close();
    },
  };
}
