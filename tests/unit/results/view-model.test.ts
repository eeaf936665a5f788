import { describe, expect, it } from 'vitest';
import { buildResultsView } from '#app/results/view-model';
import { computeResults } from '#scoring/index';
import { sampleInput, sourceOf } from './helpers';

describe('results view-model', () => {
  it('ranks with totals and section subtotals rounded for display, disqualified vendors last with the reason', () => {
    const view = buildResultsView(sourceOf(sampleInput(), true));
    expect(view.final).toBe(true);
    expect(view.notFinalBecause).toEqual([]);
    expect(view.sections.map((s) => [s.title, s.available])).toEqual([
      ['Approach', '70.00'],
      ['Cost', '30.00'],
    ]);
    expect(view.ranking.map((r) => [r.rank, r.name, r.total, r.sections])).toEqual([
      [1, 'Acme', '71.00', ['56.00', '15.00']],
      [2, 'Beta', '69.00', ['39.00', '30.00']],
      [null, 'Gamma', '52.00', ['22.00', '30.00']],
    ]);
    expect(view.ranking[2]!.qualified).toBe(false);
    expect(view.ranking[2]!.disqualifiedBecause.join(' ')).toContain('No training on city data');
    expect(view.winners).toEqual(['Acme']);
  });

  it('colours matrix cells by score band, always prints the number, and marks divergence and consensus', () => {
    const { matrix } = buildResultsView(sourceOf(sampleInput(), true));
    expect(matrix).not.toBeNull();
    expect(matrix!.vendors.map((v) => v.name)).toEqual(['Acme', 'Beta', 'Gamma']);
    const row = (key: string) => matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === key)!;
    const [acmeC1, betaC1, gammaC1] = row('C1').cells;
    expect(acmeC1).toMatchObject({ text: '4', points: '32.00', band: 4, tone: 'scored', source: 'consensus', divergent: true, spread: '0.80' });
    expect(acmeC1!.consensus).toMatchObject({ value: '4', decidedBy: 'Lena Lead' });
    expect(betaC1).toMatchObject({ text: '3', band: 3, divergent: false });
    expect(gammaC1).toMatchObject({ text: '2', band: 2 });
    expect(row('C2').cells[1]).toMatchObject({ text: '2.50', points: '15.00', band: 2 });
    expect(row('KO').cells.map((c) => [c.text, c.tone])).toEqual([
      ['Pass', 'pass'],
      ['Pass', 'pass'],
      ['Fail', 'fail'],
    ]);
    // Price cells show the price and are banded by the share of the price points earned.
    expect(row('PRICE').cells.map((c) => [c.text, c.points, c.band])).toEqual([
      ['$200,000.00', '15.00', 2],
      ['$100,000.00', '30.00', 4],
      ['$50,000.00', '30.00', 4],
    ]);
    expect(matrix!.totals).toEqual(['71.00', '69.00', '52.00']);
  });

  it('shows "—" (said "not scored") rather than 0, with no colour', () => {
    const input = sampleInput();
    const scores = input.scores.filter((s) => !(s.vendorId === 'B' && s.criterionId === 'c2'));
    const view = buildResultsView(sourceOf({ ...input, scores }, true));
    const cell = view.matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === 'C2')!.cells[1]!;
    expect(cell).toMatchObject({ text: '—', note: 'not scored', band: null, tone: 'none', points: null });
    expect(view.final).toBe(false);
    expect(view.notFinalBecause).toContain('Beta is not scored on “Human oversight”.');
  });

  it('shows "—" for a section nobody scored, never 0.00, in the ranking and the charts’ tables', () => {
    // Nobody has scored Beta on Approach yet (its knock-out is decided, but that carries no points).
    const input = sampleInput();
    const scores = input.scores.filter((s) => !(s.vendorId === 'B' && (s.criterionId === 'c1' || s.criterionId === 'c2')));
    const view = buildResultsView(sourceOf({ ...input, scores }, true));
    const beta = view.ranking.find((r) => r.name === 'Beta')!;
    expect(beta.sections).toEqual(['—', '30.00']);
    expect(beta.total).toBe('30.00');
    expect(view.ranking.find((r) => r.name === 'Acme')!.sections).toEqual(['56.00', '15.00']);
    const profile = view.charts.find((c) => c.id === 'section-profile')!.table;
    expect(profile.rows.find((r) => r.header === 'Beta')!.cells).toEqual(['—', '30.00 (100%)']);
    const contribution = view.charts.find((c) => c.id === 'contribution')!.table;
    expect(contribution.rows.find((r) => r.header.endsWith('Beta'))!.cells).toEqual(['—', '30.00', '30.00']);
    // A vendor that earned zero on a scored section still shows 0.00: zero is a score, "—" is the absence of one.
    const zero = sampleInput();
    const zeroScores = zero.scores.map((s) => (s.vendorId === 'B' && (s.criterionId === 'c1' || s.criterionId === 'c2') ? { ...s, value: 0 } : s));
    expect(buildResultsView(sourceOf({ ...zero, scores: zeroScores }, true)).ranking.find((r) => r.name === 'Beta')!.sections[0]).toBe('0.00');
  });

  it('marks a disqualified vendor’s price points as not counted', () => {
    const { matrix } = buildResultsView(sourceOf(sampleInput(), true));
    const price = matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === 'PRICE')!;
    // Gamma failed the knock-out: its $50,000 earns 30.00 points on paper, against the qualified P_min, but counts for nothing.
    expect(price.cells.map((c) => [c.points, c.pointsNotCounted])).toEqual([
      ['15.00', false],
      ['30.00', false],
      ['30.00', true],
    ]);
    expect(matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === 'C1')!.cells.every((c) => !c.pointsNotCounted)).toBe(true);
  });

  it('opens the drill-down to each evaluator’s score and rationale only when the panel is visible', () => {
    const hidden = buildResultsView(sourceOf(sampleInput(), false));
    expect(hidden.panel.visible).toBe(false);
    expect(hidden.panel.note).toMatch(/once the RFP reaches consensus/);
    expect(hidden.matrix!.groups.flatMap((g) => g.rows.flatMap((r) => r.cells)).every((c) => c.drill === null)).toBe(true);
    expect(JSON.stringify(hidden)).not.toContain('Rationale of');

    const shown = buildResultsView(sourceOf(sampleInput(), true));
    const betaC1 = shown.matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === 'C1')!.cells[1]!;
    expect(betaC1.drill!.map((d) => [shown.matrix!.evaluators[d.e], d.v, d.s ?? 'counted'])).toEqual([
      ['Ann', '3', 'counted'],
      ['Ben', '3', 'counted'],
      ['Cara', '0', 'recused'],
    ]);
    expect(betaC1.drill![0]!.r).toBe('Rationale of e1 for B on c1.');
    expect(shown.matrix!.rationalesInline).toBe(true);
    expect(shown.matrix!.focus).toBeNull();
    const ko = shown.matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === 'KO')!.cells[2]!;
    expect(ko.drill!.map((d) => d.v)).toEqual(['Fail', 'Fail', 'Fail']);
  });

  it('marks unsubmitted scores in the drill-down and lists the unsubmitted sheets as why the results are not final', () => {
    const input = sampleInput();
    const scores = input.scores.map((s) => (s.evaluatorId === 'e2' && s.vendorId === 'A' ? { ...s, submitted: false } : s));
    const view = buildResultsView(sourceOf({ ...input, scores, scoresheets: [{ evaluatorId: 'e2', vendorId: 'A', status: 'in_progress' }] }, true));
    expect(view.final).toBe(false);
    expect(view.notFinalBecause).toContain('Ben has not submitted the scoresheet for Acme.');
    const acmeC2 = view.matrix!.groups.flatMap((g) => g.rows).find((r) => r.key === 'C2')!.cells[0]!;
    expect(acmeC2.drill!.find((d) => d.e === 1)!.s).toBe('not_submitted');
  });

  it('says why results are not final when a price is missing, and adds what the engine cannot know', () => {
    const input = sampleInput({ evaluators: [], scores: [], consensus: [] });
    const vendors = input.vendors.map((v) => (v.id === 'A' ? { ...v, price: null } : v));
    const view = buildResultsView(sourceOf({ ...input, vendors }, false, 'open'));
    expect(view.final).toBe(false);
    expect(view.notFinalBecause[0]).toBe('No evaluator is assigned to this RFP yet.');
    expect(view.notFinalBecause[1]).toBe('The RFP is in status “Open for responses”: the evaluation has not started.');
    expect(view.notFinalBecause).toContain('The price of Acme is missing, so its price points are not computed.');
    expect(view.ranking.find((r) => r.name === 'Acme')!.problems).toEqual(['The price of Acme is missing, so its price points are not computed.']);
  });

  it('lists the fatal problems when the engine refuses the input, and shows no figures', () => {
    const input = sampleInput();
    const criteria = input.criteria.map((c) => (c.id === 'c1' ? { ...c, points: 50 } : c));
    const view = buildResultsView(sourceOf({ ...input, criteria }, true));
    expect(view.final).toBe(false);
    expect(view.problems.join(' ')).toMatch(/110/);
    expect(view.ranking).toEqual([]);
    expect(view.matrix).toBeNull();
    expect(view.charts).toEqual([]);
  });

  it('writes every chart’s summary from the data, with a title and a table', () => {
    const input = sampleInput();
    const view = buildResultsView(sourceOf(input, true));
    const results = computeResults(input);
    expect(view.charts.map((c) => c.id)).toEqual(['section-profile', 'contribution', 'spread', 'robustness']);
    for (const chart of view.charts) {
      expect(chart.title.length).toBeGreaterThan(0);
      expect(chart.summary.length).toBeGreaterThan(0);
      expect(chart.table.rows.length).toBeGreaterThan(0);
      expect(chart.how).toMatch(/DESIGN §4/);
    }
    const [profile, contribution, spread, robustness] = view.charts;
    expect(profile!.summary).toBe('Acme earns the highest share of the available points in 1 of 2 sections; Beta leads in Cost.');
    expect(profile!.data).toEqual([
      { section: 'Approach', v0: 80, v1: 55.71 },
      { section: 'Cost', v0: 50, v1: 100 },
    ]);
    expect(contribution!.summary).toBe('Acme totals 71.00 of 100.00 points, 2.00 points ahead of Beta; its largest contribution is Approach (56.00 points).');
    expect(spread!.summary).toBe(
      'Evaluators diverged (spread ≥ 30% of the scale) on 1 criterion for at least one vendor; the widest was “Bias testing” for Acme (4 of 5 points, 80% of the scale).',
    );
    expect(spread!.reference).toBe(30);
    const acmeShare = results.robustness.monteCarlo!.shares.find((s) => s.vendorId === 'A')!.share;
    const betaShare = results.robustness.monteCarlo!.shares.find((s) => s.vendorId === 'B')!.share;
    expect(acmeShare + betaShare).toBeCloseTo(1, 9);
    const pct = (x: number) => `${Math.round(x * 10_000) / 100}%`;
    expect(robustness!.summary).toBe(`Acme wins ${pct(acmeShare)} of 10,000 re-weightings; Beta ${pct(betaShare)}.`);
    expect(robustness!.table.rows.map((r) => r.header)).toEqual(['Acme', 'Beta']);
  });

  it('without rationale text (a large evaluation), lists the scores and shows one criterion’s rationales in full on request', () => {
    const source = sourceOf(sampleInput(), true);
    const bundle = { ...source.bundle, scoreDetails: source.bundle.scoreDetails.map((d) => ({ ...d, rationale: d.criterionId === 'c1' ? d.rationale : null })) };
    const view = buildResultsView({ ...source, bundle, focusCriterionId: 'c1' });
    const matrix = view.matrix!;
    expect(matrix.rationalesInline).toBe(false);
    const c2 = matrix.groups.flatMap((g) => g.rows).find((r) => r.key === 'C2')!.cells[0]!;
    expect(c2.drill!.map((d) => [d.v, d.r])).toEqual([
      ['4', undefined],
      ['4', undefined],
      ['4', undefined],
    ]);
    expect(matrix.focus).toMatchObject({ criterionId: 'c1', key: 'C1', title: 'Bias testing' });
    expect(matrix.focus!.vendors.map((v) => [v.name, v.text, v.entries.map((e) => e.r)])).toEqual([
      ['Acme', '4', ['Rationale of e1 for A on c1.', 'Rationale of e2 for A on c1.', 'Rationale of e3 for A on c1.']],
      ['Beta', '3', ['Rationale of e1 for B on c1.', 'Rationale of e2 for B on c1.', 'Rationale of e3 for B on c1.']],
      ['Gamma', '2', ['Rationale of e1 for G on c1.', 'Rationale of e2 for G on c1.', 'Rationale of e3 for G on c1.']],
    ]);
    expect(matrix.focus!.vendors[0]!.consensus).toMatchObject({ value: '4', rationale: 'Agreed after discussion.' });
    // Nobody gets a focus on scores they may not see.
    expect(buildResultsView({ ...source, panelVisible: false, focusCriterionId: 'c1' }).matrix!.focus).toBeNull();
  });

  it('cites the formulas with the RFP’s own settings', () => {
    const input = sampleInput({ settings: { ...sampleInput().settings, aggregation: 'median', priceFormula: 'linear', scaleMax: 10 } });
    const scaled = { ...input, scores: input.scores.map((s) => ({ ...s })), consensus: [] };
    const view = buildResultsView(sourceOf(scaled, true));
    expect(view.method.join(' ')).toContain('the median of the submitted evaluators');
    expect(view.method.join(' ')).toContain('p(v,c) = W_c × r(v,c) / 10');
    expect(view.method.join(' ')).toContain('linear formula');
    expect(view.methodShort.split('. ').length).toBe(2);
  });
});
