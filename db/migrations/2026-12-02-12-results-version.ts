/**
 * Results computed once per change of their inputs (issue 13, item 2):
 * - `rfp.results_version`: bumped by triggers in the writing statement's own transaction whenever anything the
 *   scoring engine reads changes — sections, criteria, submissions (status, price), assignments, recusals,
 *   scoresheets, scores, consensus scores, a vendor's or an evaluator's name, the RFP's scoring settings or status.
 *   Triggers rather than calls in each write function, so no write (the web, the CLI, an import, a future query)
 *   can change an input and leave the version behind.
 * - `results_cache`: the engine's unredacted outcome per RFP and engine options (`variant`), with the version and the
 *   SHA-256 of the engine input it was computed from, shared by every app process.
 * Frozen in time.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect-helpers';

/** Tables with an `rfp_id` whose rows are inputs of the engine. */
const RFP_INPUT_TABLES = ['section', 'criterion', 'submission', 'assignment', 'recusal', 'scoresheet', 'score', 'consensus_score'] as const;
/** Names the engine reads from tables shared by RFPs: a vendor's (through its submissions), an evaluator's (assignments). */
const NAME_SOURCES = [
  { table: 'vendor', through: 'submission', column: 'vendor_id' },
  { table: 'app_user', through: 'assignment', column: 'user_id' },
] as const;
/** The rfp columns the engine reads, and the lifecycle status. */
const RFP_INPUT_COLUMNS = ['status', 'scale_max', 'aggregation', 'divergence_threshold', 'price_formula', 'total_points', 'allow_half_points'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rfp').addColumn('results_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('results_cache')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('variant', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('input_sha256', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('results_cache_pk', ['rfp_id', 'variant'])
    .execute();
  if (isPostgres(db)) await createPostgresTriggers(db);
  else await createSqliteTriggers(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of RFP_INPUT_TABLES) for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger ${table}_results_${op} on ${table}`).execute(db);
    await sql`drop trigger vendor_results_name on vendor`.execute(db);
    await sql`drop trigger app_user_results_name on app_user`.execute(db);
    await sql`drop trigger rfp_results_settings on rfp`.execute(db);
    await sql`drop function bump_results_version_rows()`.execute(db);
    for (const { table } of NAME_SOURCES) await sql.raw(`drop function bump_results_version_${table}()`).execute(db);
    await sql`drop function bump_results_version_rfp()`.execute(db);
  } else {
    for (const table of RFP_INPUT_TABLES) for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger ${table}_results_${op}`).execute(db);
    await sql`drop trigger vendor_results_name`.execute(db);
    await sql`drop trigger app_user_results_name`.execute(db);
    await sql`drop trigger rfp_results_settings`.execute(db);
  }
  await db.schema.dropTable('results_cache').execute();
  await db.schema.alterTable('rfp').dropColumn('results_version').execute();
}

async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  // Statement-level with transition tables: a batch insert of 18,000 scores bumps the RFP once, not 18,000 times.
  await sql
    .raw(
      `create function bump_results_version_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          update rfp set results_version = results_version + 1 where id in (select rfp_id from new_rows);
        elsif tg_op = 'DELETE' then
          update rfp set results_version = results_version + 1 where id in (select rfp_id from old_rows);
        else
          update rfp set results_version = results_version + 1
            where id in (select rfp_id from new_rows union select rfp_id from old_rows);
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  for (const table of RFP_INPUT_TABLES) {
    await sql.raw(`create trigger ${table}_results_insert after insert on ${table} referencing new table as new_rows for each statement execute function bump_results_version_rows()`).execute(db);
    await sql
      .raw(`create trigger ${table}_results_update after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function bump_results_version_rows()`)
      .execute(db);
    await sql.raw(`create trigger ${table}_results_delete after delete on ${table} referencing old table as old_rows for each statement execute function bump_results_version_rows()`).execute(db);
  }
  for (const { table, through, column } of NAME_SOURCES) {
    await sql
      .raw(
        `create function bump_results_version_${table}() returns trigger language plpgsql as $$
        begin
          update rfp set results_version = results_version + 1 where id in (select rfp_id from ${through} where ${column} = new.id);
          return null;
        end $$`,
      )
      .execute(db);
    await sql
      .raw(`create trigger ${table}_results_name after update of name on ${table} for each row when (old.name is distinct from new.name) execute function bump_results_version_${table}()`)
      .execute(db);
  }
  // On the rfp row itself: set the new version on the row being written (an AFTER trigger updating rfp would recurse).
  const changed = RFP_INPUT_COLUMNS.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
  await sql
    .raw(
      `create function bump_results_version_rfp() returns trigger language plpgsql as $$
      begin
        new.results_version := old.results_version + 1;
        return new;
      end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger rfp_results_settings before update on rfp for each row when (${changed}) execute function bump_results_version_rfp()`).execute(db);
}

async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  const bump = (rfpId: string) => `update rfp set results_version = results_version + 1 where id = ${rfpId};`;
  for (const table of RFP_INPUT_TABLES) {
    await sql.raw(`create trigger ${table}_results_insert after insert on ${table} begin ${bump('new.rfp_id')} end`).execute(db);
    await sql.raw(`create trigger ${table}_results_update after update on ${table} begin ${bump('new.rfp_id')} ${bump('old.rfp_id')} end`).execute(db);
    await sql.raw(`create trigger ${table}_results_delete after delete on ${table} begin ${bump('old.rfp_id')} end`).execute(db);
  }
  for (const { table, through, column } of NAME_SOURCES) {
    await sql
      .raw(
        `create trigger ${table}_results_name after update of name on ${table} when old.name is not new.name begin
          update rfp set results_version = results_version + 1 where id in (select rfp_id from ${through} where ${column} = new.id); end`,
      )
      .execute(db);
  }
  // Updates only results_version, which is not among the columns it watches, so it does not fire itself.
  await sql
    .raw(`create trigger rfp_results_settings after update of ${RFP_INPUT_COLUMNS.join(', ')} on rfp when ${RFP_INPUT_COLUMNS.map((c) => `old.${c} is not new.${c}`).join(' or ')} begin ${bump('new.id')} end`)
    .execute(db);
}
