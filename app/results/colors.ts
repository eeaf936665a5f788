/**
 * Colours of the results views. The comparison matrix colours each cell by its score (a sequential blue ramp, darker
 * = higher), always with the number printed in it, so colour is never the only cue; text colour switches to white on
 * the dark bands so every cell keeps a contrast ratio of at least 4.5:1 (WCAG 1.4.3). Chart series colours all have at
 * least 3:1 against white (WCAG 1.4.11) and every chart has a table alternative.
 */

/** One band of the matrix's colour scale. */
export interface ScoreBand {
  /** 0 (lowest) .. 4 (highest). */
  index: number;
  /** Lower bound of the band as a share of the scale (inclusive). */
  from: number;
  /** Upper bound (exclusive, except the last band which includes 1). */
  to: number;
  background: string;
  text: string;
}

export const SCORE_BANDS: readonly ScoreBand[] = [
  { index: 0, from: 0, to: 0.2, background: '#eff6fb', text: '#1b1b1b' },
  { index: 1, from: 0.2, to: 0.4, background: '#d9e8f6', text: '#1b1b1b' },
  { index: 2, from: 0.4, to: 0.6, background: '#aacdec', text: '#1b1b1b' },
  { index: 3, from: 0.6, to: 0.8, background: '#2378c3', text: '#ffffff' },
  { index: 4, from: 0.8, to: 1, background: '#162e51', text: '#ffffff' },
];

/** The band of a criterion value r on a 0..S scale (r / S, clamped to 0..1). */
export function scoreBand(value: number, scaleMax: number): number {
  const share = Math.min(1, Math.max(0, value / scaleMax));
  const band = SCORE_BANDS.findIndex((b) => share >= b.from && share < b.to);
  return band === -1 ? SCORE_BANDS.length - 1 : band;
}

/** Series colours for charts (vendors, sections), each ≥ 3:1 against white. */
export const SERIES_COLORS: readonly string[] = [
  '#005ea2',
  '#d54309',
  '#2e8540',
  '#7f3e91',
  '#936f38',
  '#00687d',
  '#3d4551',
  '#b50909',
  '#4a77b4',
  '#538200',
];

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length] as string;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
