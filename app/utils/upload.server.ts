/**
 * Reading one uploaded file from a multipart form, size-capped before and while the body is read.
 * Every upload screen (questionnaire import, vendor workbook, evidence) goes through here.
 */
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node';
import { NUL_IN_FORM_MESSAGE } from './form';

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
    const refusal = unreadableMultipart(error);
    if (refusal) return { ok: false, status: 400, message: refusal };
    throw error;
  }
  for (const value of form.values()) if (typeof value === 'string' && value.includes('\0')) return { ok: false, status: 400, message: NUL_IN_FORM_MESSAGE };
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 400, message: options.missing };
  const fileName = file.name.replace(/\p{Cc}/gu, '').slice(0, 200) || options.defaultName;
  return { ok: true, file: { bytes: new Uint8Array(await file.arrayBuffer()), fileName, form } };
}

/**
 * Remix's multipart parser throws a plain Error ("malformed …") for a form it cannot read. The usual cause is a file
 * name with `=` or `;` in it, which the parser splits on (browsers send such names as they are).
 */
function unreadableMultipart(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('malformed ')) return undefined;
  if (/content-disposition/.test(error.message) && /filename=/.test(error.message)) {
    return 'The file’s name could not be read: names with “=” or “;” cannot be uploaded here. Rename the file (for example with only letters, digits, spaces, dashes and dots) and upload it again.';
  }
  return 'The upload could not be read: the form data was malformed. Choose the file again and upload it.';
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
