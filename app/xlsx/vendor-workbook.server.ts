import ExcelJS from 'exceljs';
import { z } from 'zod';
import { formatDateTime } from '#app/utils/format';
import { endOfDayInZone, installationTimeZone } from '#app/utils/time-zone';
import {
  COLUMN_HEADERS,
  HEADER_ROW,
  INSTRUCTIONS_SHEET,
  ISSUED_HEADERS,
  ISSUED_SHEET,
  keywordsStamp,
  LISTS_SHEET,
  META_LABELS,
  META_SHEET,
  sectionSheetNames,
  SIGNATURE_SCHEME,
  VENDOR_NAME_LABEL,
  VENDOR_WORKBOOK_FORMAT,
} from './vendor-workbook-layout';
import { signIssue, type WorkbookIssue } from './vendor-workbook-signature.server';

/**
 * The questionnaire workbook a vendor answers (DESIGN §5); its layout is described in `vendor-workbook-layout.ts`.
 *
 * Every text that comes from a person (titles, questions, guidance, option labels, the vendor's name, prefilled answers)
 * is written as a plain string cell — a shared string in the file — never as a formula, so `=HYPERLINK(…)` or `+1 555…`
 * is shown and read back exactly as typed. No apostrophe is prepended (DESIGN §5 asks for one in CSV-bound exports):
 * here it would change the vendor's answer on the way back in. Instead the Answer cells of text-like questions carry
 * Excel's Text number format ("@"), so what a vendor types there — even "=1+1" — also stays text in Excel and LibreOffice.
 */

export type VendorCriterionKind = 'scored' | 'pass_fail' | 'price' | 'info';
export type VendorAnswerType = 'text' | 'yes_no' | 'choice' | 'multi_choice' | 'number' | 'attachment';

export interface VendorWorkbookQuestion {
  key: string;
  text: string;
  guidance: string | null;
  answerType: VendorAnswerType;
  options: Array<{ label: string }>;
  required: boolean;
}

export interface VendorWorkbookInput {
  rfp: { reference: string; title: string; department: string; questionnaireVersion: number; proposalsDueAt: string | null; qaDueAt?: string | null };
  sections: Array<{
    key: string;
    title: string;
    criteria: Array<{ key: string; title: string; kind: VendorCriterionKind; questions: VendorWorkbookQuestion[] }>;
  }>;
  /** Prefilled on the instructions sheet. */
  vendorName?: string;
  /** Prefilled answers by question key (a vendor correcting an earlier response): string, number, string[] or null. */
  answers?: Record<string, unknown>;
}

/** Who the workbook is issued to, and the key that signs what was issued (see vendor-workbook-signature.server.ts). */
export interface WorkbookSigning {
  secret: string;
  rfpId: string;
  /** Null for a blank workbook any vendor may fill in. */
  vendor: { id: string; key: string; name: string } | null;
}

/** Validates a questionnaire read from JSON (fixtures, the CLI) before it is exported. */
export const vendorWorkbookInputSchema = z.object({
  rfp: z.object({
    reference: z.string().min(1),
    title: z.string(),
    department: z.string(),
    questionnaireVersion: z.number().int().min(1),
    /** An instant, or a date (`YYYY-MM-DD`): the end of that day in the installation's zone. */
    proposalsDueAt: z.string().nullable(),
    qaDueAt: z.string().nullable().optional(),
  }),
  sections: z.array(
    z.object({
      key: z.string().min(1),
      title: z.string(),
      criteria: z.array(
        z.object({
          key: z.string().min(1),
          title: z.string(),
          kind: z.enum(['scored', 'pass_fail', 'price', 'info']),
          questions: z.array(
            z.object({
              key: z.string().min(1),
              text: z.string(),
              guidance: z.string().nullable(),
              answerType: z.enum(['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment']),
              options: z.array(z.object({ label: z.string().min(1) })),
              required: z.boolean(),
            }),
          ),
        }),
      ),
    }),
  ),
  vendorName: z.string().optional(),
  answers: z.record(z.string(), z.unknown()).optional(),
});

