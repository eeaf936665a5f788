/**
 * Vendor responses: one answer per submission × question (value as JSON text), and evidence files whose
 * bytes live in the attachments directory, outside anything the web server serves. Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull().references('question.id').onDelete('cascade'))
    /** JSON: a string (text, yes_no, choice), an array of strings (multi_choice), a number, or null. */
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('answer_submission_question_uq', ['submission_id', 'question_id'])
    .execute();
  await db.schema.createIndex('answer_question_idx').on('answer').column('question_id').execute();

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.references('question.id').onDelete('set null'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    /** File name inside the attachments directory (random, never derived from user input). */
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachment_submission_idx').on('attachment').column('submission_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachment').execute();
  await db.schema.dropTable('answer').execute();
}
