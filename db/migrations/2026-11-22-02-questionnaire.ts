/**
 * The questionnaire: sections → criteria → questions, ordered; rubric anchors and options as JSON text
 * (portable across SQLite and PostgreSQL); the RFP's risk-tier intake and questionnaire version.
 * Frozen in time: takes Kysely<any> and imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('section')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('section_rfp_key_uq', ['rfp_id', 'key'])
    .execute();

  await db.schema
    .createTable('criterion')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('section_id', 'text', (c) => c.notNull().references('section.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('scored','pass_fail','price','info')`))
    .addColumn('points', 'double precision', (c) => c.notNull().defaultTo(0))
    /** JSON array of { level, anchor }. */
    .addColumn('rubric_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('criterion_rfp_key_uq', ['rfp_id', 'key'])
    .execute();
  await db.schema.createIndex('criterion_section_idx').on('criterion').column('section_id').execute();

  await db.schema
    .createTable('question')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('guidance', 'text')
    .addColumn('strong_answer', 'text')
    .addColumn('answer_type', 'text', (c) =>
      c.notNull().check(sql`answer_type in ('text','yes_no','choice','multi_choice','number','attachment')`),
    )
    /** JSON array of { label, autoScore | null }. */
    .addColumn('options_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(1))
    /** JSON array of framework reference identifiers. */
    .addColumn('references_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('question_rfp_key_uq', ['rfp_id', 'key'])
    .execute();
  await db.schema.createIndex('question_criterion_idx').on('question').column('criterion_id').execute();

  await db.schema.alterTable('rfp').addColumn('risk_intake_json', 'text').execute();
  await db.schema.alterTable('rfp').addColumn('questionnaire_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rfp').dropColumn('questionnaire_version').execute();
  await db.schema.alterTable('rfp').dropColumn('risk_intake_json').execute();
  for (const table of ['question', 'criterion', 'section']) await db.schema.dropTable(table).execute();
}
