/**
 * The results views' view-models: plain JSON the loaders compute from the engine's output and the components render.
 * Every number in them is already rounded with `roundForDisplay` and formatted, so a figure on screen can be traced
 * to one engine figure and one formula (see `method`).
 */
import type { RfpStatus } from '#db/schema';
import type { CriterionKind, ValueSource } from '#scoring/index';

export interface ResultsRfp {
  id: string;
  reference: string;
  title: string;
  status: RfpStatus;
}

/** One vendor in the ranking table. */
export interface RankingRowView {
  vendorId: string;
  key: string;
  name: string;
  rank: number | null;
  qualified: boolean;
  disqualifiedBecause: string[];
  /** T(v), formatted ("78.40"). */
  total: string;
  /** Section subtotals in the order of `ResultsView.sections` (sections carrying points only); "—" where nothing is scored. */
  sections: string[];
  problems: string[];
}

export interface SectionHeadView {
  id: string;
  key: string;
  title: string;
  /** Σ W_c of the section, formatted. */
  available: string;
}

/**
 * One evaluator's score in a drill-down, kept small (a large evaluation has 18,000 of them): `e` indexes
 * `MatrixView.evaluators`, `v` is the score as shown, `s` is set only when the score does not count (sheet not
 * submitted, or the evaluator is recused), `r` is the rationale when it was loaded.
 */
export interface DrillEntry {
  e: number;
  v: string;
  s?: 'not_submitted' | 'recused';
  r?: string;
}

export interface ConsensusNote {
  value: string;
  /** `null` when withheld from this reader (recused from the vendor, or the panel is sealed). */
  rationale: string | null;
  decidedBy: string | null;
}

export type CellTone = 'scored' | 'price' | 'pass' | 'fail' | 'mixed' | 'none';

export interface MatrixCellView {
  /** What the cell prints: the criterion value ("3.67"), "Pass", a price, or "—" when nobody scored it. */
  text: string;
  /** Said to screen readers after `text` ("not scored" beside a "—"), or null. */
  note: string | null;
  /** Points earned, formatted, when the criterion carries points and has a value. */
  points: string | null;
  /** The points are shown but do not count: a disqualified vendor's price points. */
  pointsNotCounted: boolean;
  /** Colour band 0..4 (see SCORE_BANDS) for scored and price cells with a value; null otherwise. */
  band: number | null;
  tone: CellTone;
  source: ValueSource;
  divergent: boolean;
  /** (max − min) / S, formatted, when two or more scores count. */
  spread: string | null;
  /** Each evaluator's score and rationale; `null` when the viewer may not see them (or there are none to show). */
  drill: DrillEntry[] | null;
  consensus: ConsensusNote | null;
}

export interface MatrixRowView {
  criterionId: string;
  key: string;
  title: string;
  kind: CriterionKind;
  /** W_c, formatted. */
  points: string;
  cells: MatrixCellView[];
}

export interface MatrixView {
  scaleMax: number;
  /** Columns, in ranking order. */
  vendors: Array<{ id: string; name: string; rank: number | null; qualified: boolean }>;
  /** Names, indexed by `DrillEntry.e`. */
  evaluators: string[];
  groups: Array<{ sectionId: string; title: string; rows: MatrixRowView[] }>;
  /** T(v) per column, formatted. */
  totals: string[];
  divergenceThreshold: string;
  /** Every drill-down carries its rationales; otherwise they are read one criterion at a time (`focus`). */
  rationalesInline: boolean;
  /** The criterion whose every score and rationale is shown in full, when one was asked for. */
  focus: FocusView | null;
}

/** Every evaluator's score and rationale on one criterion, vendor by vendor. */
export interface FocusView {
  criterionId: string;
  key: string;
  title: string;
  vendors: Array<{ id: string; name: string; text: string; spread: string | null; consensus: ConsensusNote | null; entries: DrillEntry[] }>;
}

/**
 * A matrix cell as the results page sends it: 25 vendors × 60 criteria is 1,500 cells, so each is a tuple of what it
 * prints, `[text, colour, points, flags, note]`: `colour` the score band 0..4 (see SCORE_BANDS) or, without one, the
 * tone when it is not "scored"/"price" (those are told by the band), else null; `points` formatted, or null; `flags`
 * the CELL_* bits (matrix-compact.ts); `note` said to screen readers after the text, left out when there is none. The spread of a
 * divergent cell is not sent: its drill-down says it, loaded on demand from `rfps.$rfpId.results_.criterion.$criterionId`.
 */