/** Excel's limit for one cell. */
const MAX_CELL_CHARS = 32_767;
/** Excel's limits on a data validation's input/error message and its title. */
const MAX_PROMPT_CHARS = 255;
const MAX_PROMPT_TITLE_CHARS = 32;
/** An inline list validation ("A,B,C") may be at most 255 characters in Excel; stay clear of it. */
const MAX_INLINE_LIST_CHARS = 200;
/** Number answers are checked against this range in the sheet; the import accepts any finite number. */
const NUMBER_LIMIT = 1e15;

const COLORS = {
  headerFill: 'FF1A4480', // USWDS primary-dark
  headerText: 'FFFFFFFF',
  answerHeaderFill: 'FFFFBE2E', // USWDS gold-20v
  answerFill: 'FFFFF5C2',
  lockedFill: 'FFF0F0F0',
  border: 'FFA9AEB1',
  muted: 'FF565C65',
} as const;

/**
 * Arial rather than the default Calibri: every spreadsheet program has it or a metric-compatible twin (Liberation Sans
 * in LibreOffice), so the row heights estimated below fit wherever the workbook is opened or printed.
 */
const FONT_NAME = 'Arial';
const FONT_SIZE = 10;
const LINE_HEIGHT_PT = 13;
const BASE_FONT: Partial<ExcelJS.Font> = { name: FONT_NAME, size: FONT_SIZE };

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: COLORS.border } };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const WRAP_TOP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };

/** Columns of a section sheet: header, width in characters. The Key column is hidden. */
const SECTION_COLUMNS: Array<{ id: keyof typeof COLUMN_HEADERS; width: number }> = [
  { id: 'key', width: 14 },
  { id: 'criterion', width: 20 },
  { id: 'question', width: 46 },
  { id: 'guidance', width: 34 },
  { id: 'required', width: 10 },
  { id: 'answerType', width: 24 },
  { id: 'answer', width: 46 },
];
const col = (id: keyof typeof COLUMN_HEADERS) => SECTION_COLUMNS.findIndex((c) => c.id === id) + 1;

const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
};

/**
 * Builds the vendor workbook as .xlsx bytes; with `signing`, it also carries what was issued and its signature, so the
 * import notices edited questions and a workbook issued to someone else. Without it the workbook is unsigned (what
 * workbooks made before signing look like); the app always signs.
 */
export async function buildVendorWorkbook(source: VendorWorkbookInput, signing?: WorkbookSigning): Promise<Buffer> {
  const input: VendorWorkbookInput = { ...source, vendorName: source.vendorName ?? signing?.vendor?.name };
  const { rfp } = input;
  const workbook = new ExcelJS.Workbook();
  const now = new Date();
  const issue = signing ? issueOf(input, signing, now) : null;
  workbook.creator = 'AI Vendor Evaluation Workbench';
  workbook.lastModifiedBy = 'AI Vendor Evaluation Workbench';
  workbook.created = now;
  workbook.modified = now;
  workbook.title = plain(`Vendor response workbook — ${rfp.reference}`);
  workbook.subject = plain(rfp.reference);
  workbook.keywords = keywordsStamp(rfp.reference, rfp.questionnaireVersion);
  workbook.category = 'AI Vendor Evaluation Workbench vendor response workbook';
  workbook.description = plain(
    `Questionnaire version ${rfp.questionnaireVersion} of ${rfp.reference} (${rfp.title}). Answer in the Answer column of each section sheet and return this file as .xlsx.`,
  );

  const sheetNames = sectionSheetNames(input.sections.map((s) => s.title));
  const instructions = workbook.addWorksheet(INSTRUCTIONS_SHEET, { properties: { tabColor: { argb: COLORS.headerFill } } });
  const sectionSheets = input.sections.map((_, i) => workbook.addWorksheet(sheetNames[i]!, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] }));
  const lists = new ListsSheet(workbook);

  writeInstructions(instructions, input, sheetNames);
  input.sections.forEach((section, i) => writeSection(sectionSheets[i]!, section, input, lists));
  lists.finish();
  writeMeta(workbook, input, now, issue && signing ? { issue, signature: signIssue(issue, signing.secret) } : null);
  if (issue) writeIssued(workbook, issue);

  for (const sheet of workbook.worksheets) {
    applyFontAndHeights(sheet);
    await sheet.protect('', PROTECTION);
  }
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------------------------
// Instructions

