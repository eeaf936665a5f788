import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type ExistingQuestion,
  type ImportMapping,
  type ImportPlan,
  importPlanSchema,
  type InspectResult,
  type PreviewQuestion,
  type PreviewResult as SheetPreview,
  type WorkbookGrid,
} from './import-types.server';
import { type Proposal, proposeForSheet, proposeForWorkbook, type SheetRank } from './mapping.server';
import { DEFAULT_WORKER_LIMITS, parseInWorker, type WorkerLimits } from './parse-in-worker.server';
import { buildImportPreviewInSlices, checkMapping, MappingProblem } from './preview.server';
import { cachedGrid, cacheGrid, forgetGrid, packGrid, unpackGrid, yieldToEventLoop } from './grid-store.server';
import { displayName, guardUpload, resolveUploadLimits, UploadRejectedError } from './upload-guard.server';
import type { Database } from '#db/schema';
import { type Actor, recordAudit } from '#db/queries/audit';
import { applyImport, ImportConflictError, type ImportWrite, listQuestionKeys, prepareImport } from '#db/queries/questionnaire';
import { deletePendingUpload, findQuestionnaireImports, getPendingUploadGrid, type PendingUpload, recordQuestionnaireImport, setPendingUploadGrid } from '#db/queries/pending-uploads';
import { questionnaireLock, withRfpLock } from '#app/rfp/locks.server';

/**
 * Importing a questionnaire someone else wrote (DESIGN §5). The upload is parsed once, fully, in a worker
 * (`parseUpload`); its grid is kept with the pending upload; proposing a mapping (`inspectGrid`) and previewing a plan
 * (`previewGrid`) are pure functions over that grid; and `saveImport` writes exactly what the preview of the stored
 * grid shows — rebuilt on the server, never taken from the browser — refusing (409) if the questionnaire changed since.
 *
 * Every refusal is an `UploadRejectedError` with a status for the response and a message for the officer.
 */

export type {
  AnswerType,
  CollisionChoice,
  ExistingQuestion,
  ImportField,
  ImportMapping,
  ImportPlan,
  InspectResult,
  PreviewOption,
  PreviewQuestion,
  PreviewSection,
  RowFate,
  SheetSummary,
  WorkbookGrid,
} from './import-types.server';
export type { SheetRank } from './mapping.server';
export { COLLISION_CHOICES, IMPORT_FIELD_LABELS, IMPORT_FIELDS, importMappingSchema, importPlanSchema } from './import-types.server';
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

/**
 * The preview as the service returns it: the shared shape (preview.server.ts builds it) plus a digest of what confirming
 * would write (sections, keys, actions, every saved field). The page sends the digest back with the confirmation so the
 * server can refuse if its own preview, rebuilt then, would save something else.
 */
export type PreviewResult = SheetPreview & { fingerprint: string };

// ---------- parse once ----------

/** A parsed upload: every sheet complete, and the SHA-256 of the file's bytes (hex) to recognise it imported again. */
export interface ParsedUpload {
  grid: WorkbookGrid;
  sha256: string;
}

/**
 * Checks an upload (type from the bytes, zip limits, macros, external links) and parses all of it, once, in a worker.
 * An upload with no filled cell is refused (422).
 */
