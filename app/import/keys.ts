/**
 * The rule for question (and criterion) keys, shared by the questionnaire builder and the import so that a key one
 * accepts the other accepts too. Official identifiers are kept as their frameworks write them — `A&A-01.1`,
 * `GOVERN 1.1`, `AC-2(1)`, `ISO/IEC 42001 A.7` — so the rule allows what such identifiers use and nothing that would
 * make a key awkward to quote in a workbook cell, a page or an audit entry (no quotes, commas, semicolons, line breaks).
 * Keys are shown and matched as text, never put in a URL path (pages address questions by id).
 */

export const KEY_MAX_CHARS = 40;

/** Letters, digits, `.`, `-`, `_`, `&`, spaces, parentheses, `/` and `:`; first a letter or digit; at most 40 characters. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-& ()/:]{0,39}$/;

/** The rule in words, for messages. */
export const KEY_RULE_TEXT = 'letters, digits, spaces and . - _ & ( ) / : — starting with a letter or digit, at most 40 characters';

/** A key as it is kept: the ends trimmed and every run of inner whitespace (line breaks and tabs included) made one space. */
export function normaliseKey(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

/** Whether an already normalised key follows the rule. */
export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Keys compare case-insensitively everywhere (duplicates, collisions, the vendor workbook's matching). */
export function keyIdentity(key: string): string {
  return normaliseKey(key).toLowerCase();
}
