/**
 * Input and output shapes of the scoring engine (DESIGN §4).
 *
 * Everything here is plain data: ids are strings, numbers carry full precision, absent values are `null`
 * (never `undefined` in outputs), so a result can be stored as JSON, sent to the browser or written to an export
 * and read back unchanged.
 *
 * Units used throughout:
 * - **score**: a rubric level on 0..S (S = `settings.scaleMax`), a multiple of 1 (or of 0.5 with half points);
 *   for `pass_fail` criteria 1 = pass and 0 = fail.
 * - **points**: the RFP's points, 0..W_c per criterion, adding up to `settings.totalPoints` (normally 100).
 * - **price**: the submission's total price for the contract term, in any one currency, > 0.
 */

/** How evaluators' scores on one vendor × criterion become the criterion value when no consensus is recorded. */
export type Aggregation = 'mean' | 'median';

/** How a price becomes price points: `ratio` (default) = W × Pmin / Pv; `linear` = W × max(0, 1 − (Pv − Pmin) / Pmin). */
export type PriceFormula = 'ratio' | 'linear';

/**
 * What a criterion is (DESIGN §3):
 * - `scored`: evaluators score it on 0..S, it carries points;
 * - `pass_fail`: a knock-out, evaluators vote 1 (pass) or 0 (fail), it carries no points;
 * - `price`: points come from the submission's price, not from evaluators (at most one per RFP);
 * - `info`: not scored, carries no points.
 */
export type CriterionKind = 'scored' | 'pass_fail' | 'price' | 'info';

/** The RFP's scoring settings. */
export interface ScoringSettings {
  /** S, the top of the rubric scale: a whole number ≥ 1 (default 5). */
  scaleMax: number;
  /** Aggregation of evaluators' scores when no consensus is recorded (default `mean`). */
  aggregation: Aggregation;
  /** A vendor × criterion is flagged when (max − min) / S ≥ this share, 0..1 (default 0.30). */
  divergenceThreshold: number;
  /** Price formula (default `ratio`). */
  priceFormula: PriceFormula;
  /** Points available in the RFP (normally 100); the criteria's points must add up to it. > 0. */
  totalPoints: number;
  /** Whether scores may be multiples of 0.5 rather than whole numbers. */
  allowHalfPoints: boolean;
}

/** A section of the questionnaire; its weight is the sum of its criteria's points. */
export interface ScoringSection {
  id: string;
  title: string;
}

/** A criterion: the unit that is scored. `points` must be 0 for `pass_fail` and `info`. */
export interface ScoringCriterion {
  id: string;
  sectionId: string;
  title: string;
  kind: CriterionKind;
  /** W_c in points, ≥ 0. */
  points: number;
}

/** A vendor whose submission is in the evaluation (withdrawn / non-responsive submissions are left out by the caller). */
export interface ScoringVendor {
  id: string;
  name: string;
  /** Total price for the contract term; `null` when not recorded (a problem for that vendor, results not final). */
  price: number | null;
}

/** An evaluator assigned to the RFP. */
export interface ScoringEvaluator {
  id: string;
  name: string;
  /** Vendors this evaluator is recused from: their scores for those vendors never count. */
  recusedFrom?: readonly string[];
}

/** One evaluator's score for one vendor on one criterion. */
export interface ScoringScore {
  evaluatorId: string;
  vendorId: string;
  criterionId: string;
  /** 0..S for `scored`, 1 (pass) or 0 (fail) for `pass_fail`. */
  value: number;
  /** Whether the scoresheet holding this score is submitted; only submitted scores count (unless previewing). */
  submitted: boolean;
}

/** A consensus score recorded by the lead: it replaces the evaluators' aggregate for that vendor × criterion. */
export interface ScoringConsensus {
  vendorId: string;
  criterionId: string;
  /** 0..S for `scored`, 1 (pass) or 0 (fail) for `pass_fail`. */
  value: number;
}

/** Status of one evaluator × vendor scoresheet (DESIGN §3). */
export type ScoresheetStatus = 'not_started' | 'in_progress' | 'submitted';

/**
 * One evaluator × vendor scoresheet. Optional input: used only to report sheets not yet submitted (including sheets
 * with no score at all). Whether a score counts is decided by that score's own `submitted` flag.
 */
export interface ScoringScoresheet {
  evaluatorId: string;
  vendorId: string;
  status: ScoresheetStatus;
}

