/**
 * Answering online and sealed submission (issue 15, items 3 and 4). A vendor organisation's working answers live in
 * their own table, never in the city's `answer` rows: `vendor_draft_answer` holds one value per question key (so a
 * new questionnaire version carries drafts over by key), with a revision that refuses a stale write from a second
 * contact. Each submission or withdrawal is a `vendor_response_version`: the canonical JSON of what was sealed and its
 * SHA-256 (the receipt). `bid_opening` records the one audited event, at or after the deadline, that turns the latest
 * submitted versions into the RFP's responses; until it exists no staff page reads a draft or a version's content.
 * Frozen in time.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendor_draft_answer')
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    /** JSON: string, string[], number or null, as the `answer` table holds. */
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vendor_draft_answer_pk', ['rfp_id', 'vendor_id', 'question_key'])
    .execute();
  await db.schema
    .createTable('vendor_response_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rfp_id', 'text', (c) => c.notNull().references('rfp.id').onDelete('cascade'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('submitted','withdrawn')`))
    .addColumn('questionnaire_version', 'integer', (c) => c.notNull())
    /** The canonical JSON the receipt's hash is of (app/vendor-portal/receipt.ts); for a withdrawal, the withdrawal itself. */
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('vendor_response_version_number', ['rfp_id', 'vendor_id', 'number'])
    .execute();
  await db.schema
    .createTable('bid_opening')
    .addColumn('rfp_id', 'text', (c) => c.primaryKey().references('rfp.id').onDelete('cascade'))
    .addColumn('opened_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bid_opening').execute();
  await db.schema.dropTable('vendor_response_version').execute();
  await db.schema.dropTable('vendor_draft_answer').execute();
}
