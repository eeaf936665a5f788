/**
 * Reading one uploaded file from a multipart form, size-capped before and while the body is read.
 * Every upload screen (questionnaire import, vendor workbook, evidence) goes through here.
 */
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node';

export function isMultipart(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');
}

export interface UploadedFile {
  bytes: Uint8Array;
  /** The name as sent, without control characters, at most 200 characters. */
  fileName: string;
  /** The other fields of the form. */
  form: FormData;
}

export type UploadOutcome = { ok: true; file: UploadedFile } | { ok: false; status: 400 | 413; message: string };

/** Room for the multipart boundaries and the other fields around the file. */
const FORM_OVERHEAD_BYTES = 64_000;

export async function readUploadedFile(
  request: Request,
  options: { maxBytes: number; tooLarge: string; missing: string; defaultName: string },
): Promise<UploadOutcome> {
  // Refuse before reading the body when the declared size is already too large.
  if (Number(request.headers.get('content-length') ?? 0) > options.maxBytes + FORM_OVERHEAD_BYTES) return { ok: false, status: 413, message: options.tooLarge };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: options.maxBytes }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, status: 413, message: options.tooLarge };
    throw error;
  }
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 400, message: options.missing };
  const fileName = file.name.replace(/\p{Cc}/gu, '').slice(0, 200) || options.defaultName;
  return { ok: true, file: { bytes: new Uint8Array(await file.arrayBuffer()), fileName, form } };
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
