/**
 * In-app notifications and each person's mail preferences (issue 14, item 5). A notification is written in the
 * transaction of the change it tells about, with the mail it caused (or the note that it waits for the daily digest).
 * `dedupe_key` makes a reminder at most one per person and deadline, whichever app process writes it. Frozen in time.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('rfp_id', 'text', (c) => c.references('rfp.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('link_path', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    // mailed: a mail of its own went to the outbox; digest: waits for the next daily digest; in_app: no mail.
    .addColumn('mail_state', 'text', (c) => c.notNull().check(sql`mail_state in ('mailed','digest','in_app')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notification_user').on('notification').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('notification_digest').on('notification').columns(['mail_state', 'user_id']).execute();

  await db.schema
    .createTable('notification_preference')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    // {"rfp.status":"digest","sheet.submitted":"off",…}: only the kinds a person may choose for; the rest mail at once.
    .addColumn('modes_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preference').execute();
  await db.schema.dropTable('notification').execute();
}
