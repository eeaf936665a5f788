/**
 * Team and price-blind evaluation (issue 12, items 6 and 8):
 * - `rfp.price_blind`: evaluators do not see prices or the price criterion until their technical scoresheets are in;
 * - `recusal.origin` and `recusal.recorded_by`: a recusal comes from the attestation, from a conflict the evaluator
 *   declared after attesting, or from the lead officer; who recorded it. Existing recusals came from attestations.
 * Frozen in time.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('rfp')
    .addColumn('price_blind', 'integer', (c) => c.notNull().defaultTo(0).check(sql`price_blind in (0, 1)`))
    .execute();
  await db.schema
    .alterTable('recusal')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('attestation').check(sql`origin in ('attestation', 'declaration', 'lead')`))
    .execute();
  await db.schema.alterTable('recusal').addColumn('recorded_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('recusal').dropColumn('recorded_by').execute();
  await db.schema.alterTable('recusal').dropColumn('origin').execute();
  await db.schema.alterTable('rfp').dropColumn('price_blind').execute();
}
