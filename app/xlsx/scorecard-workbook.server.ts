/**
 * Writes the scorecard workbook (layout: `scorecard-layout.ts`) with exceljs's streaming writer, row by row, so a large
 * evaluation (25 vendors × 400 questions × 60 criteria × 12 evaluators) never sits in memory as a workbook model.
 *
 * Safety: every string reaches a cell through `cellText` (cell-text.ts): a plain shared-string value, guarded against
 * formula triggers, cleaned and length-capped. Formulas are written only in the Matrix, only from `matrixPlan`, whose
 * formulas contain cell references, named cells and our own constants — never user text. No hyperlink is ever created,
 * and the workbook has no external relationships.
 */
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formatLeniency, formatPercent, formatPoints, formatScore, NO_FIGURE } from '#app/results/format';
import { sectionSubtotals } from '#app/results/subtotals';
import { buildScorecardView } from '#app/results/scorecard';
import { methodNotes } from '#app/results/view-model';
import { NOT_COMPUTED } from '#app/results/wording';
import { STATUS_LABELS } from '#app/rfp/status';
import { formatDateTime } from '#app/utils/format';
import { roundForDisplay, type ScoringResults } from '#scoring/index';
import { cellText } from './cell-text';
import type { ExcludedScoreDetail, ScoreDetail } from '#app/utils/db.server';
import type { ScorecardData } from './scorecard-data.server';
import {
  AUDIT_COLUMNS,
  type ColumnSpec,
  columnLetter,
  EVALUATOR_COLUMNS,
  KIND_LABELS,
  LINE_HEIGHT_PT,
  MATRIX_ROWS,
  matrixPlan,
  type MatrixStyle,
  MAX_ROW_HEIGHT_PT,
  NUMBER_FORMATS,
  RATIONALE_COLUMNS,
  RESPONSES_FIXED_COLUMNS,
  RESPONSES_VENDOR_WIDTH,
  SCORECARD_FORMAT,
  SHEETS,
  TABLE_HEADER_ROW,
} from './scorecard-layout';

const APP_NAME = 'AI Vendor Evaluation Workbench';
/** SpreadsheetML paper size 1 (US Letter), which exceljs's PaperSize enum does not name. */
const US_LETTER = 1 as unknown as ExcelJS.PaperSize;

// ---------------------------------------------------------------------------------------------------------------------
// Styles: one frozen object per look, shared by every cell that has it (exceljs then computes each style once).

const COLORS = {
  primary: 'FF1A4480',
  band: 'FF005EA2',
  white: 'FFFFFFFF',
  border: 'FFA9AEB1',
  muted: 'FF565C65',
  zebra: 'FFF0F0F0',
  subtotal: 'FFE7F2F5',
  total: 'FFD9E8F6',
  weight: 'FFFFF5C2',
  passFill: 'FFECF3EC',
  passText: 'FF216E1F',
  failFill: 'FFF8DFE2',
  failText: 'FFB50909',
  undecided: 'FFFAF3D1',
} as const;

const FONT = { name: 'Arial', size: 10 } as const;
const thin = { style: 'thin', color: { argb: COLORS.border } } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
type Style = Partial<ExcelJS.Style>;
const style = (s: Style): Style => Object.freeze(s) as Style;

const S = {
  plain: style({ font: FONT }),
  title: style({ font: { ...FONT, size: 14, bold: true, color: { argb: COLORS.primary } } }),
  heading: style({ font: { ...FONT, size: 12, bold: true, color: { argb: COLORS.primary } } }),
  subtitle: style({ font: { ...FONT, color: { argb: COLORS.muted } }, alignment: { wrapText: true, vertical: 'top' } }),
  note: style({ font: { ...FONT, italic: true, color: { argb: COLORS.muted } }, alignment: { wrapText: true, vertical: 'top' } }),
  label: style({ font: { ...FONT, bold: true }, alignment: { vertical: 'top', wrapText: true } }),
  paragraph: style({ font: FONT, alignment: { wrapText: true, vertical: 'top' } }),
  strong: style({ font: { ...FONT, size: 11, bold: true }, alignment: { wrapText: true, vertical: 'top' } }),
  header: style({
    font: { ...FONT, bold: true, color: { argb: COLORS.white } },
    fill: fill(COLORS.primary),
    border: BORDER,
    alignment: { wrapText: true, vertical: 'middle' },
  }),
  headerNumber: style({
    font: { ...FONT, bold: true, color: { argb: COLORS.white } },
    fill: fill(COLORS.primary),
    border: BORDER,
    alignment: { wrapText: true, vertical: 'middle', horizontal: 'right' },
  }),
  band: style({
    font: { ...FONT, bold: true, color: { argb: COLORS.white } },
    fill: fill(COLORS.band),
    border: BORDER,
    alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
  }),
  cell: style({ font: FONT, border: BORDER, alignment: { vertical: 'top' } }),
  cellWrap: style({ font: FONT, border: BORDER, alignment: { vertical: 'top', wrapText: true } }),
  cellMuted: style({ font: { ...FONT, color: { argb: COLORS.muted } }, border: BORDER, alignment: { vertical: 'top' } }),
  number: style({ font: FONT, border: BORDER, alignment: { vertical: 'top' } }),
  points: style({ font: FONT, border: BORDER, numFmt: NUMBER_FORMATS.points, alignment: { vertical: 'top' } }),
  /** "—" where a figure would be: a section nobody scored (right-aligned like the figures beside it). */
  noFigure: style({ font: { ...FONT, color: { argb: COLORS.muted } }, border: BORDER, alignment: { vertical: 'top', horizontal: 'right' } }),
  pointsBold: style({ font: { ...FONT, bold: true }, border: BORDER, numFmt: NUMBER_FORMATS.points, alignment: { vertical: 'top' } }),
  money: style({ font: FONT, border: BORDER, numFmt: NUMBER_FORMATS.money, alignment: { vertical: 'top' } }),
  rank: style({ font: { ...FONT, bold: true }, border: BORDER, alignment: { vertical: 'top', horizontal: 'center' } }),
  dq: style({ font: { ...FONT, bold: true, color: { argb: COLORS.failText } }, border: BORDER, alignment: { vertical: 'top', horizontal: 'center' } }),
  out: style({ font: { ...FONT, bold: true, color: { argb: COLORS.failText } }, border: BORDER, alignment: { vertical: 'top', wrapText: true } }),
  ok: style({ font: { ...FONT, color: { argb: COLORS.passText } }, border: BORDER, alignment: { vertical: 'top', wrapText: true } }),
} as const;

