import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VendorAnswerType } from './vendor-workbook.server';

/**
 * What a vendor workbook was issued as, and its signature: HMAC-SHA256, keyed with the installation's secret
 * (`workbookSigningSecret`), over one canonical serialisation of the RFP (id and reference), the questionnaire version,
 * the vendor it was issued to (or none, for a blank workbook), the issue time and every question's key, text, answer
 * type and option labels in order. The workbook carries this record in plain sight (hidden _meta and _issued sheets);
 * without the secret nobody can change any of it, or make a new one, that still verifies.
 */

export interface IssuedQuestion {
  key: string;
  /** The question text exactly as written into the workbook's cells. */
  text: string;
  answerType: VendorAnswerType;
  options: string[];
}

export interface WorkbookIssue {
  rfpId: string;
  reference: string;
  questionnaireVersion: number;
  /** Null for a blank workbook, issued to no particular vendor. */
  vendor: { id: string; key: string; name: string } | null;
  issuedAt: string;
  questions: IssuedQuestion[];
}

const CANONICAL_FORMAT = 'workbench-vendor-workbook-issue-v1';

/**
 * A JSON array (so no key-order ambiguity) with every text in Unicode NFC, so a tool that re-encodes the same
 * characters differently does not break the signature; any other difference does.
 */
export function canonicalIssue(issue: WorkbookIssue): string {
  const nfc = (text: string) => text.normalize('NFC');
  return JSON.stringify([
    CANONICAL_FORMAT,
    nfc(issue.rfpId),
    nfc(issue.reference),
    issue.questionnaireVersion,
    issue.vendor ? [nfc(issue.vendor.id), nfc(issue.vendor.key), nfc(issue.vendor.name)] : null,
    nfc(issue.issuedAt),
    issue.questions.map((q) => [nfc(q.key), nfc(q.text), q.answerType, q.options.map(nfc)]),
  ]);
}

export function signIssue(issue: WorkbookIssue, secret: string): string {
  return createHmac('sha256', secret).update(canonicalIssue(issue), 'utf8').digest('hex');
}

/** Constant-time comparison with the signature the workbook carries. */
export function verifyIssue(issue: WorkbookIssue, signature: string, secret: string): boolean {
  const expected = Buffer.from(signIssue(issue, secret), 'hex');
  if (!/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const given = Buffer.from(signature.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
