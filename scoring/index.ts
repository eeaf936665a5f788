/**
 * The scoring engine's public API (DESIGN §4). Pure TypeScript: inputs in, figures out.
 *
 * Most callers need only `computeResults` (or `tryComputeResults`) and `roundForDisplay`; the building blocks are
 * exported for tests, the scorecard export and anyone checking a figure by hand.
 */
export { computeResults, tryComputeResults, type ScoringOutcome } from './results';
export { validateInput, isValidScoreValue } from './validate';
export { ScoringError, isScoringError, type ScoringErrorCode, type ScoringProblem } from './errors';
export { mean, median, criterionValue, scoredPoints, type CriterionValue } from './criterion-value';
export { lowestPrice, priceShare, pricePoints } from './price';
export { knockoutOutcome, countVotes, disqualificationReason, type KnockoutVotes } from './knockouts';
export { totalPoints, sectionSubtotals } from './totals';
export { rankByTotal, winners } from './ranking';
export { spread, isDivergent, DEFAULT_DIVERGENCE_THRESHOLD } from './divergence';
export {
  leniencyFromGroups,
  evaluatorLeniency,
  alphaFromGroups,
  krippendorffAlphaInterval,
  type ScoreGroups,
  type Leniency,
  type AlphaFigures,
} from './calibration';
export {
  mulberry32,
  matrixTotals,
  breakEvenBySection,
  monteCarloWinShares,
  priceFormulaSwap,
  BREAK_EVEN_RANGE,
  MONTE_CARLO_SPREAD,
  MONTE_CARLO_DISTRIBUTION,
  type PointsMatrix,
} from './robustness';
export { roundForDisplay } from './rounding';
export * from './types';
