/**
 * Mail settings from the environment, checked once at start: a bad SMTP_URL or a missing MAIL_FROM stops the server
 * with a sentence saying what to set, instead of mails failing one by one later.
 */
import { z } from 'zod';

export class MailSettingError extends Error {}

export interface MailSettings {
  /** null: no SMTP server; mails wait in the outbox (visible to admins) and, in development, are printed to the log. */
  smtpUrl: URL | null;
  from: string;
  /** The domain of the Message-IDs (`<mail id@domain>`), taken from MAIL_FROM. */
  messageIdDomain: string;
  pollMs: number;
  leaseMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** The public origin links in mails start with (APP_ORIGIN); null when unset. */
  appOrigin: string | null;
  /** How long an invitation's link works (INVITATION_DAYS). */
  invitationDays: number;
  /** How long a password-reset link works (PASSWORD_RESET_MINUTES). */
  passwordResetMinutes: number;
}

const positive = (name: string, fallback: number) =>
  z.coerce.number({ error: `${name} must be a number` }).positive(`${name} must be more than 0`).default(fallback);

const envSchema = z.object({
  SMTP_URL: z.string().trim().optional(),
  MAIL_FROM: z.string().trim().optional(),
  MAIL_POLL_SECONDS: positive('MAIL_POLL_SECONDS', 5),
  MAIL_LEASE_SECONDS: positive('MAIL_LEASE_SECONDS', 120),
  MAIL_RETRY_SECONDS: positive('MAIL_RETRY_SECONDS', 30),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int('MAIL_MAX_ATTEMPTS must be a whole number').min(1, 'MAIL_MAX_ATTEMPTS must be at least 1').default(8),
  APP_ORIGIN: z.string().trim().optional(),
  PASSWORD_RESET_MINUTES: z.coerce
    .number({ error: 'PASSWORD_RESET_MINUTES must be a number' })
    .int('PASSWORD_RESET_MINUTES must be a whole number of minutes')
    .min(5, 'PASSWORD_RESET_MINUTES must be at least 5')
    .max(1440, 'PASSWORD_RESET_MINUTES must be at most 1440 (a day)')
    .default(60),
  INVITATION_DAYS: z.coerce.number({ error: 'INVITATION_DAYS must be a number' }).int('INVITATION_DAYS must be a whole number of days').min(1, 'INVITATION_DAYS must be at least 1').max(90, 'INVITATION_DAYS must be at most 90').default(7),
});

/** `Name <address>` or a bare address; the domain is the part after the last `@`. */
function mailDomain(from: string): string | null {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? address.slice(at + 1).trim() : '';
  return /^[A-Za-z0-9.-]+$/.test(domain) ? domain : null;
}

export function mailSettingsFromEnv(env: Record<string, string | undefined> = process.env): MailSettings {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new MailSettingError(parsed.error.issues.map((i) => i.message).join('; '));
  const e = parsed.data;
  let smtpUrl: URL | null = null;
  if (e.SMTP_URL) {
    try {
      smtpUrl = new URL(e.SMTP_URL);
    } catch {
      throw new MailSettingError('SMTP_URL is not a URL: write it as smtp://user:password@host:587 or smtps://host:465.');
    }
    if (smtpUrl.protocol !== 'smtp:' && smtpUrl.protocol !== 'smtps:') throw new MailSettingError('SMTP_URL must start with smtp:// or smtps://.');
    if (!e.MAIL_FROM) throw new MailSettingError('MAIL_FROM must be set when SMTP_URL is: the address mails come from, e.g. "City AI Procurement <ai-procurement@city.gov>".');
  }
  const from = e.MAIL_FROM ?? 'AI Vendor Evaluation Workbench <workbench@localhost>';
  const domain = mailDomain(from);
  if (!domain) throw new MailSettingError(`MAIL_FROM is not an email address: "${from}".`);
  return {
    smtpUrl,
    from,
    messageIdDomain: domain,
    pollMs: e.MAIL_POLL_SECONDS * 1000,
    leaseMs: e.MAIL_LEASE_SECONDS * 1000,
    retryBaseMs: e.MAIL_RETRY_SECONDS * 1000,
    maxAttempts: e.MAIL_MAX_ATTEMPTS,
    appOrigin: e.APP_ORIGIN ? e.APP_ORIGIN.replace(/\/+$/, '') : null,
    invitationDays: e.INVITATION_DAYS,
    passwordResetMinutes: e.PASSWORD_RESET_MINUTES,
  };
}

/** The delay before attempt `attempt + 1` after attempt `attempt` failed: doubling from the base, at most an hour. */
export function retryDelayMs(settings: Pick<MailSettings, 'retryBaseMs'>, attempt: number): number {
  return Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** An error or server answer as it may be stored and shown: no credentials from a URL, one line. */
export function describeMailError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/[^/@\s]+@/g, '//…@').replace(/\s+/g, ' ').trim().slice(0, 500);
}
