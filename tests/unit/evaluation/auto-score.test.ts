import { describe, expect, it } from 'vitest';
import { answerShare, type AutoScoreQuestion, suggestScore } from '#app/evaluation/auto-score';

const yesNo = (id: string): AutoScoreQuestion => ({
  id,
  answerType: 'yes_no',
  options: [
    { label: 'Yes', autoScore: 1 },
    { label: 'Partial', autoScore: 0.5 },
    { label: 'No', autoScore: 0 },
  ],
});
const text = (id: string): AutoScoreQuestion => ({ id, answerType: 'text', options: [] });
const multi: AutoScoreQuestion = {
  id: 'm',
  answerType: 'multi_choice',
  options: [
    { label: 'CSV', autoScore: 1 },
    { label: 'PDF', autoScore: 0 },
    { label: 'Other', autoScore: null },
  ],
};

describe('auto-score suggestion (DESIGN §3)', () => {
  it('is scale max × the mean share of the auto-scored questions, ignoring open questions', () => {
    const answers = new Map<string, string | null>([
      ['a', 'Yes'],
      ['b', 'Partial'],
      ['t', 'A long free-text answer'],
    ]);
    const s = suggestScore([yesNo('a'), yesNo('b'), text('t')], answers, 5);
    expect(s).toEqual({ suggested: 3.75, meanShare: 0.75, questions: 2, answered: 2 });
  });

  it('counts an unanswered auto-scored question as share 0 (no evidence, no credit)', () => {
    const s = suggestScore([yesNo('a'), yesNo('b')], new Map([['a', 'Yes']]), 5);
    expect(s).toMatchObject({ suggested: 2.5, answered: 1, questions: 2 });
  });

  it('matches option labels case-insensitively and averages the chosen options of a multiple choice', () => {
    expect(answerShare(yesNo('a'), 'yes')).toBe(1);
    expect(answerShare(multi, ['CSV', 'PDF'])).toBe(0.5);
    expect(answerShare(multi, ['Other'])).toBeNull();
    expect(answerShare(yesNo('a'), 'Maybe')).toBeNull();
    expect(answerShare(yesNo('a'), 42)).toBeNull();
  });

  it('gives no suggestion when no question of the criterion carries a share', () => {
    expect(suggestScore([text('t')], new Map([['t', 'Yes']]), 5)).toBeNull();
    expect(suggestScore([], new Map(), 5)).toBeNull();
  });
});
