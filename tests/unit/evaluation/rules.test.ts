import { describe, expect, it } from 'vitest';
import { analysePanelItem } from '#app/evaluation/panel';
import { formatScore, isAllowedValue, isOverdue, scoreChoices } from '#app/evaluation/rules';

const rubric = [0, 1, 2, 3, 4, 5].map((level) => ({ level, anchor: `Anchor ${level}` }));

describe('score choices and values', () => {
  it('offers the rubric levels 0..S with their anchors, halves only when the RFP allows them', () => {
    expect(scoreChoices('scored', rubric, 5, false).map((c) => c.value)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(scoreChoices('scored', rubric, 5, false)[3]).toEqual({ value: 3, label: 'Level 3', anchor: 'Anchor 3' });
    const halves = scoreChoices('scored', rubric, 5, true);
    expect(halves).toHaveLength(11);
    expect(halves[5]).toEqual({ value: 2.5, label: '2.5 (between levels 2 and 3)', anchor: '' });
  });

  it('offers Pass (1) and Fail (0) for a knock-out', () => {
    const choices = scoreChoices('pass_fail', [{ level: 0, anchor: 'Fail: …' }, { level: 1, anchor: 'Pass: …' }], 5, false);
    expect(choices).toEqual([
      { value: 1, label: 'Pass', anchor: 'Pass: …' },
      { value: 0, label: 'Fail', anchor: 'Fail: …' },
    ]);
  });

  it('accepts only values the criterion offers', () => {
    expect(isAllowedValue('scored', 5, 5, false)).toBe(true);
    expect(isAllowedValue('scored', 6, 5, false)).toBe(false);
    expect(isAllowedValue('scored', 2.5, 5, false)).toBe(false);
    expect(isAllowedValue('scored', 2.5, 5, true)).toBe(true);
    expect(isAllowedValue('scored', Number.NaN, 5, true)).toBe(false);
    expect(isAllowedValue('pass_fail', 1, 5, false)).toBe(true);
    expect(isAllowedValue('pass_fail', 3, 5, false)).toBe(false);
  });

  it('reads scores as words', () => {
    expect(formatScore('pass_fail', 1, 5)).toBe('Pass');
    expect(formatScore('pass_fail', 0, 5)).toBe('Fail');
    expect(formatScore('scored', 4, 5)).toBe('4 of 5');
    expect(formatScore('scored', 2.5, 5)).toBe('2.5 of 5');
  });
});

describe('due date', () => {
  // Typing a due date (the end of the day in the installation's zone) is tested in tests/unit/utils/time-zone.test.ts.
  it('is overdue only once the moment has passed', () => {
    const due = '2027-01-22T23:59:59.999Z';
    expect(isOverdue(due, new Date('2027-01-22T23:59:59.999Z'))).toBe(false);
    expect(isOverdue(due, new Date('2027-01-23T00:00:00.000Z'))).toBe(true);
    expect(isOverdue(null, new Date())).toBe(false);
  });
});

describe('panel flags (DESIGN §4.5, §4.7)', () => {
  const settings = { scaleMax: 5, divergenceThreshold: 0.3, aggregation: 'mean' as const };

  it('flags a spread of at least the threshold, including exactly 30%', () => {
    expect(analysePanelItem('scored', [2, 3.5], settings)).toMatchObject({ spread: 0.3, divergent: true, aggregate: 2.75 });
    expect(analysePanelItem('scored', [3, 4], settings)).toMatchObject({ divergent: false });
    expect(analysePanelItem('scored', [4], settings)).toMatchObject({ spread: null, divergent: false, aggregate: 4 });
    expect(analysePanelItem('scored', [], settings)).toMatchObject({ aggregate: null });
    expect(analysePanelItem('scored', [1, 2, 5], { ...settings, aggregation: 'median' }).aggregate).toBe(2);
  });

  it('marks a knock-out with both pass and fail votes as mixed', () => {
    expect(analysePanelItem('pass_fail', [1, 0, 1], settings)).toMatchObject({ mixed: true, passes: 2, fails: 1, divergent: false });
    expect(analysePanelItem('pass_fail', [1, 1], settings)).toMatchObject({ mixed: false });
  });
});
