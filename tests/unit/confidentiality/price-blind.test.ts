/** The price-blind rules (app/confidentiality/price-blind.ts): who is blind when, and what a blind reader receives. */
import { describe, expect, it } from 'vitest';
import { isPriceBlind, PRICE_WITHHELD, type PriceBlindFacts, PriceView } from '#app/confidentiality/price-blind';

const facts = (over: Partial<PriceBlindFacts> = {}): PriceBlindFacts => ({
  priceBlind: true,
  memberRole: 'evaluator',
  status: 'evaluation',
  requiredSheets: ['submitted', 'in_progress'],
  priceCriterionIds: ['c-price'],
  priceQuestionIds: ['q-price'],
  ...over,
});

describe('who is price-blind', () => {
  it('an evaluator with a sheet still open, or none submitted yet', () => {
    expect(isPriceBlind(facts())).toBe(true);
    expect(isPriceBlind(facts({ requiredSheets: ['not_started'] }))).toBe(true);
    expect(isPriceBlind(facts({ status: 'open', requiredSheets: [] }))).toBe(true);
  });
  it('not once every sheet they must submit is submitted', () => {
    expect(isPriceBlind(facts({ requiredSheets: ['submitted', 'submitted'] }))).toBe(false);
  });
  it('not the lead, an observer or an admin off the panel; nobody when the RFP is not price-blind', () => {
    for (const memberRole of ['lead', 'observer', null] as const) expect(isPriceBlind(facts({ memberRole }))).toBe(false);
    expect(isPriceBlind(facts({ priceBlind: false }))).toBe(false);
  });
  it('nobody once scoring is over; again after going back to evaluation', () => {
    expect(isPriceBlind(facts({ status: 'consensus' }))).toBe(false);
    expect(isPriceBlind(facts({ status: 'closed' }))).toBe(false);
    expect(isPriceBlind(facts({ status: 'evaluation' }))).toBe(true);
  });
});

describe('what a blind reader receives', () => {
  const sections = [
    { id: 's1', criteria: [{ id: 'c1', kind: 'scored' as const }, { id: 'c-price', kind: 'price' as const }] },
    { id: 's2', criteria: [{ id: 'c-price-2', kind: 'price' as const }] },
    { id: 's3', criteria: [] },
  ];
  it('no price criterion, no section left with only price, no price question, file or figure; a note saying why', () => {
    const view = PriceView.for(facts());
    expect(view.visibleSections(sections).map((s) => [s.id, s.criteria.map((c) => c.id)])).toEqual([
      ['s1', ['c1']],
      ['s3', []],
    ]);
    expect(view.hidesQuestion('q-price')).toBe(true);
    expect(view.hidesQuestion('q-other')).toBe(false);
    expect(view.hidesAttachment({ question_id: 'q-price' })).toBe(true);
    expect(view.hidesAttachment({ question_id: null })).toBe(false);
    expect(view.hidesCriterionId('c-price')).toBe(true);
    expect(view.price(125_000)).toBeNull();
    expect(view.notice).toBe(PRICE_WITHHELD);
  });
  it('everything, unchanged, for a reader who is not blind', () => {
    const view = PriceView.for(facts({ requiredSheets: ['submitted'] }));
    expect(view.visibleSections(sections)).toEqual(sections);
    expect(view.price(125_000)).toBe(125_000);
    expect(view.hidesQuestion('q-price')).toBe(false);
    expect(view.notice).toBeNull();
    expect(PriceView.open().hidden).toBe(false);
  });
});