const HOW_TO_ANSWER = [
  'Each section of the questionnaire has its own sheet (see the tabs at the bottom, listed below). Answer every question in the yellow Answer column, the last column of each sheet. The other cells are locked so that the questions stay as issued.',
  'Yes/No and single-choice questions: pick one entry from the drop-down list in the Answer cell.',
  'Multiple-choice questions: type each option you choose exactly as listed in the Answer type column, and separate choices with ; (a semicolon), e.g. “Option A; Option C”.',
  'Number questions: type a number only — no units or words (for example 1240000 or 1,240,000.00).',
  'Attachment questions: attach the document to your proposal and type the name of the attached file in the Answer cell.',
  'Questions marked Required must be answered. Write “Not applicable” and the reason rather than leaving a required answer blank.',
  'Your answers are matched to the questions by a hidden Key column. Do not delete rows, the hidden column or sheets, and do not rename or reorder the sheets. You may widen columns and rows.',
  `Type your organisation’s name in the yellow “${VENDOR_NAME_LABEL}” cell above. Save the file as an Excel Workbook (.xlsx) and return it with your proposal. Files saved as .xls, .csv or PDF, macro-enabled workbooks (.xlsm) and workbooks linked to other files cannot be accepted.`,
];

function writeInstructions(sheet: ExcelJS.Worksheet, input: VendorWorkbookInput, sheetNames: string[]): void {
  const { rfp } = input;
  sheet.columns = [{ width: 26 }, { width: 96 }];
  sheet.pageSetup = {
    ...sheet.pageSetup,
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter.oddFooter = `&L${headerText(rfp.reference)}&RPage &P of &N`;

  let row = 1;
  const title = sheet.getCell(row, 1);
  title.value = plain(`Vendor response workbook — ${rfp.title}`);
  title.font = { bold: true, size: 16, color: { argb: COLORS.headerFill } };
  sheet.mergeCells(row, 1, row, 2);
  sheet.getRow(row).height = 24;
  row += 2;

  // Deadlines as the app shows them: date, time and the installation zone's abbreviation ("Mar 1, 2026, 11:59 PM PST").
  const deadline = (value: string) => formatDateTime(/^\d{4}-\d{2}-\d{2}$/.test(value) ? endOfDayInZone(value, installationTimeZone()) : value);
  const facts: Array<[string, string | number]> = [
    ['RFP reference', rfp.reference],
    ['Title', rfp.title],
    ['Department', rfp.department],
    ...(rfp.qaDueAt ? [['Questions due', deadline(rfp.qaDueAt)] as [string, string]] : []),
    ['Proposals due', rfp.proposalsDueAt ? deadline(rfp.proposalsDueAt) : 'See the RFP'],
    ['Questionnaire version', rfp.questionnaireVersion],
  ];
  for (const [label, value] of facts) {
    labelCell(sheet.getCell(row, 1), label);
    const cell = sheet.getCell(row, 2);
    cell.value = typeof value === 'number' ? value : plain(value);
    cell.alignment = { ...WRAP_TOP, horizontal: 'left' };
    row++;
  }
  labelCell(sheet.getCell(row, 1), VENDOR_NAME_LABEL);
  const vendor = sheet.getCell(row, 2);
  vendor.value = input.vendorName ? plain(input.vendorName) : null;
  answerCellStyle(vendor);
  vendor.numFmt = '@';
  row += 2;

  row = heading(sheet, row, 'How to answer');
  HOW_TO_ANSWER.forEach((text, i) => {
    const number = sheet.getCell(row, 1);
    number.value = `${i + 1}.`;
    number.alignment = { vertical: 'top', horizontal: 'right' };
    const cell = sheet.getCell(row, 2);
    cell.value = text;
    cell.alignment = WRAP_TOP;
    row++;
  });
  row++;

  row = heading(sheet, row, 'What the columns mean');
  const meanings: Array<[string, string]> = [
    [COLUMN_HEADERS.criterion, 'What the city evaluates; a pass/fail criterion is a knock-out requirement.'],
    [COLUMN_HEADERS.question, 'The question to answer.'],
    [COLUMN_HEADERS.guidance, 'What the city expects in the answer, where it says more than the question.'],
    [COLUMN_HEADERS.required, '“Required” questions must be answered; “Optional” ones may be left blank.'],
    [COLUMN_HEADERS.answerType, 'How to answer: free text, one pick from a list, several picks separated with semicolons, a number, or the name of an attached file.'],
    [COLUMN_HEADERS.answer, 'Your answer — the only column you can edit.'],
    [`${COLUMN_HEADERS.key} (hidden)`, 'The question’s stable key, which matches your answer to the question. Leave it unchanged.'],
  ];
  for (const [label, text] of meanings) {
    labelCell(sheet.getCell(row, 1), label);
    const cell = sheet.getCell(row, 2);
    cell.value = text;
    cell.alignment = WRAP_TOP;
    row++;
  }
  row++;

  row = heading(sheet, row, 'Sections');
  input.sections.forEach((section, i) => {
    const questions = section.criteria.flatMap((c) => c.questions);
    const required = questions.filter((q) => q.required).length;
    labelCell(sheet.getCell(row, 1), sheetNames[i]!);
    const cell = sheet.getCell(row, 2);
    cell.value = plain(`${section.title} — ${count(questions.length, 'question')}, ${required} required`);
    cell.alignment = WRAP_TOP;
    row++;
  });
}

function heading(sheet: ExcelJS.Worksheet, row: number, text: string): number {
  const cell = sheet.getCell(row, 1);
  cell.value = text;
  cell.font = { bold: true, size: 13, color: { argb: COLORS.headerFill } };
  return row + 1;
}

function labelCell(cell: ExcelJS.Cell, text: string): void {
  cell.value = plain(text);
  cell.font = { bold: true };
  cell.alignment = WRAP_TOP;
}

// ---------------------------------------------------------------------------------------------------------------------
// Section sheets

function writeSection(sheet: ExcelJS.Worksheet, section: VendorWorkbookInput['sections'][number], input: VendorWorkbookInput, lists: ListsSheet): void {
  sheet.columns = SECTION_COLUMNS.map((c) => ({ width: c.width, hidden: c.id === 'key' }));
  sheet.pageSetup = {
    ...sheet.pageSetup,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter.oddHeader = `&L${headerText(input.rfp.reference)}&R${headerText(section.title)}`;
  sheet.headerFooter.oddFooter = `&L${headerText(input.vendorName ?? '')}&RPage &P of &N`;

  const header = sheet.getRow(HEADER_ROW);
  SECTION_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = COLUMN_HEADERS[c.id];
    const isAnswer = c.id === 'answer';
    cell.font = { bold: true, color: { argb: isAnswer ? 'FF000000' : COLORS.headerText } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: isAnswer ? COLORS.answerHeaderFill : COLORS.headerFill } };
    cell.alignment = { vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
  header.height = 20;

  let row = HEADER_ROW + 1;
  for (const criterion of section.criteria) {
    for (const question of criterion.questions) {
      const r = sheet.getRow(row);
      r.getCell(col('key')).value = plain(question.key);
      r.getCell(col('criterion')).value = plain(criterionText(criterion));
      r.getCell(col('question')).value = plain(question.text);
      r.getCell(col('guidance')).value = question.guidance ? plain(question.guidance) : null;
      r.getCell(col('required')).value = question.required ? 'Required' : 'Optional';
      r.getCell(col('answerType')).value = plain(answerTypeText(question));
      for (let c = 1; c < col('answer'); c++) {
        const cell = r.getCell(c);
        cell.alignment = WRAP_TOP;
        cell.border = BORDER;
        cell.numFmt = '@';
        cell.protection = { locked: true };
      }
      r.getCell(col('required')).font = question.required ? { bold: true } : { color: { argb: COLORS.muted } };
      writeAnswerCell(r.getCell(col('answer')), question, input.answers?.[question.key], lists);
      row++;
    }
  }
}

function criterionText(criterion: { title: string; kind: VendorCriterionKind }): string {
  switch (criterion.kind) {
    case 'pass_fail':
      return `${criterion.title}\n(pass/fail: a knock-out requirement)`;
    case 'price':
      return `${criterion.title}\n(price)`;
    case 'info':
      return `${criterion.title}\n(for information, not scored)`;
    default:
      return criterion.title;
  }
}

/** The Answer type column: how to answer, with the options spelled out so a printed copy is complete. */
export function answerTypeText(question: Pick<VendorWorkbookQuestion, 'answerType' | 'options'>): string {
  const bullets = question.options.map((o) => `• ${o.label}`).join('\n');
  switch (question.answerType) {
    case 'yes_no':
      return isPlainYesNo(question.options) ? 'Yes / No (pick from the list)' : `Pick one from the list:\n${bullets}`;
    case 'choice':
      return `Pick one from the list:\n${bullets}`;
    case 'multi_choice':
      return `One or more of the following; separate choices with ; \n${bullets}`;
    case 'number':
      return 'Number (digits only, no units)';
    case 'attachment':
      return 'Attachment: type the name of the attached file';
    default:
      return 'Text';
  }
}

function isPlainYesNo(options: Array<{ label: string }>): boolean {
  const labels = options.map((o) => o.label.trim().toLowerCase());
  return labels.length === 0 || (labels.length === 2 && labels[0] === 'yes' && labels[1] === 'no');
}

function answerCellStyle(cell: ExcelJS.Cell): void {
  cell.protection = { locked: false };
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLORS.answerFill } };
  cell.border = BORDER;
  cell.alignment = WRAP_TOP;
}

