/**
 * The scorecard workbook, described once (DESIGN §5 "Scorecard export"). `scorecard-workbook.server.ts` writes this
 * layout; the tests read the same constants and plan back, so a change here is a change everywhere.
 *
 * Sheets, in order (names are constants, never derived from user text, so they need no sanitising):
 * - **Summary**: title block (RFP reference, title, department, status, generated at and by, final or provisional),
 *   recommendation, ranking with section subtotals and totals, qualified/disqualified with the reason, why results are
 *   provisional, knock-outs and excluded vendors, where evaluators disagreed, robustness statement, method, settings,
 *   and evaluator calibration (when the panel's scores may be seen). Figures as the app shows them (2 decimals).
 * - **Matrix**: see {@link matrixPlan}. The only sheet with formulas.
 * - **Evaluators**: every individual score (evaluator, vendor, criterion, value, whether it counts, sheet status).
 * - **Rationale**: every consensus rationale and every evaluator's rationale.
 * - **Responses**: questions (rows) × vendors (columns), answers side by side.
 * - **Audit**: the RFP's audit events, oldest first.
 * Sheets the viewer may not see the content of (panel scores before consensus, responses without `responses:read`,
 * the audit log without `audit:read`) are still present, holding one sentence that says why they are empty.
 */
import { sectionSubtotals } from '#app/results/subtotals';
import { KNOCKOUT_TEXT, knockoutLabel } from '#app/results/wording';
import type { CriterionKind, ScoringResults } from '#scoring/index';


export const SHEETS = {
  summary: 'Summary',
  matrix: 'Matrix',
  evaluators: 'Evaluators',
  rationale: 'Rationale',
  responses: 'Responses',
  audit: 'Audit',
} as const;
export const SHEET_ORDER = [SHEETS.summary, SHEETS.matrix, SHEETS.evaluators, SHEETS.rationale, SHEETS.responses, SHEETS.audit] as const;

/** Marks a workbook as ours (document keywords). */
export const SCORECARD_FORMAT = 'workbench-scorecard-v1';

/** Number formats. Figures are stored at full precision (Matrix) or as the app rounds them (elsewhere). */
export const NUMBER_FORMATS = {
  points: '0.00',
  score: '0.00',
  money: '"$"#,##0.00',
  /** A disqualified vendor's price points: the number stays a number (the total still sums it), marked as not counted. */
  pointsNotCounted: '0.00" (DQ)"',
  integer: '0',
  share: '0.00%',
  flag: '0',
} as const;

/** Widths (in Excel's character units) and header texts of the tabular sheets. */
export interface ColumnSpec {
  header: string;
  width: number;
  /** Wrapped (and counted when estimating the row's height). */
  wrap?: boolean;
  numFmt?: string;
}

/** Row of the header in every tabular sheet (rows above it hold the sheet's title and a note). */
export const TABLE_HEADER_ROW = 4;

export const EVALUATOR_COLUMNS: readonly ColumnSpec[] = [
  { header: 'Evaluator', width: 22 },
  { header: 'Vendor', width: 24 },
  { header: 'Section', width: 22 },
  { header: 'Key', width: 13 },
  { header: 'Criterion', width: 36 },
  { header: 'Kind', width: 12 },
  { header: 'Score', width: 8 },
  { header: 'Scoresheet', width: 12 },
  { header: 'Counts in the results', width: 30 },
];

export const RATIONALE_COLUMNS: readonly ColumnSpec[] = [
  { header: 'Vendor', width: 22, wrap: true },
  { header: 'Section', width: 18, wrap: true },
  { header: 'Key', width: 12 },
  { header: 'Criterion', width: 26, wrap: true },
  { header: 'Source', width: 12 },
  { header: 'By', width: 20, wrap: true },
  { header: 'Score', width: 8 },
  { header: 'Rationale', width: 80, wrap: true },
];

export const RESPONSES_FIXED_COLUMNS: readonly ColumnSpec[] = [
  { header: 'Section', width: 18, wrap: true },
  { header: 'Key', width: 11 },
  { header: 'Question', width: 48, wrap: true },
];
export const RESPONSES_VENDOR_WIDTH = 42;

