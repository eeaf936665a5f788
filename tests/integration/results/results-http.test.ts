/**
 * The results and scorecard pages through the real server: who may read them in which status, what the drill-down
 * reveals, and that the portable file's results are exactly the page's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_OPENS } from '#app/results/matrix-compact';
import type { CompactCell } from '#app/results/types';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import type { RfpStatus } from '#db/schema';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION, syntheticEvaluationSpec } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const DATA = '_data=routes/rfps.$rfpId.results';

describe('results pages over HTTP', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  let demoRfpId: string;
  const visitors: Record<'lead' | 'observer' | 'evan' | 'priya' | 'marcus' | 'admin', Visitor> = {} as never;

  async function setStatus(status: RfpStatus) {
    await handle.db.updateTable('rfp').set({ status }).where('id', '=', evaluation.rfpId).execute();
  }

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    evaluation = await createEvaluation(handle.db, { ...DEFAULT_EVALUATION, passwordHash: await hashPassword('demo-password') });
    demoRfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    const logins: Array<[keyof typeof visitors, string]> = [
      ['lead', evaluation.lead.email],
      ['observer', evaluation.observers[0]!.email],
      ['evan', evaluation.evaluators[0]!.email],
      ['priya', evaluation.evaluators[1]!.email],
      ['marcus', evaluation.evaluators[2]!.email],
      ['admin', 'admin@city.example'],
    ];
    for (const [who, email] of logins) {
      visitors[who] = new Visitor(server.baseUrl);
      await visitors[who].login(email);
    }
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('shows an open RFP with nothing scored with a "not final" banner to its lead, observer and an admin, and refuses its evaluators', async () => {
    const open = await createEvaluation(handle.db, {
      ...DEFAULT_EVALUATION,
      status: 'open',
      consensus: [],
      score: () => null,
      sheet: () => null,
      passwordHash: await hashPassword('demo-password'),
    });
    const people: Array<[string, string]> = [
      ['lead', open.lead.email],
      ['observer', open.observers[0]!.email],
      ['admin', 'admin@city.example'],
    ];
    for (const [who, email] of people) {
      const visitor = who === 'admin' ? visitors.admin : new Visitor(server.baseUrl);
      if (who !== 'admin') await visitor.login(email);
      const page = await visitor.get(`/rfps/${open.rfpId}/results`);
      expect(page.status, who).toBe(200);
      const html = await page.text();
      expect(html).toContain('Not final: these results are provisional');
      expect(html).toContain('The RFP is in status “Open for responses”: the evaluation has not started.');
      expect(html).toContain('Evan Chen has not submitted the scoresheet for BudgetBot LLC.');
      expect(html).toContain('Comparison matrix');
      const card = await visitor.get(`/rfps/${open.rfpId}/scorecard`);
      expect(card.status, who).toBe(200);
      expect(await card.text()).toContain('Provisional:');
    }
    const evaluator = new Visitor(server.baseUrl);
    await evaluator.login(open.evaluators[0]!.email);
    const refused = await evaluator.get(`/rfps/${open.rfpId}/results`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Evaluators can read the results once the RFP reaches consensus.');
    expect((await evaluator.get(`/rfps/${open.rfpId}/scorecard`)).status).toBe(403);
    // Not a member: the RFP does not exist for them.
    expect((await visitors.lead.get(`/rfps/${open.rfpId}/results`)).status).toBe(404);
    expect((await visitors.lead.get(`/rfps/${demoRfpId}/scorecard`)).status).toBe(404);
  });

  it('in evaluation: lead and observer see the panel’s figures but not individual scores; evaluators are refused', async () => {
    await setStatus('evaluation');
    for (const who of ['lead', 'observer'] as const) {
      const response = await visitors[who].get(`/rfps/${evaluation.rfpId}/results?${DATA}`);
      expect(response.status, who).toBe(200);
      const data = (await response.json()) as { view: { panel: { visible: boolean }; matrix: { drillable: boolean; groups: Array<{ rows: Array<{ cells: CompactCell[] }> }> } } };
      expect(data.view.panel.visible).toBe(false);
      expect(data.view.matrix.drillable).toBe(false);
      expect(data.view.matrix.groups.flatMap((g) => g.rows.flatMap((r) => r.cells)).every((c) => (c[3] & CELL_OPENS) === 0)).toBe(true);
      const criterion = evaluation.criteria.find((c) => c.key === 'RAI-MEAS')!;
      const drill = await visitors[who].get(`/rfps/${evaluation.rfpId}/results/criterion/${criterion.id}`);
      expect(drill.status, who).toBe(403);
      expect(await drill.text()).toContain('once the RFP reaches consensus');
      const html = await (await visitors[who].get(`/rfps/${evaluation.rfpId}/results`)).text();
      expect(html).not.toContain('judged against the rubric anchors');
      expect(html).toContain('once the RFP reaches consensus');
    }
    for (const who of ['evan', 'priya', 'marcus'] as const) {
      expect((await visitors[who].get(`/rfps/${evaluation.rfpId}/results`)).status, who).toBe(403);
      expect((await visitors[who].get(`/rfps/${evaluation.rfpId}/scorecard`)).status, who).toBe(403);
    }
  });

  it('in consensus: everyone with access sees each evaluator’s score and rationale; an evaluator with an open sheet is refused', async () => {
    await setStatus('consensus');
    const governance = evaluation.criteria.find((c) => c.title === 'AI governance and accountability')!;
    const bias = evaluation.criteria.find((c) => c.title === 'Bias and performance testing')!;
    for (const who of ['lead', 'observer', 'admin', 'evan', 'marcus'] as const) {
      const page = await visitors[who].get(`/rfps/${evaluation.rfpId}/results`);
      expect(page.status, who).toBe(200);
      const html = await page.text();
      // The cells open, and their scores and rationales are read when one is opened: the page carries none.
      expect(html, who).toContain('<details><summary>');
      expect(html, who).not.toContain('judged against the rubric anchors');
      expect(html, who).not.toContain('Bias testing covers English only');
      const drills = await Promise.all([governance, bias].map(async (c) => {
        const response = await visitors[who].get(`/rfps/${evaluation.rfpId}/results/criterion/${c.id}`);
        expect(response.status, who).toBe(200);
        expect(response.headers.get('content-type')).toContain('application/json');
        return response.text();
      }));
      expect(drills[0], who).toContain('shows level 4 evidence for “AI governance and accountability”, judged against the rubric anchors.');
      expect(drills[0], who).not.toContain('Bias testing covers English only');
      expect(drills[1], who).toContain('Bias testing covers English only');
    }
    // Another RFP's criterion, or no such id: nothing to read.
    const other = await visitors.lead.get(`/rfps/${evaluation.rfpId}/results/criterion/no-such-criterion`);
    expect(other.status).toBe(404);
    expect((await visitors.lead.get(`/rfps/${evaluation.rfpId}/results/criterion/${'x'.repeat(101)}`)).status).toBe(404);
    // Priya reopens one sheet: she may not read results until it is submitted again.
    const priya = evaluation.evaluators[1]!;
    const omni = evaluation.vendors.find((v) => v.name === 'OmniSight Analytics')!;
    await handle.db.updateTable('scoresheet').set({ status: 'in_progress', submitted_at: null }).where('submission_id', '=', omni.submissionId).where('evaluator_id', '=', priya.id).execute();
    const refused = await visitors.priya.get(`/rfps/${evaluation.rfpId}/results`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('once all your scoresheets are submitted (1 still open)');
    const lead = await (await visitors.lead.get(`/rfps/${evaluation.rfpId}/results`)).text();
    expect(lead).toContain('Priya Natarajan has not submitted the scoresheet for OmniSight Analytics.');
    await handle.db.updateTable('scoresheet').set({ status: 'submitted', submitted_at: new Date().toISOString() }).where('submission_id', '=', omni.submissionId).where('evaluator_id', '=', priya.id).execute();
    expect((await visitors.priya.get(`/rfps/${evaluation.rfpId}/results`)).status).toBe(200);
    // Marcus is recused from QuickServe AI and has no sheet for it: that does not block him.
    expect((await visitors.marcus.get(`/rfps/${evaluation.rfpId}/scorecard`)).status).toBe(200);
  });

  it('gives the portable file exactly the ranking the page shows', async () => {
    await setStatus('closed');
    const data = (await (await visitors.lead.get(`/rfps/${evaluation.rfpId}/results?${DATA}`)).json()) as {
      view: { final: boolean; ranking: Array<{ key: string; rank: number | null; total: string; qualified: boolean }> };
    };
    const file = (await (await visitors.lead.get(`/rfps/${evaluation.rfpId}/export.json`)).json()) as { results: { final: boolean; ranking: Array<{ vendor: string; rank: number | null; total: number; qualified: boolean }> } };
    expect(file.results.final).toBe(true);
    expect(data.view.final).toBe(true);
    expect(file.results.ranking.map((r) => [r.vendor, r.rank, r.total.toFixed(2), r.qualified])).toEqual(
      data.view.ranking.map((r) => [r.key, r.rank, r.total, r.qualified]),
    );
    const html = await (await visitors.lead.get(`/rfps/${evaluation.rfpId}/results`)).text();
    for (const row of file.results.ranking) expect(html).toContain(`>${row.total.toFixed(2)}<`);
  });

  it('in a large evaluation, links each criterion to every score and rationale on it, shown on request', async () => {
    // 10 vendors × 29 scorable criteria × 12 evaluators = 3,480 scores: above the inline-rationales limit.
    const big = await createEvaluation(handle.db, { ...syntheticEvaluationSpec({ vendors: 10, criteria: 30, evaluators: 12 }, 3), passwordHash: await hashPassword('demo-password') });
    const lead = new Visitor(server.baseUrl);
    await lead.login(big.lead.email);
    const html = await (await lead.get(`/rfps/${big.rfpId}/results`)).text();
    expect(html).not.toContain('with evidence the rubric asks for at this level');
    const criterion = big.criteria.find((c) => c.key === 'C-7')!;
    expect(html).toContain(`href="?criterion=${criterion.id}#criterion-rationales"`);
    const focused = await lead.get(`/rfps/${big.rfpId}/results?criterion=${criterion.id}`);
    expect(focused.status).toBe(200);
    const text = await focused.text();
    expect(text).toContain('Every score and rationale: Criterion 7 (C-7)');
    expect(text.match(/the response addresses criterion 7 with evidence/g)?.length).toBeGreaterThanOrEqual(big.vendors.length * 12);
    expect(text).not.toContain('the response addresses criterion 8 with evidence');
    // A criterion id from elsewhere shows nothing extra.
    const other = evaluation.criteria.find((c) => c.key === 'RAI-GOV')!;
    const ignored = await (await lead.get(`/rfps/${big.rfpId}/results?criterion=${other.id}`)).text();
    expect(ignored).not.toContain('Every score and rationale');
  });

  it('renders the scorecard in plain language', async () => {
    const html = await (await visitors.observer.get(`/rfps/${evaluation.rfpId}/scorecard`)).text();
    expect(html).toContain('Civic Answers Inc., with 82.76 of 100.00 points.');
    expect(html).toContain('Civic Answers Inc. leads the runner-up, QuickServe AI (78.00 points), by 4.76 points.');
    expect(html).toContain('Failed knock-out “No training on the city’s data” (all 3 evaluators).');
    expect(html).toContain('Four languages are supported with human review of translations');
    expect(html).toMatch(/wins [\d.]+% of 10,000 random re-weightings/);
  });
});
