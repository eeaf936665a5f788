/**
 * The one writer of text into the scorecard workbook and the CSV exports (DESIGN §5). Every string a cell or CSV field
 * receives — vendor names, answers, rationales, audit JSON, and our own labels too, so there is no second path —
 * goes through {@link cellText} (workbook) or {@link csvText} (CSV).
 *
 * Why text can never become a formula:
 * - In the workbook it is assigned as a plain string value (a shared string, `t="s"`), never `{ formula }`, never
 *   `{ text, hyperlink }`, never rich text; the `<f>` element exists only where the Matrix writes its own formulas.
 * - A text starting with a character a spreadsheet reads as the start of a formula — `=`, `+`, `-`, `@`, tab, CR, LF,
 *   NUL, or their full-width forms `＝ ＋ － ＠` (which Excel's Japanese/Chinese input converts) — gets a literal
 *   apostrophe `'` in front, **stored as part of the string**. Choice (2026-11-22): the visible apostrophe rather than
 *   Excel's hidden `quotePrefix` style, because a style does not survive "Save as CSV": the CSV would carry `=cmd|…`
 *   bare and the next program to open it would run it. With the apostrophe in the value, the CSV carries `'=cmd|…`,
 *   which every spreadsheet opens as text. The price is one visible character on such (rare) texts.
 *
 * - A CSV field is guarded harder ({@link csvText}), because the program that opens a CSV decides where its cells
 *   start: a reader in a locale whose list separator is `;` (much of Europe), or one told to split on tabs, starts a
 *   new cell after every `;` or tab *inside* our comma-separated text, and LibreOffice starts a new row at a line
 *   break inside a quoted field once its quotes no longer line up with its separator. So `Scope;=1+1` or
 *   `Summary\n=1+1` would become live formulas there. Every position that can start a cell under `,`, `;` or tab —
 *   the field's start and whatever follows one of `, ; tab CR LF` — gets the apostrophe before a formula character,
 *   after any spaces and double quotes in between (readers told to trim spaces, or to unquote, would drop those).
 *   Choice (2026-12-02): guard those positions rather than only quoting, because quotes protect a field only from a
 *   reader that splits on the same separator we wrote; the price is an apostrophe in texts such as `a;'-b`.
 *
 * Also: line breaks become `\n`, characters XML cannot carry are dropped (a lone surrogate becomes U+FFFD), and a text
 * longer than Excel's 32,767-character cell limit is cut with a visible "[truncated: N characters, see the app]".
 */
import type ExcelJS from 'exceljs';

/** Excel's limit on the characters (UTF-16 units) of one cell. */
export const MAX_CELL_CHARS = 32_767;

/** First characters that make a spreadsheet treat a typed or imported value as a formula (or a DDE command). */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\n', '\u0000', '\uff1d', '\uff0b', '\uff0d', '\uff20'];

// eslint-disable-next-line no-control-regex
const TRIGGER = /^[=+\-@\t\r\n\u0000\uff1d\uff0b\uff0d\uff20]/;
// Characters XML 1.0 cannot carry (tab and line feed can; CR is normalised to LF first).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Whether `text` starts with a character that could make it a formula. */
export function startsWithFormulaTrigger(text: string): boolean {
  return TRIGGER.test(text);
}

/** `text` with an apostrophe in front when it starts with a formula trigger; otherwise unchanged. */
export function guardFormulaTrigger(text: string): string {
  return TRIGGER.test(text) ? `'${text}` : text;
}

/**
 * A position where some CSV reader may start a cell: the text's start, or just after a `,`, `;`, tab, CR or LF; then
 * any spaces or double quotes, which readers may trim or take as a quote; then a formula character (captured ahead).
 */
const CELL_START_FORMULA = /(^|[,;\t\r\n])([\s"]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])/g;

/**
 * Text fit for one CSV field, whatever separator the reader splits on (`,`, `;` or tab): {@link guardFormulaTrigger},
 * and an apostrophe before a formula character at every other position that can start a cell (see the module comment).
 */
export function csvText(text: string): string {
  return guardFormulaTrigger(text).replace(CELL_START_FORMULA, "$1$2'");
}

/** The marker that replaces the end of a text too long for one cell. */
export function truncationMarker(totalChars: number): string {
  return ` … [truncated: ${totalChars.toLocaleString('en-US')} characters, see the app]`;
}

/**
 * Text fit for one cell: cleaned (see the module comment), guarded against formula triggers, and at most
 * {@link MAX_CELL_CHARS} UTF-16 units including the apostrophe and any truncation marker. Idempotent for short texts.
 */
export function cellText(text: string): string {
  let guarded: string;
  if (!NEEDS_CLEANING.test(text)) {
    guarded = TRIGGER.test(text) ? `'${text}` : text;
    if (guarded.length <= MAX_CELL_CHARS) return guarded;
  }
  const clean = text.replace(/\r\n?/g, '\n').replace(LONE_SURROGATE, '\ufffd').replace(XML_INVALID, '');
  // A NUL or CR at the very start was a trigger even if cleaning removed or changed it.
  guarded = TRIGGER.test(text) || TRIGGER.test(clean) ? `'${clean}` : clean;
  if (guarded.length <= MAX_CELL_CHARS) return guarded;
  const marker = truncationMarker(clean.length);
  let cut = guarded.slice(0, MAX_CELL_CHARS - marker.length);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}${marker}`;
}

/**
 * Writes `text` into `cell` as a plain string value via {@link cellText}; `null`/`undefined`/empty leaves the cell
 * empty. The only way the scorecard writer puts text into a cell.
 */
export function writeText(cell: ExcelJS.Cell, text: string | null | undefined): void {
  cell.value = text === null || text === undefined || text === '' ? null : cellText(text);
}
