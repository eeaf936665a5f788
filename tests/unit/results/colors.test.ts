import { describe, expect, it } from 'vitest';
import { contrastRatio, SCORE_BANDS, scoreBand, SERIES_COLORS } from '#app/results/colors';

describe('results colours', () => {
  it('keeps every matrix band at 4.5:1 or more between its text and background', () => {
    for (const band of SCORE_BANDS) expect(contrastRatio(band.text, band.background)).toBeGreaterThanOrEqual(4.5);
  });

  it('gives every chart series at least 3:1 against white', () => {
    for (const color of SERIES_COLORS) expect(contrastRatio(color, '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  it('bands a score by its share of the scale, lower bound inclusive, top of the scale in the last band', () => {
    expect(scoreBand(0, 5)).toBe(0);
    expect(scoreBand(0.99, 5)).toBe(0);
    expect(scoreBand(1, 5)).toBe(1);
    expect(scoreBand(2.5, 5)).toBe(2);
    expect(scoreBand(3, 5)).toBe(3);
    expect(scoreBand(4, 5)).toBe(4);
    expect(scoreBand(5, 5)).toBe(4);
    expect(scoreBand(7, 10)).toBe(3);
    // Out of range values (never produced by the engine) are clamped rather than uncoloured.
    expect(scoreBand(-1, 5)).toBe(0);
    expect(scoreBand(6, 5)).toBe(4);
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });
});