export const AUDIT_COLUMNS: readonly ColumnSpec[] = [
  { header: 'When (UTC)', width: 20 },
  { header: 'Actor', width: 26 },
  { header: 'Action', width: 22 },
  { header: 'Entity', width: 13 },
  { header: 'Entity id', width: 20 },
  { header: 'Reason', width: 30, wrap: true },
  { header: 'Before', width: 50, wrap: true },
  { header: 'After', width: 50, wrap: true },
];

/** Points of a wrapped line of 10-point Arial; Excel's largest row height. */
export const LINE_HEIGHT_PT = 13;
export const MAX_ROW_HEIGHT_PT = 409;

export const NOT_SCORED_TEXT = 'Not scored';
/** A subtotal (or weight sum) over cells none of which holds a number: a section nobody scored, never 0.00. */
export const NO_SUBTOTAL_TEXT = '—';
export const NO_PRICE_TEXT = 'No price';
export const DISQUALIFIED_RANK = 'DQ';

export const KIND_LABELS: Record<CriterionKind, string> = {
  scored: 'Scored',
  pass_fail: 'Knock-out',
  price: 'Price',
  info: 'Information',
};

/** Spreadsheet column letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * A download's file name: the RFP reference reduced to letters, digits, `.`, `_` and `-` (anything else becomes `_`,
 * at most 60 characters, never empty or starting with a dot), then what the file is and the UTC date it was made:
 * `DEMO-311-GENAI-scorecard-2026-11-22.xlsx`. Safe as a path on every file system and in a Content-Disposition header.
 */
