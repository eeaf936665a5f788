/**
 * Assembling the engine's input from the database (db/queries/scoring-input.ts), on SQLite and on PostgreSQL:
 * which submissions, evaluators, scores and consensus count, and what makes results provisional.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { everythingFor } from '#app/confidentiality/panel';
import type { DatabaseHandle } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { buildPortableRfp } from '#db/portable/export';
import { addRationales, computeRfpResults, loadScoringBundle, portableResults } from '#db/queries/scoring-input';
import { computeResults } from '#scoring/index';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { createTestDatabase } from '#tests/support/db';

async function rfpRow(handle: DatabaseHandle, id: string) {
  return handle.db.selectFrom('rfp').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function vendorId(evaluation: CreatedEvaluation, name: string): string {
  return evaluation.vendors.find((v) => v.name === name)!.id;
}

describe('scoring input from the database', () => {
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;

  beforeEach(async () => {
    handle = await createTestDatabase();
    evaluation = await createEvaluation(handle.db);
  });
  afterEach(async () => {
    // The bundle reads its tables in parallel (several pooled PostgreSQL connections): let the pool's sockets close
    // before close() drops the database, or the server's "terminating connection" reaches a closing client.
    await handle.db.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await handle.close();
  });

  it('includes received and responsive submissions only, and lists the withdrawn one with its reason', async () => {
    const bundle = await loadScoringBundle(handle.db, await rfpRow(handle, evaluation.rfpId));
    expect(bundle.input.vendors.map((v) => v.name)).toEqual(['BudgetBot LLC', 'Civic Answers Inc.', 'OmniSight Analytics', 'QuickServe AI']);
    expect(bundle.excluded).toEqual([
      { vendorId: vendorId(evaluation, 'Legacy Systems Co.'), key: expect.any(String), name: 'Legacy Systems Co.', status: 'withdrawn', reason: 'Withdrew its proposal on 2026-12-20.' },
    ]);
    // The factory scored the withdrawn vendor too: none of those scores reach the engine.
    const legacy = vendorId(evaluation, 'Legacy Systems Co.');
    expect(bundle.input.scores.some((s) => s.vendorId === legacy)).toBe(false);
    expect(bundle.input.vendors.find((v) => v.name === 'Civic Answers Inc.')!.price).toBe(1_240_000);

    // A non-responsive finding takes a vendor out too; a received one is in.
    const omni = evaluation.vendors.find((v) => v.name === 'OmniSight Analytics')!;
    await handle.db.updateTable('submission').set({ status: 'non_responsive', status_reason: 'Missing the Section 508 report.' }).where('id', '=', omni.submissionId).execute();
    const quick = evaluation.vendors.find((v) => v.name === 'QuickServe AI')!;
    await handle.db.updateTable('submission').set({ status: 'received' }).where('id', '=', quick.submissionId).execute();
    const after = await loadScoringBundle(handle.db, await rfpRow(handle, evaluation.rfpId));
    expect(after.input.vendors.map((v) => v.name)).toEqual(['BudgetBot LLC', 'Civic Answers Inc.', 'QuickServe AI']);
    expect(after.excluded.map((x) => [x.name, x.status])).toEqual([
      ['Legacy Systems Co.', 'withdrawn'],
      ['OmniSight Analytics', 'non_responsive'],
    ]);
  });

  it('assembles settings, sections, criteria and evaluators in order, with recusals, sheets and votes as 1/0', async () => {
    const bundle = await loadScoringBundle(handle.db, await rfpRow(handle, evaluation.rfpId));
    const { input } = bundle;
    expect(input.settings).toEqual({ scaleMax: 5, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula: 'ratio', totalPoints: 100, allowHalfPoints: false });
    expect(bundle.sections.map((s) => s.key)).toEqual(['knock-outs', 'responsible-ai', 'security-privacy', 'accessibility', 'cost']);
    expect(bundle.criteria.map((c) => c.key).slice(0, 5)).toEqual(['KO-PROHIB', 'KO-NOTRAIN', 'RAI-GOV', 'RAI-MEAS', 'RAI-OVERSIGHT']);
    expect(input.criteria.reduce((sum, c) => sum + c.points, 0)).toBe(100);
    expect(input.evaluators.map((e) => e.name)).toEqual(['Evan Chen', 'Marcus Bell', 'Priya Natarajan']);
    const marcus = input.evaluators.find((e) => e.name === 'Marcus Bell')!;
    expect(marcus.recusedFrom).toEqual([vendorId(evaluation, 'QuickServe AI')]);
    // One sheet per evaluator × included vendor; the recused pair has no row and shows as not started.
    expect(input.scoresheets).toHaveLength(12);
    expect(input.scoresheets!.filter((s) => s.status === 'not_started')).toEqual([
      { evaluatorId: marcus.id, vendorId: vendorId(evaluation, 'QuickServe AI'), status: 'not_started' },
    ]);
    const ko = bundle.criteria.find((c) => c.key === 'KO-NOTRAIN')!;
    const budget = vendorId(evaluation, 'BudgetBot LLC');
    expect(input.scores.filter((s) => s.criterionId === ko.id && s.vendorId === budget).map((s) => s.value)).toEqual([0, 0, 0]);
    expect(input.scores.every((s) => s.submitted)).toBe(true);
    // Drill-down details are read only when asked for; rationale text for all criteria, some, or none.
    expect(bundle.scoreDetails).toEqual([]);
    const rfp = await rfpRow(handle, evaluation.rfpId);
    const withRationales = await loadScoringBundle(handle.db, rfp, { details: 'rationales' });
    expect(withRationales.scoreDetails).toHaveLength(input.scores.length);
    expect(withRationales.scoreDetails.every((d) => typeof d.rationale === 'string' && /rubric|contract|reserves/.test(d.rationale))).toBe(true);
    const gov = bundle.criteria.find((c) => c.key === 'RAI-GOV')!;
    const some = await loadScoringBundle(handle.db, rfp, { details: 'scores', rationalesFor: [gov.id] });
    expect(some.scoreDetails).toHaveLength(input.scores.length);
    expect(some.scoreDetails.filter((d) => d.rationale !== null).map((d) => d.criterionId)).toEqual(Array(11).fill(gov.id));
    expect(some.scoreDetails.find((d) => d.criterionId === gov.id && d.vendorId === vendorId(evaluation, 'QuickServe AI') && d.evaluatorId === evaluation.evaluators[0]!.id)!.rationale).toBe(
      'QuickServe AI shows level 3 evidence for “AI governance and accountability”, judged against the rubric anchors.',
    );
    await addRationales(handle.db, rfp.id, some, 'all');
    const byKey = (d: { evaluatorId: string; vendorId: string; criterionId: string }) => `${d.evaluatorId}|${d.vendorId}|${d.criterionId}`;
    const sorted = (list: typeof some.scoreDetails) => [...list].sort((a, b) => byKey(a).localeCompare(byKey(b)));
    expect(sorted(some.scoreDetails)).toEqual(sorted(withRationales.scoreDetails));
  });

  it('computes the expected results: consensus overrides the mean, a unanimous fail disqualifies', async () => {
    const { bundle, outcome } = await computeRfpResults(handle.db, await rfpRow(handle, evaluation.rfpId));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const { results } = outcome;
    expect(results.final).toBe(true);
    const meas = bundle.criteria.find((c) => c.key === 'RAI-MEAS')!;
    const omni = results.vendors.find((v) => v.name === 'OmniSight Analytics')!;
    expect(omni.criteria.find((c) => c.criterionId === meas.id)).toMatchObject({ value: 3, source: 'consensus', divergent: true, spread: 0.8, scoresCount: 3 });
    const budget = results.vendors.find((v) => v.name === 'BudgetBot LLC')!;
    expect(budget.qualified).toBe(false);
    expect(budget.disqualifiedBecause[0]).toContain('No training on the city’s data');
    expect(portableResults(bundle, results).ranking.map((r) => [r.rank, r.total])).toEqual([
      [1, 82.76],
      [2, 78],
      [3, 73.33],
      [null, 59.33],
    ]);
    // The same figures as the engine on the same input, by hand: Civic's consensus on language access is 4 → 8 points.
    const lang = bundle.criteria.find((c) => c.key === 'ACC-LANG')!;
    const civic = results.vendors.find((v) => v.name === 'Civic Answers Inc.')!;
    expect(civic.criteria.find((c) => c.criterionId === lang.id)).toMatchObject({ value: 4, points: 8, source: 'consensus' });
    expect(computeResults(bundle.input).vendors.map((v) => v.total)).toEqual(results.vendors.map((v) => v.total));
  });

  it('never counts a recused evaluator’s score, and says so', async () => {
    const marcus = evaluation.evaluators[2]!;
    const quick = evaluation.vendors.find((v) => v.name === 'QuickServe AI')!;
    const gov = evaluation.criteria.find((c) => c.key === 'RAI-GOV')!;
    const before = await computeRfpResults(handle.db, await rfpRow(handle, evaluation.rfpId));
    await handle.db
      .insertInto('score')
      .values({ id: newId(), rfp_id: evaluation.rfpId, submission_id: quick.submissionId, criterion_id: gov.id, evaluator_id: marcus.id, value: 0, rationale: 'Should not count.', version: 1, created_at: nowIso(), updated_at: nowIso() })
      .execute();
    await handle.db
      .insertInto('scoresheet')
      .values({ rfp_id: evaluation.rfpId, submission_id: quick.submissionId, evaluator_id: marcus.id, status: 'submitted', submitted_at: nowIso(), updated_at: nowIso() })
      .execute();
    const after = await computeRfpResults(handle.db, await rfpRow(handle, evaluation.rfpId));
    if (!before.outcome.ok || !after.outcome.ok) throw new Error('results expected');
    const cell = (r: typeof after.outcome.results) => r.vendors.find((v) => v.vendorId === quick.id)!.criteria.find((c) => c.criterionId === gov.id)!;
    expect(cell(after.outcome.results)).toEqual(cell(before.outcome.results));
    expect(after.outcome.results.warnings).toContain('Scores by Marcus Bell for QuickServe AI were ignored: Marcus Bell is recused from QuickServe AI.');
  });

  it('makes results not final when a price is missing or a sheet is still in progress, and counts only submitted sheets', async () => {
    const civic = evaluation.vendors.find((v) => v.name === 'Civic Answers Inc.')!;
    await handle.db.updateTable('submission').set({ price: null }).where('id', '=', civic.submissionId).execute();
    const evan = evaluation.evaluators[0]!;
    const omni = evaluation.vendors.find((v) => v.name === 'OmniSight Analytics')!;
    await handle.db.updateTable('scoresheet').set({ status: 'in_progress', submitted_at: null }).where('submission_id', '=', omni.submissionId).where('evaluator_id', '=', evan.id).execute();
    const { bundle, outcome } = await computeRfpResults(handle.db, await rfpRow(handle, evaluation.rfpId));
    if (!outcome.ok) throw new Error('results expected');
    expect(outcome.results.final).toBe(false);
    expect(outcome.results.notFinalBecause).toEqual([
      'Evan Chen has not submitted the scoresheet for OmniSight Analytics.',
      'The price of Civic Answers Inc. is missing, so its price points are not computed.',
    ]);
    expect(bundle.input.scores.filter((s) => s.evaluatorId === evan.id && s.vendorId === omni.id).every((s) => !s.submitted)).toBe(true);
    const gov = bundle.criteria.find((c) => c.key === 'RAI-GOV')!;
    expect(outcome.results.vendors.find((v) => v.vendorId === omni.id)!.criteria.find((c) => c.criterionId === gov.id)!.scoresCount).toBe(2);
    expect(portableResults(bundle, outcome.results).final).toBe(false);
  });

  it('does not count scores by someone no longer assigned, and names that in `ignored`', async () => {
    const evan = evaluation.evaluators[0]!;
    await handle.db.deleteFrom('assignment').where('rfp_id', '=', evaluation.rfpId).where('user_id', '=', evan.id).execute();
    const bundle = await loadScoringBundle(handle.db, await rfpRow(handle, evaluation.rfpId));
    expect(bundle.input.evaluators.map((e) => e.name)).toEqual(['Marcus Bell', 'Priya Natarajan']);
    expect(bundle.input.scores.some((s) => s.evaluatorId === evan.id)).toBe(false);
    expect(bundle.ignored).toEqual(['Scores by one person who is no longer assigned to this RFP are not counted.']);
  });

  it('reports fatal problems (weights that do not add up) instead of throwing', async () => {
    const gov = evaluation.criteria.find((c) => c.key === 'RAI-GOV')!;
    await handle.db.updateTable('criterion').set({ points: 15 }).where('id', '=', gov.id).execute();
    const { outcome } = await computeRfpResults(handle.db, await rfpRow(handle, evaluation.rfpId));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.code)).toContain('POINTS_TOTAL_MISMATCH');
    const broken = await rfpRow(handle, evaluation.rfpId);
    const file = await buildPortableRfp(handle.db, broken, everythingFor(broken));
    expect(file.results).toEqual({ final: false, ranking: [] });
  });

  it('writes the engine’s ranking into the portable file, rounded as the page shows it', async () => {
    const rfp = await rfpRow(handle, evaluation.rfpId);
    const file = await buildPortableRfp(handle.db, rfp, everythingFor(rfp));
    const { bundle, outcome } = await computeRfpResults(handle.db, rfp);
    if (!outcome.ok) throw new Error('results expected');
    expect(file.results).toEqual(portableResults(bundle, outcome.results));
    const civic = evaluation.vendors.find((v) => v.name === 'Civic Answers Inc.')!;
    expect(file.results.ranking[0]).toEqual({
      vendor: civic.key,
      rank: 1,
      qualified: true,
      disqualifiedBecause: null,
      total: 82.76,
      sections: { 'knock-outs': 0, 'responsible-ai': 21, 'security-privacy': 16, accessibility: 18, cost: 27.76 },
    });
    expect(file.results.ranking[3]!.disqualifiedBecause).toContain('No training on the city’s data');
  });

  it('handles an RFP with nothing evaluated yet: results computed, not final', async () => {
    const empty = await createEvaluation(handle.db, {
      ...DEFAULT_EVALUATION,
      status: 'open',
      evaluators: [],
      recusals: {},
      consensus: [],
      score: () => null,
    });
    const { outcome, bundle } = await computeRfpResults(handle.db, await rfpRow(handle, empty.rfpId));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results.final).toBe(false);
    expect(bundle.input.scoresheets).toEqual([]);
    expect(outcome.results.notFinalBecause.some((r) => r.includes('is not scored on'))).toBe(true);
    expect(outcome.results.vendors.every((v) => v.total > 0)).toBe(true); // price points only
  });
});
