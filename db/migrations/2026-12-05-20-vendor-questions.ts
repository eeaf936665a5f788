/**
 * Questions and answers of the Q&A period (issue 15, item 5). A vendor contact asks a question for their organisation
 * (`vendor_question`, with the optional key of the questionnaire question it is about); the lead writes the answer and
 * may reword the question for publication (`published_text`, the original kept in `text`); a batch of answered questions
 * is published as a numbered, dated addendum of the RFP (`qa_addendum`), after which the question and its answer are
 * the published record and no longer change. Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('qa_addendum')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id'))
    // 1, 2, 3… within the RFP, in the order published.
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('qa_addendum_number', ['rfp_id', 'number'])
    .execute();
  await db.schema
    .createTable('vendor_question')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('asked_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('asked_at', 'text', (c) => c.notNull())
    .addColumn('question_key', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('published_text', 'text')
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('answered_at', 'text')
    .addColumn('addendum_id', 'text', (c) => c.references('qa_addendum.id'))
    .execute();
  await db.schema.createIndex('vendor_question_rfp').on('vendor_question').columns(['rfp_id', 'asked_at']).execute();
  await db.schema.createIndex('vendor_question_vendor').on('vendor_question').columns(['vendor_id']).execute();
  await db.schema.createIndex('vendor_question_addendum').on('vendor_question').columns(['addendum_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vendor_question').execute();
  await db.schema.dropTable('qa_addendum').execute();
}
