/**
 * Users, sessions, login throttling, RFPs, memberships, vendors, submissions and the append-only audit log.
 * Frozen in time: takes Kysely<any> and imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';
import { autoIncrementPrimaryKey, isPostgres } from './dialect-helpers';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','officer','evaluator','viewer')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();

  await db.schema
    .createTable('rfp')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft','open','evaluation','consensus','closed')`),
    )
    .addColumn('scale_max', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('aggregation', 'text', (c) => c.notNull().defaultTo('mean'))
    .addColumn('divergence_threshold', 'double precision', (c) => c.notNull().defaultTo(0.3))
    .addColumn('price_formula', 'text', (c) => c.notNull().defaultTo('ratio'))
    .addColumn('total_points', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('allow_half_points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('risk_tier', 'text')
    .addColumn('proposals_due_at', 'text')
    .addColumn('evaluation_due_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rfp_member')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead','evaluator','observer')`))
    .addColumn('added_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rfp_member_pk', ['rfp_id', 'user_id'])
    .execute();
  await db.schema.createIndex('rfp_member_user_idx').on('rfp_member').column('user_id').execute();

  await db.schema
    .createTable('vendor')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('website', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('submission')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('received','responsive','non_responsive','withdrawn')`),
    )
    .addColumn('status_reason', 'text')
    .addColumn('received_at', 'text')
    .addColumn('price', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('submission_rfp_vendor_uq', ['rfp_id', 'vendor_id'])
    .execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'integer', autoIncrementPrimaryKey(db))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('rfp_id', 'text')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('audit_event_rfp_idx').on('audit_event').columns(['rfp_id', 'id']).execute();

  await forbidUpdateAndDelete(db, 'audit_event');
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_event', 'submission', 'vendor', 'rfp_member', 'rfp', 'login_throttle', 'session', 'app_user']) {
    await db.schema.dropTable(table).execute();
  }
  if (isPostgres(db)) await sql`drop function if exists forbid_change_audit_event()`.execute(db);
}

/** The audit log is append-only in the database itself, not just by convention in the code. */
async function forbidUpdateAndDelete(db: Kysely<any>, table: string): Promise<void> {
  const message = `${table} is append-only`;
  if (isPostgres(db)) {
    await sql
      .raw(
        `create function forbid_change_${table}() returns trigger language plpgsql as $$
         begin raise exception '${message}'; end $$`,
      )
      .execute(db);
    await sql
      .raw(`create trigger ${table}_append_only before update or delete on ${table} for each row execute function forbid_change_${table}()`)
      .execute(db);
    await sql
      .raw(`create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function forbid_change_${table}()`)
      .execute(db);
  } else {
    await sql.raw(`create trigger ${table}_no_update before update on ${table} begin select raise(abort, '${message}'); end`).execute(db);
    await sql.raw(`create trigger ${table}_no_delete before delete on ${table} begin select raise(abort, '${message}'); end`).execute(db);
  }
}
