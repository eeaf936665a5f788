/**
 * The results cache is shared by app processes (db/queries/results-cache.ts): two real servers on one database —
 * what one computed the other serves without computing, the results page, the scorecard page and the matrix CSV alike,
 * and a change written anywhere is computed afresh by a process that had cached the outcome before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('the results cache across two app processes', () => {
  let first: TestServer;
  let second: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;

  beforeAll(async () => {
    first = await startTestServer();
    handle = openDatabase(first.databaseUrl);
    evaluation = await createEvaluation(handle.db, { ...DEFAULT_EVALUATION, status: 'consensus', passwordHash: await hashPassword('demo-password') });
    second = await startTestServer({}, first.databaseUrl);
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    await second?.stop();
    await first?.stop();
  });

  async function cached() {
    return handle.db.selectFrom('results_cache').select(['version', 'input_sha256', 'computed_at']).where('rfp_id', '=', evaluation.rfpId).where('variant', '=', '{}').executeTakeFirst();
  }

  async function resultsVersion(): Promise<number> {
    return Number((await handle.db.selectFrom('rfp').select('results_version').where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow()).results_version);
  }

  it('computes on one process, serves from the other, and recomputes after a change', async () => {
    const onFirst = new Visitor(first.baseUrl);
    await onFirst.login(evaluation.lead.email);
    const onSecond = new Visitor(second.baseUrl);
    await onSecond.login(evaluation.lead.email);

    expect(await cached()).toBeUndefined();
    const page = await onFirst.get(`/rfps/${evaluation.rfpId}/results`);
    expect(page.status).toBe(200);
    const firstHtml = await page.text();
    const computed = await cached();
    expect(computed).toMatchObject({ version: await resultsVersion() });

    // The other process has never computed this RFP: its pages and export read the stored outcome.
    for (const path of [`/rfps/${evaluation.rfpId}/results`, `/rfps/${evaluation.rfpId}/scorecard`, `/rfps/${evaluation.rfpId}/matrix.csv`]) {
      const response = await onSecond.get(path);
      expect(response.status, path).toBe(200);
      const body = await response.text();
      if (path.endsWith('/results')) expect(body).toContain('Civic Answers Inc.');
    }
    expect(await cached()).toEqual(computed);
    expect(firstHtml).toContain('Civic Answers Inc.');

    // A price changes (any write: here straight into the database, as another process would): the first process,
    // which holds the old outcome in memory, computes the new one and stores it under the new version.
    const civic = evaluation.vendors.find((v) => v.name === 'Civic Answers Inc.')!;
    await handle.db.updateTable('submission').set({ price: 5_000_000 }).where('id', '=', civic.submissionId).execute();
    const after = await onFirst.get(`/rfps/${evaluation.rfpId}/results`);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Civic Answers Inc.');
    const recomputed = await cached();
    expect(recomputed!.version).toBe(await resultsVersion());
    expect(recomputed!.version).toBeGreaterThan(computed!.version);
    expect(recomputed!.input_sha256).not.toBe(computed!.input_sha256);
  }, 120_000);
});