type CellColour = number | Exclude<CellTone, 'scored' | 'price'> | null;
export type CompactCell = [text: string, colour: CellColour, points: string | null, flags: number] | [text: string, colour: CellColour, points: string | null, flags: number, note: string];

export interface CompactMatrixView extends Omit<MatrixView, 'groups' | 'rationalesInline'> {
  /** The viewer may open drill-downs (the panel is visible to them). */
  drillable: boolean;
  groups: Array<{ sectionId: string; title: string; rows: Array<Omit<MatrixRowView, 'cells'> & { cells: CompactCell[] }> }>;
}

/** One criterion's drill-downs, as the resource route answers them: each vendor's consensus and individual scores. */
export interface CriterionDrillView {
  criterionId: string;
  /** Names, indexed by `DrillEntry.e`. */
  evaluators: string[];
  vendors: Array<{ id: string; spread: string | null; consensus: ConsensusNote | null; entries: DrillEntry[] }>;
}

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
}

/** A chart's table alternative. */
export interface ChartTable {
  caption: string;
  columns: string[];
  rows: Array<{ header: string; cells: string[] }>;
}

/** Everything a chart figure shows: title, a computed text summary, the data, and the table alternative. */
export interface ChartView {
  id: string;
  title: string;
  summary: string;
  /** How the figure is computed (formula, DESIGN §4 reference). */
  how: string;
  /** Rows of the chart; numeric fields are already rounded. */
  data: Array<Record<string, string | number>>;
  series: ChartSeries[];
  /** The category field of `data`. */
  categoryKey: string;
  table: ChartTable;
  /** Nothing to plot (the figure shows the summary and the table only). */
  empty: boolean;
  /** Extra, e.g. the divergence threshold for the spread chart (percent). */
  reference?: number;
}

export interface BreakEvenView {
  sectionId: string;
  section: string;
  weight: string;
  status: 'changes' | 'none' | 'not_applicable';
  sentence: string;
}

export interface RobustnessView {
  breakEven: BreakEvenView[];
  monteCarlo: { sentence: string; distribution: string } | null;
  priceSwap: string;
}

export interface ResultsView {
  rfp: ResultsRfp;
  /** The engine's final flag (false too when the engine refused the input). */
  final: boolean;
  /** Why the results are provisional: the engine's `notFinalBecause`, plus a few facts the engine cannot know. */
  notFinalBecause: string[];
  /** What final results rest on, one clause (wording.ts `completeClause`), naming knock-outs that are not needed. */
  complete: string;
  warnings: string[];
  /** Fatal problems that stopped the engine (bad weights, a price ≤ 0…); empty when results were computed. */
  problems: string[];
  excluded: Array<{ name: string; status: string; reason: string | null }>;
  sections: SectionHeadView[];
  ranking: RankingRowView[];
  winners: string[];
  matrix: MatrixView | null;
  charts: ChartView[];
  robustness: RobustnessView | null;
  /** Whether the drill-downs show the panel's individual scores, and if not, why. */
  panel: { visible: boolean; note: string };
  /** "How this is computed", with the RFP's actual settings. */
  method: string[];
  /** The method in two sentences (scorecard). */
  methodShort: string;
}

export interface DisagreementView {
  criterion: string;
  vendor: string;
  /** e.g. "spread 0.80 of the scale (scores 1 to 5)". */
  what: string;
  /** How it was resolved: consensus value and rationale, or "not resolved yet". */
  resolution: string;
  rationale: string | null;
  decidedBy: string | null;
}

export interface ScorecardView {
  rfp: ResultsRfp;
  final: boolean;
  notFinalBecause: string[];
  /** As {@link ResultsView.complete}. */
  complete: string;
  problems: string[];
  recommendation: string;
  margin: string | null;
  ranking: RankingRowView[];
  sections: SectionHeadView[];
  robustness: RobustnessView | null;
  robustnessSummary: string;
  knockouts: Array<{ vendor: string; reasons: string[] }>;
  /** Said when {@link knockouts} is empty: none failed, or not computed (results blocked). */
  knockoutsNote: string;
  disagreements: DisagreementView[];
  /** Said when {@link disagreements} is empty: nothing diverged, or divergence was not computed (results blocked). */
  disagreementsNote: string;
  excluded: Array<{ name: string; status: string; reason: string | null }>;
  methodShort: string;
  generatedOn: string;
}
