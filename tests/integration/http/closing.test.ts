/**
 * The demo as it ships (in consensus) and the last step of the lifecycle: an RFP closes only when every split
 * pass/fail vote has a consensus decision (DESIGN §4.5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('closing an RFP', () => {
  let server: TestServer;
  let lead: Visitor;
  let rfpId: string;

  beforeAll(async () => {
    server = await startTestServer({ DEMO_STAGE: 'consensus' });
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    await handle.close();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('ships the demo in consensus, with final results leadership can read', async () => {
    const leader = new Visitor(server.baseUrl);
    await leader.login('leader@city.example');
    const scorecard = (await (await leader.get(`/rfps/${rfpId}/scorecard`)).text()).replaceAll('<!-- -->', '');
    expect(scorecard).toContain('Civic Answers Inc.');
    expect(scorecard).toMatch(/OmniSight Analytics[\s\S]{0,60}is disqualified/);
  });

  it('asks before closing, saying the results become final and who ranks first', async () => {
    const html = (await (await lead.get(`/rfps/${rfpId}/status?move=closed`)).text()).replaceAll('<!-- -->', '');
    expect(html).toContain('Close DEMO-311-GENAI?');
    expect(html).toContain('The results become final and the whole RFP read-only');
    expect(html).toContain('Civic Answers Inc. ranks first.');
    expect(html).toMatch(/<button type="submit"[^>]*>Close the RFP<\/button>/);
  });

  it('refuses to close while a split knock-out vote has no consensus decision, then closes once it has', async () => {
    const handle = openDatabase(server.databaseUrl);
    const split = await handle.db
      .selectFrom('consensus_score')
      .innerJoin('criterion', 'criterion.id', 'consensus_score.criterion_id')
      .selectAll('consensus_score')
      .where('consensus_score.rfp_id', '=', rfpId)
      .where('criterion.kind', '=', 'pass_fail')
      .executeTakeFirstOrThrow();
    // Take the panel's decision away, as if it had not been recorded yet.
    await handle.db.deleteFrom('consensus_score').where('id', '=', split.id).execute();
    const refused = await lead.post(`/rfps/${rfpId}/status`, { to: 'closed' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/has a split vote \(\d pass, \d fail\); record the consensus decision/);

    const recorded = await lead.post(`/rfps/${rfpId}/consensus`, {
      intent: 'decide',
      submissionId: split.submission_id,
      criterionId: split.criterion_id,
      value: String(split.value),
      rationale: split.rationale,
    });
    expect([200, 302]).toContain(recorded.status);
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'closed' })).status).toBe(200);
    const rfp = await handle.db.selectFrom('rfp').select('status').where('id', '=', rfpId).executeTakeFirstOrThrow();
    expect(rfp.status).toBe('closed');
    await handle.close();
  });
});
