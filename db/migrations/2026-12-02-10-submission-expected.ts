/**
 * A vendor added to an RFP is `expected` until its response is recorded (issue 12, item 7): the submission status
 * check gains that value. PostgreSQL swaps the check constraint; SQLite cannot alter a check, so the table is
 * rebuilt from its own stored definition (keeping any column added since) with foreign keys off, so that dropping
 * the old table neither cascades into answers, scores and attachments nor trips their references. Frozen in time.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect-helpers';

const OLD_CHECK = `status in ('received','responsive','non_responsive','withdrawn')`;
const NEW_CHECK = `status in ('expected','received','responsive','non_responsive','withdrawn')`;

export async function up(db: Kysely<any>): Promise<void> {
  await replaceStatusCheck(db, OLD_CHECK, NEW_CHECK);
}

export async function down(db: Kysely<any>): Promise<void> {
  // An expected vendor has not answered: the old statuses can only call it received.
  await sql`update submission set status = 'received' where status = 'expected'`.execute(db);
  await replaceStatusCheck(db, NEW_CHECK, OLD_CHECK);
}

async function replaceStatusCheck(db: Kysely<any>, from: string, to: string): Promise<void> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ conname: string }>`
      select conname from pg_constraint
      where conrelid = 'submission'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%status%'`.execute(db);
    for (const { conname } of rows) await sql`alter table submission drop constraint ${sql.id(conname)}`.execute(db);
    await sql`alter table submission add constraint submission_status_check check (${sql.raw(to)})`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'submission'`.execute(db);
  const definition = table.rows[0]?.sql;
  if (!definition || !definition.includes(from)) throw new Error('The submission table does not have the status check this migration replaces.');
  const rebuilt = definition.replace(from, to).replace(/^create table "?submission"?/i, 'create table "submission_rebuilt"');
  // Indexes go with the dropped table; their own definitions bring them back.
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'submission' and sql is not null`.execute(db);
  // The pragma is ignored inside a transaction, so it is set around the one that does the rebuild.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      await sql.raw(rebuilt).execute(db);
      await sql`insert into submission_rebuilt select * from submission`.execute(db);
      await sql`drop table submission`.execute(db);
      await sql`alter table submission_rebuilt rename to submission`.execute(db);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`Rebuilding the submission table left ${broken.rows.length} broken references.`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
