/**
 * A closed RFP's Overview shows its outcome through the real server — the recommendation with its points, the
 * ranking, who was disqualified and why, when and by whom it was closed — to exactly those who may read its results,
 * and an RFP that is not closed shows none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { recordAudit } from '#db/queries/audit';
import { findRfpClosing } from '#db/queries/rfp-outcome';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

/** The Overview's outcome box, or null. */
function outcomeOf(html: string): string | null {
  const match = /<section class="usa-summary-box[^"]*wb-outcome"[\s\S]*?<\/section>/.exec(html);
  return match ? match[0].replace(/<!-- -->/g, '').replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ').trim() : null;
}

describe('the outcome on a closed RFP’s Overview', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let closed: CreatedEvaluation;
  let consensus: CreatedEvaluation;

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    const passwordHash = await hashPassword('demo-password');
    consensus = await createEvaluation(handle.db, { ...DEFAULT_EVALUATION, passwordHash });
    closed = await createEvaluation(handle.db, { ...DEFAULT_EVALUATION, status: 'consensus', passwordHash });
    // Closed as the status page closes it: the move is an `rfp.status` event in the RFP's audit chain.
    await handle.db.updateTable('rfp').set({ status: 'closed' }).where('id', '=', closed.rfpId).execute();
    await recordAudit(handle.db, { id: closed.lead.id, email: closed.lead.email }, {
      rfpId: closed.rfpId,
      entity: 'rfp',
      entityId: closed.rfpId,
      action: 'rfp.status',
      before: { status: 'consensus', questionnaire_version: 1 },
      after: { status: 'closed', questionnaire_version: 1 },
      reason: 'Award recommended to the council on 2027-02-10',
    });
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('shows the lead the recommendation, the ranking, the knock-out and who closed it when', async () => {
    const lead = new Visitor(server.baseUrl);
    await lead.login(closed.lead.email);
    const response = await lead.get(`/rfps/${closed.rfpId}`);
    expect(response.status).toBe(200);
    const outcome = outcomeOf(await response.text());
    expect(outcome).not.toBeNull();
    expect(outcome).toContain('Outcome');
    expect(outcome).toContain('Recommended vendor: Civic Answers Inc., with 82.76 of 100.00 points.');
    expect(outcome).toContain('Civic Answers Inc. leads the runner-up, QuickServe AI (78.00 points), by 4.76 points.');
    expect(outcome).toMatch(/Civic Answers Inc\. — 82\.76 of 100\.00 points QuickServe AI — 78\.00 of 100\.00 points OmniSight Analytics — 73\.33 of 100\.00 points/);
    expect(outcome).toMatch(/BudgetBot LLC is disqualified: .*training on the city/i);
    expect(outcome).toMatch(new RegExp(`Closed .+ by ${closed.lead.name}: Award recommended to the council on 2027-02-10`));
    expect(outcome).toContain('Full results and comparison matrix');
    // The same reading the audit log holds.
    expect(await findRfpClosing(handle.db, closed.rfpId)).toMatchObject({ by: closed.lead.name, reason: 'Award recommended to the council on 2027-02-10' });
  });

  it('shows it to an observer and to an evaluator whose sheets are all submitted, not to one with a sheet still open', async () => {
    const observer = new Visitor(server.baseUrl);
    await observer.login(closed.observers[0]!.email);
    expect(outcomeOf(await (await observer.get(`/rfps/${closed.rfpId}`)).text())).toContain('Recommended vendor: Civic Answers Inc.');
    const evan = new Visitor(server.baseUrl);
    await evan.login(closed.evaluators[0]!.email);
    expect(outcomeOf(await (await evan.get(`/rfps/${closed.rfpId}`)).text())).toContain('Recommended vendor: Civic Answers Inc.');
    // Priya's sheet on one vendor is back in progress: the results page refuses her, and the Overview says nothing.
    await handle.db
      .updateTable('scoresheet')
      .set({ status: 'in_progress' })
      .where('evaluator_id', '=', closed.evaluators[1]!.id)
      .where('submission_id', '=', closed.vendors[0]!.submissionId)
      .execute();
    const priya = new Visitor(server.baseUrl);
    await priya.login(closed.evaluators[1]!.email);
    expect((await priya.get(`/rfps/${closed.rfpId}/results`)).status).toBe(403);
    const overview = await priya.get(`/rfps/${closed.rfpId}`);
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(outcomeOf(html)).toBeNull();
    expect(html).not.toContain('82.76');
  });

  it('shows no outcome before the RFP is closed', async () => {
    const lead = new Visitor(server.baseUrl);
    await lead.login(consensus.lead.email);
    const response = await lead.get(`/rfps/${consensus.rfpId}`);
    expect(response.status).toBe(200);
    expect(outcomeOf(await response.text())).toBeNull();
  });
});
