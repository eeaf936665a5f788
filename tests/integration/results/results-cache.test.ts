/**
 * Results computed once per change of their inputs (db/queries/results-cache.ts, migration 12), on SQLite and on
 * PostgreSQL: every input of the engine moves `rfp.results_version` in the writing transaction, a second read is
 * served from the cache (in memory, then from the shared table as another process would), and a change is never
 * answered with the outcome of before.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { clearResultsMemoryCache, resultsCacheStats } from '#db/queries/results-cache';
import { computeRfpResults, loadScoringBundle } from '#db/queries/scoring-input';
import type { Database, RfpTable } from '#db/schema';
import { tryComputeResults } from '#scoring/index';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { createTestDatabase } from '#tests/support/db';
import type { Kysely, Updateable } from 'kysely';

async function rfpRow(handle: DatabaseHandle, id: string) {
  return handle.db.selectFrom('rfp').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function version(handle: DatabaseHandle, id: string): Promise<number> {
  return Number((await rfpRow(handle, id)).results_version);
}

/** The tables loadScoringBundle reads, from its source: a new input table without a walk entry below fails. */
function tablesTheBundleReads(): string[] {
  const source = readFileSync(new URL('../../../db/queries/scoring-input.ts', import.meta.url), 'utf8');
  const body = source.slice(source.indexOf('export async function loadScoringBundle'), source.indexOf('export async function addRationales'));
  return [...new Set([...body.matchAll(/(?:selectFrom|Join)\('(\w+)'/g)].map((m) => m[1]!))].sort();
}

type Change = (db: Kysely<Database>, e: CreatedEvaluation) => Promise<unknown>;

/** One real change of each input the engine reads, as any write function would make it. */
const CHANGE_OF: Record<string, Change> = {
  section: (db, e) => db.updateTable('section').set({ title: 'Renamed section' }).where('id', '=', e.sections[1]!.id).execute(),
  criterion: (db, e) => db.updateTable('criterion').set({ title: 'Renamed criterion' }).where('id', '=', e.criteria[2]!.id).execute(),
  submission: (db, e) => db.updateTable('submission').set({ price: 999_000 }).where('id', '=', e.vendors[0]!.submissionId).execute(),
  vendor: (db, e) => db.updateTable('vendor').set({ name: 'Renamed Vendor Ltd' }).where('id', '=', e.vendors[0]!.id).execute(),
  assignment: (db, e) => db.deleteFrom('assignment').where('rfp_id', '=', e.rfpId).where('user_id', '=', e.evaluators[2]!.id).execute(),
  app_user: (db, e) => db.updateTable('app_user').set({ name: 'Renamed Evaluator' }).where('id', '=', e.evaluators[0]!.id).execute(),
  recusal: (db, e) => db.deleteFrom('recusal').where('rfp_id', '=', e.rfpId).execute(),
  scoresheet: (db, e) => db.updateTable('scoresheet').set({ status: 'in_progress' }).where('rfp_id', '=', e.rfpId).where('evaluator_id', '=', e.evaluators[0]!.id).execute(),
  score: async (db, e) => {
    const one = await db.selectFrom('score').select(['id', 'value']).where('rfp_id', '=', e.rfpId).executeTakeFirstOrThrow();
    return db.updateTable('score').set({ value: Number(one.value) === 0 ? 1 : 0 }).where('id', '=', one.id).execute();
  },
  consensus_score: (db, e) =>
    db
      .insertInto('consensus_score')
      .values({
        id: newId(),
        rfp_id: e.rfpId,
        submission_id: e.vendors[1]!.submissionId,
        criterion_id: e.criteria.find((c) => c.kind === 'scored')!.id,
        value: 2,
        rationale: 'The panel settled on 2.',
        decided_by: e.lead.id,
        decided_at: nowIso(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute(),
};

/** Changes of the RFP row itself: its status and each scoring setting the engine reads. */
const RFP_CHANGES: Array<[string, Updateable<RfpTable>]> = [
  ['status', { status: 'closed' }],
  ['scale_max', { scale_max: 4 }],
  ['aggregation', { aggregation: 'median' }],
  ['divergence_threshold', { divergence_threshold: 0.5 }],
  ['price_formula', { price_formula: 'linear' }],
  ['total_points', { total_points: 200 }],
  ['allow_half_points', { allow_half_points: 1 }],
];

describe('results computed once per change of their inputs', () => {
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;

  beforeEach(async () => {
    handle = await createTestDatabase();
    evaluation = await createEvaluation(handle.db);
    clearResultsMemoryCache();
  });
  afterEach(async () => {
    await handle.db.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await handle.close();
  });

  it('walks every input the engine reads and sees the results version move inside the writing transaction', async () => {
    expect(tablesTheBundleReads()).toEqual(Object.keys(CHANGE_OF).sort());
    for (const [table, change] of Object.entries(CHANGE_OF)) {
      const before = await version(handle, evaluation.rfpId);
      // Inside the transaction: the write's own transaction already reads the new version.
      const inside = await handle.db.transaction().execute(async (trx) => {
        await change(trx as unknown as Kysely<Database>, evaluation);
        return Number((await trx.selectFrom('rfp').select('results_version').where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow()).results_version);
      });
      expect(inside, table).toBeGreaterThan(before);
      expect(await version(handle, evaluation.rfpId), table).toBe(inside);
    }
    for (const [column, set] of RFP_CHANGES) {
      const before = await version(handle, evaluation.rfpId);
      await handle.db.updateTable('rfp').set(set).where('id', '=', evaluation.rfpId).execute();
      expect(await version(handle, evaluation.rfpId), column).toBeGreaterThan(before);
    }
    // A rolled-back write leaves the version where it was.
    const before = await version(handle, evaluation.rfpId);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await CHANGE_OF.score!(trx as unknown as Kysely<Database>, evaluation);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await version(handle, evaluation.rfpId)).toBe(before);
    // What the engine does not read leaves it alone: the RFP's title, a vendor's website, another RFP's scores.
    await handle.db.updateTable('rfp').set({ title: 'A new title', summary: 'A new summary' }).where('id', '=', evaluation.rfpId).execute();
    await handle.db.updateTable('vendor').set({ website: 'https://example.org' }).where('id', '=', evaluation.vendors[1]!.id).execute();
    const other = await createEvaluation(handle.db);
    await CHANGE_OF.score!(handle.db, other);
    expect(await version(handle, evaluation.rfpId)).toBe(before);
  });

  it('computes once per version, shares it through the table, and recomputes after a change', async () => {
    const rfp = await rfpRow(handle, evaluation.rfpId);
    const fresh = tryComputeResults((await loadScoringBundle(handle.db, rfp)).input);
    const start = { ...resultsCacheStats };

    const first = await computeRfpResults(handle.db, rfp);
    const second = await computeRfpResults(handle.db, rfp, { details: 'scores' });
    expect(resultsCacheStats.computed - start.computed).toBe(1);
    expect(resultsCacheStats.memoryHits - start.memoryHits).toBe(1);
    expect(first.outcome).toEqual(fresh);
    expect(second.outcome).toEqual(fresh);
    // Each reader gets its own copy: changing one does not change the next.
    if (second.outcome.ok) second.outcome.results.vendors.length = 0;
    expect((await computeRfpResults(handle.db, rfp)).outcome).toEqual(fresh);

    // Another process has an empty memory: it reads the shared table instead of computing.
    clearResultsMemoryCache();
    expect((await computeRfpResults(handle.db, rfp)).outcome).toEqual(fresh);
    expect(resultsCacheStats.databaseHits - start.databaseHits).toBe(1);
    expect(resultsCacheStats.computed - start.computed).toBe(1);

    // Other engine options are another entry.
    const noMonteCarlo = await computeRfpResults(handle.db, rfp, { engine: { monteCarloDraws: 0 } });
    expect(noMonteCarlo.outcome).toEqual(tryComputeResults({ ...(await loadScoringBundle(handle.db, rfp)).input, options: { monteCarloDraws: 0 } }));
    expect(resultsCacheStats.computed - start.computed).toBe(2);

    // A price changes: the next read recomputes, sees the new price, and replaces the stored entry.
    await CHANGE_OF.submission!(handle.db, evaluation);
    const changed = await computeRfpResults(handle.db, rfp);
    expect(resultsCacheStats.computed - start.computed).toBe(3);
    expect(changed.outcome).toEqual(tryComputeResults((await loadScoringBundle(handle.db, rfp)).input));
    expect(changed.outcome).not.toEqual(fresh);
    const rows = await handle.db.selectFrom('results_cache').select(['variant', 'version']).where('rfp_id', '=', rfp.id).execute();
    expect(rows).toHaveLength(2);
    const current = await version(handle, rfp.id);
    expect(rows.find((r) => r.variant === '{}')!.version).toBe(current);
  });

  it('never answers from an entry whose input differs, even when the version did not move', async () => {
    const rfp = await rfpRow(handle, evaluation.rfpId);
    await computeRfpResults(handle.db, rfp);
    // A write the triggers cannot see (the triggers set aside, as a hand edit or a restore might): same version,
    // different input — the input's hash refuses the stored outcome.
    const before = await version(handle, rfp.id);
    await CHANGE_OF.submission!(handle.db, evaluation);
    await handle.db.updateTable('rfp').set({ results_version: before }).where('id', '=', rfp.id).execute();
    const start = resultsCacheStats.computed;
    const after = await computeRfpResults(handle.db, rfp);
    expect(resultsCacheStats.computed - start).toBe(1);
    expect(after.outcome).toEqual(tryComputeResults((await loadScoringBundle(handle.db, rfp)).input));
  });
});