/** The Matrix's looks, by the plan's style names. */
const M: Record<MatrixStyle, Style> = {
  title: S.title,
  subtitle: S.subtitle,
  note: S.note,
  label: style({ font: { ...FONT, bold: true }, alignment: { vertical: 'middle' } }),
  setting: style({ font: { ...FONT, bold: true }, border: BORDER, fill: fill(COLORS.total), numFmt: NUMBER_FORMATS.integer }),
  settingMoney: style({ font: { ...FONT, bold: true }, border: BORDER, fill: fill(COLORS.total), numFmt: NUMBER_FORMATS.money }),
  band: S.band,
  header: S.header,
  headerNumber: S.headerNumber,
  text: style({ font: FONT, border: BORDER, alignment: { vertical: 'top', wrapText: true } }),
  kind: style({ font: { ...FONT, color: { argb: COLORS.muted } }, border: BORDER, alignment: { vertical: 'top' } }),
  weight: style({ font: { ...FONT, bold: true }, border: BORDER, fill: fill(COLORS.weight), numFmt: NUMBER_FORMATS.points, alignment: { vertical: 'top' } }),
  weightNone: style({ font: FONT, border: BORDER }),
  value: style({ font: FONT, border: BORDER, numFmt: NUMBER_FORMATS.score, alignment: { vertical: 'top' } }),
  valueConsensus: style({ font: { ...FONT, bold: true }, border: BORDER, numFmt: NUMBER_FORMATS.score, alignment: { vertical: 'top' } }),
  money: style({ font: FONT, border: BORDER, numFmt: NUMBER_FORMATS.money, alignment: { vertical: 'top' } }),
  pass: style({ font: { ...FONT, color: { argb: COLORS.passText } }, fill: fill(COLORS.passFill), border: BORDER, alignment: { vertical: 'top', horizontal: 'center' } }),
  fail: style({ font: { ...FONT, bold: true, color: { argb: COLORS.failText } }, fill: fill(COLORS.failFill), border: BORDER, alignment: { vertical: 'top', horizontal: 'center' } }),
  undecided: style({ font: FONT, fill: fill(COLORS.undecided), border: BORDER, alignment: { vertical: 'top', horizontal: 'center', wrapText: true } }),
  missing: style({ font: { ...FONT, italic: true, color: { argb: COLORS.muted } }, border: BORDER, alignment: { vertical: 'top', horizontal: 'center' } }),
  points: S.points,
  pointsNotCounted: style({ font: { ...FONT, italic: true, color: { argb: COLORS.muted } }, border: BORDER, numFmt: NUMBER_FORMATS.pointsNotCounted, alignment: { vertical: 'top' } }),
  pointsNone: style({ font: FONT, border: BORDER }),
  subtotalText: style({ font: { ...FONT, bold: true }, fill: fill(COLORS.subtotal), border: BORDER, alignment: { vertical: 'top', wrapText: true } }),
  subtotalWeight: style({ font: { ...FONT, bold: true }, fill: fill(COLORS.subtotal), border: BORDER, numFmt: NUMBER_FORMATS.points, alignment: { vertical: 'top', horizontal: 'right' } }),
  subtotalPoints: style({ font: { ...FONT, bold: true }, fill: fill(COLORS.subtotal), border: BORDER, numFmt: NUMBER_FORMATS.points, alignment: { vertical: 'top', horizontal: 'right' } }),
  subtotalBlank: style({ font: FONT, fill: fill(COLORS.subtotal), border: BORDER }),
  footerText: style({ font: { ...FONT, bold: true }, fill: fill(COLORS.total), border: BORDER, alignment: { vertical: 'top', wrapText: true } }),
  total: style({ font: { ...FONT, bold: true, size: 11 }, fill: fill(COLORS.total), border: BORDER, numFmt: NUMBER_FORMATS.points }),
  flag: style({ font: { ...FONT, bold: true }, fill: fill(COLORS.total), border: BORDER, numFmt: NUMBER_FORMATS.flag, alignment: { horizontal: 'center' } }),
  helperMoney: style({ font: { ...FONT, color: { argb: COLORS.muted } }, fill: fill(COLORS.total), border: BORDER, numFmt: NUMBER_FORMATS.money }),
  rank: style({ font: { ...FONT, bold: true, size: 11 }, fill: fill(COLORS.total), border: BORDER, alignment: { horizontal: 'center' } }),
  footerBlank: style({ font: FONT, fill: fill(COLORS.total), border: BORDER }),
};

// ---------------------------------------------------------------------------------------------------------------------
// Entry points

/** Writes the workbook to `stream` (an HTTP response, a file); resolves once everything is written. */
export async function writeScorecardWorkbook(data: ScorecardData, stream: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  const generated = new Date(data.generatedAt);
  workbook.creator = APP_NAME;
  workbook.lastModifiedBy = cellText(data.generatedBy.email ?? data.generatedBy.name);
  workbook.created = generated;
  workbook.modified = generated;
  workbook.title = cellText(`Evaluation scorecard — ${data.rfp.reference} — ${data.rfp.title}`).slice(0, 250);
  workbook.subject = cellText(data.rfp.reference).slice(0, 250);
  workbook.keywords = `${SCORECARD_FORMAT} scorecard rfp=${encodeURIComponent(data.rfp.reference)}`.slice(0, 250);
  workbook.category = `${APP_NAME} scorecard`;
  workbook.description = cellText(
    `Scorecard of ${data.rfp.reference} (${data.rfp.title}), status ${STATUS_LABELS[data.rfp.status]}, generated ${formatDateTime(data.generatedAt)} by ${who(data)}.`,
  ).slice(0, 1000);
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];

  const results = data.outcome.ok ? data.outcome.results : null;
  writeSummary(workbook, data, results);
  writeMatrix(workbook, data, results);
  writeEvaluators(workbook, data, results);
  writeRationale(workbook, data, results);
  writeResponses(workbook, data, results);
  writeAudit(workbook, data);
  await workbook.commit();
}

