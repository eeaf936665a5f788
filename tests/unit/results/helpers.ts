/**
 * Builds the results bundle the view-models read from a plain engine input, as `loadScoringBundle` would from the
 * database: keys equal ids, every score carries a rationale.
 */
import type { ResultsBundle, ResultsSource } from '#app/results/view-model';
import { tryComputeResults, type ScoringInput, type ScoringScore } from '#scoring/index';

export function bundleOf(input: ScoringInput, consensusRationale = 'Agreed after discussion.'): ResultsBundle {
  const recused = new Set(input.evaluators.flatMap((e) => (e.recusedFrom ?? []).map((v) => `${e.id}|${v}`)));
  return {
    input: { settings: input.settings, scores: input.scores },
    sections: input.sections.map((s) => ({ id: s.id, key: s.id, title: s.title })),
    criteria: input.criteria.map((c) => ({ id: c.id, key: c.id.toUpperCase(), title: c.title, kind: c.kind, points: c.points, sectionId: c.sectionId })),
    vendors: input.vendors.map((v) => ({ id: v.id, key: v.id, name: v.name, submissionId: `sub-${v.id}`, status: 'responsive' as const, price: v.price })),
    excluded: [],
    evaluators: input.evaluators.map((e) => ({ id: e.id, name: e.name, email: `${e.id}@city.example`, recusedFrom: [...(e.recusedFrom ?? [])] })),
    scoreDetails: input.scores.map((s) => ({
      ...s,
      rationale: `Rationale of ${s.evaluatorId} for ${s.vendorId} on ${s.criterionId}.`,
      recused: recused.has(`${s.evaluatorId}|${s.vendorId}`),
    })),
    consensusDetails: (input.consensus ?? []).map((k) => ({ ...k, rationale: consensusRationale, decidedBy: 'Lena Lead', decidedAt: '2027-01-30T10:00:00.000Z' })),
    ignored: [],
  };
}

export function sourceOf(input: ScoringInput, panelVisible: boolean, status: ResultsSource['rfp']['status'] = 'consensus'): ResultsSource {
  return {
    rfp: { id: 'rfp-1', reference: 'RFP-TEST-1', title: 'Test RFP', status },
    bundle: bundleOf(input),
    outcome: tryComputeResults(input),
    panelVisible,
  };
}

const settings = { scaleMax: 5, aggregation: 'mean' as const, divergenceThreshold: 0.3, priceFormula: 'ratio' as const, totalPoints: 100, allowHalfPoints: false };

/**
 * Three vendors, two sections and a price: Acme wins; Beta is second; Gamma fails the knock-out unanimously.
 * Ann, Ben and Cara score; Cara is recused from Beta (her score for Beta is ignored). Acme × c1 is divergent
 * (1, 3, 5) and settled by consensus at 4.
 */
export function sampleInput(overrides: Partial<ScoringInput> = {}): ScoringInput {
  const scores: ScoringScore[] = [];
  const table: Record<string, Record<string, number[]>> = {
    A: { c1: [1, 3, 5], c2: [4, 4, 4], ko: [1, 1, 1] },
    B: { c1: [3, 3, 0], c2: [2, 3, 2], ko: [1, 1, 1] },
    G: { c1: [2, 2, 2], c2: [1, 1, 1], ko: [0, 0, 0] },
  };
  const evaluators = ['e1', 'e2', 'e3'];
  for (const [vendorId, row] of Object.entries(table)) {
    for (const [criterionId, values] of Object.entries(row)) {
      values.forEach((value, i) => scores.push({ evaluatorId: evaluators[i]!, vendorId, criterionId, value, submitted: true }));
    }
  }
  return {
    settings,
    sections: [
      { id: 's1', title: 'Approach' },
      { id: 's2', title: 'Cost' },
    ],
    criteria: [
      { id: 'ko', sectionId: 's1', title: 'No training on city data', kind: 'pass_fail', points: 0 },
      { id: 'c1', sectionId: 's1', title: 'Bias testing', kind: 'scored', points: 40 },
      { id: 'c2', sectionId: 's1', title: 'Human oversight', kind: 'scored', points: 30 },
      { id: 'price', sectionId: 's2', title: 'Price', kind: 'price', points: 30 },
    ],
    vendors: [
      { id: 'A', name: 'Acme', price: 200_000 },
      { id: 'B', name: 'Beta', price: 100_000 },
      { id: 'G', name: 'Gamma', price: 50_000 },
    ],
    evaluators: [
      { id: 'e1', name: 'Ann' },
      { id: 'e2', name: 'Ben' },
      { id: 'e3', name: 'Cara', recusedFrom: ['B'] },
    ],
    scores,
    consensus: [{ vendorId: 'A', criterionId: 'c1', value: 4 }],
    scoresheets: [],
    ...overrides,
  };
}