function writeAnswerCell(cell: ExcelJS.Cell, question: VendorWorkbookQuestion, prefilled: unknown, lists: ListsSheet): void {
  answerCellStyle(cell);
  // Text format keeps whatever the vendor types as text (no formulas, no dates, leading zeros kept); numbers stay General.
  if (question.answerType !== 'number') cell.numFmt = '@';
  else cell.alignment = { ...WRAP_TOP, horizontal: 'left' };
  cell.value = prefillValue(question, prefilled);

  const labels = question.answerType === 'yes_no' && question.options.length === 0 ? ['Yes', 'No'] : question.options.map((o) => o.label);
  switch (question.answerType) {
    case 'yes_no':
    case 'choice':
      cell.dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [lists.listFormula(labels)],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'Pick from the list',
        error: limit(`Choose one of: ${labels.join('; ')}`, MAX_PROMPT_CHARS),
      };
      break;
    case 'multi_choice':
      cell.dataValidation = textValidation('Choose one or more', `Separate choices with ; — options: ${labels.join('; ')}`);
      break;
    case 'number':
      cell.dataValidation = {
        type: 'decimal',
        operator: 'between',
        allowBlank: true,
        formulae: [-NUMBER_LIMIT, NUMBER_LIMIT],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'A number is needed',
        error: 'Type a number only, without units or words (for example 1240000).',
        showInputMessage: true,
        promptTitle: 'Number',
        prompt: 'Type a number only, without units or words.',
      };
      break;
    case 'attachment':
      cell.dataValidation = textValidation('Attachment', 'Type the name of the attached file.');
      break;
    default:
      cell.dataValidation = textValidation('', '');
  }
}