/** The workbook as bytes. */
export async function buildScorecardWorkbook(data: ScorecardData): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeScorecardWorkbook(data, sink);
  sink.end();
  await done;
  return Buffer.concat(chunks);
}

/** The workbook written to a file, streamed. */
export async function writeScorecardWorkbookFile(data: ScorecardData, path: string): Promise<void> {
  const file = createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    file.on('close', resolve);
    file.on('error', reject);
  });
  await writeScorecardWorkbook(data, file);
  await closed;
}

// ---------------------------------------------------------------------------------------------------------------------
// Sheet plumbing

type Sheet = ExcelJS.Worksheet;
type Value = string | number | null | undefined;

function who(data: ScorecardData): string {
  return data.generatedBy.email ? `${data.generatedBy.name} (${data.generatedBy.email})` : data.generatedBy.name;
}

/** Text for a print header or footer: one line, "&" doubled (it starts a code there), short. */
function headerText(text: string): string {
  return cellText(text).replace(/\s+/g, ' ').slice(0, 100).replace(/&/g, '&&');
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, data: ScorecardData, options: { ySplit?: number; xSplit?: number; printTitlesRow?: string; orientation?: 'portrait' | 'landscape' }): Sheet {
  const frozen = (options.ySplit ?? 0) > 0 || (options.xSplit ?? 0) > 0;
  return workbook.addWorksheet(name, {
    views: frozen ? [{ state: 'frozen', xSplit: options.xSplit ?? 0, ySplit: options.ySplit ?? 0 }] : [{}],
    pageSetup: {
      orientation: options.orientation ?? 'landscape',
      paperSize: US_LETTER,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: false,
      margins: { left: 0.4, right: 0.4, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 },
      ...(options.printTitlesRow ? { printTitlesRow: options.printTitlesRow } : {}),
    },
    headerFooter: {
      oddHeader: `&L&"Arial,Bold"${headerText(data.rfp.reference)}&C${name}&R${headerText(STATUS_LABELS[data.rfp.status])}`,
      oddFooter: `&L${headerText(`Generated ${formatDateTime(data.generatedAt)} by ${who(data)}`)}&RPage &P of &N`,
    },
  });
}

/**
 * Row `n`, sharing one empty style object: exceljs computes a row's style once per distinct object, and a fresh `{}` on
 * each of 40,000 rows was a tenth of the writing time.
 */
function rowAt(sheet: Sheet, n: number): ExcelJS.Row {
  const row = sheet.getRow(n);
  (row as unknown as { style: Style }).style = ROW_STYLE;
  return row;
}
const ROW_STYLE = style({});

/** Puts a value in a cell: strings only ever through `cellText`, numbers as numbers. */
function put(cell: ExcelJS.Cell, value: Value, look: Style): void {
  cell.value = value === null || value === undefined || value === '' ? null : typeof value === 'number' ? value : cellText(value);
  cell.style = look;
}

/**
 * Lines a wrapped text needs in a column `width` wide, estimated from its length rather than by wrapping word by word
 * (a large export has tens of thousands of wrapped cells): the same characters-per-line rule as the vendor workbook
 * (`wrappedLines`), plus a tenth for words pushed to the next line. Errs on the generous side, as clipped text is worse
 * than a little white space.
 */
function linesFor(text: string, width: number): number {
  const perLine = Math.max(1, Math.floor(width * 1.3) - 1);
  if (text.length <= perLine && text.indexOf('\n') < 0) return 1;
  let lines = 0;
  let start = 0;
  while (start <= text.length && lines <= MAX_LINES) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const length = end - start;
    lines += length <= perLine ? 1 : Math.ceil((length * 1.1) / perLine);
    start = end + 1;
  }
  return lines;
}
const MAX_LINES = Math.floor((MAX_ROW_HEIGHT_PT - 4) / LINE_HEIGHT_PT);

/**
 * How much wider bold glyphs run than regular ones. A bold label estimated at regular widths fits on one line on paper
 * in the estimate only: LibreOffice and Excel wrap it, and the row's fixed height then lets its second line spill
 * over the next row (the Matrix's section subtotals did). Bold columns count as this much narrower.
 */
const BOLD_GLYPHS = 1.2;

/** `widths` as they hold bold text (see {@link BOLD_GLYPHS}). */
function boldWidths(widths: readonly number[]): number[] {
  return widths.map((w) => w / BOLD_GLYPHS);
}

/** Estimated height of a row whose wrapped cells hold `texts` in columns `widths` wide; undefined for one line. */
function heightFor(texts: ReadonlyArray<string | null | undefined>, widths: readonly number[]): number | undefined {
  let lines = 1;
  texts.forEach((t, i) => {
    if (t) lines = Math.max(lines, linesFor(t, widths[i] ?? 10));
  });
  return lines === 1 ? undefined : Math.min(MAX_ROW_HEIGHT_PT, lines * LINE_HEIGHT_PT + 4);
}

/** Title, a note and (on row TABLE_HEADER_ROW) the header of a tabular sheet. */
function tableHead(sheet: Sheet, title: string, note: string, columns: readonly ColumnSpec[]): void {
  const totalWidth = columns.reduce((sum, c) => sum + c.width, 0);
  const t = rowAt(sheet, 1);
  put(t.getCell(1), title, S.title);
  t.height = 20;
  t.commit();
  const n = rowAt(sheet, 2);
  put(n.getCell(1), note, S.note);
  if (columns.length > 1) sheet.mergeCells(2, 1, 2, columns.length);
  n.height = heightFor([note], [totalWidth]) ?? LINE_HEIGHT_PT + 4;
  n.commit();
  rowAt(sheet, 3).commit();
  const h = rowAt(sheet, TABLE_HEADER_ROW);
  columns.forEach((c, i) => put(h.getCell(i + 1), c.header, S.header));
  h.height = heightFor(columns.map((c) => c.header), boldWidths(columns.map((c) => c.width))) ?? 18;
  h.commit();
}

function setWidths(sheet: Sheet, widths: readonly number[]): void {
  sheet.columns = widths.map((width) => ({ width }));
}

