import { resolveWorkerFile, runIsolatedWorker, withWorkerSlot, type WorkerReplyOf } from '#app/import/worker-slots.server';
import { DEFAULT_WORKER_LIMITS, type WorkerLimits } from '#app/import/parse-in-worker.server';
import { displayName, UploadRejectedError, type UploadLimits, type ZipEntry } from '#app/import/upload-guard.server';
import {
  ANSWER_HEADER_ALIASES,
  ANSWER_TYPE_HEADER_ALIASES,
  INSTRUCTIONS_SHEET,
  ISSUED_SHEET,
  KEY_HEADER_ALIASES,
  LISTS_SHEET,
  META_SHEET,
  QUESTION_HEADER_ALIASES,
  VENDOR_NAME_LABEL,
} from './vendor-workbook-layout';

/**
 * Runs `vendor-workbook-worker.mjs` the way app/import runs its questionnaire parser (parse-in-worker.server.ts): a fresh
 * worker per upload, with a heap ceiling, a deadline, no environment and no terminal, and at most a few at once — so a
 * crafted workbook can at worst cost one worker. The limits are the questionnaire import's (`DEFAULT_WORKER_LIMITS`).
 */

/** What the worker reads, before the server decides which stamp to believe (`parseVendorWorkbook`). */
export interface RawVendorWorkbook {
  properties: { subject: string | null; keywords: string | null; title: string | null; category: string | null };
  /** Label → value rows of the hidden _meta sheet, or null when there is none. */
  meta: Record<string, string | number> | null;
  /** Rows of the hidden _issued sheet as text, unchecked; null when there is no such sheet. */
  issued: Array<{ key: string; text: string; answerType: string; options: string }> | null;
  vendorName: string | null;
  /** `question` and `answerType`: the locked cells of the row as they came back, null when empty or the column is gone. */
  rows: Array<{ sheet: string; row: number; key: string; raw: string | number | boolean | null; question: string | null; answerType: string | null }>;
  /** Whether any sheet had both a Key and an Answer header. */
  keyColumnFound: boolean;
  warnings: string[];
}

const WORKER_FILE = 'vendor-workbook-worker.mjs';
/** Rows searched for the header row of a section sheet (it is row 1 as exported; vendors sometimes add a title above). */
const HEADER_SCAN_ROWS = 20;

/** The worker file (see resolveWorkerFile): VENDOR_WORKBOOK_WORKER_PATH overrides. */
function resolveWorkerPath(): string {
  return resolveWorkerFile(WORKER_FILE, import.meta.url, 'app/xlsx', 'VENDOR_WORKBOOK_WORKER_PATH');
}


type WorkerRefusal = Extract<WorkerReplyOf<never>, { ok: false }>;

export interface VendorParseRequest {
  bytes: Uint8Array;
  entries: ZipEntry[];
  fileName: string;
  uploadLimits: UploadLimits;
  workerLimits?: Partial<WorkerLimits>;
}

/** Reads a guarded .xlsx upload in a worker; throws `UploadRejectedError` (422) for anything it could not or would not read. */
export async function readVendorWorkbookInWorker(request: VendorParseRequest): Promise<RawVendorWorkbook> {
  const limits: WorkerLimits = { ...DEFAULT_WORKER_LIMITS, ...request.workerLimits };
  return withWorkerSlot(limits, () => runWorker(request, limits));
}

function runWorker(request: VendorParseRequest, limits: WorkerLimits): Promise<RawVendorWorkbook> {
  const name = displayName(request.fileName);
  const workerPath = resolveWorkerPath();
  const seconds = Math.max(1, Math.round(limits.timeoutMs / 1000));
  return runIsolatedWorker<RawVendorWorkbook, { result: RawVendorWorkbook }>({
    workerPath,
    missingWorker: `The vendor workbook reader ${workerPath} is missing; run the server from the project root or set VENDOR_WORKBOOK_WORKER_PATH.`,
    workerData: {
      bytes: request.bytes,
      entries: request.entries,
      limits: { maxUncompressedBytes: request.uploadLimits.maxUncompressedBytes, maxRows: limits.maxRows, maxCells: limits.maxCells },
      layout: {
        keyHeaders: [...KEY_HEADER_ALIASES],
        answerHeaders: [...ANSWER_HEADER_ALIASES],
        questionHeaders: [...QUESTION_HEADER_ALIASES],
        answerTypeHeaders: [...ANSWER_TYPE_HEADER_ALIASES],
        metaSheet: META_SHEET,
        listsSheet: LISTS_SHEET,
        issuedSheet: ISSUED_SHEET,
        instructionsSheet: INSTRUCTIONS_SHEET,
        vendorNameLabel: VENDOR_NAME_LABEL,
        headerScanRows: HEADER_SCAN_ROWS,
      },
    },
    limits,
    timedOut: `“${name}” took longer than ${seconds} seconds to read, so reading was stopped. Open it in Excel, delete anything added besides the answers, save it as .xlsx, and upload it again.`,
    outOfMemory: `“${name}” needs more memory to read than an upload may use. Remove images and other additions, save it as .xlsx, and upload it again.`,
    settle: (reply) => (reply.ok ? reply.result : refusal(name, reply)),
  });
}

function refusal(name: string, { code, detail, sheet, limit }: WorkerRefusal): UploadRejectedError {
  const count = (limit ?? 0).toLocaleString('en-US');
  switch (code) {
    case 'zip_size_mismatch':
      return new UploadRejectedError(422, code, `“${name}” was not opened: its part ${detail} is larger than the ZIP directory declares, a trick used by “zip bombs”. Open it in Excel, save it again as .xlsx, and upload the new file.`);
    case 'zip_bomb':
      return new UploadRejectedError(422, code, `“${name}” expands to far more data than any response workbook (a “zip bomb”), so it was not opened.`);
    case 'corrupt':
      return new UploadRejectedError(422, code, `“${name}” could not be read: the workbook file is damaged (${detail}). Open it in Excel, save it again as .xlsx, and upload the new file.`);
    case 'too_many_rows':
      return new UploadRejectedError(422, code, `${sheet ? `The sheet “${sheet}” in “${name}”` : `A sheet in “${name}”`} has more than ${count} rows, far more than a response workbook. Delete the extra rows and upload again.`);
    case 'too_many_cells':
      return new UploadRejectedError(422, code, `“${name}” has more than ${count} filled cells, far more than a response workbook. Delete what was added besides the answers and upload again.`);
    default:
      return new UploadRejectedError(
        422,
        'unreadable',
        `“${name}” could not be read as a workbook (${detail.replace(/\s+/g, ' ').slice(0, 160)}). Open it in Excel, save it again as .xlsx, and upload the new file.`,
      );
  }
}
