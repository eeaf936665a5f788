/**
 * Questionnaire versions (issue 12): when an RFP opens, the questionnaire vendors answer is kept as it was, so version
 * N can be compared with N−1 (what changed — the addendum vendors need) after the live rows have been edited again.
 * One row per RFP and version, the whole questionnaire as JSON. Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('questionnaire_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    // Null for the command line's system actor; kept (set null) when the account is deleted.
    .addColumn('taken_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('actor_email', 'text')
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questionnaire_version_rfp_version').on('questionnaire_version').columns(['rfp_id', 'version']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('questionnaire_version').execute();
}