/** One data row of a tabular sheet. `looks[i]` styles cell i; wrapped columns count towards the row height. */
function tableRow(sheet: Sheet, n: number, values: readonly Value[], looks: readonly Style[], columns: readonly ColumnSpec[]): void {
  const row = rowAt(sheet, n);
  let wrapped: Array<string | null> | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    put(row.getCell(i + 1), value, looks[i] as Style);
    if (columns[i]?.wrap && typeof value === 'string' && value.length > (columns[i]?.width ?? 0)) (wrapped ??= [])[i] = value;
  }
  if (wrapped) {
    const h = heightFor(wrapped, columns.map((c) => c.width));
    if (h !== undefined) row.height = h;
  }
  row.commit();
}

function finishTable(sheet: Sheet, columns: number, lastRow: number): void {
  if (lastRow > TABLE_HEADER_ROW) sheet.autoFilter = `A${TABLE_HEADER_ROW}:${columnLetter(columns)}${lastRow}`;
  sheet.commit();
}

function sealedSheet(sheet: Sheet, title: string, sentence: string): void {
  setWidths(sheet, [110]);
  const t = rowAt(sheet, 1);
  put(t.getCell(1), title, S.title);
  t.height = 20;
  t.commit();
  const n = rowAt(sheet, 2);
  put(n.getCell(1), sentence, S.paragraph);
  n.height = heightFor([sentence], [110]) ?? LINE_HEIGHT_PT + 4;
  n.commit();
  sheet.commit();
}

/** A score as the Evaluators and Rationale sheets list it: `status` set when its submission is not evaluated. */
type ListedScore = ScoreDetail & { status?: ExcludedScoreDetail['status'] };

/** How a submission that is not evaluated is named in the Evaluators and Rationale sheets. */
const NOT_EVALUATED_STATUS: Record<'expected' | 'withdrawn' | 'non_responsive', string> = { expected: 'not received', withdrawn: 'withdrawn', non_responsive: 'non-responsive' };

/** Withdrawn and non-responsive submissions' vendors, by name: their scores are listed after everyone else's. */
function notEvaluatedVendors(data: ScorecardData): Array<{ id: string; name: string; submissionId: string }> {
  return data.bundle.excluded.map((x) => ({ id: x.vendorId, name: x.name, submissionId: '' }));
}

