/**
 * The vendor portal's accounts (issue 15, item 1). A vendor contact is an account of the new role `vendor`, tied to
 * exactly one organisation of the registry (`vendor_contact`); `portal_access` lists the RFPs each organisation was
 * invited to respond to; an invitation may invite a vendor contact (its organisation and RFP); and a sign-in
 * challenge may carry the SHA-256 of a one-time code sent by mail, for vendor contacts without an authenticator.
 *
 * The account role's check gains `vendor`. PostgreSQL swaps the constraint; SQLite cannot alter a check, so the
 * table is rebuilt from its own stored definition with foreign keys off (as 2026-12-02-10 did for submissions),
 * and its indexes and triggers are put back from their own definitions. Frozen in time.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect-helpers';

const OLD_CHECK = `role in ('admin','officer','evaluator','viewer')`;
const NEW_CHECK = `role in ('admin','officer','evaluator','viewer','vendor')`;

export async function up(db: Kysely<any>): Promise<void> {
  await replaceRoleCheck(db, OLD_CHECK, NEW_CHECK);
  await db.schema
    .createTable('vendor_contact')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vendor_contact_vendor').on('vendor_contact').columns(['vendor_id']).execute();
  await db.schema
    .createTable('portal_access')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('invited_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('portal_access_pk', ['rfp_id', 'vendor_id'])
    .execute();
  await db.schema.createIndex('portal_access_vendor').on('portal_access').columns(['vendor_id']).execute();
  await db.schema.alterTable('invitation').addColumn('vendor_id', 'text', (c) => c.references('vendor.id')).execute();
  await db.schema.alterTable('invitation').addColumn('rfp_id', 'text', (c) => c.references('rfp.id')).execute();
  await db.schema.alterTable('login_challenge').addColumn('mailed_code_hash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_challenge').dropColumn('mailed_code_hash').execute();
  await db.schema.alterTable('invitation').dropColumn('rfp_id').execute();
  await db.schema.alterTable('invitation').dropColumn('vendor_id').execute();
  await db.schema.dropTable('portal_access').execute();
  await db.schema.dropTable('vendor_contact').execute();
  await sql`delete from session where user_id in (select id from app_user where role = 'vendor')`.execute(db);
  await sql`update app_user set role = 'viewer', disabled = 1 where role = 'vendor'`.execute(db);
  await replaceRoleCheck(db, NEW_CHECK, OLD_CHECK);
}

async function replaceRoleCheck(db: Kysely<any>, from: string, to: string): Promise<void> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ conname: string }>`
      select conname from pg_constraint
      where conrelid = 'app_user'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%role%'`.execute(db);
    for (const { conname } of rows) await sql`alter table app_user drop constraint ${sql.id(conname)}`.execute(db);
    await sql`alter table app_user add constraint app_user_role_check check (${sql.raw(to)})`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'app_user'`.execute(db);
  const definition = table.rows[0]?.sql;
  if (!definition || !definition.includes(from)) throw new Error('The app_user table does not have the role check this migration replaces.');
  const rebuilt = definition.replace(from, to).replace(/^create table "?app_user"?/i, 'create table "app_user_rebuilt"');
  // Indexes and triggers go with the dropped table; their own definitions bring them back.
  const dependents = await sql<{ sql: string }>`
    select sql from sqlite_master where type in ('index', 'trigger') and tbl_name = 'app_user' and sql is not null`.execute(db);
  // The pragma is ignored inside a transaction, so it is set around the one that does the rebuild.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      await sql.raw(rebuilt).execute(db);
      await sql`insert into app_user_rebuilt select * from app_user`.execute(db);
      await sql`drop table app_user`.execute(db);
      await sql`alter table app_user_rebuilt rename to app_user`.execute(db);
      for (const dependent of dependents.rows) await sql.raw(dependent.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`Rebuilding the app_user table left ${broken.rows.length} broken references.`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
