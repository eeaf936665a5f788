/**
 * The configured upload caps, in one place: the upload screens enforce them on the file, and the HTTP server's body limit
 * (app/server/body-limit.ts) allows each upload route its cap plus room for the rest of the form.
 */
const MB = 1024 * 1024;

function bytesFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** Largest evidence file (ATTACHMENT_MAX_BYTES, default 25 MB). */
export const ATTACHMENT_MAX_BYTES = bytesFromEnv('ATTACHMENT_MAX_BYTES', 25 * MB);

/** Largest questionnaire or vendor workbook to import (QUESTIONNAIRE_IMPORT_MAX_BYTES, default 10 MB). */
export const QUESTIONNAIRE_IMPORT_MAX_BYTES = bytesFromEnv('QUESTIONNAIRE_IMPORT_MAX_BYTES', 10 * MB);
