/**
 * The mail outbox (issue 14, item 4): every mail is a row written in the same transaction as the change that causes
 * it, then delivered by a sender loop that takes a lease on each row, so two app processes never send one twice and a
 * restart picks up where a killed process stopped. `mail_attempt` records each delivery attempt's outcome.
 * Frozen in time.
 */
import { type Kysely, sql } from 'kysely';
import { autoIncrementPrimaryKey } from './dialect-helpers';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('rfp_id', 'text', (c) => c.references('rfp.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    // A mail that must go at most once (a reminder for one day) names itself; a second enqueue is a no-op.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','sent','failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('mail_outbox_created').on('mail_outbox').columns(['created_at']).execute();

  await db.schema
    .createTable('mail_attempt')
    .addColumn('id', 'integer', autoIncrementPrimaryKey(db))
    .addColumn('mail_id', 'text', (c) => c.notNull().references('mail_outbox.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('sent','retry','failed')`))
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_attempt_mail').on('mail_attempt').columns(['mail_id', 'attempt']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_attempt').execute();
  await db.schema.dropTable('mail_outbox').execute();
}
