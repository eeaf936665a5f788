/**
 * Uploaded files waiting for the officer's confirmation (questionnaire import): kept in the database so
 * any app process behind a load balancer can show the preview and apply it. Frozen in time.
 */
import type { Kysely } from 'kysely';
import { binaryColumnType } from './dialect-helpers';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pending_upload')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('bytes', binaryColumnType(db), (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pending_upload').execute();
}
