import { describe, expect, it } from 'vitest';
import { KeyAllocator, keyPrefix, nextQuestionKey } from '#db/generated-keys';

describe('generated keys', () => {
  it('makes three letters of a title, not the title cut short', () => {
    expect(keyPrefix('Price')).toBe('PRC');
    expect(keyPrefix('Data protection')).toBe('DPR');
    expect(keyPrefix('Security of the hosting environment and incident response')).toBe('SHE');
    expect(keyPrefix('Accessibility')).toBe('ACC');
    expect(keyPrefix('Équité & accès')).toBe('EAC');
    expect(keyPrefix('AI')).toBe('AI');
    expect(keyPrefix('2026 — 42', 'CRT')).toBe('CRT');
  });

  it('numbers criteria PRC-01, PRC-02 and their questions PRC-01.1, PRC-01.2, whatever is taken, ignoring case', () => {
    const keys = new KeyAllocator(['prc-01', 'PRC-03']);
    expect(keys.claimNumbered('PRC')).toBe('PRC-02');
    expect(keys.claimNumbered('PRC')).toBe('PRC-04');
    expect(nextQuestionKey('PRC-01', ['PRC-01.1', 'prc-01.2', 'PRC-01.4'])).toBe('PRC-01.3');
  });

  it('gives a copy of a generated key the next number, and a written key only a suffix', () => {
    const criteria = new KeyAllocator(['PRC-01', 'RAI-GOV']);
    expect(criteria.claimCriterionKey('PRC-01')).toBe('PRC-02');
    expect(criteria.claimCriterionKey('RAI-GOV')).toBe('RAI-GOV-2');
    const questions = new KeyAllocator(['PRC-01.1', 'ACC-01', 'ACC-02']);
    expect(questions.claimQuestionKey('PRC-01.1', 'PRC-01')).toBe('PRC-01.2');
    // A bank's ACC-01 copied must not become ACC-02, another real bank question.
    expect(questions.claimQuestionKey('ACC-01', 'ACC-A11Y')).toBe('ACC-01-2');
    expect(questions.claimQuestionKey('NEW-1', 'ACC-A11Y')).toBe('NEW-1');
  });

  it('keeps a generated question key within the 40-character key rule', () => {
    const long = 'A'.repeat(38);
    const key = nextQuestionKey(long, []);
    expect(key.length).toBeLessThanOrEqual(40);
    expect(key).toBe('Q-01');
  });
});
