import { importMappingSchema, type ImportMapping, type InspectResult, type PreviewResult, type WorkbookGrid } from './import-types.server';
import { proposeForWorkbook } from './mapping.server';
import { DEFAULT_WORKER_LIMITS, parseInWorker, type WorkerLimits } from './parse-in-worker.server';
import { buildPreview, checkMapping, MappingProblem } from './preview.server';
import { displayName, guardUpload, resolveUploadLimits, UploadRejectedError } from './upload-guard.server';

/**
 * Importing a questionnaire someone else wrote (DESIGN §5): inspect an upload and propose a column mapping, then preview
 * what that mapping makes of it. Nothing is saved here — the caller shows the preview and saves only what the officer
 * confirms — and the upload itself is never kept: each call reads the bytes it is given.
 *
 * Every refusal is an `UploadRejectedError` with a status for the response and a message for the officer.
 */

export type {
  AnswerType,
  ImportField,
  ImportMapping,
  InspectResult,
  PreviewQuestion,
  PreviewResult,
  PreviewSection,
  SheetSummary,
} from './import-types.server';
export { IMPORT_FIELD_LABELS, IMPORT_FIELDS, importMappingSchema } from './import-types.server';
export { DEFAULT_UPLOAD_LIMITS, UploadRejectedError } from './upload-guard.server';

import { QUESTIONNAIRE_IMPORT_MAX_BYTES } from '#app/utils/upload-limits';

/** The upload size cap the screens enforce (QUESTIONNAIRE_IMPORT_MAX_BYTES, default 10 MB). */
export const IMPORT_MAX_BYTES = QUESTIONNAIRE_IMPORT_MAX_BYTES;

/**
 * The most questions one import saves. The largest real questionnaires run to 1–2 thousand rows, so 5,000 leaves room
 * for any of them while bounding what one confirm writes and what one preview builds on the server's main thread.
 */
export const DEFAULT_MAX_QUESTIONS = 5_000;

/** The question cap in force: the caller's, else `QUESTIONNAIRE_IMPORT_MAX_ROWS` from the environment, else 5,000. */
export function resolveMaxQuestions(maxQuestions?: number): number {
  const fromEnv = Number(process.env.QUESTIONNAIRE_IMPORT_MAX_ROWS);
  const envMax = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
  return maxQuestions ?? envMax ?? DEFAULT_MAX_QUESTIONS;
}

/**
 * Non-empty sheet rows the worker reads per question allowed: headings, notes and skipped rows sit between questions,
 * but a sheet far longer than the cap is refused while it is read, before its rows reach the main thread.
 */
const ROWS_PER_QUESTION = 2;

export interface ImportOptions {
  /** Upload size cap in bytes (default 10 MB, or QUESTIONNAIRE_IMPORT_MAX_BYTES). */
  maxBytes?: number;
  /** Most questions one import may hold (default 5,000, or QUESTIONNAIRE_IMPORT_MAX_ROWS). */
  maxQuestions?: number;
  /** Worker limits (time, memory, rows); the defaults suit a server, tests lower them. */
  limits?: Partial<WorkerLimits>;
}

/** Rows read from every sheet when inspecting: enough for the header search, the sample rows, and a sideways sheet. */
const INSPECT_HEAD_ROWS = 64;

/**
 * Reads an upload far enough to propose a mapping: the sheets, the sheet that looks like the questionnaire (or
 * `options.sheet`), its header row, which column holds which field, and sample rows for the mapping screen.
 */
export async function inspectQuestionnaireUpload(bytes: Uint8Array, fileName: string, options: ImportOptions & { sheet?: string } = {}): Promise<InspectResult> {
  const grid = await readUpload(bytes, fileName, options, null, INSPECT_HEAD_ROWS);
  const sheets = grid.sheets.map(({ name, rowCount, columnCount, hidden }) => ({ name, rowCount, columnCount, ...(hidden ? { hidden } : {}) }));
  if (options.sheet !== undefined && grid.kind === 'xlsx' && !grid.sheets.some((s) => s.name === options.sheet)) throw noSuchSheet(fileName, options.sheet, grid);
  if (grid.sheets.every((s) => s.rowCount === 0)) {
    throw new UploadRejectedError(422, 'empty', `“${displayName(fileName)}” has no filled cells. Check that you chose the right file, then upload again.`);
  }
  const proposal = proposeForWorkbook(grid.sheets, grid.kind === 'csv' ? undefined : options.sheet);
  return {
    kind: grid.kind,
    sheets,
    proposed: proposal.mapping,
    headers: proposal.headers,
    sampleRows: proposal.sampleRows,
    warnings: [...grid.warnings, ...proposal.warnings],
  };
}

