import { describe, expect, it } from 'vitest';
import { criterionValue, mean, median, scoredPoints } from '../../../scoring/index';

describe('mean', () => {
  it('averages, and gives null (not 0, not NaN) for no scores', () => {
    expect(mean([4, 5, 3])).toBe(4);
    expect(mean([3.5, 4])).toBe(3.75);
    expect(mean([])).toBeNull();
  });
  it('accepts typed arrays', () => {
    expect(mean(new Float64Array([1, 2]))).toBe(1.5);
  });
});

describe('median', () => {
  it('takes the middle value of an odd count', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('takes the mean of the two middle values of an even count', () => {
    expect(median([2, 5, 3, 4])).toBe(3.5);
    expect(median([4, 4, 4, 0])).toBe(4);
    expect(median([1, 2])).toBe(1.5);
  });
  it('sorts numerically, not as text', () => {
    expect(median([10, 9, 2])).toBe(9);
  });
  it('gives null for no scores and leaves its input alone', () => {
    expect(median([])).toBeNull();
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('criterionValue', () => {
  it('uses the consensus when one is recorded, even a consensus of 0', () => {
    expect(criterionValue(4, [1, 3, 5], 'mean')).toEqual({ value: 4, source: 'consensus' });
    expect(criterionValue(0, [5, 5], 'mean')).toEqual({ value: 0, source: 'consensus' });
  });
  it('otherwise aggregates the counted scores', () => {
    expect(criterionValue(null, [1, 3, 5, 5], 'mean')).toEqual({ value: 3.5, source: 'mean' });
    expect(criterionValue(undefined, [1, 3, 5, 5], 'median')).toEqual({ value: 4, source: 'median' });
  });
  it('reports "not scored" rather than 0 when there is nothing', () => {
    expect(criterionValue(null, [], 'mean')).toEqual({ value: null, source: 'none' });
  });
});

describe('scoredPoints', () => {
  it('is W × r / S', () => {
    expect(scoredPoints(40, 4, 5)).toBe(32);
    expect(scoredPoints(30, 3.75, 5)).toBe(22.5);
    expect(scoredPoints(10, 7, 10)).toBe(7);
  });
  it('keeps null for not scored', () => {
    expect(scoredPoints(40, null, 5)).toBeNull();
  });
});