/** Knobs that do not belong to the RFP. */
export interface ScoringOptions {
  /**
   * Preview: count scores from scoresheets not yet submitted. Results are then never final. Default false.
   */
  includeInProgress?: boolean;
  /** Monte Carlo draws (default 10,000; 0 skips the simulation). A whole number 0..1,000,000. */
  monteCarloDraws?: number;
  /** Seed of the Monte Carlo PRNG (default {@link DEFAULT_MONTE_CARLO_SEED}); any whole number, used modulo 2^32. */
  monteCarloSeed?: number;
}

/** Everything `computeResults` needs. */
export interface ScoringInput {
  settings: ScoringSettings;
  sections: readonly ScoringSection[];
  criteria: readonly ScoringCriterion[];
  vendors: readonly ScoringVendor[];
  evaluators: readonly ScoringEvaluator[];
  scores: readonly ScoringScore[];
  consensus?: readonly ScoringConsensus[];
  scoresheets?: readonly ScoringScoresheet[];
  options?: ScoringOptions;
}

/** The settings DESIGN §3 gives as defaults (scale 0..5, mean, 0.30, ratio, 100 points, whole scores). */
export const DEFAULT_SCORING_SETTINGS: Readonly<ScoringSettings> = Object.freeze({
  scaleMax: 5,
  aggregation: 'mean',
  divergenceThreshold: 0.3,
  priceFormula: 'ratio',
  totalPoints: 100,
  allowHalfPoints: false,
});

/** Default number of Monte Carlo draws (DESIGN §4.9). */
export const DEFAULT_MONTE_CARLO_DRAWS = 10_000;

/** Default Monte Carlo seed: fixed, so the same inputs always give the same shares. */
export const DEFAULT_MONTE_CARLO_SEED = 20_260_101;

/** Two totals closer than this (in points) are equal: they share a rank and share a Monte Carlo win. */
export const TIE_TOLERANCE = 1e-9;

// ---------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------

/**
 * Where a criterion value came from: a recorded `consensus`; the `mean` or `median` of evaluators' scores; the
 * submission's `price`; a pass/fail `vote` of the evaluators (unanimous, or `mixed`); `none` when there is no value.
 */
export type ValueSource = 'consensus' | 'mean' | 'median' | 'price' | 'vote' | 'none';

/**
 * Outcome of a knock-out for one vendor: `pass`/`fail` (by consensus or unanimous evaluators), `mixed` (evaluators
 * split, no consensus yet), `not_scored` (no consensus, no counted vote).
 */
export type KnockoutOutcome = 'pass' | 'fail' | 'mixed' | 'not_scored';

/** A non-fatal problem attached to one vendor (e.g. its price is missing). */
export interface VendorProblem {
  code: 'MISSING_PRICE';
  message: string;
}

/** One vendor × criterion in the results. */
export interface CriterionResult {
  criterionId: string;
  kind: CriterionKind;
  /**
   * r(v,c) in score units (0..S), the price for `price` criteria, 1/0 for a decided knock-out; `null` = not scored
   * (or mixed knock-out, or `info`, or missing price). Never silently 0.
   */
  value: number | null;
  /** p(v,c) in points (0..W_c); `null` when the value is null or the criterion carries no points. */
  points: number | null;
  source: ValueSource;
  /** Evaluators' scores that count (submitted, or in-progress when previewing; recusals excluded). */
  scoresCount: number;
  /** (max − min) / S over the counted scores of a `scored` criterion (≥ 2 scores), else `null`. */
  spread: number | null;
  /** spread ≥ divergence threshold: flagged for consensus discussion (stays true once a consensus is recorded). */
  divergent: boolean;
  /** For `pass_fail` criteria: the knock-out outcome; `null` for other kinds. */
  knockout: KnockoutOutcome | null;
}

/** Points earned in one section. */
export interface SectionSubtotal {
  sectionId: string;
  /** Σ p(v,c) over the section's criteria with a value, in points. */
  points: number;
  /** Σ W_c over the section's criteria, in points. */
  available: number;
}

