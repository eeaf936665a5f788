/**
 * The questionnaire import parses an upload once (issue 11): the parsed grid is kept with the pending upload (gzip-
 * compressed JSON, since a 1 MB workbook's grid is several MB of text but compresses ~10×), with the file's SHA-256
 * and the plan last previewed. Each import is recorded per RFP with the file's hash, so uploading a file already
 * imported into the RFP is recognised. Frozen in time.
 */
import type { Kysely } from 'kysely';
import { binaryColumnType } from './dialect-helpers';

export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('pending_upload').addColumn('grid', binaryColumnType(db)).execute();
  await db.schema.alterTable('pending_upload').addColumn('sha256', 'text').execute();
  await db.schema.alterTable('pending_upload').addColumn('plan_json', 'text').execute();

  await db.schema
    .createTable('questionnaire_import')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    // Null for the command line's system actor; kept (set null) when the account is deleted.
    .addColumn('user_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('actor_email', 'text')
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questionnaire_import_rfp_sha256').on('questionnaire_import').columns(['rfp_id', 'sha256']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('questionnaire_import').execute();
  await db.schema.alterTable('pending_upload').dropColumn('plan_json').execute();
  await db.schema.alterTable('pending_upload').dropColumn('sha256').execute();
  await db.schema.alterTable('pending_upload').dropColumn('grid').execute();
}