/**
 * Applies a mapping to the whole sheet and lists what would be imported: sections, questions, every skipped row with its
 * reason, and warnings. A mapping that does not fit the file is a 400 `UploadRejectedError` (code `invalid_mapping`).
 */
export async function previewQuestionnaireImport(bytes: Uint8Array, fileName: string, mapping: ImportMapping, options: ImportOptions = {}): Promise<PreviewResult> {
  const parsed = importMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    throw new UploadRejectedError(400, 'invalid_mapping', 'The column mapping is incomplete or malformed. Choose the sheet, the header row and the question column, then preview again.');
  }
  const checked: ImportMapping = parsed.data;
  const maxColumns = options.limits?.maxColumns ?? DEFAULT_WORKER_LIMITS.maxColumns;
  try {
    checkMapping(checked, maxColumns);
  } catch (error) {
    if (error instanceof MappingProblem) throw new UploadRejectedError(400, 'invalid_mapping', error.message);
    throw error;
  }
  const grid = await readUpload(bytes, fileName, options, checked.sheet, 0);
  const sheet = grid.kind === 'csv' ? grid.sheets[0] : grid.sheets.find((s) => s.name === checked.sheet);
  if (!sheet) throw noSuchSheet(fileName, checked.sheet, grid);
  const preview = buildPreview(sheet.rows, checked, sheet.name);
  const questions = preview.sections.reduce((n, s) => n + s.questions.length, 0);
  const maxQuestions = resolveMaxQuestions(options.maxQuestions);
  if (questions > maxQuestions) throw tooManyQuestions(fileName, questions, maxQuestions);
  return preview;
}

function tooManyQuestions(fileName: string, questions: number, maxQuestions: number): UploadRejectedError {
  const count = (n: number) => n.toLocaleString('en-US');
  return new UploadRejectedError(
    422,
    'too_many_questions',
    `“${displayName(fileName)}” has ${count(questions)} questions under this mapping; one import takes at most ${count(maxQuestions)} questions. ` +
      `Split the questionnaire into files of at most ${count(maxQuestions)} questions and import them one after the other.`,
  );
}

async function readUpload(bytes: Uint8Array, fileName: string, options: ImportOptions, fullSheet: string | null, headRows: number): Promise<WorkbookGrid> {
  const uploadLimits = resolveUploadLimits(options.maxBytes);
  const guarded = guardUpload(bytes, fileName, uploadLimits);
  const sheetName = csvSheetName(fileName);
  return parseInWorker({
    kind: guarded.kind,
    bytes,
    entries: guarded.kind === 'xlsx' ? guarded.entries : undefined,
    fileName,
    sheetName,
    // A CSV has one sheet, whatever the mapping calls it.
    fullSheet: guarded.kind === 'csv' && fullSheet !== null ? sheetName : fullSheet,
    headRows,
    uploadLimits,
    workerLimits: { maxRows: resolveMaxQuestions(options.maxQuestions) * ROWS_PER_QUESTION, ...options.limits },
    maxQuestions: resolveMaxQuestions(options.maxQuestions),
  });
}

/** A CSV file's one "sheet" is named after the file, as Excel does when it opens one. */
export function csvSheetName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const stem = base.replace(/\.[^.]*$/, '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return stem.slice(0, 31) || 'CSV';
}

function noSuchSheet(fileName: string, sheet: string, grid: WorkbookGrid): UploadRejectedError {
  const names = grid.sheets.map((s) => `“${s.name}”`).join(', ');
  return new UploadRejectedError(400, 'invalid_mapping', `“${displayName(fileName)}” has no sheet named “${sheet}”. Its sheets are ${names}.`);
}
