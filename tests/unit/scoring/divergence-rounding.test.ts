import { describe, expect, it } from 'vitest';
import { isDivergent, roundForDisplay, spread } from '../../../scoring/index';

describe('spread and isDivergent', () => {
  it('is (max − min) / S, null for fewer than two scores', () => {
    expect(spread([4, 5, 3], 5)).toBe(0.4);
    expect(spread([4], 5)).toBeNull();
    expect(spread([], 5)).toBeNull();
  });
  it('flags a spread equal to the threshold (default 0.30)', () => {
    expect(isDivergent(spread([2, 3.5], 5))).toBe(true);
    expect(isDivergent(spread([3, 6], 10))).toBe(true);
    expect(isDivergent(spread([3, 4], 5))).toBe(false);
    expect(isDivergent(spread([3, 4], 5), 0.2)).toBe(true);
    expect(isDivergent(null)).toBe(false);
  });
});

describe('roundForDisplay', () => {
  it.each([
    [1.005, 1.01],
    [2.675, 2.68],
    [1.045, 1.05],
    [0.125, 0.13],
    [-1.005, -1.01],
    [-0.125, -0.13],
    [1.004999, 1],
    [84.53333333333335, 84.53],
    [7.828947368421052, 7.83],
    [100, 100],
    [0, 0],
    [1e-7, 0],
    [-0.001, 0],
    [123456.785, 123456.79],
  ])('%s → %s', (x, expected) => {
    expect(Object.is(roundForDisplay(x), expected)).toBe(true);
  });
  it('takes other numbers of decimals', () => {
    expect(roundForDisplay(2.5, 0)).toBe(3);
    expect(roundForDisplay(-2.5, 0)).toBe(-3);
    expect(roundForDisplay(0.44907407407407407, 3)).toBe(0.449);
  });
  it('leaves values without decimals to round alone', () => {
    expect(roundForDisplay(1e20)).toBe(1e20);
    expect(roundForDisplay(Infinity)).toBe(Infinity);
  });
  it('refuses a nonsensical number of decimals', () => {
    expect(() => roundForDisplay(1, -1)).toThrow(RangeError);
  });
});