/** One vendor in the results. */
export interface VendorResult {
  vendorId: string;
  name: string;
  /** Competition rank among qualified vendors (1, 1, 3); `null` when disqualified. */
  rank: number | null;
  qualified: boolean;
  /** One sentence per failed knock-out, naming the criterion and whether consensus or evaluators decided. */
  disqualifiedBecause: string[];
  /** T(v) = Σ p(v,c) over criteria with a value, in points (full precision). */
  total: number;
  sections: SectionSubtotal[];
  criteria: CriterionResult[];
  /** Knock-out criteria with a split vote and no consensus. */
  mixedKnockouts: string[];
  problems: VendorProblem[];
}

/** A split pass/fail vote that needs a consensus decision. */
export interface MixedVote {
  vendorId: string;
  criterionId: string;
  passes: number;
  fails: number;
}

/** Leniency of one evaluator. */
export interface EvaluatorCalibration {
  evaluatorId: string;
  name: string;
  /**
   * Mean over the items they scored (with at least one other counted score) of (their score − panel mean), in score
   * units; positive = more lenient than the panel. `null` when no such item.
   */
  leniency: number | null;
  /** Items (vendor × scored criterion) that entered the mean. */
  itemsCompared: number;
}

/** Inter-rater agreement for the RFP. */
export interface AgreementResult {
  metric: 'krippendorff_alpha_interval';
  /** α in (−∞, 1]; 1 = perfect agreement, 0 = agreement at chance level; `null` when not computable (see reason). */
  alpha: number | null;
  /** Items (vendor × scored criterion) with at least two counted scores. */
  pairableUnits: number;
  /** Scores in those items. */
  pairableValues: number;
  /** Why alpha is null; `null` when it was computed. */
  reason: string | null;
}

/** Result of the break-even search for one section. */
export interface SectionBreakEven {
  sectionId: string;
  /** The section's weight (points) as chosen. */
  weight: number;
  /** `changes`: a change within ±50% changes the winner; `none`: no change within ±50% does; `not_applicable`: see reason. */
  status: 'changes' | 'none' | 'not_applicable';
  /** Signed change of the section's weight, in points, at which a challenger draws level with the winner. */
  change: number | null;
  /** change / weight (e.g. −0.12 = the weight 12% lower). */
  relativeChange: number | null;
  /** weight + change. */
  newWeight: number | null;
  /** Vendors who draw level at that change (and lead beyond it). */
  challengerIds: string[];
  reason: string | null;
}

/** Monte Carlo win shares. */
export interface MonteCarloResult {
  draws: number;
  seed: number;
  /** The distribution of the weightings, in words. */
  distribution: string;
  /** Share of draws each qualified vendor wins (ties split equally); sums to 1 up to float error. */
  shares: { vendorId: string; share: number }[];
}

/** Would the other price formula change the winner? */
export interface PriceFormulaSwap {
  currentFormula: PriceFormula;
  otherFormula: PriceFormula;
  applicable: boolean;
  /** Winner(s) under the other formula (empty when not applicable). */
  otherWinnerIds: string[];
  /** `null` when not applicable. */
  changesWinner: boolean | null;
  reason: string | null;
}

/** What leadership asks: would a different weighting change the winner? */
export interface RobustnessResult {
  breakEven: SectionBreakEven[];
  /** `null` when draws = 0 or no vendor is qualified. */
  monteCarlo: MonteCarloResult | null;
  priceFormulaSwap: PriceFormulaSwap;
}

/** Everything `computeResults` returns: plain JSON. */
export interface ScoringResults {
  /** True when nothing listed in `notFinalBecause` remains. */
  final: boolean;
  /** Human sentences: why these results are provisional. */
  notFinalBecause: string[];
  /** Human sentences that do not block finality but deserve a look (e.g. a recused evaluator's score was ignored). */
  warnings: string[];
  settings: ScoringSettings;
  /**
   * P_min used for price points: the lowest price among qualified vendors (`lowestPriceAmong` = `qualified`). When no
   * qualified vendor has a price, the lowest among all vendors (`all`), so disqualified vendors' price points can still
   * be shown for information. `null` (and `null`) when the RFP has no price criterion or nobody has a price.
   */
  lowestPrice: number | null;
  lowestPriceAmong: 'qualified' | 'all' | null;
  /** Vendors ranked 1 (several on a tie; empty when none is qualified). */
  winnerIds: string[];
  /** Ranked vendors by rank (then name, then id), then disqualified vendors by name. */
  vendors: VendorResult[];
  mixedVotes: MixedVote[];
  calibration: EvaluatorCalibration[];
  agreement: AgreementResult;
  robustness: RobustnessResult;
}
