/**
 * Evidence files: size-capped, typed from their bytes (never from the name), hashed, and stored under a random
 * name in ATTACHMENTS_DIR — outside public/ and build/, so the web server never serves them directly. They are
 * handed out only through the guarded download route, always as attachments.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readZipDirectory, resolveUploadLimits, UploadRejectedError } from '#app/import/upload-guard.server';
import { ATTACHMENT_MAX_BYTES } from '#app/utils/upload-limits';

export const MAX_EVIDENCE_BYTES = ATTACHMENT_MAX_BYTES;

export function attachmentsDir(): string {
  return resolve(process.env.ATTACHMENTS_DIR ?? './data/attachments');
}

export type EvidenceType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'text/plain' | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const EXTENSION: Record<EvidenceType, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'text/plain': 'text file',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook',
};

export const ACCEPTED_EVIDENCE = 'PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain text';

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/** What the bytes are, or a 415 saying what is accepted. */
export function detectEvidenceType(bytes: Uint8Array, fileName: string): EvidenceType {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // Office files are ZIPs: read the directory with the same zip-bomb limits as workbook imports.
    const entries = readZipDirectory(bytes, fileName, { ...resolveUploadLimits(MAX_EVIDENCE_BYTES), maxBytes: MAX_EVIDENCE_BYTES });
    const names = new Set(entries.map((e) => e.name));
    if (names.has('[Content_Types].xml') && names.has('word/document.xml') && !names.has('word/vbaProject.bin')) {
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    }
    if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml') && !names.has('xl/vbaProject.bin')) {
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    }
    throw new UploadRejectedError(415, 'unsupported', `“${fileName}” is a ZIP archive that is not a Word or Excel document (or contains macros). Accepted: ${ACCEPTED_EVIDENCE}.`);
  }
  if (!bytes.includes(0)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return 'text/plain';
    } catch {
      // fall through to the refusal
    }
  }
  throw new UploadRejectedError(415, 'unsupported', `“${fileName}” is not a file type the workbench keeps as evidence. Accepted: ${ACCEPTED_EVIDENCE}.`);
}

export function describeEvidenceType(type: string): string {
  return EXTENSION[type as EvidenceType] ?? type;
}

export interface StoredEvidence {
  storageKey: string;
  mediaType: EvidenceType;
  size: number;
  sha256: string;
}

/** Checks and writes the file; the caller records the row (in its transaction) afterwards. */
export function storeEvidence(bytes: Uint8Array, fileName: string): StoredEvidence {
  if (bytes.byteLength === 0) throw new UploadRejectedError(400, 'empty', `“${fileName}” is empty.`);
  if (bytes.byteLength > MAX_EVIDENCE_BYTES) {
    throw new UploadRejectedError(413, 'too_large', `“${fileName}” is larger than the ${Math.round(MAX_EVIDENCE_BYTES / 1024 / 1024)} MB limit for evidence.`);
  }
  const mediaType = detectEvidenceType(bytes, fileName);
  const dir = attachmentsDir();
  mkdirSync(dir, { recursive: true });
  const storageKey = randomBytes(24).toString('hex');
  writeFileSync(join(dir, storageKey), bytes, { flag: 'wx' });
  return { storageKey, mediaType, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function readEvidence(storageKey: string): Buffer {
  if (!/^[0-9a-f]{48}$/.test(storageKey)) throw new Error('Invalid storage key');
  return readFileSync(join(attachmentsDir(), storageKey));
}

/**
 * Deletes a stored file once the row that named it is gone (removed or replaced, after the commit). The audit log
 * keeps its name, type, size and SHA-256, so a copy kept elsewhere can still be shown to be the file removed.
 */
export function deleteEvidence(storageKey: string): void {
  if (!/^[0-9a-f]{48}$/.test(storageKey)) throw new Error('Invalid storage key');
  rmSync(join(attachmentsDir(), storageKey), { force: true });
}
