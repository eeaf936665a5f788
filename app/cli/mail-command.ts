/**
 * `npx workbench mail list [--json] [--status pending|sent|failed] [--limit N]`: the outbox, newest first, so an
 * administrator can see what was sent (or is waiting) without a database client.
 */
import type { Kysely } from 'kysely';
import { listOutbox } from '#db/queries/mail-outbox';
import type { Database, MailStatus } from '#db/schema';
import { UsageError } from './usage-error';

const STATUSES: readonly MailStatus[] = ['pending', 'sent', 'failed'];

export async function mailCommand(
  db: Kysely<Database>,
  sub: string | undefined,
  values: { json?: boolean; status?: string; limit?: string },
): Promise<string> {
  if (sub !== 'list') throw new UsageError(`Unknown mail command "${sub ?? ''}". Supported: mail list`);
  if (values.status !== undefined && !STATUSES.includes(values.status as MailStatus)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
  const { entries, total } = await listOutbox(db, { status: values.status as MailStatus | undefined, limit });
  if (values.json) {
    const rows = entries.map((e) => ({ to: e.to, subject: e.subject, text: e.text, status: e.status, createdAt: e.createdAt, sentAt: e.sentAt, attempts: e.attempts }));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  if (entries.length === 0) return 'The outbox is empty.\n';
  const lines = entries.map((e) => `${e.createdAt}  ${e.status.padEnd(7)}  ${String(e.attempts).padStart(2)}  ${e.to}  ${e.subject}${e.lastError ? `  (last error: ${e.lastError})` : ''}`);
  const more = total > entries.length ? [`… ${total - entries.length} older mails not shown (--limit).`] : [];
  return `${[...lines, ...more].join('\n')}\n`;
}
