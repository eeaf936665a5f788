/**
 * The receipt of a sealed submission (issue 15, item 4): the SHA-256 of one canonical form of what was submitted, so
 * the vendor and the city can later show, byte for byte, what was on record at the deadline ("we sent it on time").
 * The canonical form is JSON with object keys sorted at every depth, no insignificant whitespace and answers ordered
 * by question key; anyone can recompute the hash of the downloaded receipt file with `sha256sum`.
 */
import { createHash } from 'node:crypto';

export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

/** JSON with sorted keys and no spaces: the same content always gives the same bytes. */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface SealedResponse {
  kind: 'submitted' | 'withdrawn';
  rfp: { id: string; reference: string };
  vendor: { id: string; name: string };
  version: number;
  questionnaireVersion: number;
  /** ISO 8601 UTC, by the server's clock. */
  at: string;
  by: { name: string; email: string };
  /** Every non-empty answer, by question key (empty for a withdrawal). */
  answers: Array<{ key: string; value: string | number | string[] }>;
}

export function sealResponse(response: SealedResponse): { content: string; sha256: string } {
  const answers = [...response.answers].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const content = canonicalJson({ ...response, rfp: { ...response.rfp }, vendor: { ...response.vendor }, by: { ...response.by }, answers: answers.map((a) => ({ key: a.key, value: a.value })) });
  return { content, sha256: sha256Hex(content) };
}
