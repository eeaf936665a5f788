import { resolveWorkerFile, runIsolatedWorker, withWorkerSlot, type WorkerReplyOf } from './worker-slots.server';
import type { WorkbookGrid } from './import-types.server';
import { displayName, UploadRejectedError, type UploadLimits, type ZipEntry } from './upload-guard.server';

/**
 * Runs the workbook parser in a worker thread with a memory ceiling and a deadline, so a crafted file can at worst cost
 * one worker — never the server process that everyone else's requests share.
 */

export interface WorkerLimits {
  /** The worker is terminated after this long. */
  timeoutMs: number;
  /** V8 old-generation heap of the worker (exceljs keeps the whole workbook in memory). */
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
  /** Non-empty rows per sheet. */
  maxRows: number;
  /** Columns read per sheet; cells further right are ignored with a warning. */
  maxColumns: number;
  /** Non-empty cells in the whole file. */
  maxCells: number;
  /** Parses allowed at once in this process; more wait in a short queue, beyond it 503. */
  maxConcurrent: number;
  maxQueued: number;
}

/** Sized for a 2-core server: a real questionnaire parses in about a second and well under 100 MB of heap. */
export const DEFAULT_WORKER_LIMITS: Readonly<WorkerLimits> = Object.freeze({
  timeoutMs: 20_000,
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 32,
  maxRows: 50_000,
  maxColumns: 256,
  maxCells: 1_000_000,
  maxConcurrent: 2,
  maxQueued: 20,
});

/** Everything the worker needs, already checked by the guard; the worker trusts none of the bytes beyond that. */
export interface ParseRequest {
  kind: 'xlsx' | 'csv';
  bytes: Uint8Array;
  entries?: ZipEntry[];
  fileName: string;
  /** The one sheet's name when the upload is CSV. */
  sheetName: string;
  /** Sheet whose every row is wanted; the other sheets (or all, when null) come back with only their first `headRows` rows. */
  fullSheet: string | null;
  headRows: number;
  uploadLimits: UploadLimits;
  workerLimits?: Partial<WorkerLimits>;
  /** The import's question cap, named when a sheet is refused for its length. */
  maxQuestions?: number;
}

const WORKER_FILE = 'questionnaire-worker.mjs';

/** The worker file (see resolveWorkerFile): QUESTIONNAIRE_WORKER_PATH overrides. */
export function resolveWorkerPath(): string {
  return resolveWorkerFile(WORKER_FILE, import.meta.url, 'app/import', 'QUESTIONNAIRE_WORKER_PATH');
}


type WorkerRefusal = Extract<WorkerReplyOf<never>, { ok: false }>;

/**
 * Parses the upload in a fresh worker and returns its grid, or throws `UploadRejectedError` (422 for anything the worker
 * could not or would not read, including running out of memory or time).
 */
export async function parseInWorker(request: ParseRequest): Promise<WorkbookGrid> {
  const limits: WorkerLimits = { ...DEFAULT_WORKER_LIMITS, ...request.workerLimits };
  return withWorkerSlot(limits, () => {
    runs++;
    return runWorker(request, limits);
  });
}

let runs = 0;

/** How many parses this process has started: an upload is parsed once, so tests count them. */
export function parseRunCount(): number {
  return runs;
}

function runWorker(request: ParseRequest, limits: WorkerLimits): Promise<WorkbookGrid> {
  const name = displayName(request.fileName);
  const workerPath = resolveWorkerPath();
  const timeout = limits.timeoutMs >= 1000 ? `${Math.round(limits.timeoutMs / 1000)} seconds` : `${limits.timeoutMs} ms`;
  return runIsolatedWorker<WorkbookGrid, { grid: WorkbookGrid }>({
    workerPath,
    missingWorker: `The questionnaire parser ${workerPath} is missing; run the server from the project root or set QUESTIONNAIRE_WORKER_PATH.`,
    workerData: {
      kind: request.kind,
      bytes: request.bytes,
      entries: request.entries,
      sheetName: request.sheetName,
      fullSheet: request.fullSheet,
      headRows: request.headRows,
      limits: {
        maxUncompressedBytes: request.uploadLimits.maxUncompressedBytes,
        maxRows: limits.maxRows,
        maxColumns: limits.maxColumns,
        maxCells: limits.maxCells,
      },
    },
    limits,
    timedOut: `“${name}” took longer than ${timeout} to read, so reading was stopped. Copy only the questionnaire sheet into a new workbook, save it as .xlsx, and upload that.`,
    outOfMemory: `“${name}” needs more memory to read than an upload may use. Copy only the questionnaire sheet into a new workbook (without images or formatting of whole columns), save it as .xlsx, and upload that.`,
    settle: (reply) => (reply.ok ? reply.grid : refusalFromWorker(name, reply, request.maxQuestions)),
  });
}

/** Turns the worker's terse refusal into the message the officer reads. Kept here so every message lives on the server side. */
function refusalFromWorker(name: string, { code, detail, sheet, limit }: WorkerRefusal, maxQuestions?: number): UploadRejectedError {
  const count = (limit ?? 0).toLocaleString('en-US');
  switch (code) {
    case 'zip_size_mismatch':
      return new UploadRejectedError(
        422,
        code,
        `“${name}” was not opened: its part ${detail} is larger than the ZIP directory declares, a trick used by “zip bombs”. If it is a genuine questionnaire, open it in Excel, save it again as .xlsx, and upload the new file.`,
      );
    case 'zip_bomb':
      return new UploadRejectedError(422, code, `“${name}” expands to far more data than any questionnaire (a “zip bomb”), so it was not opened.`);
    case 'corrupt':
      return new UploadRejectedError(422, code, `“${name}” could not be read: the workbook file is damaged (${detail}). Open it in Excel, save it again as .xlsx, and upload the new file.`);
    case 'too_many_rows':
      return new UploadRejectedError(
        422,
        code,
        `${sheet ? `The sheet “${sheet}” in “${name}”` : `A sheet in “${name}”`} has more than ${count} rows, more than a questionnaire import can preview${maxQuestions ? ` (one import takes at most ${maxQuestions.toLocaleString('en-US')} questions)` : ''}. Split the questionnaire into smaller files, or delete empty formatted rows, and upload again.`,
      );
    case 'too_many_columns':
      return new UploadRejectedError(422, code, `“${name}” has rows with more cells than a spreadsheet can hold. Save it again from Excel as .xlsx and upload the new file.`);
    case 'too_many_cells':
      return new UploadRejectedError(
        422,
        code,
        `“${name}” has more than ${count} filled cells, more than a questionnaire import can preview. Copy only the questionnaire sheet into a new workbook and upload that.`,
      );
    default:
      return new UploadRejectedError(
        422,
        'unreadable',
        `“${name}” could not be read as a spreadsheet (${detail.replace(/\s+/g, ' ').slice(0, 160)}). Open it in Excel, save it again as .xlsx or CSV UTF-8, and upload the new file.`,
      );
  }
}