/** Vendor order of the results (ranked, then disqualified); the bundle's order when the engine refused the input. */
function vendorOrder(data: ScorecardData, results: ScoringResults | null): Array<{ id: string; name: string; submissionId: string }> {
  const byId = new Map(data.bundle.vendors.map((v) => [v.id, v]));
  if (!results) return data.bundle.vendors.map((v) => ({ id: v.id, name: v.name, submissionId: v.submissionId }));
  return results.vendors.map((v) => ({ id: v.vendorId, name: v.name, submissionId: byId.get(v.vendorId)?.submissionId ?? '' }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Summary

/** The Summary lists this many disagreements (those settled by consensus first); the other sheets have them all. */
const MAX_SUMMARY_DISAGREEMENTS = 40;

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: ScorecardData, results: ScoringResults | null): void {
  const sheet = addSheet(workbook, SHEETS.summary, data, { orientation: 'landscape' });
  const view = buildScorecardView(
    { rfp: { id: data.rfp.id, reference: data.rfp.reference, title: data.rfp.title, status: data.rfp.status }, bundle: data.bundle, outcome: data.outcome, panelVisible: false },
    formatDateTime(data.generatedAt),
  );
  const sections = view.sections;
  // Columns: Rank | Vendor | one per weighted section | Total | Status | Reason.
  const widths = [9, 30, ...sections.map(() => 14), 12, 14, 46];
  const last = widths.length;
  const allWidth = widths.reduce((a, b) => a + b, 0);
  const valueWidth = allWidth - widths[0]! - widths[1]!;
  setWidths(sheet, widths);
  let r = 1;

  const line = (text: string, look: Style, height?: number) => {
    const row = rowAt(sheet, r);
    put(row.getCell(1), text, look);
    sheet.mergeCells(r, 1, r, last);
    const h = height ?? heightFor([text], [allWidth]);
    if (h !== undefined) row.height = h;
    row.commit();
    r++;
  };
  const pair = (label: string, value: string, look: Style = S.paragraph) => {
    const row = rowAt(sheet, r);
    put(row.getCell(1), label, S.label);
    sheet.mergeCells(r, 1, r, 2);
    put(row.getCell(3), value, look);
    sheet.mergeCells(r, 3, r, last);
    const h = heightFor([label, value], [(widths[0]! + widths[1]!) / BOLD_GLYPHS, valueWidth]);
    if (h !== undefined) row.height = h;
    row.commit();
    r++;
  };
  const heading = (text: string) => {
    r++;
    line(text, S.heading, 18);
  };

  line(`Evaluation scorecard — ${data.rfp.reference}`, S.title, 22);
  line(data.rfp.title, S.strong);
  r++;
  pair('RFP reference', data.rfp.reference);
  pair('Department', data.rfp.department);
  pair('Status', STATUS_LABELS[data.rfp.status]);
  // Deadlines as the app shows them, in the installation's zone with its abbreviation.
  const deadlines = data.rfp.deadlines;
  if (deadlines?.qa) pair('Questions due', formatDateTime(deadlines.qa));
  if (deadlines) pair('Proposals due', deadlines.proposals ? formatDateTime(deadlines.proposals) : 'Not set');
  if (deadlines) pair('Evaluation due', deadlines.evaluation ? formatDateTime(deadlines.evaluation) : 'Not set');
  pair('Results', view.final ? `Final: ${view.complete}.` : 'Provisional: see “Why the results are not final” below.', view.final ? S.paragraph : S.strong);
  pair('Generated', `${formatDateTime(data.generatedAt)} by ${who(data)}`);
  pair('Made with', `${APP_NAME}. Figures are rounded to 2 decimals as in the app; the Matrix sheet recomputes them with live formulas.`);
  pair('Audit log', auditChainSentence(data));

  heading('Recommendation');
  line(view.recommendation, S.strong);
  if (view.margin) line(view.margin, S.paragraph);

  heading('Ranking');
  if (!results || results.vendors.length === 0) {
    line(results ? 'No vendor is in the evaluation.' : NOT_COMPUTED.ranking, S.paragraph);
  } else {
    const header = rowAt(sheet, r);
    const titles = ['Rank', 'Vendor', ...sections.map((s) => `${s.title} (of ${s.available})`), `Total (of ${formatPoints(results.settings.totalPoints)})`, 'Status', 'Disqualified because / notes'];
    titles.forEach((t, i) => put(header.getCell(i + 1), t, i >= 2 && i < 3 + sections.length ? S.headerNumber : S.header));
    header.height = heightFor(titles, boldWidths(widths)) ?? 18;
    header.commit();
    r++;
    for (const v of results.vendors) {
      const row = rowAt(sheet, r);
      const subtotal = sectionSubtotals(data.bundle.criteria, v);
      put(row.getCell(1), v.rank ?? 'DQ', v.rank === null ? S.dq : S.rank);
      put(row.getCell(2), v.name, S.cellWrap);
      sections.forEach((s, i) => {
        const points = subtotal.get(s.id) ?? null;
        put(row.getCell(3 + i), points === null ? NO_FIGURE : roundForDisplay(points), points === null ? S.noFigure : S.points);
      });
      put(row.getCell(3 + sections.length), roundForDisplay(v.total), S.pointsBold);
      put(row.getCell(4 + sections.length), v.qualified ? 'Qualified' : 'Disqualified', v.qualified ? S.ok : S.out);
      const notes = [...v.disqualifiedBecause, ...v.problems.map((p) => p.message)].join(' ');
      put(row.getCell(5 + sections.length), notes, S.cellWrap);
      const h = heightFor([null, v.name, ...sections.map(() => null), null, null, notes], widths);
      if (h !== undefined) row.height = h;
      row.commit();
      r++;
    }
  }

  if (view.notFinalBecause.length > 0 || view.problems.length > 0) {
    heading('Why the results are not final');
    for (const reason of [...view.notFinalBecause, ...view.problems]) line(`• ${reason}`, S.paragraph);
  }
  const warnings = [...(results?.warnings ?? []), ...data.bundle.ignored];
  if (warnings.length > 0) {
    heading('Notes on the scoring data');
    for (const w of warnings) line(`• ${w}`, S.paragraph);
  }

  heading('Knock-outs and vendors not evaluated');
  if (view.knockouts.length === 0) line(view.knockoutsNote, S.paragraph);
  for (const k of view.knockouts) pair(k.vendor, `Disqualified: ${k.reasons.join(' ')}`);
  for (const x of view.excluded) pair(x.name, `Not evaluated — ${x.status}${x.reason ? `: ${x.reason}` : ''}`);

  heading('How robust is the recommendation?');
  line(view.robustnessSummary, S.paragraph);
  if (view.robustness) {
    for (const b of view.robustness.breakEven) pair(`${b.section} (${b.weight} points)`, b.sentence);
    if (view.robustness.monteCarlo) pair('Random re-weightings', `${view.robustness.monteCarlo.sentence} ${view.robustness.monteCarlo.distribution}`);
    pair('Other price formula', view.robustness.priceSwap);
  }

  heading('Where evaluators disagreed, and how it was settled');
  if (view.disagreements.length === 0) line(view.disagreementsNote, S.paragraph);
  const settled = [...view.disagreements].sort((a, b) => Number(b.rationale !== null) - Number(a.rationale !== null));
  for (const d of settled.slice(0, MAX_SUMMARY_DISAGREEMENTS)) {
    pair(`${d.criterion} · ${d.vendor}`, `${d.what} ${d.resolution}${d.rationale ? ` “${d.rationale}”` : ''}`);
  }
  if (settled.length > MAX_SUMMARY_DISAGREEMENTS) {
    line(`…and ${settled.length - MAX_SUMMARY_DISAGREEMENTS} more divergent scores: every score is on the ${SHEETS.evaluators} sheet and every rationale on the ${SHEETS.rationale} sheet.`, S.note);
  }

  if (data.panelVisible && results && results.calibration.length > 0) {
    heading('Evaluator calibration');
    const S_ = results.settings.scaleMax;
    for (const c of results.calibration) {
      pair(
        c.name,
        c.leniency === null
          ? `Leniency ${formatLeniency(null)}: no item this evaluator scored was scored by another evaluator.`
          : `Leniency ${formatLeniency(c.leniency)} on the 0–${S_} scale compared with the panel mean, over ${c.itemsCompared} ${c.itemsCompared === 1 ? 'item' : 'items'}.`,
      );
    }
    const a = results.agreement;
    pair('Inter-rater agreement', a.alpha === null ? `Krippendorff’s alpha not computed: ${a.reason ?? 'not applicable'}.` : `Krippendorff’s alpha (interval) = ${formatScore(a.alpha)} over ${a.pairableUnits} items.`);
  }

  heading('Method');
  const settings = results?.settings ?? data.bundle.input.settings;
  pair('Settings', `Scale 0–${settings.scaleMax}${settings.allowHalfPoints ? ' (half points allowed)' : ''}; aggregation ${settings.aggregation}; divergence threshold ${formatPercent(settings.divergenceThreshold)}; price formula ${settings.priceFormula}; ${formatPoints(settings.totalPoints)} points in all.`);
  for (const note of methodNotes(settings).notes) line(`• ${note}`, S.paragraph);

  heading('Sheets in this workbook');
  pair(SHEETS.matrix, 'Criteria × vendors with the weights (column E, editable) and live formulas for points, subtotals, totals and ranks.');
  pair(SHEETS.evaluators, data.panelVisible ? 'Every individual score, with whether it counts.' : 'Sealed until the RFP reaches consensus.');
  pair(SHEETS.rationale, data.panelVisible ? 'Every consensus rationale and every evaluator’s rationale.' : 'Sealed until the RFP reaches consensus.');
  pair(SHEETS.responses, data.responses ? 'Vendors’ answers side by side.' : 'Not included: your role does not give access to vendors’ responses.');
  pair(SHEETS.audit, data.audit ? 'The RFP’s audit log, oldest first.' : 'Not included: your role does not give access to the audit log.');
  sheet.commit();
}

// ---------------------------------------------------------------------------------------------------------------------
// Matrix

function writeMatrix(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: ScorecardData, results: ScoringResults | null): void {
  if (!results) {
    const sheet = addSheet(workbook, SHEETS.matrix, data, {});
    sealedSheet(sheet, `Scoring matrix — ${data.rfp.reference}`, 'No matrix: the scoring data has problems that must be fixed first (see the Summary sheet).');
    return;
  }
  const plan = matrixPlan({
    rfpLine: `Scoring matrix — ${data.rfp.reference}: ${data.rfp.title}`,
    generatedLine: `${STATUS_LABELS[data.rfp.status]} · ${results.final ? 'final results' : 'provisional results'} · generated ${formatDateTime(data.generatedAt)} by ${who(data)}`,
    sections: data.bundle.sections,
    criteria: data.bundle.criteria,
    results,
  });
  const sheet = addSheet(workbook, SHEETS.matrix, data, { xSplit: plan.frozen.xSplit, ySplit: plan.frozen.ySplit, printTitlesRow: plan.printTitlesRow });
  setWidths(sheet, plan.widths);
  for (const { name, ref } of plan.names) workbook.definedNames.add(ref, name);
  for (const m of plan.merges) sheet.mergeCells(m);
  const lastColumn = plan.widths.length;
  const allWidth = plan.widths.reduce((a, b) => a + b, 0);
  const wideRows = new Set<number>([MATRIX_ROWS.title, MATRIX_ROWS.subtitle, MATRIX_ROWS.howTo, MATRIX_ROWS.legend]);
  for (const n of wideRows) if (lastColumn > 1) sheet.mergeCells(n, 1, n, lastColumn);

  plan.rows.forEach((planRow, index) => {
    const n = index + 1;
    const row = rowAt(sheet, n);
    const wrapped: Array<string | null> = [];
    // The width each wrapped cell's text has, narrower for bold text (section subtotals, the footer's labels).
    const widths = [...plan.widths];
    planRow.cells.forEach((cell, column) => {
      if (!cell) return;
      const target = row.getCell(column);
      const look = M[cell.style];
      if (cell.kind === 'formula') {
        target.value = { formula: cell.formula, result: cell.result } as ExcelJS.CellFormulaValue;
        target.style = look;
      } else if (cell.kind === 'number') {
        put(target, cell.value, look);
      } else if (cell.kind === 'text') {
        put(target, cell.text, look);
        if (look.alignment?.wrapText) {
          wrapped[column - 1] = cell.text;
          if (look.font?.bold) widths[column - 1] = (plan.widths[column - 1] ?? 10) / BOLD_GLYPHS;
        }
      } else {
        target.style = look;
      }
    });
    if (n === MATRIX_ROWS.band) {
      // The band's texts span their blocks (merged), so they wrap over the block's width.
      const vendors = (plan.widths.length - 5) / 2;
      row.height = heightFor([wrapped[5] ?? null, wrapped[5 + vendors] ?? null], [vendors * plan.widths[5]!, vendors * plan.widths[5]!]) ?? LINE_HEIGHT_PT + 6;
    } else if (wideRows.has(n)) {
      const text = wrapped[0] ?? null;
      const h = text ? heightFor([text], [allWidth]) : undefined;
      row.height = n === MATRIX_ROWS.title ? 22 : (h ?? LINE_HEIGHT_PT + 4);
    } else if (wrapped.length > 0) {
      const h = heightFor(wrapped, widths);
      if (h !== undefined) row.height = h;
    }
    row.commit();
  });
  if (plan.autoFilter) sheet.autoFilter = plan.autoFilter;
  writeMatrixConditionalFormats(sheet, plan);
  sheet.commit();
}

/**
 * The colour scale on the values and the data bars on the totals, as plain SpreadsheetML 2007 rules. exceljs 4.4 renders
 * a data bar with an `extLst` reference to an x14 rule that its streaming writer never writes (exceljs issue #3015:
 * Excel then repairs the file), so this sheet's `<conditionalFormatting>` elements are written here instead. They hold
 * cell ranges and numbers only.
 */
function writeMatrixConditionalFormats(sheet: Sheet, plan: ReturnType<typeof matrixPlan>): void {
  const parts: string[] = [];
  if (plan.colourScale) {
    const c = plan.colourScale;
    parts.push(
      `<conditionalFormatting sqref="${c.sqref}"><cfRule type="colorScale" priority="1"><colorScale>` +
        `<cfvo type="num" val="${c.min}"/><cfvo type="num" val="${c.mid}"/><cfvo type="num" val="${c.max}"/>` +
        `<color rgb="FFF8696B"/><color rgb="FFFFEB84"/><color rgb="FF63BE7B"/></colorScale></cfRule></conditionalFormatting>`,
    );
  }
  if (plan.dataBar) {
    const d = plan.dataBar;
    parts.push(
      `<conditionalFormatting sqref="${d.sqref}"><cfRule type="dataBar" priority="2"><dataBar>` +
        `<cfvo type="num" val="${d.min}"/><cfvo type="num" val="${d.max}"/><color rgb="FF638EC6"/></dataBar></cfRule></conditionalFormatting>`,
    );
  }
  const xml = parts.join('');
  const writer = sheet as unknown as { _writeConditionalFormatting: () => void; stream: { write(text: string): void } };
  if (typeof writer._writeConditionalFormatting !== 'function') throw new Error('exceljs changed: WorksheetWriter has no _writeConditionalFormatting');
  writer._writeConditionalFormatting = () => {
    if (xml) writer.stream.write(xml);
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Evaluators

/** The vendors whose panel scores are withheld from this reader (app/confidentiality/panel.ts), as a sentence. */
function withheldNote(data: ScorecardData): string {
  const names = new Map(data.bundle.vendors.map((v) => [v.id, v.name]));
  return (data.panelWithheld ?? []).map((w) => ` ${names.get(w.vendorId) ?? 'A vendor'}: ${w.reason}`).join('');
}

function writeEvaluators(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: ScorecardData, results: ScoringResults | null): void {
  const title = `Every individual score — ${data.rfp.reference}`;
  if (!data.panelVisible) {
    const sheet = addSheet(workbook, SHEETS.evaluators, data, {});
    sealedSheet(sheet, title, 'Individual scores are sealed until the RFP reaches consensus: evaluators must not be swayed by each other, and partial scoresheets are not a verdict. This sheet lists them once the RFP is in consensus or closed.');
    return;
  }
  const columns = EVALUATOR_COLUMNS;
  const sheet = addSheet(workbook, SHEETS.evaluators, data, { ySplit: TABLE_HEADER_ROW, xSplit: 2, printTitlesRow: `${TABLE_HEADER_ROW}:${TABLE_HEADER_ROW}` });
  setWidths(sheet, columns.map((c) => c.width));
  tableHead(sheet, title, `A score counts when its scoresheet is submitted, the evaluator is not recused from the vendor and the vendor is in the evaluation (scores on withdrawn or non-responsive submissions are listed last, not counted). Knock-outs: Pass / Fail votes. A consensus score, where recorded, replaces the panel’s figure (see the Rationale sheet).${withheldNote(data)}`, columns);

  const { bundle } = data;
  const evaluatorOrder = new Map(bundle.evaluators.map((e, i) => [e.id, i]));
  const vendors = [...vendorOrder(data, results), ...notEvaluatedVendors(data)];
  const vendorIndex = new Map(vendors.map((v, i) => [v.id, i]));
  const criterionIndex = new Map(bundle.criteria.map((c, i) => [c.id, i]));
  const C = bundle.criteria.length;
  const V = vendors.length;
  const key = (s: { evaluatorId: string; vendorId: string; criterionId: string }) =>
    ((evaluatorOrder.get(s.evaluatorId) ?? 0) * V + (vendorIndex.get(s.vendorId) ?? 0)) * C + (criterionIndex.get(s.criterionId) ?? 0);
  const scores = [...bundle.scoreDetails, ...bundle.excludedScoreDetails].sort((a, b) => key(a) - key(b)) as ListedScore[];
  const evaluatorName = new Map(bundle.evaluators.map((e) => [e.id, e.name]));
  const vendorName = new Map(vendors.map((v) => [v.id, v.name]));
  const sectionTitle = new Map(bundle.sections.map((s) => [s.id, s.title]));
  const criteria = new Map(bundle.criteria.map((c) => [c.id, c]));
  const looks = [S.cell, S.cell, S.cell, S.cell, S.cell, S.cellMuted, S.number, S.cell, S.cell];
  let n = TABLE_HEADER_ROW + 1;
  for (const s of scores) {
    const c = criteria.get(s.criterionId);
    const counts = s.status ? `No: the submission is ${NOT_EVALUATED_STATUS[s.status]} (not evaluated)` : s.recused ? 'No: the evaluator is recused from this vendor' : s.submitted ? 'Yes' : 'No: scoresheet not submitted';
    tableRow(
      sheet,
      n++,
      [
        evaluatorName.get(s.evaluatorId) ?? s.evaluatorId,
        vendorName.get(s.vendorId) ?? s.vendorId,
        c ? sectionTitle.get(c.sectionId) : '',
        c?.key,
        c?.title,
        c ? KIND_LABELS[c.kind] : '',
        c?.kind === 'pass_fail' ? (s.value === 1 ? 'Pass' : 'Fail') : s.value,
        s.submitted ? 'Submitted' : 'In progress',
        counts,
      ],
      looks,
      columns,
    );
  }
  if (scores.length === 0) tableRow(sheet, n++, ['No scores are recorded yet.'], [S.note], columns);
  finishTable(sheet, columns.length, n - 1);
}

// ---------------------------------------------------------------------------------------------------------------------
// Rationale

function writeRationale(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: ScorecardData, results: ScoringResults | null): void {
  const columns = RATIONALE_COLUMNS;
  const sheet = addSheet(workbook, SHEETS.rationale, data, { ySplit: TABLE_HEADER_ROW, printTitlesRow: `${TABLE_HEADER_ROW}:${TABLE_HEADER_ROW}` });
  setWidths(sheet, columns.map((c) => c.width));
  tableHead(
    sheet,
    `Rationales — ${data.rfp.reference}`,
    data.panelVisible
      ? `Every comment on the record: the consensus rationale first (where the lead recorded one), then each evaluator’s rationale, by vendor and criterion.${withheldNote(data)}`
      : 'Evaluators’ rationales and consensus rationales are sealed until the RFP reaches consensus.',
    columns,
  );
  const { bundle } = data;
  const vendors = [...vendorOrder(data, results), ...notEvaluatedVendors(data)];
  const V = vendors.length;
  const C = bundle.criteria.length;
  const vendorIndex = new Map(vendors.map((v, i) => [v.id, i]));
  const criterionIndex = new Map(bundle.criteria.map((c, i) => [c.id, i]));
  const evaluatorOrder = new Map(bundle.evaluators.map((e, i) => [e.id, i]));
  const evaluatorName = new Map(bundle.evaluators.map((e) => [e.id, e.name]));
  const criteria = new Map(bundle.criteria.map((c) => [c.id, c]));
  const sectionTitle = new Map(bundle.sections.map((s) => [s.id, s.title]));
  const cell = (vendorId: string, criterionId: string) => (vendorIndex.get(vendorId) ?? V) * C + (criterionIndex.get(criterionId) ?? 0);

  type Entry = { at: number; order: number; vendorId: string; criterionId: string; source: string; by: string; value: number; rationale: string };
  const entries: Entry[] = [];
  for (const k of bundle.consensusDetails) {
    if (!k.rationale) continue;
    entries.push({ at: cell(k.vendorId, k.criterionId), order: -1, vendorId: k.vendorId, criterionId: k.criterionId, source: 'Consensus', by: k.decidedBy ? `Recorded by ${k.decidedBy}` : 'Consensus', value: k.value, rationale: k.rationale });
  }
  if (data.panelVisible) {
    for (const s of [...bundle.scoreDetails, ...bundle.excludedScoreDetails] as ListedScore[]) {
      if (!s.rationale) continue;
      entries.push({
        at: cell(s.vendorId, s.criterionId),
        order: evaluatorOrder.get(s.evaluatorId) ?? 0,
        vendorId: s.vendorId,
        criterionId: s.criterionId,
        source: s.status ? `Evaluator (${NOT_EVALUATED_STATUS[s.status]}: not counted)` : s.recused ? 'Evaluator (recused)' : s.submitted ? 'Evaluator' : 'Evaluator (not submitted)',
        by: evaluatorName.get(s.evaluatorId) ?? s.evaluatorId,
        value: s.value,
        rationale: s.rationale,
      });
    }
  }
  entries.sort((a, b) => a.at - b.at || a.order - b.order);
  const vendorName = new Map(vendors.map((v) => [v.id, v.name]));
  const looks = [S.cellWrap, S.cellWrap, S.cell, S.cellWrap, S.cell, S.cellWrap, S.number, S.cellWrap];
  let n = TABLE_HEADER_ROW + 1;
  for (const e of entries) {
    const c = criteria.get(e.criterionId);
    tableRow(
      sheet,
      n++,
      [
        vendorName.get(e.vendorId) ?? e.vendorId,
        c ? sectionTitle.get(c.sectionId) : '',
        c?.key,
        c?.title,
        e.source,
        e.by,
        c?.kind === 'pass_fail' ? (e.value === 1 ? 'Pass' : 'Fail') : e.value,
        e.rationale,
      ],
      looks,
      columns,
    );
  }
  if (entries.length === 0) tableRow(sheet, n++, [data.panelVisible ? 'No rationale is recorded yet.' : 'Sealed until the RFP reaches consensus.'], [S.note], columns);
  finishTable(sheet, columns.length, n - 1);
}

// ---------------------------------------------------------------------------------------------------------------------
// Responses

function answerText(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map((v) => String(v)).join('; ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

function writeResponses(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: ScorecardData, results: ScoringResults | null): void {
  const title = `Vendors’ answers side by side — ${data.rfp.reference}`;
  if (!data.responses) {
    const sheet = addSheet(workbook, SHEETS.responses, data, {});
    sealedSheet(sheet, title, 'Not included: your role in this RFP does not give access to vendors’ responses (evaluators see them once they have attested on conflicts of interest).');
    return;
  }
  const vendors = vendorOrder(data, results);
  const columns: ColumnSpec[] = [...RESPONSES_FIXED_COLUMNS, ...vendors.map((v) => ({ header: v.name, width: RESPONSES_VENDOR_WIDTH, wrap: true }))];
  const sheet = addSheet(workbook, SHEETS.responses, data, { ySplit: TABLE_HEADER_ROW, xSplit: 3, printTitlesRow: `${TABLE_HEADER_ROW}:${TABLE_HEADER_ROW}` });
  setWidths(sheet, columns.map((c) => c.width));
  tableHead(sheet, title, 'One row per question, one column per vendor in the evaluation (in ranking order). Answers are shown exactly as recorded; evidence files are listed in the app.', columns);
  const hidden = new Set(data.responses.hiddenVendorIds);
  const looks = [S.cellWrap, S.cell, S.cellWrap, ...vendors.map((v) => (hidden.has(v.id) ? S.cellMuted : S.cellWrap))];
  let n = TABLE_HEADER_ROW + 1;
  for (const q of data.responses.questions) {
    const byVendor = data.responses.answers.get(q.id);
    tableRow(
      sheet,
      n++,
      [q.sectionTitle, q.key, q.text, ...vendors.map((v) => (hidden.has(v.id) ? 'Withheld: you are recused from this vendor.' : answerText(byVendor?.get(v.submissionId))))],
      looks,
      columns,
    );
  }
  if (data.responses.questions.length === 0) tableRow(sheet, n++, ['The questionnaire has no questions.'], [S.note], columns);
  finishTable(sheet, columns.length, n - 1);
}

// ---------------------------------------------------------------------------------------------------------------------
// Audit

function auditTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso;
}

/** The audit chain's head as the Summary states it: what a copy filed with the award proves the log against. */
function auditChainSentence(data: ScorecardData): string {
  const head = data.auditChainHead;
  if (!head) return 'No audit event is recorded yet.';
  return (
    `Chain head when generated: event ${head.seq}, ${auditTime(head.at)} UTC, SHA-256 ${head.hash}. ` +
    `To prove later that the log was not rewritten since: npx workbench audit verify ${data.rfp.reference} --head ${head.hash}`
  );
}

function writeAudit(workbook: ExcelJS.stream.xlsx.WorkbookWriter, data: ScorecardData): void {
  const title = `Audit log — ${data.rfp.reference}`;
  if (!data.audit) {
    const sheet = addSheet(workbook, SHEETS.audit, data, {});
    sealedSheet(sheet, title, 'Not included: your role in this RFP does not give access to the audit log.');
    return;
  }
  const columns = AUDIT_COLUMNS;
  const sheet = addSheet(workbook, SHEETS.audit, data, { ySplit: TABLE_HEADER_ROW, printTitlesRow: `${TABLE_HEADER_ROW}:${TABLE_HEADER_ROW}` });
  setWidths(sheet, columns.map((c) => c.width));
  tableHead(
    sheet,
    title,
    `Every recorded change to this RFP, oldest first${data.auditTruncated ? ' (the oldest events are left out: the log is longer than one export holds; the app has all of them)' : ''}. The log is append-only: the database refuses to alter or delete an entry, and each entry is chained to the one before by its SHA-256 hash${data.auditChainHead ? ` (head: event ${data.auditChainHead.seq}, ${data.auditChainHead.hash})` : ''}. Before/After are the recorded JSON.`,
    columns,
  );
  const looks = [S.cell, S.cell, S.cell, S.cell, S.cellMuted, S.cellWrap, S.cellWrap, S.cellWrap];
  let n = TABLE_HEADER_ROW + 1;
  for (const e of data.audit) {
    tableRow(sheet, n++, [auditTime(e.at), e.actor_email ?? 'system', e.action, e.entity, e.entity_id, e.reason, e.before_json, e.after_json], looks, columns);
  }
  if (data.audit.length === 0) tableRow(sheet, n++, ['No audit event is recorded.'], [S.note], columns);
  finishTable(sheet, columns.length, n - 1);
}
