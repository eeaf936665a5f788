/**
 * Rationale drafts (issue 12, item 4): what an evaluator has typed on their scoresheet and not yet saved, one row per
 * evaluator × submission × criterion. A draft is its author's alone: no page, export or audit event reads it, and
 * saving the score (or submitting the sheet) deletes it. Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rationale_draft')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('evaluator_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    /** The level picked, if any (not yet checked against a saved score: it is only a draft). */
    .addColumn('value', 'double precision')
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rationale_draft_pk', ['evaluator_id', 'submission_id', 'criterion_id'])
    .execute();
  await db.schema.createIndex('rationale_draft_rfp_idx').on('rationale_draft').column('rfp_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rationale_draft').execute();
}