export async function parseUpload(bytes: Uint8Array, fileName: string, options: ImportOptions = {}): Promise<ParsedUpload> {
  const uploadLimits = resolveUploadLimits(options.maxBytes);
  const guarded = guardUpload(bytes, fileName, uploadLimits);
  const sheetName = csvSheetName(fileName);
  const maxQuestions = resolveMaxQuestions(options.maxQuestions);
  const grid = await parseInWorker({
    kind: guarded.kind,
    bytes,
    entries: guarded.kind === 'xlsx' ? guarded.entries : undefined,
    fileName,
    sheetName,
    // Every row of every sheet: the officer may pick any sheet and header row, and none of that parses again.
    fullSheet: guarded.kind === 'csv' ? sheetName : null,
    headRows: Number.MAX_SAFE_INTEGER,
    uploadLimits,
    workerLimits: { maxRows: maxQuestions * ROWS_PER_QUESTION, ...options.limits },
    maxQuestions,
  });
  if (grid.sheets.every((s) => s.rowCount === 0)) {
    throw new UploadRejectedError(422, 'empty', `“${displayName(fileName)}” has no filled cells. Check that you chose the right file, then upload again.`);
  }
  return { grid: { ...grid, sheets: grid.sheets.map((s) => ({ ...s, complete: true })) }, sha256: sha256Of(bytes) };
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The grid packed for the pending upload's `grid` column (see grid-store.server.ts). */
export const packUploadGrid = packGrid;

/**
 * The stored grid of a pending upload: from this process's cache, else unpacked from the database. An upload kept
 * before grids were stored (or by another version) is parsed now, once, and its grid stored.
 */
export async function loadUploadGrid(db: Kysely<Database>, upload: PendingUpload, options: ImportOptions = {}): Promise<WorkbookGrid> {
  const cached = cachedGrid(upload.id);
  if (cached) return cached;
  const packed = await getPendingUploadGrid(db, upload.id);
  let grid: WorkbookGrid;
  if (packed) {
    grid = await unpackGrid(packed);
  } else {
    const parsed = await parseUpload(upload.bytes, upload.file_name, options);
    grid = parsed.grid;
    await setPendingUploadGrid(db, upload.id, await packGrid(grid), parsed.sha256);
  }
  cacheGrid(upload.id, grid);
  return grid;
}

// ---------- propose ----------

/** A proposal over a parsed upload, with every sheet ranked by how much it looks like the questionnaire. */
export type GridInspection = InspectResult & { ranking: SheetRank[] };

/**
 * Proposes a mapping over a parsed upload: the sheets, the sheet that looks like the questionnaire (or `options.sheet`),
 * its header row (or `options.headerRow`, then the mapping is proposed afresh for that row), which column holds which
 * field, and sample rows for the mapping screen. Pure.
 */
export function inspectGrid(grid: WorkbookGrid, fileName: string, options: { sheet?: string; headerRow?: number; orientation?: 'rows' | 'columns' } = {}): GridInspection {
  const sheets = grid.sheets.map(({ name, rowCount, columnCount, hidden }) => ({ name, rowCount, columnCount, ...(hidden ? { hidden } : {}) }));
  if (options.sheet !== undefined && grid.kind === 'xlsx' && !grid.sheets.some((s) => s.name === options.sheet)) throw noSuchSheet(fileName, options.sheet, grid);
  const workbook = proposeForWorkbook(grid.sheets, grid.kind === 'csv' ? undefined : options.sheet);
  let proposal: Proposal = workbook;
  if (options.headerRow !== undefined) {
    const sheet = grid.sheets.find((s) => s.name === workbook.sheetName)!;
    proposal = proposeForSheet(sheet, options.headerRow, options.orientation ?? workbook.mapping.orientation ?? 'rows');
  }
  return {
    kind: grid.kind,
    sheets,
    proposed: proposal.mapping,
    headers: proposal.headers,
    sampleRows: proposal.sampleRows,
    warnings: [...grid.warnings, ...proposal.warnings],
    ranking: workbook.ranking,
  };
}

/** The plan of a single mapping, as the page and the command line start from. */
export function planOf(mapping: ImportMapping, onCollision: ImportPlan['onCollision'] = 'skip'): ImportPlan {
  return { sheets: [mapping], onCollision };
}

// ---------- preview ----------

/**
 * Applies a plan to the stored grid and lists what confirming would save: sections, questions with their keys and
 * actions, every skipped row with its reason, collisions with the RFP's `existing` questions, and warnings. A plan that
 * does not fit the file is a 400 (`invalid_mapping`); more questions than the cap, a 422 (`too_many_questions`).
 */
export async function previewGrid(grid: WorkbookGrid, fileName: string, plan: ImportPlan, existing: ExistingQuestion[], options: ImportOptions = {}): Promise<PreviewResult> {
  const checked = checkPlan(plan, options);
  for (const mapping of checked.sheets) {
    if (grid.kind !== 'csv' && !grid.sheets.some((s) => s.name === mapping.sheet)) throw noSuchSheet(fileName, mapping.sheet, grid);
  }
  const maxQuestions = resolveMaxQuestions(options.maxQuestions);
  const inputs = previewInputs(checked, existing, maxQuestions);
  const cached = previewCache.get(grid)?.get(inputs);
  if (cached) return cached;
  let preview: SheetPreview;
  try {
    preview = await buildImportPreviewInSlices(grid, checked, existing);
  } catch (error) {
    if (error instanceof MappingProblem) throw new UploadRejectedError(400, 'invalid_mapping', error.message);
    throw error;
  }
  const questions = preview.sections.reduce((n, s) => n + s.questions.length, 0);
  if (questions > maxQuestions) throw tooManyQuestions(fileName, questions, maxQuestions);
  const result = { ...preview, fingerprint: fingerprintOf(preview) };
  rememberPreview(grid, inputs, result);
  return result;
}

/**
 * Previews already built over a grid, by everything they depend on besides it (the plan, the RFP's questions, the cap).
 * A 5,000-question preview costs the main thread a few hundred milliseconds, and confirming rebuilds the preview the
 * page just showed; with the grid from the same process's cache (loadUploadGrid) the rebuild is this lookup, and the
 * result is the same by construction. Another process, or anything changed meanwhile, builds it afresh. Callers treat
 * a preview as read-only.
 */
const previewCache = new WeakMap<WorkbookGrid, Map<string, PreviewResult>>();
const PREVIEWS_PER_GRID = 4;

function previewInputs(plan: ImportPlan, existing: ExistingQuestion[], maxQuestions: number): string {
  const hash = createHash('sha256').update(JSON.stringify(plan)).update(`\u0000${maxQuestions}`);
  // By id: the listing's order among equal positions is the database's choice.
  for (const q of [...existing].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) hash.update(`\u0000${q.id}\u0001${q.key}\u0001${q.text}`);
  return hash.digest('hex');
}

function rememberPreview(grid: WorkbookGrid, inputs: string, preview: PreviewResult): void {
  const entries = previewCache.get(grid) ?? new Map<string, PreviewResult>();
  entries.delete(inputs);
  entries.set(inputs, preview);
  while (entries.size > PREVIEWS_PER_GRID) entries.delete(entries.keys().next().value as string);
  previewCache.set(grid, entries);
}

function checkPlan(plan: ImportPlan, options: ImportOptions): ImportPlan {
  const parsed = importPlanSchema.safeParse(plan);
  if (!parsed.success) {
    throw new UploadRejectedError(400, 'invalid_mapping', 'The column mapping is incomplete or malformed. Choose the sheet, the header row and the question column, then preview again.');
  }
  const maxColumns = options.limits?.maxColumns ?? DEFAULT_WORKER_LIMITS.maxColumns;
  try {
    for (const mapping of parsed.data.sheets) checkMapping(mapping, maxColumns);
  } catch (error) {
    if (error instanceof MappingProblem) throw new UploadRejectedError(400, 'invalid_mapping', error.message);
    throw error;
  }
  return parsed.data;
}

function fingerprintOf(preview: SheetPreview): string {
  const hash = createHash('sha256');
  for (const section of preview.sections) {
    hash.update(`\u0000section\u0000${section.title}`);
    for (const q of section.questions) {
      hash.update(JSON.stringify([q.action, q.existingId ?? null, q.key, q.text, q.guidance, q.answerType, q.options, q.required, q.references]));
    }
  }
  return hash.digest('hex');
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

// ---------- save ----------

/** What `saveImport` needs of an upload: its parsed grid and the file's facts; `id` names the pending upload to remove. */
export interface UploadToSave {
  id?: string;
  fileName: string;
  size: number;
  sha256: string;
  grid: WorkbookGrid;
}

export interface SaveOutcome {
  importId: string;
  created: number;
  updated: number;
  skipped: number;
  sections: number;
}

/** Earlier imports of a file with these bytes into this RFP (the page and the command line say so). */
export const previousImports = findQuestionnaireImports;

/**
 * Imports the plan's questions into a draft RFP, exactly as `previewGrid` shows them for the stored grid: all or
 * nothing, one audit event. The preview is rebuilt here, with the RFP's questions as they are now; when `expected`
 * (the fingerprint of the preview the officer saw) differs, or a previewed key is taken or an 'update' target gone by
 * the time the write's transaction runs, nothing is written and the answer is 409 `changed_since_preview`.
 */
export async function saveImport(
  db: Kysely<Database>,
  rfp: { id: string; reference: string },
  actor: Actor,
  upload: UploadToSave,
  plan: ImportPlan,
  options: ImportOptions & { expected?: string } = {},
): Promise<SaveOutcome> {
  // On SQLite a query answers synchronously, so nothing here lets other requests in unless it yields: each step below
  // is a few tens of milliseconds for the largest imports, and the event loop turns between them.
  const existing = await listQuestionKeys(db, rfp.id);
  await yieldToEventLoop();
  const preview = await previewGrid(upload.grid, upload.fileName, plan, existing, options);
  await yieldToEventLoop();
  if (options.expected !== undefined && options.expected !== preview.fingerprint) throw changedSincePreview(rfp.reference);
  const questions = preview.sections.flatMap((s) => s.questions);
  if (questions.length === 0) {
    throw new UploadRejectedError(400, 'nothing_to_import', nothingToImport(preview, await findQuestionnaireImports(db, rfp.id, upload.sha256)));
  }
  const write: ImportWrite = {
    rfpId: rfp.id,
    sections: preview.sections
      .map((s) => ({ title: s.title, questions: s.questions.filter((q) => q.action === 'add').map((q) => ({ ...questionInput(q), key: q.key })) }))
      .filter((s) => s.questions.length > 0),
    updates: questions.filter((q) => q.action === 'update').map((q) => ({ id: q.existingId!, key: q.key, input: questionInput(q) })),
  };
  const prepared = await prepareImport(write);
  const checkedPlan = importPlanSchema.parse(plan);
  // Everything above (the preview, its cap included, and building the rows) happens outside the transaction, which
  // holds only the lock check, the key check, the batched writes and one audit event.
  const outcome = await withRfpLock(db, rfp.id, questionnaireLock, async (trx) => {
    let summary;
    try {
      summary = await applyImport(trx, prepared);
    } catch (error) {
      if (error instanceof ImportConflictError) throw changedSincePreview(rfp.reference, [...error.taken, ...error.missing]);
      throw error;
    }
    const skippedKeys = preview.collisions.filter((c) => c.outcome === 'skipped').map((c) => c.key);
    const importId = await recordQuestionnaireImport(trx, {
      rfpId: rfp.id,
      sha256: upload.sha256,
      fileName: upload.fileName,
      userId: actor.id,
      actorEmail: actor.email,
      created: summary.questions,
      updated: summary.updated.length,
    });
    // One event for the whole import, naming every section, criterion and question key it created or changed.
    await recordAudit(trx, actor, {
      rfpId: rfp.id,
      entity: 'rfp',
      entityId: rfp.id,
      action: 'questionnaire.import',
      before: summary.updated.length > 0 ? { updated: summary.updated.map((u) => u.before) } : undefined,
      after: {
        file: upload.fileName,
        size: upload.size,
        sha256: upload.sha256,
        plan: checkedPlan,
        // Counts: new sections, new questions, rows skipped; the lists say which keys.
        sections: summary.sections,
        questions: summary.questions,
        skipped: preview.skipped.length,
        created: summary.created,
        addedTo: summary.addedTo,
        updated: write.updates.map((u) => ({ id: u.id, key: u.key, ...u.input })),
        skippedKeys,
        renamed: preview.collisions.filter((c) => c.outcome === 'renamed').map((c) => ({ key: c.key, newKey: c.newKey })),
      },
    });
    if (upload.id) await deletePendingUpload(trx, upload.id);
    return { importId, created: summary.questions, updated: summary.updated.length, skipped: preview.skipped.length, sections: summary.sections };
  });
  if (upload.id) forgetGrid(upload.id);
  return outcome;
}

function questionInput(q: PreviewQuestion) {
  return {
    text: q.text,
    guidance: q.guidance,
    strongAnswer: null,
    answerType: q.answerType,
    options: q.options.map((o) => ({ label: o.label, autoScore: o.autoScore })),
    required: q.required,
    references: q.references,
  };
}

function changedSincePreview(reference: string, keys: string[] = []): UploadRejectedError {
  const which = keys.length > 0 ? ` (${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''})` : '';
  return new UploadRejectedError(
    409,
    'changed_since_preview',
    `The questionnaire of ${reference} changed since the preview${which}; preview again, check the keys, and confirm. Nothing was imported.`,
  );
}

function nothingToImport(preview: PreviewResult, earlier: Array<{ createdAt: string }>): string {
  if (preview.collisions.length > 0) {
    const again = earlier.length > 0 ? ` This file was already imported into this RFP on ${earlier[earlier.length - 1]!.createdAt.slice(0, 10)}.` : '';
    return `Nothing to import: every question's key is already in this RFP, and those rows are skipped.${again} Choose “update those questions” or “add with new keys” to import them anyway.`;
  }
  return 'Nothing to import: no row has question text under this mapping.';
}

// ---------- helpers ----------

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