/** A length check (what the import accepts) with an optional input message. */
function textValidation(title: string, prompt: string): ExcelJS.DataValidation {
  return {
    type: 'textLength',
    operator: 'lessThanOrEqual',
    allowBlank: true,
    formulae: [32_000],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Answer too long',
    error: 'An answer may be at most 32,000 characters. Put longer material in an attachment.',
    ...(prompt ? { showInputMessage: true, promptTitle: limit(title, MAX_PROMPT_TITLE_CHARS), prompt: limit(prompt, MAX_PROMPT_CHARS) } : {}),
  };
}

/** A prefilled answer as a cell value: numbers stay numbers for number questions, everything else becomes text. */
function prefillValue(question: VendorWorkbookQuestion, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (question.answerType === 'number' && typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return plain(value.map((v) => String(v)).join('; ')) || null;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' || typeof value === 'number') return plain(String(value)) || null;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// Lists and _meta

/** Holds dropdown lists too long (or with commas) for an inline validation, one column each, reused when identical. */
class ListsSheet {
  private readonly columns = new Map<string, number>();
  private sheet: ExcelJS.Worksheet | null = null;
  constructor(private readonly workbook: ExcelJS.Workbook) {}

  listFormula(labels: string[]): string {
    const clean = labels.map((l) => plain(l));
    const inline = clean.join(',');
    if (inline.length <= MAX_INLINE_LIST_CHARS && clean.every((l) => !/[,"]/.test(l))) return `"${inline}"`;
    const id = JSON.stringify(clean);
    let column = this.columns.get(id);
    if (column === undefined) {
      this.sheet ??= this.workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' });
      column = this.columns.size + 1;
      this.columns.set(id, column);
      clean.forEach((label, i) => {
        const cell = this.sheet!.getCell(i + 1, column!);
        cell.value = label;
        cell.numFmt = '@';
      });
    }
    const letter = this.sheet!.getColumn(column).letter;
    return `'${LISTS_SHEET}'!$${letter}$1:$${letter}$${clean.length}`;
  }

  finish(): void {
    if (this.sheet) this.sheet.getColumn(1).width = 40;
  }
}

/** The record the signature covers, with every text exactly as the cells will hold it. */
function issueOf(input: VendorWorkbookInput, signing: WorkbookSigning, now: Date): WorkbookIssue {
  return {
    rfpId: signing.rfpId,
    reference: plain(input.rfp.reference),
    questionnaireVersion: input.rfp.questionnaireVersion,
    vendor: signing.vendor ? { id: signing.vendor.id, key: plain(signing.vendor.key), name: plain(signing.vendor.name) } : null,
    issuedAt: now.toISOString(),
    questions: input.sections.flatMap((s) =>
      s.criteria.flatMap((c) => c.questions.map((q) => ({ key: plain(q.key), text: plain(q.text), answerType: q.answerType, options: q.options.map((o) => plain(o.label)) }))),
    ),
  };
}

function writeMeta(workbook: ExcelJS.Workbook, input: VendorWorkbookInput, now: Date, signed: { issue: WorkbookIssue; signature: string } | null): void {
  const sheet = workbook.addWorksheet(META_SHEET, { state: 'hidden' });
  sheet.columns = [{ width: 24 }, { width: 40 }];
  const rows: Array<[string, string | number]> = [
    [META_LABELS.format, VENDOR_WORKBOOK_FORMAT],
    [META_LABELS.reference, plain(input.rfp.reference)],
    [META_LABELS.version, input.rfp.questionnaireVersion],
    [META_LABELS.exportedAt, now.toISOString()],
  ];
  if (signed) {
    const { issue, signature } = signed;
    // A blank workbook leaves the vendor rows empty: "issued to nobody" is part of what is signed.
    rows.push(
      [META_LABELS.rfpId, issue.rfpId],
      [META_LABELS.vendorId, issue.vendor?.id ?? ''],
      [META_LABELS.vendorKey, issue.vendor?.key ?? ''],
      [META_LABELS.vendorName, issue.vendor?.name ?? ''],
      [META_LABELS.signatureScheme, SIGNATURE_SCHEME],
      [META_LABELS.signature, signature],
    );
  }
  rows.forEach(([label, value], i) => {
    sheet.getCell(i + 1, 1).value = label;
    const cell = sheet.getCell(i + 1, 2);
    cell.value = value;
    if (typeof value === 'string') cell.numFmt = '@';
  });
  sheet.getCell(rows.length + 2, 1).value = 'The workbench reads this sheet to recognise the workbook. Do not change it.';
}

/** The questionnaire as issued, one row per question: what the signature covers and the import compares against. */
function writeIssued(workbook: ExcelJS.Workbook, issue: WorkbookIssue): void {
  const sheet = workbook.addWorksheet(ISSUED_SHEET, { state: 'hidden' });
  sheet.columns = [{ width: 14 }, { width: 60 }, { width: 14 }, { width: 40 }];
  ISSUED_HEADERS.forEach((header, i) => (sheet.getCell(1, i + 1).value = header));
  issue.questions.forEach((q, i) => {
    const values = [q.key, q.text, q.answerType, JSON.stringify(q.options)];
    values.forEach((value, c) => {
      const cell = sheet.getCell(i + 2, c + 1);
      cell.value = value;
      cell.numFmt = '@';
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Fonts and row heights

/**
 * Gives every written cell the base font and every row a height that fits its wrapped text. Neither Excel nor LibreOffice
 * reliably re-measures rows of a generated file on opening, and a printed questionnaire with clipped questions is
 * useless; so the height is estimated from the text length and column width, erring on the generous side. Rows already
 * given a height (titles, the header) keep it; vendors may still resize rows (formatRows is allowed).
 */
function applyFontAndHeights(sheet: ExcelJS.Worksheet): void {
  const merged = new Set<string>();
  for (const range of Object.values((sheet as unknown as { _merges: Record<string, { tl: string; range: string }> })._merges ?? {})) merged.add(range.tl);
  sheet.eachRow({ includeEmpty: false }, (row) => {
    let lines = 1;
    let lineHeight = LINE_HEIGHT_PT;
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      cell.font = { ...BASE_FONT, ...cell.font };
      const size = cell.font.size ?? FONT_SIZE;
      lineHeight = Math.max(lineHeight, Math.ceil(size * 1.3));
      const width = sheet.getColumn(column).width ?? 9;
      if (sheet.getColumn(column).hidden || merged.has(cell.address) || !cell.alignment?.wrapText) return;
      const text = typeof cell.value === 'string' ? cell.value : typeof cell.value === 'number' ? String(cell.value) : '';
      lines = Math.max(lines, wrappedLines(text, width, size));
    });
    if (row.height === undefined) row.height = lines * lineHeight + 4;
  });
}

/** Lines a text needs in a column `width` characters wide (Excel's unit: the default font's digit width). */
export function wrappedLines(text: string, width: number, fontSize = FONT_SIZE): number {
  // 10-point Arial fits about 1.5 average characters per width unit; 1.3 leaves room for word wrapping and wider fonts.
  const perLine = Math.max(1, Math.floor(width * 1.3 * (FONT_SIZE / fontSize)) - 1);
  return text.split('\n').reduce((sum, paragraph) => sum + Math.max(1, wrapCount(paragraph, perLine)), 0);
}

/** Greedy word wrap, as spreadsheets do; a word longer than a line is broken. */
function wrapCount(paragraph: string, perLine: number): number {
  let lines = 1;
  let used = 0;
  for (const word of paragraph.split(/ +/)) {
    let length = [...word].length;
    if (used > 0 && used + 1 + length <= perLine) {
      used += 1 + length;
      continue;
    }
    if (used > 0) lines++;
    while (length > perLine) {
      lines++;
      length -= perLine;
    }
    used = length;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------------
// Text

/**
 * Text fit for a cell: line breaks as \n, no characters XML cannot carry, at most Excel's 32,767 characters. The result
 * is always assigned as a string value, which exceljs writes as a shared string — never a formula.
 */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '');
  return clean.length > MAX_CELL_CHARS ? clean.slice(0, MAX_CELL_CHARS) : clean;
}

/** Text inside a print header/footer, where "&" starts a code and is doubled to print itself. */
function headerText(text: string): string {
  return plain(text).replace(/\s+/g, ' ').replace(/&/g, '&&').slice(0, 80);
}

function limit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
