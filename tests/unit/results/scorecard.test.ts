import { describe, expect, it } from 'vitest';
import { buildScorecardView } from '#app/results/scorecard';
import { sampleInput, sourceOf } from './helpers';

describe('leadership scorecard view-model', () => {
  it('recommends the winner with the margin over the runner-up, and lists knock-outs and settled disagreements', () => {
    const card = buildScorecardView(sourceOf(sampleInput(), false), 'Jan 30, 2027');
    expect(card.recommendation).toBe('Acme, with 71.00 of 100.00 points.');
    expect(card.margin).toBe('Acme leads the runner-up, Beta (69.00 points), by 2.00 points.');
    expect(card.knockouts).toEqual([{ vendor: 'Gamma', reasons: [expect.stringContaining('No training on city data')] }]);
    expect(card.disagreements).toEqual([
      {
        criterion: 'Bias testing',
        vendor: 'Acme',
        what: 'Scores spread over 4.00 of 5 points (80% of the scale).',
        resolution: 'Consensus: 4, recorded by Lena Lead.',
        rationale: 'Agreed after discussion.',
        decidedBy: 'Lena Lead',
      },
    ]);
    expect(card.robustnessSummary).toMatch(/Acme wins \d+(\.\d+)?% of 10,000 random re-weightings\./);
    expect(card.robustnessSummary).toMatch(/Under the linear price formula the winner would (be the same|change)/);
    expect(card.methodShort.split('. ').length).toBe(2);
  });

  it('marks a recommendation provisional while results are not final, and reports split knock-out votes', () => {
    const input = sampleInput();
    const scores = input.scores.map((s) => (s.vendorId === 'B' && s.criterionId === 'ko' && s.evaluatorId === 'e2' ? { ...s, value: 0 } : s));
    const card = buildScorecardView(sourceOf({ ...input, scores }, false, 'evaluation'), 'Jan 30, 2027');
    expect(card.final).toBe(false);
    expect(card.recommendation).toMatch(/^Provisional: Acme/);
    expect(card.notFinalBecause.join(' ')).toContain('split vote (1 pass, 1 fail)');
    expect(card.disagreements.find((d) => d.vendor === 'Beta')).toMatchObject({
      criterion: 'No training on city data',
      what: 'Split knock-out vote: 1 pass, 1 fail.',
      resolution: 'Not resolved yet: needs a consensus decision.',
    });
  });

  it('has no recommendation when every vendor is knocked out', () => {
    const input = sampleInput();
    const scores = input.scores.map((s) => (s.criterionId === 'ko' ? { ...s, value: 0 } : s));
    const card = buildScorecardView(sourceOf({ ...input, scores }, false), 'Jan 30, 2027');
    expect(card.recommendation).toBe('No recommendation: every vendor failed a knock-out requirement.');
    expect(card.margin).toBeNull();
    expect(card.knockouts.map((k) => k.vendor)).toEqual(['Acme', 'Beta', 'Gamma']);
  });
});
