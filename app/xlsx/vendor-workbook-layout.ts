/**
 * The vendor response workbook, described once (DESIGN §5). The export (`vendor-workbook.server.ts`) writes this layout,
 * the import (`vendor-response-import.server.ts` and its worker) reads it back; both take their names from here.
 *
 * Sheets, in order:
 * - **Instructions** (visible, protected): RFP reference, title, department, due date, questionnaire version, a yellow
 *   unlocked cell right of the label "Vendor name", how to answer, what the columns mean, the list of section sheets.
 * - **one sheet per section** (visible, protected), named after the section title (see `sectionSheetNames`). Row 1 is the
 *   header, frozen and repeated on every printed page; one row per question below it. Columns, left to right:
 *   Key (hidden: the stable question key), Criterion, Question, Guidance, Required, Answer type, Answer. Only the Answer
 *   cells are unlocked. The import finds the Key and Answer columns by their header text, so a vendor who inserts or
 *   moves columns (after unprotecting the sheet, which needs no password) is still read correctly.
 * - **Lists** (hidden, protected): one column per dropdown whose options are too long, or contain commas, for an inline
 *   list validation.
 * - **_meta** (hidden, protected): label/value rows — format marker, RFP reference, questionnaire version, export time,
 *   and, in a signed workbook, the RFP id, the vendor it was issued to (id, key, name; empty for a blank workbook), the
 *   signature scheme and the signature.
 * - **_issued** (hidden, protected, signed workbooks only): the questionnaire as issued, one row per question in order —
 *   Key, Question (the text exactly as written on the section sheet), Answer type (the code, e.g. `choice`), Options (a
 *   JSON array of the option labels). The signature (`vendor-workbook-signature.server.ts`) covers these rows and the
 *   _meta values above, so the import can tell what was issued from what came back. Hidden sheets' cells survive a
 *   LibreOffice re-save exactly (the round-trip test checks it); custom document properties are not used because exceljs
 *   cannot write them.
 *
 * The RFP reference, questionnaire version and format marker are also in the document properties: `subject` = the
 * reference, `keywords` = "<marker> rfp=<reference, URI-encoded> questionnaire-version=<n>". Space-separated on purpose:
 * LibreOffice rewrites keyword separators (";" becomes " ") when it re-saves, but keeps subject, keywords, title, category
 * and description. Properties are read first; the _meta sheet is the fallback when a tool dropped them.
 */

/** Marks a workbook as ours, in the keywords and in _meta. Bump the number if the layout changes incompatibly. */
export const VENDOR_WORKBOOK_FORMAT = 'workbench-vendor-workbook-v1';

export const INSTRUCTIONS_SHEET = 'Instructions';
export const LISTS_SHEET = 'Lists';
export const META_SHEET = '_meta';
export const ISSUED_SHEET = '_issued';
/** Header row of the _issued sheet; its rows follow from row 2. */
export const ISSUED_HEADERS = ['Key', 'Question', 'Answer type', 'Options'] as const;
/** Label of the Instructions row whose next cell to the right holds the vendor's name. */
export const VENDOR_NAME_LABEL = 'Vendor name';

export const COLUMN_HEADERS = {
  key: 'Key',
  criterion: 'Criterion',
  question: 'Question',
  guidance: 'Guidance',
  required: 'Required',
  answerType: 'Answer type',
  answer: 'Answer',
} as const;

/**
 * Header texts the import accepts for the two columns it reads (compared trimmed, case-insensitive, ignoring a trailing
 * "*" or ":"), so a vendor who retyped a header slightly differently is still read.
 */
export const KEY_HEADER_ALIASES = ['key', 'question key'] as const;
export const ANSWER_HEADER_ALIASES = ['answer', 'your answer', 'response', 'vendor answer'] as const;
/** The locked columns the import reads back to notice a question or its options edited in the workbook. */
export const QUESTION_HEADER_ALIASES = ['question'] as const;
export const ANSWER_TYPE_HEADER_ALIASES = ['answer type'] as const;

/** Labels of the _meta sheet's rows (column A), values in column B. */
export const META_LABELS = {
  format: 'format',
  reference: 'rfpReference',
  version: 'questionnaireVersion',
  exportedAt: 'exportedAt',
  rfpId: 'rfpId',
  vendorId: 'issuedToVendorId',
  vendorKey: 'issuedToVendorKey',
  vendorName: 'issuedToVendorName',
  signatureScheme: 'signatureScheme',
  signature: 'signature',
} as const;

/** The only signature scheme so far: HMAC-SHA256 with the installation's secret, hex. */
export const SIGNATURE_SCHEME = 'hmac-sha256-v1';

/** The header row of every section sheet; data starts on the next row. */
export const HEADER_ROW = 1;

/** Excel's limit on a sheet name. */
export const MAX_SHEET_NAME_LENGTH = 31;
/** Sheet names the workbook uses itself, plus Excel's reserved "History". Compared case-insensitively. */
const RESERVED_SHEET_NAMES = [INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET, ISSUED_SHEET, 'History'];

/**
 * One sheet name per section title, in order: no `[]:*?/\` or control characters, no leading or trailing apostrophe
 * (Excel refuses both), at most 31 UTF-16 units (never splitting a surrogate pair), not empty ("Section 3"), and unique
 * case-insensitively among themselves and the workbook's own sheets (a clash gets " (2)", " (3)", … within 31 units).
 */
export function sectionSheetNames(titles: readonly string[]): string[] {
  const taken = new Set(RESERVED_SHEET_NAMES.map((n) => n.toLowerCase()));
  return titles.map((title, index) => {
    const base = cleanSheetName(title) || `Section ${index + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      name = `${cutUtf16(base, MAX_SHEET_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

function cleanSheetName(title: string): string {
  const cleaned = title
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^['\s]+|['\s]+$/g, '');
  let cut = cutUtf16(cleaned, MAX_SHEET_NAME_LENGTH);
  // Prefer ending on a whole word when that keeps most of the name.
  if (cut.length < cleaned.length && cleaned[cut.length] !== ' ') {
    const space = cut.lastIndexOf(' ');
    if (space >= MAX_SHEET_NAME_LENGTH * 0.6) cut = cut.slice(0, space);
  }
  // Cutting may leave a trailing apostrophe or space behind.
  return cut.replace(/['\s]+$/, '');
}

/** The longest prefix of at most `max` UTF-16 units that does not end inside a surrogate pair. */
function cutUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** What the keywords property holds; parsed back by `readKeywordsStamp` (and, in plain JS, by the worker). */
export function keywordsStamp(reference: string, questionnaireVersion: number): string {
  return `${VENDOR_WORKBOOK_FORMAT} rfp=${encodeURIComponent(reference)} questionnaire-version=${questionnaireVersion}`;
}
