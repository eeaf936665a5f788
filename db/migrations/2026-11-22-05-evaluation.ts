/**
 * Evaluation: who evaluates what (assignment with conflict-of-interest attestation and recusals), each
 * evaluator's scores and scoresheets, and the lead's consensus scores. Frozen in time.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assignment')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    /** JSON array of section ids, or null for the whole RFP. */
    .addColumn('section_ids_json', 'text')
    .addColumn('coi_status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`coi_status in ('pending','none','declared')`))
    .addColumn('coi_statement', 'text')
    .addColumn('coi_statement_sha256', 'text')
    .addColumn('coi_details', 'text')
    .addColumn('attested_at', 'text')
    .addColumn('assigned_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assignment_pk', ['rfp_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('recusal')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recusal_pk', ['rfp_id', 'user_id', 'vendor_id'])
    .execute();

  await db.schema
    .createTable('scoresheet')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('evaluator_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_progress').check(sql`status in ('in_progress','submitted')`))
    .addColumn('submitted_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scoresheet_pk', ['submission_id', 'evaluator_id'])
    .execute();

  await db.schema
    .createTable('score')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('evaluator_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    /** Incremented on every change; a save that names an older version is refused (two tabs never overwrite silently). */
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('score_evaluator_submission_criterion_uq', ['evaluator_id', 'submission_id', 'criterion_id'])
    .execute();
  await db.schema.createIndex('score_rfp_idx').on('score').column('rfp_id').execute();

  await db.schema
    .createTable('consensus_score')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consensus_submission_criterion_uq', ['submission_id', 'criterion_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['consensus_score', 'score', 'scoresheet', 'recusal', 'assignment']) await db.schema.dropTable(table).execute();
}