export function exportFileName(reference: string, what: string, generatedAt: string, extension: string): string {
  const safe = (reference.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'rfp').replace(/[._]+$/, '') || 'rfp';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(generatedAt)?.[0] ?? 'undated';
  return `${safe}-${what}-${day}.${extension}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// The Matrix

/**
 * Named cells, so formulas read as the DESIGN's symbols: `ScaleMax` (S) and `LowestPrice` (P_min, only when the RFP has
 * a price criterion).
 */
export const MATRIX_NAMES = { scaleMax: 'ScaleMax', lowestPrice: 'LowestPrice' } as const;

/** Style of a Matrix cell; the writer maps each to one shared style object. */
export type MatrixStyle =
  | 'title'
  | 'subtitle'
  | 'note'
  | 'label'
  | 'setting'
  | 'settingMoney'
  | 'band'
  | 'header'
  | 'headerNumber'
  | 'text'
  | 'kind'
  | 'weight'
  | 'weightNone'
  | 'value'
  | 'valueConsensus'
  | 'money'
  | 'pass'
  | 'fail'
  | 'undecided'
  | 'missing'
  | 'points'
  | 'pointsNotCounted'
  | 'pointsNone'
  | 'subtotalText'
  | 'subtotalWeight'
  | 'subtotalPoints'
  | 'subtotalBlank'
  | 'footerText'
  | 'total'
  | 'flag'
  | 'helperMoney'
  | 'rank'
  | 'footerBlank';

export type PlanCell =
  | { kind: 'text'; text: string; style: MatrixStyle }
  | { kind: 'number'; value: number; style: MatrixStyle }
  | { kind: 'formula'; formula: string; result: number | string; style: MatrixStyle }
  | { kind: 'blank'; style: MatrixStyle };

export interface MatrixPlanRow {
  /** Cells by 1-based column (index 0 unused). */
  cells: Array<PlanCell | undefined>;
  height?: number;
}

export interface MatrixPlan {
  rows: MatrixPlanRow[];
  widths: number[];
  /** Rows above and columns left of the scrolling area. */
  frozen: { xSplit: number; ySplit: number };
  autoFilter: string | null;
  printTitlesRow: string;
  merges: string[];
  names: Array<{ name: string; ref: string }>;
  /** Colour scale on the scored criteria's values (0 → red, S/2 → yellow, S → green); `null` when there are none. */
  colourScale: { sqref: string; min: number; mid: number; max: number } | null;
  /** Data bars on the total row, 0 → the RFP's total points. */
  dataBar: { sqref: string; min: number; max: number } | null;
  /** Where things are, for the writer's notes and for tests. */
  at: {
    headerRow: number;
    weightColumn: string;
    scaleMax: string;
    lowestPrice: string | null;
    /** Per vendor (results order): its value column and points column letters. */
    vendorColumns: Array<{ vendorId: string; value: string; points: string }>;
    criterionRows: Array<{ criterionId: string; row: number; kind: CriterionKind }>;
    subtotalRows: Array<{ sectionId: string; row: number }>;
    totalRow: number | null;
    qualifiedRow: number | null;
    rankRow: number | null;
    priceHelperRow: number | null;
    /** Every cell written as a formula, as "C12" addresses. */
    formulaCells: string[];
  };
}

/** What the plan needs from the bundle: sections and criteria in questionnaire order. */
export interface MatrixSource {
  rfpLine: string;
  generatedLine: string;
  sections: ReadonlyArray<{ id: string; title: string }>;
  criteria: ReadonlyArray<{ id: string; key: string; title: string; kind: CriterionKind; points: number; sectionId: string }>;
  results: ScoringResults;
}

/** Rows of the Matrix's title block and header. */
export const MATRIX_ROWS = { title: 1, subtitle: 2, howTo: 3, scaleMax: 4, lowestPrice: 5, legend: 6, band: 7, header: 8 } as const;
/** Fixed columns left of the vendors: Section, Key, Criterion, Kind, Weight. */
export const MATRIX_FIXED_COLUMNS: readonly ColumnSpec[] = [
  { header: 'Section', width: 20, wrap: true },
  { header: 'Key', width: 12 },
  { header: 'Criterion', width: 36, wrap: true },
  { header: 'Kind', width: 11 },
  { header: 'Weight W (points)', width: 13 },
];
const WEIGHT = columnLetter(5);
const FIRST_VENDOR_COLUMN = 6;
export const MATRIX_VENDOR_WIDTH = 13;
/** Totals closer than this share a rank, as in the engine (TIE_TOLERANCE). */
const TIE = '1E-9';

/**
 * The Matrix: criteria (rows, grouped by section, each section closed by a subtotal row) × vendors (in ranking order),
 * in two blocks: the criterion values r(v,c) as the engine computed them (full precision; the price for the price
 * criterion; Pass/Fail for knock-outs), then the points, each a live formula with the engine's figure cached:
 *
 * - scored: `=IF(ISNUMBER(r), $E{row} * r / ScaleMax, "")` (not scored → no points, never 0);
 * - price: `=IF(AND(ISNUMBER(price), ISNUMBER(LowestPrice)), $E{row} * MIN(1, LowestPrice / price), "")` (ratio) or
 *   `$E{row} * MIN(1, MAX(0, 1 − (price − LowestPrice) / LowestPrice))` (linear);
 * - subtotal: `=SUM(points of the section)`; total: `=SUM(subtotals)`; the weights column is summed likewise;
 * - qualified: `=IF(COUNTIF(values, "Fail") > 0, 0, 1)` — a failed knock-out disqualifies, a split vote does not;
 * - price counted for P_min: the price of a qualified vendor, else ""; `LowestPrice` =
 *   `IF(COUNT(counted) > 0, MIN(counted), IF(COUNT(prices) > 0, MIN(prices), ""))` — P_min over qualified vendors,
 *   over all vendors when none qualified has a price (as the engine);
 * - rank: `=IF(qualified = 1, 1 + COUNTIFS(totals, ">" & (total + 1E-9), qualified row, 1), "DQ")` — competition rank
 *   ("1, 1, 3") among qualified vendors with the engine's 1e-9 tie tolerance.
 * So a reader who changes a weight (column E) sees points, subtotals, totals, P_min and ranks recompute.
 * Information-only criteria carry nothing and are left out, as on the results page.
 */
/**
 * A section's subtotal over rows `first`..`last` of `column`: the sum, or "—" while none of those cells holds a number
 * (nobody scored the section, or it holds only knock-outs). The total's SUM skips the text, as it skipped the blanks.
 */
function subtotalFormula(column: string, first: number, last: number): string {
  const range = `${column}${first}:${column}${last}`;
  return `IF(COUNT(${range})=0,"${NO_SUBTOTAL_TEXT}",SUM(${range}))`;
}

export function matrixPlan(source: MatrixSource): MatrixPlan {
  const { results } = source;
  const S = results.settings.scaleMax;
  const vendors = results.vendors;
  const V = vendors.length;
  const valueCol = (i: number) => columnLetter(FIRST_VENDOR_COLUMN + i);
  const pointsCol = (i: number) => columnLetter(FIRST_VENDOR_COLUMN + V + i);
  const lastColumn = FIRST_VENDOR_COLUMN + 2 * V - 1;
  const rows: MatrixPlanRow[] = [];
  const formulaCells: string[] = [];
  const row = (n: number): MatrixPlanRow => (rows[n - 1] ??= { cells: [] });
  const put = (n: number, column: number, cell: PlanCell) => {
    row(n).cells[column] = cell;
    if (cell.kind === 'formula') formulaCells.push(`${columnLetter(column)}${n}`);
  };
  const text = (t: string, style: MatrixStyle): PlanCell => ({ kind: 'text', text: t, style });
  const num = (value: number, style: MatrixStyle): PlanCell => ({ kind: 'number', value, style });
  const formula = (f: string, result: number | string, style: MatrixStyle): PlanCell => ({ kind: 'formula', formula: f, result, style });
  const hasPrice = source.criteria.some((c) => c.kind === 'price');
  const scaleMaxRef = `${WEIGHT}${MATRIX_ROWS.scaleMax}`;
  const lowestPriceRef = hasPrice ? `${WEIGHT}${MATRIX_ROWS.lowestPrice}` : null;

  // Title block.
  put(MATRIX_ROWS.title, 1, text(source.rfpLine, 'title'));
  put(MATRIX_ROWS.subtitle, 1, text(source.generatedLine, 'subtitle'));
  const formulaText =
    results.settings.priceFormula === 'ratio'
      ? 'price points = W × MIN(1, P_min / price) (ratio formula)'
      : 'price points = W × MIN(1, MAX(0, 1 − (price − P_min) / P_min)) (linear formula)';
  put(
    MATRIX_ROWS.howTo,
    1,
    text(
      `Change any weight in column ${WEIGHT} (yellow) and the points, subtotals, totals, P_min and ranks recompute. Points = W × r / S; ${formulaText}; a vendor that failed a knock-out keeps its total but is not ranked (${DISQUALIFIED_RANK}), and its price points, marked (${DISQUALIFIED_RANK}), are not counted.`,
      'note',
    ),
  );
  put(MATRIX_ROWS.scaleMax, 1, text('Scale max S (top of the rubric)', 'label'));
  put(MATRIX_ROWS.scaleMax, 5, num(S, 'setting'));
  put(MATRIX_ROWS.legend, 1, text('Bold values were set by consensus; the others are the panel’s ' + results.settings.aggregation + ' of the submitted scores. Criterion values are kept at full precision and shown with 2 decimals.', 'note'));

  if (V === 0) {
    put(MATRIX_ROWS.band, 1, text('No vendor is in the evaluation: there is nothing to compare.', 'note'));
    return {
      rows,
      widths: MATRIX_FIXED_COLUMNS.map((c) => c.width),
      frozen: { xSplit: 0, ySplit: 0 },
      autoFilter: null,
      printTitlesRow: `${MATRIX_ROWS.header}:${MATRIX_ROWS.header}`,
      merges: [],
      names: [{ name: MATRIX_NAMES.scaleMax, ref: `${SHEETS.matrix}!$${WEIGHT}$${MATRIX_ROWS.scaleMax}` }],
      colourScale: null,
      dataBar: null,
      at: {
        headerRow: MATRIX_ROWS.header,
        weightColumn: WEIGHT,
        scaleMax: scaleMaxRef,
        lowestPrice: null,
        vendorColumns: [],
        criterionRows: [],
        subtotalRows: [],
        totalRow: null,
        qualifiedRow: null,
        rankRow: null,
        priceHelperRow: null,
        formulaCells,
      },
    };
  }

  // Header.
  const merges: string[] = [];
  put(MATRIX_ROWS.band, 1, text('Criterion', 'band'));
  merges.push(`A${MATRIX_ROWS.band}:${WEIGHT}${MATRIX_ROWS.band}`);
  put(MATRIX_ROWS.band, FIRST_VENDOR_COLUMN, text(`Criterion value r(v,c) on 0–${S}; the price in $ for the price criterion`, 'band'));
  put(MATRIX_ROWS.band, FIRST_VENDOR_COLUMN + V, text('Points p(v,c) — live formulas', 'band'));
  if (V > 1) {
    merges.push(`${valueCol(0)}${MATRIX_ROWS.band}:${valueCol(V - 1)}${MATRIX_ROWS.band}`);
    merges.push(`${pointsCol(0)}${MATRIX_ROWS.band}:${pointsCol(V - 1)}${MATRIX_ROWS.band}`);
  }
  MATRIX_FIXED_COLUMNS.forEach((c, i) => put(MATRIX_ROWS.header, i + 1, text(c.header, i === 4 ? 'headerNumber' : 'header')));
  vendors.forEach((v, i) => {
    put(MATRIX_ROWS.header, FIRST_VENDOR_COLUMN + i, text(v.name, 'headerNumber'));
    put(MATRIX_ROWS.header, FIRST_VENDOR_COLUMN + V + i, text(v.name, 'headerNumber'));
  });

  // Criteria by section, each section closed by its subtotal.
  const criterionRows: MatrixPlan['at']['criterionRows'] = [];
  const subtotalRows: MatrixPlan['at']['subtotalRows'] = [];
  const cellsOf = vendors.map((v) => new Map(v.criteria.map((c) => [c.criterionId, c])));
  const subtotalOf = vendors.map((v) => sectionSubtotals(source.criteria, v));
  let r = MATRIX_ROWS.header + 1;
  const firstDataRow = r;
  let priceRow: number | null = null;
  const scoredRuns: Array<[number, number]> = [];
  for (const section of source.sections) {
    const criteria = source.criteria.filter((c) => c.sectionId === section.id && c.kind !== 'info');
    if (criteria.length === 0) continue;
    const first = r;
    let weightSum = 0;
    for (const criterion of criteria) {
      criterionRows.push({ criterionId: criterion.id, row: r, kind: criterion.kind });
      put(r, 1, text(section.title, 'text'));
      put(r, 2, text(criterion.key, 'text'));
      put(r, 3, text(criterion.title, 'text'));
      put(r, 4, text(KIND_LABELS[criterion.kind], 'kind'));
      if (criterion.kind === 'pass_fail') {
        put(r, 5, { kind: 'blank', style: 'weightNone' });
      } else {
        put(r, 5, num(criterion.points, 'weight'));
        weightSum += criterion.points;
      }
      if (criterion.kind === 'scored') {
        const last = scoredRuns[scoredRuns.length - 1];
        if (last && last[1] === r - 1) last[1] = r;
        else scoredRuns.push([r, r]);
      }
      if (criterion.kind === 'price') priceRow = r;
      vendors.forEach((_, i) => {
        const cell = cellsOf[i]?.get(criterion.id);
        const value = valueCol(i);
        const points = FIRST_VENDOR_COLUMN + V + i;
        if (criterion.kind === 'pass_fail') {
          const outcome = cell?.knockout ?? 'not_scored';
          const mixed = results.mixedVotes.find((m) => m.vendorId === vendors[i]?.vendorId && m.criterionId === criterion.id);
          const label = knockoutLabel(outcome, mixed, vendors[i]?.qualified ?? true);
          put(r, FIRST_VENDOR_COLUMN + i, text(label, outcome === 'pass' ? 'pass' : outcome === 'fail' ? 'fail' : 'undecided'));
          put(r, points, { kind: 'blank', style: 'pointsNone' });
        } else if (criterion.kind === 'price') {
          const price = cell?.value ?? null;
          put(r, FIRST_VENDOR_COLUMN + i, price === null ? text(NO_PRICE_TEXT, 'missing') : num(price, 'money'));
          const share =
            results.settings.priceFormula === 'ratio'
              ? `MIN(1,${MATRIX_NAMES.lowestPrice}/${value}${r})`
              : `MIN(1,MAX(0,1-(${value}${r}-${MATRIX_NAMES.lowestPrice})/${MATRIX_NAMES.lowestPrice}))`;
          const counted = vendors[i]?.qualified ?? true;
          put(r, points, formula(`IF(AND(ISNUMBER(${value}${r}),ISNUMBER(${MATRIX_NAMES.lowestPrice})),$${WEIGHT}${r}*${share},"")`, cell?.points ?? '', counted ? 'points' : 'pointsNotCounted'));
        } else {
          const v = cell?.value ?? null;
          put(r, FIRST_VENDOR_COLUMN + i, v === null ? text(NOT_SCORED_TEXT, 'missing') : num(v, cell?.source === 'consensus' ? 'valueConsensus' : 'value'));
          put(r, points, formula(`IF(ISNUMBER(${value}${r}),$${WEIGHT}${r}*${value}${r}/${MATRIX_NAMES.scaleMax},"")`, cell?.points ?? '', 'points'));
        }
      });
      r++;
    }
    const last = r - 1;
    subtotalRows.push({ sectionId: section.id, row: r });
    put(r, 1, text(section.title, 'subtotalText'));
    put(r, 2, { kind: 'blank', style: 'subtotalText' });
    put(r, 3, text(`Subtotal: ${section.title}`, 'subtotalText'));
    put(r, 4, text('Subtotal', 'subtotalText'));
    const weighted = criteria.some((c) => c.kind !== 'pass_fail');
    put(r, 5, formula(subtotalFormula(WEIGHT, first, last), weighted ? weightSum : NO_SUBTOTAL_TEXT, 'subtotalWeight'));
    vendors.forEach((_, i) => {
      put(r, FIRST_VENDOR_COLUMN + i, { kind: 'blank', style: 'subtotalBlank' });
      put(r, FIRST_VENDOR_COLUMN + V + i, formula(subtotalFormula(pointsCol(i), first, last), subtotalOf[i]?.get(section.id) ?? NO_SUBTOTAL_TEXT, 'subtotalPoints'));
    });
    r++;
  }
  const lastDataRow = r - 1;

  // Footer: total, qualified, price counted for P_min, rank.
  const totalRow = r++;
  const qualifiedRow = r++;
  const priceHelperRow = priceRow !== null ? r++ : null;
  const rankRow = r++;
  const sumOf = (column: string) =>
    subtotalRows.length === 0
      ? '0'
      : subtotalRows.length <= 200
        ? `SUM(${subtotalRows.map((s) => `${column}${s.row}`).join(',')})`
        : `SUMIF($D$${firstDataRow}:$D$${lastDataRow},"Subtotal",${column}${firstDataRow}:${column}${lastDataRow})`;
  const footerLabel = (n: number, label: string, kind: string) => {
    put(n, 1, { kind: 'blank', style: 'footerText' });
    put(n, 2, { kind: 'blank', style: 'footerText' });
    put(n, 3, text(label, 'footerText'));
    put(n, 4, text(kind, 'footerText'));
  };
  const totalWeight = source.criteria.reduce((sum, c) => (c.kind === 'info' || c.kind === 'pass_fail' ? sum : sum + c.points), 0);
  footerLabel(totalRow, 'Total points T(v)', 'Total');
  put(totalRow, 5, formula(sumOf(WEIGHT), totalWeight, 'total'));
  footerLabel(qualifiedRow, 'Qualified (1) or failed a knock-out (0)', 'Knock-outs');
  put(qualifiedRow, 5, { kind: 'blank', style: 'footerBlank' });
  if (priceHelperRow !== null) {
    footerLabel(priceHelperRow, 'Price counted for P_min (if qualified)', 'Price');
    put(priceHelperRow, 5, { kind: 'blank', style: 'footerBlank' });
  }
  footerLabel(rankRow, `Rank (${DISQUALIFIED_RANK} = disqualified)`, 'Rank');
  put(rankRow, 5, { kind: 'blank', style: 'footerBlank' });
  const knockoutRows = criterionRows.some((c) => c.kind === 'pass_fail');
  const firstPoints = pointsCol(0);
  const lastPoints = pointsCol(V - 1);
  vendors.forEach((v, i) => {
    for (const n of [totalRow, qualifiedRow, rankRow, ...(priceHelperRow !== null ? [priceHelperRow] : [])]) {
      put(n, FIRST_VENDOR_COLUMN + i, { kind: 'blank', style: 'footerBlank' });
    }
    const p = pointsCol(i);
    const value = valueCol(i);
    const column = FIRST_VENDOR_COLUMN + V + i;
    put(totalRow, column, formula(sumOf(p), v.total, 'total'));
    put(
      qualifiedRow,
      column,
      knockoutRows
        ? formula(`IF(COUNTIF(${value}$${firstDataRow}:${value}$${lastDataRow},"${KNOCKOUT_TEXT.fail}")>0,0,1)`, v.qualified ? 1 : 0, 'flag')
        : num(1, 'flag'),
    );
    if (priceHelperRow !== null && priceRow !== null) {
      const price = vendors[i]?.criteria.find((c) => c.kind === 'price')?.value ?? null;
      put(
        priceHelperRow,
        column,
        formula(`IF(AND(${p}${qualifiedRow}=1,ISNUMBER(${value}${priceRow})),${value}${priceRow},"")`, v.qualified && price !== null ? price : '', 'helperMoney'),
      );
    }
    put(
      rankRow,
      column,
      formula(
        `IF(${p}${qualifiedRow}=1,1+COUNTIFS($${firstPoints}$${totalRow}:$${lastPoints}$${totalRow},">"&(${p}${totalRow}+${TIE}),$${firstPoints}$${qualifiedRow}:$${lastPoints}$${qualifiedRow},1),"${DISQUALIFIED_RANK}")`,
        v.rank ?? DISQUALIFIED_RANK,
        'rank',
      ),
    );
  });

  // P_min, from the prices row and the qualified flags.
  if (lowestPriceRef !== null && priceRow !== null && priceHelperRow !== null) {
    put(MATRIX_ROWS.lowestPrice, 1, text('Lowest qualified price P_min', 'label'));
    const counted = `${firstPoints}${priceHelperRow}:${lastPoints}${priceHelperRow}`;
    const prices = `${valueCol(0)}${priceRow}:${valueCol(V - 1)}${priceRow}`;
    put(
      MATRIX_ROWS.lowestPrice,
      5,
      formula(`IF(COUNT(${counted})>0,MIN(${counted}),IF(COUNT(${prices})>0,MIN(${prices}),""))`, results.lowestPrice ?? '', 'settingMoney'),
    );
  }

  const names: Array<{ name: string; ref: string }> = [{ name: MATRIX_NAMES.scaleMax, ref: `${SHEETS.matrix}!$${WEIGHT}$${MATRIX_ROWS.scaleMax}` }];
  if (lowestPriceRef !== null) names.push({ name: MATRIX_NAMES.lowestPrice, ref: `${SHEETS.matrix}!$${WEIGHT}$${MATRIX_ROWS.lowestPrice}` });

  return {
    rows,
    widths: [...MATRIX_FIXED_COLUMNS.map((c) => c.width), ...Array.from({ length: 2 * V }, () => MATRIX_VENDOR_WIDTH)],
    frozen: { xSplit: 3, ySplit: MATRIX_ROWS.header },
    autoFilter: lastDataRow >= firstDataRow ? `A${MATRIX_ROWS.header}:${columnLetter(lastColumn)}${lastDataRow}` : null,
    printTitlesRow: `${MATRIX_ROWS.band}:${MATRIX_ROWS.header}`,
    merges,
    names,
    colourScale:
      scoredRuns.length > 0
        ? { sqref: scoredRuns.map(([a, b]) => `${valueCol(0)}${a}:${valueCol(V - 1)}${b}`).join(' '), min: 0, mid: S / 2, max: S }
        : null,
    dataBar: { sqref: `${firstPoints}${totalRow}:${lastPoints}${totalRow}`, min: 0, max: results.settings.totalPoints },
    at: {
      headerRow: MATRIX_ROWS.header,
      weightColumn: WEIGHT,
      scaleMax: scaleMaxRef,
      lowestPrice: lowestPriceRef,
      vendorColumns: vendors.map((v, i) => ({ vendorId: v.vendorId, value: valueCol(i), points: pointsCol(i) })),
      criterionRows,
      subtotalRows,
      totalRow,
      qualifiedRow,
      rankRow,
      priceHelperRow,
      formulaCells,
    },
  };
}
