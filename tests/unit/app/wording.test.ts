import { describe, expect, it } from 'vitest';
import { listOf, noun, plural, withArticle } from '#app/utils/wording';

describe('wording helpers', () => {
  it('agrees a count with its noun, irregular plurals included', () => {
    expect(plural(1, 'criterion', 'criteria')).toBe('1 criterion');
    expect(plural(0, 'criterion', 'criteria')).toBe('0 criteria');
    expect(plural(3, 'question')).toBe('3 questions');
    expect(plural(1200, 'question')).toBe('1,200 questions');
    expect(noun(1, 'scoresheet')).toBe('scoresheet');
    expect(noun(2, 'scoresheet')).toBe('scoresheets');
  });

  it('puts the article English uses before a word', () => {
    expect(withArticle('evaluator')).toBe('an evaluator');
    expect(withArticle('observer')).toBe('an observer');
    expect(withArticle('lead')).toBe('a lead');
    expect(withArticle('procurement officer')).toBe('a procurement officer');
    expect(withArticle('user')).toBe('a user');
    expect(withArticle('hour')).toBe('an hour');
    expect(withArticle('administrator')).toBe('an administrator');
    expect(withArticle('RFP')).toBe('an RFP');
    expect(withArticle('CSV file')).toBe('a CSV file');
  });

  it('joins a list the way a sentence does', () => {
    expect(listOf([])).toBe('');
    expect(listOf(['A'])).toBe('A');
    expect(listOf(['A', 'B'])).toBe('A and B');
    expect(listOf(['A', 'B', 'C'])).toBe('A, B and C');
  });
});
