import { describe, expect, it } from 'vitest';
import { lowestPrice, pricePoints, priceShare } from '../../../scoring/index';

describe('lowestPrice', () => {
  it('ignores missing and non-positive prices', () => {
    expect(lowestPrice([100, null, 80, 120])).toBe(80);
    expect(lowestPrice([null, 0, -5])).toBeNull();
    expect(lowestPrice([])).toBeNull();
  });
});

describe('pricePoints', () => {
  it('ratio: W × Pmin / Pv', () => {
    expect(pricePoints('ratio', 20, 100_000, 80_000)).toBe(16);
    expect(pricePoints('ratio', 30, 125_000, 80_000)).toBeCloseTo(19.2, 12);
    expect(pricePoints('ratio', 30, 80_000, 80_000)).toBe(30);
  });
  it('linear: W × max(0, 1 − (Pv − Pmin) / Pmin)', () => {
    expect(pricePoints('linear', 20, 100_000, 80_000)).toBe(15);
    expect(pricePoints('linear', 30, 125_000, 80_000)).toBe(13.125);
  });
  it('linear never goes below 0 (twice the lowest price or more)', () => {
    expect(pricePoints('linear', 30, 160_000, 80_000)).toBe(0);
    expect(pricePoints('linear', 30, 500_000, 80_000)).toBe(0);
  });
  it('never exceeds W, even for a (disqualified) vendor cheaper than Pmin', () => {
    expect(pricePoints('ratio', 30, 40_000, 80_000)).toBe(30);
    expect(pricePoints('linear', 30, 40_000, 80_000)).toBe(30);
  });
  it('gives null, never NaN or Infinity, for a missing or non-positive price', () => {
    expect(pricePoints('ratio', 30, null, 80_000)).toBeNull();
    expect(pricePoints('ratio', 30, 0, 80_000)).toBeNull();
    expect(pricePoints('ratio', 30, 100, null)).toBeNull();
    expect(priceShare('linear', -1, 80_000)).toBeNull();
    expect(priceShare('ratio', Number.NaN, 80_000)).toBeNull();
    expect(priceShare('ratio', Infinity, 80_000)).toBeNull();
  });
});
